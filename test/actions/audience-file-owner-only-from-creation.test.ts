/**
 * Audience files holding original ids or e-mail addresses (`--role admin`, `--reveal-ids`) are readable by their
 * owner only from the moment they exist. They used to be written beside `--out` (`<out>.tmp-<pid>`) at the default
 * mode — DuckDB's `COPY … TO` for csv, writeFileSync for json — chmod'ed 0600 once whole and renamed into place by
 * `finish()` after the commit: a crash mid-write, or a failure before `finish()`/`discard()` ran, left a
 * world-readable file with personal data beside the target. Now each is written inside a fresh scratch folder
 * beside it (`.<name>.writing-XXXXXX`, 0700; json made 0600 as it is created), kept until `finish()` renames the
 * file into place (`startOwnerOnlyFile`, core/replace-file.ts).
 *
 * Observed where a mode can be seen: each `exportCsv` right after the engine wrote the file (a warehouse that wraps
 * the real one), each writeFileSync of a json file right after it wrote (node:fs wrapped, hence OWN_MODULES), the
 * final files and what is left in the folder — also when the export fails right after the engine wrote the file.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { exportStoredAudience } from '../../src/actions/export-stored-audience.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { resolveAccess } from '../../src/privacy/access/access.js';
import { readKeyFile } from '../../src/privacy/keys/key-file.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';
import { observedExports, type ExportSeen } from '../helpers/export-observed.js';

interface Seen {
  path: string;
  fileMode: string;
  folderMode: string;
}

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

/** Every file writeFileSync wrote whose name ends in `.json` (or `.json.tmp-<pid>`, where they were written before): its path, its mode and its folder's right after. */
const jsonWrites = vi.hoisted(() => [] as Seen[]);

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const writeFileSync = ((path: Parameters<typeof fs.writeFileSync>[0], data: Parameters<typeof fs.writeFileSync>[1], options?: Parameters<typeof fs.writeFileSync>[2]) => {
    fs.writeFileSync(path, data, options);
    if (typeof path === 'string' && /\.json(\.tmp-\d+)?$/.test(basename(path))) {
      jsonWrites.push({ path, fileMode: (fs.statSync(path).mode & 0o777).toString(8), folderMode: (fs.statSync(dirname(path)).mode & 0o777).toString(8) });
    }
  }) as typeof fs.writeFileSync;
  return { ...fs, writeFileSync, default: { ...fs, writeFileSync } };
});

let dir: string;
let db: string;

beforeAll(async () => {
  dir = scratchDir();
  db = join(dir, 'shop.duckdb');
  const lines = ['order_id,customer_id,email,date,amount'];
  for (let c = 1; c <= 40; c++) for (let k = 0; k < 1 + (c % 3); k++) lines.push(`O${c}-${k},P${c},p${c}@example.com,2023-${String(1 + ((c + 4 * k) % 12)).padStart(2, '0')}-${String(1 + ((3 * c + k) % 28)).padStart(2, '0')},${(10 + c + k).toFixed(2)}`);
  writeFileSync(join(dir, 'orders.csv'), lines.join('\n') + '\n');
  expect((await cli(['ingest', join(dir, 'orders.csv'), '--db', db, '--map', 'email=email'])).code).toBe(0);
  const analysed = await cli(['analyze', '--db', db, '--out', join(dir, 'run'), '--skip-report', '--skip-patterns', '--skip-models', '--quiet']);
  expect(analysed.code, analysed.stderr).toBe(0);
  const drawn = await cli(['audience', 'create', '--db', db, '--name', 'all', '--where', 'TRUE', '--holdout', '0.25']);
  expect(drawn.code, drawn.stderr).toBe(0);
}, 180_000);

/** A fresh folder of the usual mode (0755: mkdtemp makes 0700, which would hide a file written in the open). */
function outFolder(): string {
  const out = mkdtempSync(join(dir, 'out-'));
  chmodSync(out, 0o755);
  return out;
}

/** Exports the audience to `name` in a fresh folder as `role` through `wrap(warehouse)`; the folder. */
async function exportTo(name: string, role: string, options: { revealIds?: boolean; wrap?: (w: Warehouse) => Warehouse } = {}): Promise<string> {
  const out = outFolder();
  const warehouse = await openDuckDbWarehouse(db, { threads: 1 });
  try {
    const wrapped = options.wrap ? options.wrap(warehouse) : warehouse;
    await exportStoredAudience(wrapped, 'all', { path: join(out, name), ...(options.revealIds ? { revealIds: true } : {}) }, readKeyFile(`${db}.key`), resolveAccess({ role }));
  } finally {
    await warehouse.close();
  }
  return out;
}

