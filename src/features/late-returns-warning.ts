import { addDays, dayOfValue } from '../core/calendar-days.js';
import type { Warehouse } from '../engine/warehouse.js';

/** How the window end is named, what leaving the returns out of it takes away, and the setting that moves it. */
export interface LateReturnsWords {
  /** the window end: `the analysis date` (analyze), `the holdout end` (validate) */
  readonly end: string;
  /** what the returns are left out of: `revenue and every customer's spend` */
  readonly leftOutOf: string;
  /** the setting with a day, as one gives it: `(day) => '--as-of ' + day` */
  readonly setEnd: (day: string) => string;
}

/**
 * Returns dated after a window that ends by default on the last purchase day (analyze's as-of date, validate's holdout
 * end): accepted at ingest, then left out of every figure. A refund booked the day after the last sale is common, and
 * leaving it out without a word overstates revenue. Null when no return line falls after `end`. The default end stays
 * the last purchase day (as `lifetimes`): moving it would age every customer (their T) by the days of trailing refunds.
 * Portable SQL (DuckDB and ClickHouse): no FILTER clause; counted first, as ClickHouse's max() of no rows is 1970-01-01.
 *
 * Example: `await lateReturnsWarning(warehouse, '2023-12-28', { end: 'the analysis date', leftOutOf: 'revenue', setEnd: (day) => `--as-of ${day}` })`
 * → `'20 return lines worth -1,000 are dated after the analysis date 2023-12-28 (the last purchase day), the last on 2023-12-29: they are left out of revenue; pass --as-of 2023-12-29 to include them'`
 */
export async function lateReturnsWarning(warehouse: Warehouse, end: string, words: LateReturnsWords): Promise<string | null> {
  const after = warehouse.dialect.timestamp(`${addDays(end, 1)}T00:00:00`);
  const [row] = await warehouse.query(`SELECT count(*) AS n, count(amount) AS valued, sum(amount) AS value, max(ts) AS last FROM transactions WHERE is_return AND ts >= ${after}`);
  const n = Number(row?.n ?? 0);
  if (n === 0) return null;
  const last = dayOfValue(row!.last)!;
  const worth = Number(row!.valued) > 0 ? ` worth ${Number(row!.value).toLocaleString('en-US', { maximumFractionDigits: 2 })}` : '';
  const lines = n === 1 ? '1 return line' : `${n.toLocaleString('en-US')} return lines`;
  return `${lines}${worth} ${n === 1 ? 'is' : 'are'} dated after ${words.end} ${end} (the last purchase day), the last on ${last}: ${n === 1 ? 'it is' : 'they are'} left out of ${words.leftOutOf}; ${words.setEnd(last)} to include ${n === 1 ? 'it' : 'them'}`;
}
