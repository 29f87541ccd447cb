/**
 * A warehouse mixing files with order values and a file of customer ids and dates only (test/features and the
 * two-engine test of the summary read it).
 */
import type { Warehouse } from '../../src/engine/warehouse.js';
import { buildCustomerSummarySql, type PurchaseGrain } from '../../src/features/customer-summary.js';

/** [order id, customer, time, amount (null: a line of the file without order values)] */
export const MIXED_LINES: ReadonlyArray<readonly [string | null, string, string, number | null]> = [
  // a: the trial's customer — repeat days of 313.06 and one without an amount
  ['a1', 'a', '2023-01-02 10:00:00', 100],
  [null, 'a', '2023-01-09 10:00:00', null],
  ['a3', 'a', '2023-01-16 10:00:00', 313.06],
  // b: the first day without an amount, two repeat days with one
  [null, 'b', '2023-01-03 09:00:00', null],
  ['b2', 'b', '2023-01-10 09:00:00', 50],
  ['b3', 'b', '2023-01-17 09:00:00', 70],
  // c: the only repeat day has no amount
  ['c1', 'c', '2023-01-04 12:00:00', 40],
  [null, 'c', '2023-01-11 12:00:00', null],
  // d: no amount at all
  [null, 'd', '2023-01-05 08:00:00', null],
  [null, 'd', '2023-01-12 08:00:00', null],
  // e: a repeat day of two lines, one of each file
  ['e1', 'e', '2023-01-06 11:00:00', 30],
  ['e2', 'e', '2023-01-13 11:00:00', 20],
  [null, 'e', '2023-01-13 15:00:00', null],
  // f: every line with an amount
  ['f1', 'f', '2023-01-07 10:00:00', 10],
  ['f2', 'f', '2023-01-14 10:00:00', 12],
  ['f3', 'f', '2023-01-21 10:00:00', 16],
];

/** The lines into `transactions` of a warehouse (DuckDB SQL). */
export async function insertMixedLines(warehouse: Warehouse): Promise<void> {
  const values = MIXED_LINES.map(
    ([order, customer, ts, amount], i) => `(${order === null ? 'NULL' : `'${order}'`}, '${customer}', TIMESTAMP '${ts}', ${amount ?? 'NULL'}, false, false, 1, ${amount === null ? "'visits.csv'" : "'orders.csv'"}, ${i + 1}, 'h${i}')`,
  );
  await warehouse.execute(`INSERT INTO transactions (order_id, customer_id, ts, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES ${values.join(', ')}`);
}

/** customer, frequency, monetary_value, monetary_frequency, valued_occasions, total_spend — the same by day and by order here */
export const MIXED_SUMMARY: unknown[][] = [
  ['a', 2, 313.06, 1, 2, 413.06],
  ['b', 2, 60, 2, 2, 120],
  ['c', 1, 0, 0, 1, 40],
  ['d', 1, null, 0, 0, null],
  ['e', 1, 20, 1, 2, 50],
  ['f', 2, 14, 2, 3, 38],
];

/** The summary's rows as `MIXED_SUMMARY` lists them (those columns read alone: test/engine/clickhouse/order-grain-summary-in-part). */
export async function mixedSummaryRows(warehouse: Warehouse, grain: PurchaseGrain): Promise<unknown[][]> {
  const rows = await warehouse.query(`SELECT customer_id, frequency, monetary_value, monetary_frequency, valued_occasions, total_spend FROM (${buildCustomerSummarySql(warehouse.dialect, { asOf: '2023-03-31', timeUnit: 'week', grain })}) s ORDER BY customer_id`);
  const money = (v: unknown) => (v === null ? null : Math.round(Number(v) * 1e6) / 1e6);
  return rows.map((r) => [r.customer_id, Number(r.frequency), money(r.monetary_value), Number(r.monetary_frequency), Number(r.valued_occasions), money(r.total_spend)]);
}
