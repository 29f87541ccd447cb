import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MODULE_LOAD_HOOK as HOOK } from '../helpers/module-load-hook.js';

/**
 * `@duckdb/node-api` is CommonJS: imported as an ES module, Node first lexed every file of it for its export names,
 * ~250 ms of CPU more per process than `require` (src/engine/duckdb-node-api.ts). Every clvkit module that needs DuckDB
 * takes it from duckdb-node-api.ts. Guarded without timing: the module resolve hook (which sees ES imports, not
 * `require`) lists what a process opening a warehouse loads; no file of the package may be among them.
 */
const DRIVER = `
const { openDuckDbWarehouse } = await import(${JSON.stringify(fileURLToPath(new URL('../../src/engine/duckdb-warehouse.ts', import.meta.url)))});
await import(${JSON.stringify(fileURLToPath(new URL('../../src/privacy/warehouse/compact-warehouse-file.ts', import.meta.url)))});
await import(${JSON.stringify(fileURLToPath(new URL('../../src/synth/convert-csv-to-parquet.ts', import.meta.url)))});
const warehouse = await openDuckDbWarehouse(':memory:', { threads: 1 });
const [row] = await warehouse.query('SELECT count(*) AS n FROM schema_migrations');
await warehouse.close();
process.stdout.write(String(row.n));
`;

describe('DuckDB loaded', () => {
  it('by require, not by an ES import of @duckdb/node-api', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--import', HOOK, '--input-type=module', '-e', DRIVER], { encoding: 'utf8', cwd: fileURLToPath(new URL('../..', import.meta.url)) });
    expect(run.status, run.stderr).toBe(0);
    expect(Number(run.stdout)).toBeGreaterThan(10); // the warehouse was opened and migrated
    const loaded = run.stderr.split('\n').filter((line) => line.startsWith('loaded ')).map((line) => line.slice('loaded '.length));
    expect(loaded.some((url) => url.endsWith('/src/engine/duckdb-node-api.ts'))).toBe(true); // the hook saw the loads
    expect(loaded.filter((url) => url.includes('/node_modules/@duckdb/'))).toEqual([]);
  }, 60_000);
});
