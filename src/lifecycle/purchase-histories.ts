/**
 * Every customer's purchase occasions as typed arrays (compressed sparse
 * rows), for the per-customer lifecycle work in TypeScript: the row-level
 * aggregation (lines → occasions) runs in SQL, the per-customer stage logic
 * on these arrays.
 */
import { orderKeySql } from '../engine/sql-dialect.js';
import type { Warehouse } from '../engine/warehouse.js';
import { addDays, dayNumber, parseDay } from '../core/calendar-days.js';
import { type PurchaseGrain } from '../features/customer-summary.js';
import { checkTableName } from '../features/table-name.js';
import { tableExists } from '../features/table-exists.js';
import { currentCustomersSql } from '../engine/current-customers.js';

export interface PurchaseHistories {
  /** customers in id order: every buyer up to `endDay`, and (with prospects) every id of the `customers` table */
  readonly customerIds: readonly string[];
  /** occasions of customer i are start[i] … start[i + 1] − 1 (length n + 1) */
  readonly start: Int32Array;
  /** day number (days since 1970-01-01) of each occasion, ascending within a customer */
  readonly day: Int32Array;
  /** value bought on each occasion (purchases only; returns are not occasions) */
  readonly spend: Float64Array;
  /** signup day number from the `customers` table, NaN when unknown */
  readonly signupDay: Float64Array;
  /** whether the customer is listed in the `customers` table */
  readonly known: Uint8Array;
  /** last day loaded (inclusive) */
  readonly endDay: number;
}

export interface PurchaseHistoriesOptions {
  /** last day to load, inclusive, YYYY-MM-DD */
  readonly end: string;
  /** occasion: distinct purchase day (default) or order */
  readonly grain?: PurchaseGrain;
  /** add the ids of the `customers` table (default true when the table has rows) */
  readonly includeProspects?: boolean;
  readonly transactionsTable?: string;
  readonly customersTable?: string;
}

/**
 * Load the occasions up to `end`. Two queries: the ordered customer list, and the occasions with each customer's ordinal.
 * Each occasion's spend is an exact sum (`orderFreeSum`) and a customer's occasions of one day (by order) come by spend:
 * the stages' spend totals are the same whatever order the engine meets the lines in (and, summed exactly, whatever order
 * the customers' tokens put them in).
 */
export async function loadPurchaseHistories(warehouse: Warehouse, options: PurchaseHistoriesOptions): Promise<PurchaseHistories> {
  const d = warehouse.dialect;
  const end = parseDay(options.end, '--as-of');
  const table = checkTableName(options.transactionsTable ?? 'transactions', 'transactions table');
  const customersTable = checkTableName(options.customersTable ?? 'customers', 'customers table');
  const endTs = d.timestamp(`${addDays(end, 1)}T00:00:00`);
  const epoch = d.timestamp('1970-01-01T00:00:00');
  const withProspects = options.includeProspects !== false && (await tableExists(warehouse, customersTable));
  const occasionKey = options.grain === 'order' ? orderKeySql(d) : d.dayOf('ts');
  const occasions = `
    SELECT customer_id, ${d.daysBetween(epoch, 'min(ts)')} AS day, ${d.orderFreeSum('amount')} AS spend
    FROM ${table} WHERE NOT is_return AND ts < ${endTs}
    GROUP BY customer_id, ${occasionKey}`;
  const ids = withProspects
    ? `SELECT customer_id, min(signup_day) AS signup_day, max(known) AS known FROM (
         SELECT DISTINCT customer_id, CAST(NULL AS BIGINT) AS signup_day, 0 AS known FROM (${occasions}) o
         UNION ALL
         SELECT customer_id, ${d.daysBetween(epoch, 'signup_ts')} AS signup_day, 1 AS known FROM ${customersTable === 'customers' ? `${currentCustomersSql(d, ['signup_ts'])} cc` : customersTable}
       ) u GROUP BY customer_id`
    : `SELECT DISTINCT customer_id, CAST(NULL AS BIGINT) AS signup_day, 0 AS known FROM (${occasions}) o`;
  const customers = await warehouse.queryColumns(`SELECT customer_id, signup_day, known FROM (${ids}) i ORDER BY customer_id`);
  const rows = await warehouse.queryColumns(`
    WITH occ AS (${occasions}),
    ordinals AS (SELECT customer_id, position - 1 AS ordinal FROM (${d.numberRows(`SELECT customer_id FROM (${ids}) i`, 'customer_id', 'position')}) p)
    SELECT ordinal, day, spend
    FROM occ JOIN ordinals USING (customer_id)
    ORDER BY ordinal, day, spend`);
  const n = customers.rowCount;
  const ordinal = rows.columns.ordinal as Float64Array;
  const start = new Int32Array(n + 1);
  for (let r = 0; r < ordinal.length; r++) start[ordinal[r]! + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  return {
    customerIds: customers.columns.customer_id as readonly string[],
    start,
    day: Int32Array.from(rows.columns.day as Float64Array),
    spend: Float64Array.from(rows.columns.spend as Float64Array),
    signupDay: Float64Array.from(customers.columns.signup_day as Float64Array),
    known: Uint8Array.from(customers.columns.known as Float64Array),
    endDay: dayNumber(end),
  };
}

/** Number of occasions of customer i on or before day t (binary search in its sorted days). */
export function occasionsUpTo(histories: PurchaseHistories, i: number, t: number): number {
  const s = histories.start[i]!;
  let lo = s;
  let hi = histories.start[i + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (histories.day[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - s;
}
