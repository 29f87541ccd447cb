/**
 * The demo data (data/online-retail) ingested once per test run and copied
 * for every caller: `ingestFiles(warehouse, [DEMO_FILE])` takes seconds (a
 * minute on a loaded machine), a copy of the ingested file a fraction of one.
 * The first caller of the run ingests it (test/helpers/shared-fixture.ts);
 * the other test files (in the other workers too) wait for the finished file.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { sharedFixture } from './shared-fixture.js';
import { DEMO_FILE } from './warehouse.js';

/** The demo warehouse file of the run (built by the first caller, test/helpers/shared-fixture.ts). */
function sharedDemoFile(): Promise<string> {
  return sharedFixture('demo.duckdb', async (building) => {
    // a warehouse file needs a key (an in-memory one would take an ephemeral key): a fixed one, so tokens are the same in every run
    const warehouse = await openDuckDbWarehouse(building, { threads: 2 });
    try {
      await ingestFiles(warehouse, [DEMO_FILE], { keyring: keyringFromKey(Buffer.alloc(32, 11), { source: 'memory' }) });
      await warehouse.execute('CHECKPOINT');
    } finally {
      await warehouse.close();
    }
  });
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
