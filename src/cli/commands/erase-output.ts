import type { RunFilesErasure } from '../../privacy/warehouse/erase-from-run-files.js';
import type { WriteAheadLogErasure } from '../../server/ingest/erase-from-write-ahead-log.js';

/** A customer of `clvkit erase --json`, on both engines. */
export interface ErasedCustomerOutput {
  readonly token: string;
  /** rows deleted per table (tables in name order) */
  readonly rowCounts: Readonly<Record<string, number>>;
  readonly rows: number;
  /** the warehouse held no row of this customer: nothing was deleted, the erasure is recorded all the same */
  readonly nothingHeld: boolean;
}

/** What DuckDB's erase adds: the warehouse file rewritten, so no freed page keeps the rows (null: stopped before it was). */
export interface DuckDbEraseExtras {
  readonly file: { readonly bytesBefore: number; readonly bytesAfter: number } | null;
}

/** What a cluster's erase adds (erase-customers-on-clickhouse.ts `ClusterEraseResult`). */
export interface ClickHouseEraseExtras {
  readonly stagingDropped: number;
  readonly tablesChecked: number;
  readonly oldPartsLifetimeSeconds: number;
}

/**
 * `clvkit erase --json`: one shape on both engines — the keys both have (`engine`, `tokens`, `customers` with their rows
 * per table and `nothingHeld`, `tables`, `rowCounts` per table in all, `rows`, `runFiles`, `outFoldersNotReached`, `audienceFilesNotReached`), then
 * the engine's extras under their own optional keys (DuckDB: `file`; ClickHouse: `stagingDropped`, `tablesChecked`, `oldPartsLifetimeSeconds`).
 * docs/privacy.md lists them.
 */
export type EraseOutput = {
  readonly engine: 'duckdb' | 'clickhouse';
  readonly tokens: readonly string[];
  readonly customers: readonly ErasedCustomerOutput[];
  readonly tables: readonly string[];
  readonly rowCounts: Readonly<Record<string, number>>;
  readonly rows: number;
  /** the server run files beside the warehouse: what was removed (null: not searched, the erase stopped before them) */
  readonly runFiles: RunFilesErasure | null;
  /** the server's ingest write-ahead log beside the warehouse (or state file): what was removed, or who holds it */
  readonly writeAheadLog: WriteAheadLogErasure;
  readonly outFoldersNotReached: readonly string[];
  /** the audience files exported from the warehouse (audited) still on this machine that hold an erased customer */
  readonly audienceFilesNotReached: readonly string[];
} & (Partial<DuckDbEraseExtras> & Partial<ClickHouseEraseExtras>);

