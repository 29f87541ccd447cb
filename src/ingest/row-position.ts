/**
 * A row's 0-based position in a scratch table written in one go, as SQL. In
 * autocommit mode the row ids of a fresh table start at 0, but inside a
 * transaction the caller opened they start near 2^55 (the engine's
 * transaction-local ids): positions are therefore always counted from the
 * table's first row id, so line numbers come out the same either way.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { firstRowId } from '../engine/read-chunks.js';

/** `(rowid - <first row id of table>)`, optionally qualified (`s.rowid`); `rowid` itself for an empty table. */
export async function rowPositionSql(warehouse: Warehouse, table: string, qualifier = ''): Promise<string> {
  const first = await firstRowId(warehouse, table);
  const rowid = `${qualifier}rowid`;
  return first === null || first === '0' ? rowid : `(${rowid} - ${first})`;
}

/** Callers' open transactions, per warehouse, as `ingestFiles` found them (`inOpenTransaction`). */
const openTransactions = new WeakMap<Warehouse, boolean>();

/**
 * Whether the warehouse's connection is inside a transaction its caller
 * opened (DuckDB: two statements in autocommit mode get two transaction ids,
 * inside an open transaction the same one). Remembered for the ingest's
 * readers (`insideCallersTransaction`): an error in a transaction aborts it,
 * so a reader cannot fail and retry there.
 */
export async function noteOpenTransaction(warehouse: Warehouse): Promise<boolean> {
  let open = false;
  if (warehouse.dialect.name === 'duckdb') {
    const [a] = await warehouse.query('SELECT txid_current() AS id');
    const [b] = await warehouse.query('SELECT txid_current() AS id');
    open = String(a!.id) === String(b!.id);
  }
  openTransactions.set(warehouse, open);
  return open;
}

/** What `noteOpenTransaction` last found for this warehouse (false before it ran). */
export function insideCallersTransaction(warehouse: Warehouse): boolean {
  return openTransactions.get(warehouse) ?? false;
}
