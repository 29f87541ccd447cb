/**
 * A warehouse whose customers return or cancel what they bought (test/features/same-occasion-returns and its two-engine
 * twin read it). The Online Retail demo's second-highest predicted CLV was a customer who bought 168,469.60 and cancelled
 * it the same day: the cancelled day's spend counted as a repeat purchase's spend.
 */
import type { Warehouse } from '../../src/engine/warehouse.js';
import { buildCustomerSummarySql, type PurchaseGrain } from '../../src/features/customer-summary.js';

/** [order id, customer, time, amount (negative: a return line)] */
export const RETURN_LINES: ReadonlyArray<readonly [string | null, string, string, number | null]> = [
  // g: a repeat day cancelled whole the same day (its own cancellation order, as Online Retail's C-invoices)
  ['g1', 'g', '2023-01-02 10:00:00', 10],
  ['g2', 'g', '2023-01-09 10:00:00', 1000],
  ['Cg2', 'g', '2023-01-09 10:30:00', -1000],
  // h: a repeat day with part of it returned the same day
  ['h1', 'h', '2023-01-03 10:00:00', 100],
  ['h2', 'h', '2023-01-10 10:00:00', 200],
  ['Ch2', 'h', '2023-01-10 17:00:00', -50],
  // i: a return on a day without a purchase: no occasion, no occasion's spend changed
  ['i1', 'i', '2023-01-04 10:00:00', 80],
  ['i2', 'i', '2023-01-11 10:00:00', 20],
  ['Ci1', 'i', '2023-01-20 10:00:00', -30],
  // j: the first day cancelled whole; one repeat day
  ['j1', 'j', '2023-01-05 10:00:00', 500],
  ['Cj1', 'j', '2023-01-05 11:00:00', -500],
  ['j2', 'j', '2023-01-12 10:00:00', 40],
  // k: a refund on the order itself (one order id for the sale and its refund, as a shop platform's export)
  ['k1', 'k', '2023-01-06 10:00:00', 70],
  ['k2', 'k', '2023-01-13 10:00:00', 90],
  ['k2', 'k', '2023-01-13 12:00:00', -90],
  // m: a repeat purchase of 0 and no return: a spend of 0, as before (CDNOW has such purchases)
  ['m1', 'm', '2023-01-07 10:00:00', 25],
  ['m2', 'm', '2023-01-14 10:00:00', 0],
  // n: a repeat day whose purchase line has no amount (a file without order values) and a return with one: no spend known
  ['n1', 'n', '2023-01-08 10:00:00', 60],
  [null, 'n', '2023-01-15 10:00:00', null],
  ['Cn2', 'n', '2023-01-15 11:00:00', -20],
  // holdout: g buys 300 and cancels it the same day, then buys 20
  ['g3', 'g', '2023-04-10 10:00:00', 300],
  ['Cg3', 'g', '2023-04-10 12:00:00', -300],
  ['g4', 'g', '2023-04-20 10:00:00', 20],
];

/** The lines into `transactions` of a warehouse (DuckDB SQL). */
export async function insertReturnLines(warehouse: Warehouse): Promise<void> {
  const values = RETURN_LINES.map(
    ([order, customer, ts, amount], i) => `(${order === null ? 'NULL' : `'${order}'`}, '${customer}', TIMESTAMP '${ts}', ${amount ?? 'NULL'}, ${amount !== null && amount < 0}, false, 1, 'orders.csv', ${i + 1}, 'r${i}')`,
  );
  await warehouse.execute(`INSERT INTO transactions (order_id, customer_id, ts, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES ${values.join(', ')}`);
}

/**
 * customer, frequency, monetary_value, monetary_frequency, valued_occasions, total_spend, frequency_holdout,
 * monetary_value_holdout, spend_holdout (what the holdout's occasions spent: g's cancelled day 0) — by day: an occasion's spend is net of the returns on that day, and one whose net is not
 * above 0 has no spend (left out of the spend statistics, as a day without order values); purchases are counted as before
 */
export const NET_SUMMARY_BY_DAY: unknown[][] = [
  ['g', 1, 0, 0, 1, 10, 2, 20, 20],
  ['h', 1, 150, 1, 2, 250, 0, 0, 0],
  ['i', 1, 20, 1, 2, 70, 0, 0, 0],
  ['j', 1, 40, 1, 1, 40, 0, 0, 0],
  ['k', 1, 0, 0, 1, 70, 0, 0, 0],
  ['m', 1, 0, 1, 2, 25, 0, 0, 0],
  ['n', 1, 0, 0, 1, 40, 0, 0, 0],
];

/**
 * By order: a return nets the order whose id it carries (k's refund); a cancellation with an id of its own (g's, h's,
 * j's) is no order of the customer's and nets none
 */
export const NET_SUMMARY_BY_ORDER: unknown[][] = [
  ['g', 1, 1000, 1, 2, 10, 2, 160, 320],
  ['h', 1, 200, 1, 2, 250, 0, 0, 0],
  ['i', 1, 20, 1, 2, 70, 0, 0, 0],
  ['j', 1, 40, 1, 2, 40, 0, 0, 0],
  ['k', 1, 0, 0, 1, 70, 0, 0, 0],
  ['m', 1, 0, 1, 2, 25, 0, 0, 0],
  ['n', 1, 0, 0, 1, 40, 0, 0, 0],
];

/** The summary's rows as `NET_SUMMARY_BY_DAY` lists them. */
export async function netSummaryRows(warehouse: Warehouse, grain: PurchaseGrain, timeUnit: 'week' | 'hour' = 'week'): Promise<unknown[][]> {
  const summary = buildCustomerSummarySql(warehouse.dialect, { asOf: '2023-03-31', holdoutEnd: '2023-06-30', timeUnit, grain });
  const rows = await warehouse.query(
    `SELECT customer_id, frequency, monetary_value, monetary_frequency, valued_occasions, total_spend, frequency_holdout, monetary_value_holdout, spend_holdout FROM (${summary}) s ORDER BY customer_id`,
  );
  const money = (v: unknown) => (v === null ? null : Math.round(Number(v) * 1e6) / 1e6);
  return rows.map((r) => [r.customer_id, Number(r.frequency), money(r.monetary_value), Number(r.monetary_frequency), Number(r.valued_occasions), money(r.total_spend), Number(r.frequency_holdout), money(r.monetary_value_holdout), money(r.spend_holdout)]);
}
