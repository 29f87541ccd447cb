import { existsSync, rmSync } from 'node:fs';
import type { CliIo } from '../cli-io.js';
import { stopLines } from '../quiet-option.js';

/** Removes a warehouse file and DuckDB's write-ahead log beside it. */
export function removeWarehouseFiles(db: string): void {
  for (const path of [db, `${db}.wal`]) rmSync(path, { force: true });
}

/**
 * After a failed command that made a new warehouse file (`ingest FILE --db
 * new.duckdb`, `analyze FILE --db new.duckdb`), with the warehouse closed:
 * when nothing was ingested into it, the warehouse — and the key file the
 * command created for it, `keyCreated` — are removed again and stderr says so
 * (on stderr with --json too: the note that a key file was created went
 * there); a key file that was there before is kept, and said to be. A
 * warehouse holding an ingest (a later stage failed) is kept.
 */
export async function discardNewWarehouseIfEmpty(io: CliIo, options: { readonly db: string; readonly keyPath?: string | undefined; readonly keyCreated: boolean }): Promise<void> {
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
  removeWarehouseFiles(db);
  if (keyCreated && keyPath) rmSync(keyPath, { force: true });
  const removed = keyCreated ? `the new warehouse ${db} and its key file` : `the new warehouse ${db}`;
  const kept = !keyCreated && keyPath && existsSync(keyPath) ? ` (the key file ${keyPath} is kept)` : '';
  stopLines(io).write(`clvkit: nothing was ingested: removed ${removed} again${kept}\n`);
}