/** `counts` with its tables in name order. */
function byTable(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The output of an erasure on either engine: the customers (as both engines' erase functions report them) with
 * `nothingHeld`, the rows per table summed over them, and `extras` after the common keys.
 */
export function eraseOutput(
  engine: EraseOutput['engine'],
  erased: { readonly customers: readonly { readonly token: string; readonly rowCounts: Readonly<Record<string, number>>; readonly rows: number }[]; readonly tables: readonly string[] },
  reached: { readonly runFiles: RunFilesErasure | null; readonly writeAheadLog: WriteAheadLogErasure; readonly outFoldersNotReached: readonly string[]; readonly audienceFilesNotReached: readonly string[] },
  extras: DuckDbEraseExtras | ClickHouseEraseExtras,
): EraseOutput {
  const customers = erased.customers.map((c) => ({ token: c.token, rowCounts: byTable(c.rowCounts), rows: c.rows, nothingHeld: c.rows === 0 }));
  const rowCounts: Record<string, number> = {};
  for (const customer of customers) for (const [table, n] of Object.entries(customer.rowCounts)) rowCounts[table] = (rowCounts[table] ?? 0) + n;
  return {
    engine,
    tokens: customers.map((c) => c.token),
    customers,
    tables: erased.tables,
    rowCounts: byTable(rowCounts),
    rows: customers.reduce((sum, c) => sum + c.rows, 0),
    runFiles: reached.runFiles,
    writeAheadLog: reached.writeAheadLog,
    outFoldersNotReached: reached.outFoldersNotReached,
    audienceFilesNotReached: reached.audienceFilesNotReached,
    ...extras,
  };
}

/** The text's line per customer, the same on both engines: `erased c_…: 4 rows (customer_reid 1, transactions 3)`, or `c_…: no rows held (nothing to erase; recorded)`. */
export function erasedCustomerLines(customers: readonly ErasedCustomerOutput[]): string {
  return customers
    .map((customer) => {
      if (customer.nothingHeld) return `${customer.token}: no rows held (nothing to erase; recorded)\n`;
      const counts = Object.entries(customer.rowCounts).map(([table, n]) => `${table} ${n.toLocaleString('en-US')}`).join(', ');
      return `erased ${customer.token}: ${customer.rows.toLocaleString('en-US')} rows (${counts})\n`;
    })
    .join('');
}

/** The run files line: how many lines left how many files, or (`missing`) the folder looked for and not found. */
export function runFilesLine(runFiles: RunFilesErasure, missing: string): string {
  return runFiles.folder !== null
    ? `server run files: ${runFiles.lines.toLocaleString('en-US')} lines removed from ${runFiles.filesRewritten} of ${runFiles.filesSearched} files under ${runFiles.folder}\n`
    : missing;
}

/**
 * The write-ahead log's line: the lines removed from its batches, or that a running server holds it (not reached:
 * stop it and erase again); nothing when the warehouse has no log.
 */
export function writeAheadLogLines(log: WriteAheadLogErasure): string {
  if (log.folder === null) return '';
  if (log.heldBy === 0) return `not reached: the server write-ahead log ${log.folder} has a lock file naming no live process to ask (no process id in it, or a takeover of it was interrupted): if no clvkit serve runs on this warehouse, remove ${log.folder}/lock and erase again\n`;
  if (log.heldBy !== null) return `not reached: the server write-ahead log ${log.folder}, held by process ${log.heldBy} (a server running on this warehouse): stop it and erase again\n`;
  const count = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
  return `server write-ahead log: ${count(log.lines, 'line', 'lines')} removed from ${log.batchesRewritten.toLocaleString('en-US')} of ${count(log.batchesSearched, 'batch', 'batches')} under ${log.folder}\n`;
}

/**
 * What a cluster's erase leaves on disk, said plainly: a delete mutation writes new parts without the rows and the
 * replaced parts stay, inactive, until the server deletes them (`old_parts_lifetime`) — unlike DuckDB's erase, whose
 * file is rewritten. Verified by test/cli/erase-on-clickhouse-says-what-it-did.test.ts.
 */
export function oldPartsLine(seconds: number): string {
  return `on disk: the rows are gone from every query; the data parts that held them stay on the shards' disks, inactive, until the server's cleanup deletes them once old_parts_lifetime (${seconds} s here) has passed since the erase\n`;
}

/**
 * The one line of `clvkit erase` stopped by a signal (Ctrl-C, SIGTERM) after its deletion committed, before the file's
 * rewrite was done: the rows deleted, committed and audited; the file not rewritten (the deleted rows may still be read
 * from its free pages) and, when the warehouse has one, the server runs folder not searched; and that the same erase
 * again completes it (it deletes nothing more: its customers are held no more, and recorded as erased).
 *
 * Example: `interruptedEraseLine('shop.duckdb', { customers: [c], rows: 12 }, null)`
 * → `erase interrupted: 12 rows of 1 customer deleted from shop.duckdb, committed and audited; not done: the warehouse file was not rewritten, so the deleted rows may still be recoverable from its free pages (hint: run the same clvkit erase command again: it deletes nothing more and rewrites the file)`
 */
export function interruptedEraseLine(db: string, erased: { readonly customers: readonly unknown[]; readonly rows: number }, runsFolder: string | null): string {
  const count = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
  const runs = runsFolder === null ? '' : `, and the server run files under ${runsFolder} were not searched`;
  return (
    `erase interrupted: ${count(erased.rows, 'row', 'rows')} of ${count(erased.customers.length, 'customer', 'customers')} deleted from ${db}, committed and audited; ` +
    `not done: the warehouse file was not rewritten, so the deleted rows may still be recoverable from its free pages${runs} ` +
    `(hint: run the same clvkit erase command again: it deletes nothing more and rewrites the file${runsFolder === null ? '' : ' and the run files'})`
  );
}
