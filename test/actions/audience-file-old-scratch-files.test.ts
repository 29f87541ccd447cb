/**
 * Older versions wrote an audience file beside `--out` as `<out>.tmp-<pid>` and renamed it into place: a crash or a
 * failed rename left that file for good (nothing looked for it; today's writes go through a scratch folder, which the
 * next export removes). The next export of the same file now removes those leftovers too — only files named exactly
 * `<out>.tmp-<pid>` (a decimal pid), regular files of this user, whose pid is no live process — and names in one line
 * those it keeps because their process is alive (an older clvkit still writing, or a pid now reused).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportStoredAudience } from '../../src/actions/export-stored-audience.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { resolveAccess } from '../../src/privacy/access/access.js';
import { readKeyFile } from '../../src/privacy/keys/key-file.js';
import { cli } from '../helpers/cli.js';
import { smallAnalysedShop } from '../helpers/small-analysed-shop.js';
import { scratchDir } from '../helpers/warehouse.js';

let db: string;
/** a process that runs while the tests do: its pid is live */
let live: ReturnType<typeof spawn>;
/** the pid of a process that has ended */
let dead: number;

beforeAll(async () => {
  db = await smallAnalysedShop();
  expect((await cli(['audience', 'create', '--db', db, '--name', 'all', '--where', 'TRUE', '--holdout', '0.25'])).code).toBe(0);
  live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
  dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
}, 120_000);

afterAll(() => {
  live.kill();
});

describe('an audience export removes the <out>.tmp-<pid> files older versions left beside --out', () => {
  it('removes those of ended processes, keeps and names those of live ones, leaves everything else', async () => {
    const out = scratchDir();
    const names = {
      crashed: `send.csv.tmp-${dead}`,
      running: `send.csv.tmp-${live.pid}`,
      otherTarget: `other.csv.tmp-${dead}`,
      notPid: 'send.csv.tmp-abc123',
      durableScratch: 'send.csv.tmp-123456789012', // replaceFileDurably's 12 hex digits, all digits
      longer: `send.csv.tmp-${dead}.bak`,
      folder: `send.csv.tmp-${dead + 1}`,
      link: `send.csv.tmp-${dead + 2}`,
    };
    for (const name of [names.crashed, names.running, names.otherTarget, names.notPid, names.durableScratch, names.longer]) writeFileSync(join(out, name), 'customer_id,group\n');
    mkdirSync(join(out, names.folder));
    symlinkSync(join(out, names.otherTarget), join(out, names.link));
    const warehouse = await openDuckDbWarehouse(db, { threads: 1 });
    let exported;
    try {
      exported = await exportStoredAudience(warehouse, 'all', { path: join(out, 'send.csv') }, readKeyFile(`${db}.key`), resolveAccess({ role: 'marketer' }));
    } finally {
      await warehouse.close();
    }
    expect(readdirSync(out).sort()).toEqual(['send.csv', ...Object.entries(names).filter(([k]) => k !== 'crashed').map(([, v]) => v)].sort());
    expect(exported.file.keptOldScratchFiles).toEqual([join(out, names.running)]);
  }, 60_000);

  it('audience create --out: a crashed one removed; a live one named in one line on stderr', async () => {
    const out = scratchDir();
    writeFileSync(join(out, `send.csv.tmp-${dead}`), 'customer_id,group\n');
    writeFileSync(join(out, `send.csv.tmp-${live.pid}`), 'customer_id,group\n');
    const run = await cli(['audience', 'create', '--db', db, '--name', 'leftovers', '--where', 'TRUE', '--holdout', '0.25', '--out', join(out, 'send.csv')]);
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['send.csv', `send.csv.tmp-${live.pid}`]);
    expect(run.stderr).toBe(`clvkit: warning: kept ${join(out, `send.csv.tmp-${live.pid}`)} beside --out: a file an older clvkit wrote it through, named after process ${live.pid}, which is running (remove it once that process has ended)\n`);
  }, 60_000);
});
