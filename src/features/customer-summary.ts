import { addDays, parseDay } from '../core/calendar-days.js';
import { UserError } from '../core/errors/user-error.js';
import type { TimeUnit } from '../core/time-unit.js';
import type { SqlDialect } from '../engine/sql-dialect.js';
import { summaryClock, type PurchaseGrain, type SummaryPeriod } from './summary-clock.js';

export type { PurchaseGrain, SummaryPeriod } from './summary-clock.js';

export interface CustomerSummaryOptions {
  /** last day of the observation window (inclusive), YYYY-MM-DD */
  asOf: string;
  timeUnit: TimeUnit;
  grain?: PurchaseGrain;
  /** how purchases are counted and times measured (default `fractional`; see `SummaryPeriod`) */
  period?: SummaryPeriod;
  /** with a holdout: purchases in (asOf, holdoutEnd] are summarised in the *_holdout columns */
  holdoutEnd?: string;
  /** source table (default `transactions`) */
  table?: string;
  /**
   * SQL of the occasion step computed by the caller (one row per customer with a purchase by the as-of day: `customer_id`,
   * `first_ts`, `last_ts`, `occasions`, `gross`, `valued_spend`, `first_spend`, `valued_occasions`, `orders`, `money_returns`,
   * `money_cost`,
   * as the portable step computes them) — for a query that groups the occasions anyway and reads only the summary's BTYD
   * columns.
   */
  occasionStep?: string;
  /** further columns of `occasionStep` passed through to the summary's rows unchanged (a query that reads them beside the summary's, without joining the occasion step again) */
  carry?: readonly string[];
}

/**
 * An occasion's spend net of the returns in it, as SQL: NULL (no spend known) when none of its purchase lines has an
 * amount (`bought` NULL) or when returns in the occasion take back all it bought (`net` not above 0 and below `bought`:
 * an order cancelled the same day). `net` is the sum of all its lines' amounts, returns negative; an occasion without
 * returns spends what it bought, 0 included (CDNOW's purchases of $0).
 */
export function netOccasionSpend(bought: string, net: string): string {
  return `CASE WHEN ${bought} IS NULL OR (${net} <= 0 AND ${net} <> ${bought}) THEN NULL ELSE ${net} END`;
}

/**
 * The two order-free sums of an occasion grouped from its lines (purchases and returns): `bought`, its purchase lines'
 * amounts, and `spend`, its net spend (`netOccasionSpend`), as SQL aggregates.
 */
export function occasionSpendSums(d: SqlDialect): { readonly bought: string; readonly spend: string } {
  const bought = d.orderFreeSum('CASE WHEN is_return THEN NULL ELSE amount END');
  return { bought, spend: netOccasionSpend(bought, d.orderFreeSum('amount')) };
}

/** HAVING of a grouping by occasion of purchase and return lines: the occasion has a purchase line (a day of returns alone is no occasion) */
export const PURCHASE_LINES = 'sum(CASE WHEN is_return THEN 0 ELSE 1 END) > 0';

/**
 * The occasion step as every engine reads it (see `SqlDialect.perCustomerOccasions`): occasions first, then customers,
 * then the money of every line. An occasion is a day (hour, week, month, order) with a purchase line; its spend is its
 * lines' known amounts net of the returns in the same occasion (`netOccasionSpend`), NULL when none of its purchase lines
 * has one (a file without order values beside files with them) or when its returns take back all it bought; `gross`
 * adds the purchase lines alone (total spend adds every return to it), `valued_spend` the occasions' spends,
 * `valued_occasions` counts the occasions with a spend, and `first_spend` is the first occasion's, NULL when it has none
 * (not the first spend known: the repeat occasions' mean leaves out the first occasion, whatever it holds). A return on
 * a day without purchases is no occasion and nets no occasion. Where occasions do not rise with time (`ordered` false: orders, two of which may share
 * a second) the first occasion is the earliest to the second with the least key, so that ties do not depend on the
 * order the engine meets the rows in, nor on the engine (ClickHouse's DateTime keeps no milliseconds, DuckDB's does).
 */
