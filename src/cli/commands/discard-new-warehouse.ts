import { existsSync, rmSync } from 'node:fs';
import type { CliIo } from '../cli-io.js';

/**
 * After a failed command that made a new warehouse file (`analyze FILE --db
 * new.duckdb`): when nothing was ingested into it, the warehouse — and the
 * key file the command created for it, `keyCreated` — are removed again and
 * stderr says so, as a failed first `ingest` does (ingest-command.ts). A
 * warehouse holding an ingest (a later stage failed) is kept.
 */
export async function discardNewWarehouseIfEmpty(io: CliIo, options: { readonly db: string; readonly keyPath: string; readonly keyCreated: boolean }): Promise<void> {
  const { db, keyPath, keyCreated } = options;
  if (!existsSync(db)) return;
  const { openDuckDbWarehouse } = await import('../../engine/duckdb-warehouse.js'); // only on this failure path
  const warehouse = await openDuckDbWarehouse(db, { migrate: false });
  let empty: boolean;
  try {
    empty = (await warehouse.query('SELECT 1 AS one FROM ingests LIMIT 1')).length === 0;
  } catch {
    empty = true; // no ingests table: the schema was never written
  } finally {
    await warehouse.close();
  }
  if (!empty) return;
  for (const path of [db, `${db}.wal`]) rmSync(path, { force: true });
  if (keyCreated) rmSync(keyPath, { force: true });
  io.stderr.write(`clvkit: nothing was ingested: removed ${keyCreated ? `the new warehouse ${db} and its key file` : `the new warehouse ${db}`} again\n`);
}
