/**
 * A row's 0-based position in a scratch table written in one go, as SQL. In
 * autocommit mode the row ids of a fresh table start at 0, but inside a
 * transaction the caller opened they start near 2^55 (the engine's
 * transaction-local ids): positions are therefore always counted from the
 * table's first row id, so line numbers come out the same either way.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { UserError } from '../core/errors/user-error.js';
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

/**
 * Refuses, in one line, a second read of `path` after its reader failed with `message` (another encoding, long lines,
 * line endings) inside a transaction the caller opened: the error has aborted it, and no statement can run there.
 */
export function refuseRetryInsideTransaction(warehouse: Warehouse, path: string, message: string): void {
  if (!insideCallersTransaction(warehouse)) return;
  throw new UserError(`cannot read ${path} inside an open transaction: ${message.split('\n')[0]}`, 'the reader must try again (another encoding, long lines or line endings), which needs its own transaction: ingest the file outside the transaction');
}
