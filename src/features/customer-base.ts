/**
 * The customer base as of a date: one row per customer with a purchase on or
 * before it, in unit-free columns every segment and KPI step reads. It reads
 * a materialised `customer_summary` when given one, or builds the summary
 * inline from `transactions`.
 */
import type { SqlDialect } from '../engine/sql-dialect.js';
import { checkTableName } from './table-name.js';
import { parseDay } from '../core/calendar-days.js';
import { buildCustomerSummarySql, type PurchaseGrain } from './customer-summary.js';

export interface CustomerBaseOptions {
  /** last day of the window (inclusive), YYYY-MM-DD */
  readonly asOf: string;
  /** purchase occasion: distinct day (default) or distinct order; ignored with `summaryTable` */
  readonly grain?: PurchaseGrain;
  /** a materialised customer summary as of `asOf` (e.g. `customer_summary`); default: built inline from `transactions` */
  readonly summaryTable?: string;
  /** source of the inline summary (default `transactions`) */
  readonly transactionsTable?: string;
}

/** The columns of `buildCustomerBaseSql`. */
export const CUSTOMER_BASE_COLUMNS = [
  'customer_id',
  'first_purchase',
  'last_purchase',
  'occasions',
  'valued_occasions',
  'orders',
  'total_spend',
  'returns',
  'historic_clv',
  'days_since_last',
  'tenure_days',
] as const;

/**
 * SQL for the customer base: `customer_id`, `first_purchase`, `last_purchase`
 * (DATE), `occasions` (purchase occasions = summary frequency + 1),
 * `valued_occasions` (those whose spend is known: fewer when a file without
 * order values adds purchases), `orders`,
 * `total_spend` (net of returns), `returns` (≤ 0), `historic_clv` (net spend −
 * cost), `days_since_last` (last purchase → as-of, whole days) and
 * `tenure_days` (first purchase → as-of).
 */
export function buildCustomerBaseSql(d: SqlDialect, options: CustomerBaseOptions): string {
  const asOf = parseDay(options.asOf, '--as-of');
  const source = options.summaryTable
    ? checkTableName(options.summaryTable, 'summary table')
    : `(${buildCustomerSummarySql(d, { asOf, timeUnit: 'day', grain: options.grain ?? 'day', ...(options.transactionsTable ? { table: checkTableName(options.transactionsTable, 'transactions table') } : {}) })})`;
  const asOfTs = d.timestamp(`${asOf}T00:00:00`);
  return `SELECT b.customer_id AS customer_id,
  b.first_purchase AS first_purchase,
  b.last_purchase AS last_purchase,
  b.frequency + 1 AS occasions,
  b.valued_occasions AS valued_occasions,
  b.orders AS orders,
  b.total_spend AS total_spend,
  b.returns AS returns,
  b.historic_clv AS historic_clv,
  CAST(${d.daysBetween('b.last_purchase', asOfTs)} AS DOUBLE) AS days_since_last,
  CAST(${d.daysBetween('b.first_purchase', asOfTs)} AS DOUBLE) AS tenure_days
FROM ${source} b`;
}