function portableOccasions(d: SqlDialect, table: string, period: string, end: string, ordered: boolean): string {
  // By time, an occasion's distinct orders are counted as the groups of its lines by order (count(order_id): an order id
  // of NULL is no order, as in count(DISTINCT order_id)): a distinct count per occasion was most of this grouping's
  // cost (1M customers: 8.6 → 7.7 CPU s for the summary). The same bits: min of mins, and the exact DECIMAL(38, 9) sum
  // of exact sums. By order (an occasion is an order) there is nothing to count twice.
  const bought = 'sum(CASE WHEN is_return THEN NULL ELSE order_spend END)';
  const lineSums = occasionSpendSums(d);
  const periods = ordered
    ? `SELECT customer_id, period, min(CASE WHEN is_return THEN NULL ELSE order_ts END) AS period_ts, CAST(${bought} AS DOUBLE) AS bought,
    CAST(${netOccasionSpend(bought, 'sum(order_spend)')} AS DOUBLE) AS spend, count(CASE WHEN is_return THEN NULL ELSE order_id END) AS period_orders
  FROM (
    SELECT customer_id, ${period} AS period, order_id, is_return, min(ts) AS order_ts, sum(CAST(amount AS DECIMAL(38, 9))) AS order_spend
    FROM ${table} WHERE ts < ${end}
    GROUP BY customer_id, ${period}, order_id, is_return
  ) per_order
  GROUP BY customer_id, period
  HAVING ${PURCHASE_LINES}`
    : `SELECT customer_id, ${period} AS period, min(CASE WHEN is_return THEN NULL ELSE ts END) AS period_ts, ${lineSums.bought} AS bought,
    ${lineSums.spend} AS spend, count(DISTINCT CASE WHEN is_return THEN NULL ELSE order_id END) AS period_orders
  FROM ${table} WHERE ts < ${end}
  GROUP BY customer_id, ${period}
  HAVING ${PURCHASE_LINES}`;
  return `WITH periods AS (
  ${periods}
),
per_customer AS (
  SELECT customer_id, min(period_ts) AS first_ts, max(period_ts) AS last_ts, count(*) AS occasions,
    ${d.orderFreeSum('bought')} AS gross, ${d.orderFreeSum('spend')} AS valued_spend, ${d.argMinKeepingNull('spend', ordered ? 'period_ts' : `(${d.secondOf('period_ts')}, period)`)} AS first_spend,
    count(spend) AS valued_occasions, sum(period_orders) AS orders
  FROM periods GROUP BY customer_id
),
money AS (
  SELECT customer_id, ${d.orderFreeSum('CASE WHEN is_return THEN amount ELSE 0 END')} AS returns_sum, ${d.orderFreeSum('CASE WHEN is_return THEN -abs(cost) ELSE cost END')} AS cost_sum
  FROM ${table} WHERE ts < ${end} GROUP BY customer_id
)
SELECT pc.customer_id AS customer_id, pc.first_ts AS first_ts, pc.last_ts AS last_ts, pc.occasions AS occasions, pc.gross AS gross, pc.valued_spend AS valued_spend,
  pc.first_spend AS first_spend, pc.valued_occasions AS valued_occasions, pc.orders AS orders, m.returns_sum AS money_returns, m.cost_sum AS money_cost
FROM per_customer pc LEFT JOIN money m ON m.customer_id = pc.customer_id`;
}

/**
 * The per-customer summary in SQL, as of a date, in an explicit time unit:
 * first and last purchase, orders, frequency x (purchase occasions − 1),
 * recency t_x (first → last purchase), age T (first purchase → as-of),
 * monetary_value (mean spend of the repeat occasions whose spend is known,
 * each net of the returns in it — `netOccasionSpend` — 0 without such), monetary_frequency (how many those are: Gamma-Gamma's x,
 * equal to frequency when every purchase has an order value),
 * valued_occasions (occasions whose spend is known, the first included),
 * total net spend, returns, historic CLV (net spend − cost where known);
 * the money columns are NULL for a frequency-only log (no order values).
 * An occasion whose lines all lack an amount (a file of ids and dates only
 * beside files with order values) counts as a purchase but has no spend: it
 * is left out of the spend statistics, not counted as spending 0.
 * Money is summed with `orderFreeSum`, so the same rows give the same bits
 * whatever order a parallel engine adds them in (the Gamma-Gamma fit and
 * CLV depend on them).
 * Times are whole calendar days divided by the unit's days (weeks: days / 7),
 * which is the `lifetimes` convention; with the `hour` unit, occasions are
 * clock hours and times whole hours to the last hour of the as-of day (as
 * `lifetimes` with `freq="h"` and the window ending at `<as-of> 23:00`);
 * with `period: 'calendar-week' | 'calendar-month'`, occasions are calendar
 * weeks (Monday–Sunday) or months and times whole periods (`lifetimes` with
 * `freq="W"` / `"M"`). Holdout purchases are those after the as-of day up to
 * the holdout end; `frequency_holdout` counts their occasions,
 * `monetary_value_holdout` is the mean spend of those with a spend, and
 * `spend_holdout` what they spent (an occasion cancelled whole 0, one without
 * order values at that mean), and
 * `duration_holdout` is the holdout's length on the same clock. Returns are
 * not purchases; they net the spend of their occasion and the total spend.
 * Customers with no purchase in the window have no row.
 *
 * Example: `buildCustomerSummarySql(duckdbDialect, { asOf: '1997-09-30', timeUnit: 'week' })`
 */
