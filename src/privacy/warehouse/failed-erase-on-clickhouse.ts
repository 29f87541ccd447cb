/**
 * What an erase on ClickHouse that failed once a delete was sent (a shard
 * refused a table's `ALTER … DELETE`, the cluster stopped answering) tells:
 * its audit entries say so — `outcome` `partial` (some of the customer's rows
 * were deleted), `failed` (none) or `unknown` (a table's rows may have been
 * deleted but could not be counted), the rows of the customer left per table
 * (counted once the mutations made are done; `rows_left_uncounted` when the
 * cluster cannot count them) and what refused — so a privacy officer reading
 * `clvkit audit` never takes them for a done erase; and its error is one line
 * (`UserError`, exit 2): how many customers' rows were deleted and audited,
 * which table and shard refused, and to run the same erase again (an erase is
 * idempotent: what is gone is not found again).
 */
import { QueryError } from '../../core/errors/query-error.js';
import { isUserError, UserError } from '../../core/errors/user-error.js';
import type { ClickHouseWarehouse } from '../../engine/clickhouse/clickhouse-warehouse.js';
import { countCustomerRows, type ErasedCustomer } from './erase-customers.js';
import { errorMessage } from '../../core/errors/error-message.js';

/** "customer_reid on shard 1: <the shard's first line>" / "<first line>" when no table's ALTER was being sent. */
function whatRefused(error: unknown, table: string | null): string {
  const reason = errorMessage(error).split('\n')[0]!;
  const shard = error instanceof QueryError && error.shard !== undefined ? ` on shard ${error.shard}` : '';
  return table ? `the delete from ${table} was refused${shard}: ${reason}` : reason;
}

/** The rows left after a failed erase (`rowsLeftAfterFailure`): `settled` false when the mutations made could not be waited for (a row counted may still go). */
export interface RowsLeft {
  readonly left: ErasedCustomer[];
  readonly settled: boolean;
}

/**
 * The rows of `customers` left in `tables` once the mutations the shards took
 * are done (same order as `customers`); counted all the same when that wait
 * fails (`settled` false: a row counted may still be taken by a mutation, a
 * row gone is gone); null when the cluster cannot count them. Read once after
 * a failed erase: what a refused `ALTER` took and each entry's `rows_left`
 * both come from it.
 */
export async function rowsLeftAfterFailure(cluster: ClickHouseWarehouse, customers: readonly ErasedCustomer[], tables: readonly string[]): Promise<RowsLeft | null> {
  const settled = await cluster.waitForMutations(tables.flatMap((t) => [t, `${t}_local`]), 60).then(() => true, () => false); // the deletes the shards took are done
  try {
    return { left: await countCustomerRows(cluster, customers.map((c) => c.token), tables), settled };
  } catch {
    return null;
  }
}

/**
 * The details each customer's audit entry of a failed erase adds to those of
 * a done one (same order as `customers`): `left` the rows left
 * (`rowsLeftAfterFailure`); `table` is the one whose ALTER was being sent
 * when it failed (null when the failure came elsewhere); `uncounted` whether
 * the rows that ALTER took could not be counted. `outcome`: `complete` when
 * none of the customer's rows is left (counted), `partial` when some were
 * deleted and some are left (or not counted), `failed` when none was
 * deleted, `unknown` when rows may have been deleted uncounted;
 * `mutations_pending` when the rows left were counted before the mutations
 * made were done (some may still go).
 */
export function failedEraseDetails(customers: readonly ErasedCustomer[], left: RowsLeft | null, error: unknown, table: string | null, uncounted: boolean): Record<string, unknown>[] {
  const refused = whatRefused(error, table);
  return customers.map((customer, i) => {
    const rowsLeft = left?.left[i]!.rowCounts;
    const gone = rowsLeft !== undefined && Object.keys(rowsLeft).length === 0 && !uncounted;
    return {
      outcome: gone && customer.rows > 0 ? 'complete' : customer.rows > 0 ? 'partial' : uncounted ? 'unknown' : 'failed',
      ...(rowsLeft ? { rows_left: rowsLeft } : { rows_left_uncounted: true }),
      ...(left && !left.settled && !gone ? { mutations_pending: true } : {}),
      error: refused,
    };
  });
}

/**
 * The error of an erase that failed before any delete was sent (the cluster
 * did not answer a count, the schema check, the record of the tokens): one
 * line (`UserError`, exit 2) saying nothing was deleted or audited; a
 * `UserError` already (a wrong key) is kept as it is.
 */
export function failedBeforeDeleteError(error: unknown): UserError {
  if (isUserError(error)) return error;
  return new UserError(`erase failed before any row was deleted (nothing deleted, nothing audited): ${whatRefused(error, null)}`, 'run the same erase again once the cluster answers');
}

/** The one-line error of an erase that failed once a delete was sent, after its audit entries were written. */
export function failedEraseError(customers: readonly ErasedCustomer[], error: unknown, table: string | null): UserError {
  const touched = customers.filter((c) => c.rows > 0);
  const rows = touched.reduce((sum, c) => sum + c.rows, 0);
  const deleted = `${touched.length} of ${customers.length} customer${customers.length === 1 ? '' : 's'} had rows deleted (${rows} row${rows === 1 ? '' : 's'})`;
  return new UserError(
    `erase stopped part way: ${whatRefused(error, table)}; ${deleted}; every customer's audit entry says what was deleted and what is left`,
    'run the same erase again once the cluster answers (an erase is idempotent: the rows already deleted are not found again)',
  );
}
