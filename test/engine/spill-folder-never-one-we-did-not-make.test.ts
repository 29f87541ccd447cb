import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { withEngineMemoryLimit } from '../../src/ingest/ingest-memory.js';

// Review (session 40, M1): an in-memory warehouse spilled to `<system temp>/clvkit-duckdb-<pid>.tmp`, a name anyone
// can guess; when another user (or a symlink) had it first, clvkit left it as it was and DuckDB spilled the scratch
// tables — customer ids and contact data in clear — into a folder that user reads. The folder is now made fresh
// (mkdtemp, 0700) and removed when the warehouse closes; a file warehouse's `<db>.tmp` that is a symlink or another
// user's folder is refused.

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const SPILLING_SCRATCH = "CREATE OR REPLACE TEMP TABLE scratch AS SELECT 'secret-' || range::VARCHAR || repeat('x', 120) AS v FROM range(1500000)";
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('DuckDB spills only into a folder clvkit made for it', () => {
  it.skipIf(!isRoot)('an in-memory warehouse leaves a guessable folder another user made first empty, and spills into a fresh 0700 folder', async () => {
    const guessable = join(tmpdir(), `clvkit-duckdb-${process.pid}.tmp`);
    rmSync(guessable, { recursive: true, force: true });
    mkdirSync(guessable);
    dirs.push(guessable);
    chownSync(guessable, 65534, 65534); // nobody's, open to all
    chmodSync(guessable, 0o777);
    const warehouse = await openDuckDbWarehouse(':memory:', { migrate: false, threads: 1 });
    let used = '';
    try {
      await withEngineMemoryLimit(warehouse, 64 * 1024 * 1024, async () => {
        await warehouse.execute(SPILLING_SCRATCH);
        used = String((await warehouse.query("SELECT current_setting('temp_directory') AS d"))[0]!.d);
        expect(readdirSync(guessable)).toEqual([]);
        expect(used).not.toBe(guessable);
        expect(used.startsWith(join(tmpdir(), 'clvkit-duckdb-'))).toBe(true);
        const stat = lstatSync(used);
        expect(stat.isDirectory()).toBe(true);
        expect(stat.uid).toBe(process.getuid!());
        expect(stat.mode & 0o777).toBe(0o700);
        expect(readdirSync(used).length).toBeGreaterThan(0); // it did spill there
      });
    } finally {
      await warehouse.close();
    }
    expect(existsSync(used)).toBe(false);
  }, 120_000);

  it('refuses to open a warehouse file whose <db>.tmp is a symlink, and writes nothing where it points', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clvkit-spill-link-'));
    dirs.push(dir);
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o777 });
    const db = join(dir, 'shop.duckdb');
    symlinkSync(elsewhere, `${db}.tmp`);
    await expect(openDuckDbWarehouse(db, { migrate: false, memoryLimit: '64MB', threads: 1 })).rejects.toMatchObject({
      name: 'UserError',
      message: `the spill folder ${db}.tmp beside the warehouse is a symlink: DuckDB would write customer data where it points`,
    });
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(existsSync(db)).toBe(false);
  });

  it.skipIf(!isRoot)('refuses to open a warehouse file whose <db>.tmp is another user’s folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clvkit-spill-other-'));
    dirs.push(dir);
    const db = join(dir, 'shop.duckdb');
    mkdirSync(`${db}.tmp`);
    chownSync(`${db}.tmp`, 65534, 65534);
    await expect(openDuckDbWarehouse(db, { migrate: false })).rejects.toMatchObject({
      name: 'UserError',
      message: `the spill folder ${db}.tmp beside the warehouse is another user’s folder (uid 65534): DuckDB would write customer data into it`,
    });
    expect(lstatSync(`${db}.tmp`).uid).toBe(65534);
  });
});