export function buildCustomerSummarySql(d: SqlDialect, options: CustomerSummaryOptions): string {
  const asOf = parseDay(options.asOf, '--as-of');
  const table = options.table ?? 'transactions';
  const clock = summaryClock(d, options.timeUnit, options.period, options.grain);
  const end = d.timestamp(`${addDays(asOf, 1)}T00:00:00`);
  const asOfTs = clock.windowEnd(asOf);
  const period = clock.occasion('ts');
  // the repeat occasions whose spend is known: those with a spend, less the first occasion when it has one
  const repeatsValued = '(p.valued_occasions - CASE WHEN p.first_spend IS NULL THEN 0 ELSE 1 END)';
  const holdout = options.holdoutEnd !== undefined;
  const holdoutEnd = holdout ? parseDay(options.holdoutEnd!, '--holdout-end') : '';
  if (holdout && holdoutEnd <= asOf) throw new UserError(`--holdout-end ${holdoutEnd} is not after the calibration end ${asOf}`, 'the holdout window starts the day after the calibration end');
  const holdoutEndTs = holdout ? d.timestamp(`${addDays(holdoutEnd, 1)}T00:00:00`) : '';
  // the holdout's purchase lines alone, and their actual spend: each occasion's net, an occasion cancelled whole 0, one
  // without order values at the mean of those with a spend (its spend is not known; frequency × mean before such days)
  const holdoutSums = occasionSpendSums(d);
  const holdoutCte = holdout
    ? `,
holdout_periods AS (
  SELECT customer_id, ${period} AS period, ${holdoutSums.bought} AS bought, ${holdoutSums.spend} AS spend
  FROM ${table} WHERE ts >= ${end} AND ts < ${holdoutEndTs}
  GROUP BY customer_id, ${period}
  HAVING ${PURCHASE_LINES}
),
holdout AS (
  SELECT customer_id, count(*) AS frequency_holdout, ${d.orderFreeSum('spend')} / count(spend) AS monetary_value_holdout,
    COALESCE(${d.orderFreeSum('spend')}, 0) + (count(*) - count(bought)) * COALESCE(${d.orderFreeSum('spend')} / count(spend), 0) AS spend_holdout
  FROM holdout_periods GROUP BY customer_id
)`
    : '';
  const holdoutColumns = holdout
    ? `,
  CAST(COALESCE(h.frequency_holdout, 0) AS DOUBLE) AS frequency_holdout,
  CASE WHEN p.gross IS NULL THEN NULL ELSE COALESCE(h.monetary_value_holdout, 0) END AS monetary_value_holdout,
  CASE WHEN p.gross IS NULL THEN NULL ELSE COALESCE(h.spend_holdout, 0) END AS spend_holdout,
  ${clock.span(asOfTs, clock.windowEnd(holdoutEnd))} AS duration_holdout`
    : '';
  return `
WITH with_money AS (
  ${options.occasionStep ?? d.perCustomerOccasions?.({ table, occasion: period, end, withinDay: options.grain !== 'order' && (options.period ?? 'fractional') === 'fractional', ordered: options.grain !== 'order' }) ?? portableOccasions(d, table, period, end, options.grain !== 'order')}
)${holdoutCte}
SELECT
  p.customer_id AS customer_id,
  ${d.dayOf('p.first_ts')} AS first_purchase,
  ${d.dayOf('p.last_ts')} AS last_purchase,
  CAST(greatest(p.orders, p.occasions) AS DOUBLE) AS orders,
  CAST(p.occasions - 1 AS DOUBLE) AS frequency,
  ${clock.span('p.first_ts', 'p.last_ts')} AS recency,
  ${clock.span('p.first_ts', asOfTs)} AS T,
  CASE WHEN p.gross IS NULL THEN NULL WHEN ${repeatsValued} > 0 THEN (p.valued_spend - COALESCE(p.first_spend, 0)) / ${repeatsValued} ELSE 0 END AS monetary_value,
  CAST(${repeatsValued} AS DOUBLE) AS monetary_frequency,
  CAST(p.valued_occasions AS DOUBLE) AS valued_occasions,
  p.gross + COALESCE(p.money_returns, 0) AS total_spend,
  CASE WHEN p.gross IS NULL THEN NULL ELSE COALESCE(p.money_returns, 0) END AS returns,
  p.gross + COALESCE(p.money_returns, 0) - COALESCE(p.money_cost, 0) AS historic_clv${holdoutColumns}${(options.carry ?? []).map((x) => `,\n  p.${x} AS ${x}`).join('')}
FROM with_money p${holdout ? '\nLEFT JOIN holdout h ON h.customer_id = p.customer_id' : ''}`;
}

/**
 * The compressed form the BTYD models fit on: unique (frequency, recency, T)
 * with the number of customers sharing each; it grows far slower than the
 * customer base.
 */
export function buildCompressedSummarySql(summarySql: string): string {
  return `SELECT frequency, recency, T, count(*) AS weight FROM (${summarySql}) s GROUP BY frequency, recency, T ORDER BY frequency, recency, T`;
}