describe('audience files with original ids or e-mails are 0600 from the moment they exist', () => {
  it('csv: the engine writes it in a 0700 scratch folder beside --out, never beside it in the open; it ends 0600, the folder gone', async () => {
    const exports: ExportSeen[] = [];
    const out = await exportTo('send.csv', 'admin', { revealIds: true, wrap: (w) => observedExports(w, exports) });
    expect(exports).toHaveLength(1);
    expect(exports[0]!.path).not.toBe(join(out, 'send.csv'));
    expect(dirname(dirname(exports[0]!.path))).toBe(out);
    expect(basename(dirname(exports[0]!.path))).toMatch(/^\.send\.csv\.writing-[A-Za-z0-9]{6}$/);
    expect(exports[0]!.folderMode.toString(8)).toBe('700');
    const text = readFileSync(join(out, 'send.csv'), 'utf8');
    expect(text.split('\n')[0]).toBe('customer_id,group,original_id,email');
    expect(text).toContain('p7@example.com');
    expect(modeOf(join(out, 'send.csv'))).toBe('600');
    expect(readdirSync(out)).toEqual(['send.csv']);
  }, 60_000);

  it('json: written 0600 as it is created, in a 0700 scratch folder; an admin without --reveal-ids (e-mails only) too', async () => {
    jsonWrites.length = 0;
    const out = await exportTo('send.json', 'admin');
    const writes = jsonWrites.filter((w) => w.path.startsWith(out));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ fileMode: '600', folderMode: '700' });
    expect(dirname(dirname(writes[0]!.path))).toBe(out);
    const rows = JSON.parse(readFileSync(join(out, 'send.json'), 'utf8')) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['customer_id', 'group', 'email']);
    expect(modeOf(join(out, 'send.json'))).toBe('600');
    expect(readdirSync(out)).toEqual(['send.json']);
  }, 60_000);

  it('an export failing right after the engine wrote the file (as a crash would) leaves nothing in the folder', async () => {
    const exports: ExportSeen[] = [];
    const out = outFolder();
    const warehouse = await openDuckDbWarehouse(db, { threads: 1 });
    try {
      await expect(exportStoredAudience(observedExports(warehouse, exports, 'the export stopped right after the engine wrote the file'), 'all', { path: join(out, 'send.csv'), revealIds: true }, readKeyFile(`${db}.key`), resolveAccess({ role: 'admin' }))).rejects.toThrow(/injected/);
    } finally {
      await warehouse.close();
    }
    expect(exports).toHaveLength(1);
    expect(exports[0]!.folderMode.toString(8)).toBe('700');
    expect(readdirSync(out)).toEqual([]);
  }, 60_000);

  it('a scratch folder a crashed export left is removed by the next export to the same file', async () => {
    const out = outFolder();
    const left = join(out, '.send.csv.writing-AbC123');
    mkdirSync(left, { mode: 0o700 });
    writeFileSync(join(left, 'send.csv'), 'customer_id,group,original_id,email\n');
    const warehouse = await openDuckDbWarehouse(db, { threads: 1 });
    try {
      await exportStoredAudience(warehouse, 'all', { path: join(out, 'send.csv'), revealIds: true }, readKeyFile(`${db}.key`), resolveAccess({ role: 'admin' }));
    } finally {
      await warehouse.close();
    }
    expect(readdirSync(out)).toEqual(['send.csv']);
  }, 60_000);

  it('a file with nothing personal (a marketer: tokens and group) keeps the default mode', async () => {
    const out = await exportTo('send.csv', 'marketer');
    expect(readFileSync(join(out, 'send.csv'), 'utf8').split('\n')[0]).toBe('customer_id,group');
    expect(modeOf(join(out, 'send.csv'))).toBe('644');
    expect(readdirSync(out)).toEqual(['send.csv']);
  }, 60_000);
});

// A file of tokens and groups alone was written beside --out as `<out>.tmp-<pid>` and renamed into place by finish():
// a rename that failed left that file for good (nothing removed it), and so did a crash (the next export, another pid,
// never looked for it). It is written in a scratch folder as the files above now, removed whatever place() meets.
describe('an audience file with nothing personal leaves no scratch file beside --out', () => {
  it('the engine writes it in a scratch folder beside --out (removed by the next export after a crash), not as <out>.tmp-<pid>', async () => {
    const exports: ExportSeen[] = [];
    const out = await exportTo('send.csv', 'marketer', { wrap: (w) => observedExports(w, exports) });
    expect(exports).toHaveLength(1);
    expect(dirname(dirname(exports[0]!.path))).toBe(out);
    expect(basename(dirname(exports[0]!.path))).toMatch(/^\.send\.csv\.writing-[A-Za-z0-9]{6}$/);
    expect(readdirSync(out)).toEqual(['send.csv']);
  }, 60_000);

  it('a move into place that fails (a folder made at --out meanwhile) leaves nothing but that folder', async () => {
    const out = outFolder();
    const target = join(out, 'send.csv');
    const warehouse = await openDuckDbWarehouse(db, { threads: 1 });
    // the engine writes the file, then a folder appears at --out: finish()'s rename then fails
    const racing = new Proxy(warehouse, {
      get(inner, property) {
        if (property === 'exportCsv') {
          return async (sql: string, path: string) => {
            const rows = await inner.exportCsv(sql, path);
            mkdirSync(target);
            return rows;
          };
        }
        const value = Reflect.get(inner, property, inner) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(inner) : value;
      },
    });
    try {
      await expect(exportStoredAudience(racing, 'all', { path: target }, readKeyFile(`${db}.key`), resolveAccess({ role: 'marketer' }))).rejects.toThrow(`${target} is a folder, not a file: one was made there while the members were written`);
    } finally {
      await warehouse.close();
    }
    expect(readdirSync(out)).toEqual(['send.csv']);
    expect(statSync(target).isDirectory()).toBe(true);
    expect(readdirSync(target)).toEqual([]);
  }, 60_000);
});
