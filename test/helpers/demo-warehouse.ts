/**
 * The demo data (data/online-retail) ingested once per test run and copied
 * for every caller: `ingestFiles(warehouse, [DEMO_FILE])` takes seconds (a
 * minute on a loaded machine), a copy of the ingested file a fraction of one.
 * The first caller of the run ingests into the shared folder of
 * test/setup/shared-fixtures.ts under a lock (a folder made atomically); the
 * other test files (in the other worker too) wait for the finished file.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { DEMO_FILE } from './warehouse.js';

const WAIT_MS = 15 * 60_000;

async function sharedDemoFile(): Promise<string> {
  const dir = inject('sharedFixturesDir');
  const file = join(dir, 'demo.duckdb');
  const failed = join(dir, 'demo.failed');
  let builder = false;
  try {
    mkdirSync(join(dir, 'demo.lock'));
    builder = true;
  } catch {
    // another test file builds it
  }
  if (builder) {
    const building = join(dir, 'demo.building.duckdb');
    try {
      // a warehouse file needs a key (an in-memory one would take an ephemeral key): a fixed one, so tokens are the same in every run
      const warehouse = await openDuckDbWarehouse(building, { threads: 2 });
      try {
        await ingestFiles(warehouse, [DEMO_FILE], { keyring: keyringFromKey(Buffer.alloc(32, 11), { source: 'memory' }) });
        await warehouse.execute('CHECKPOINT');
      } finally {
        await warehouse.close();
      }
      renameSync(building, file);
    } catch (error) {
      writeFileSync(failed, error instanceof Error ? (error.stack ?? error.message) : String(error));
      throw error;
    }
    return file;
  }
  const started = Date.now();
  while (!existsSync(file)) {
    if (existsSync(failed)) throw new Error(`the shared demo warehouse could not be built: ${readFileSync(failed, 'utf8')}`);
    if (Date.now() - started > WAIT_MS) throw new Error(`the shared demo warehouse was not built within ${WAIT_MS / 60_000} minutes (${dir})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return file;
}

/** A warehouse of its own (a file in the run's shared folder) holding the demo data as `ingestFiles(warehouse, [DEMO_FILE])` leaves it. */
export async function demoWarehouse(): Promise<Warehouse> {
  const source = await sharedDemoFile();
  const copy = join(mkdtempSync(join(inject('sharedFixturesDir'), 'demo-copy-')), 'demo.duckdb');
  copyFileSync(source, copy);
  const warehouse = await openDuckDbWarehouse(copy, { threads: 2 });
  const close = warehouse.close.bind(warehouse);
  // the copy goes with the warehouse
  return Object.assign(warehouse, { close: async () => { await close(); rmSync(join(copy, '..'), { recursive: true, force: true }); } });
}
