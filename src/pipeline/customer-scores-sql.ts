import { absentMoneyColumnsSql } from '../engine/derived-tables.js';
import type { SqlDialect } from '../engine/sql-dialect.js';
import { nextOrderMaxDaysAfter } from '../models/value/next-order-days.js';

export interface CustomerScoresSqlOptions {
  /** the as-of day, YYYY-MM-DD: next-order dates count from it */
  readonly asOf: string;
  /** spend scores exist (`clv_spend_scores`, `clv_intervals`): CLV columns; else the money columns are NULL */
  readonly spend: boolean;
  /** share of spend kept as margin */
  readonly margin: number;
}

/**
 * A next-order date: the as-of day + ceil(`days`), NULL when `days` is NULL or the date would lie more than a century
 * out or after NEXT_ORDER_LAST_DAY (2105-12-31, where ClickHouse's Date ends): the same date or NULL on every engine.
 *
 * Example: `nextOrderDateSql(duckdbDialect, '2024-06-30', 'next_p50_days')`
 * → `CASE WHEN ceil(next_p50_days) <= 29768 THEN CAST(TIMESTAMP '2024-06-30 00:00:00' + … AS DATE) END`
 */
export function nextOrderDateSql(d: SqlDialect, asOf: string, days: string): string {
  const asOfTs = d.timestamp(`${asOf}T00:00:00`);
  return `CASE WHEN ceil(${days}) <= ${nextOrderMaxDaysAfter(asOf)} THEN ${d.dayOf(d.addDays(asOfTs, `ceil(${days})`))} END`;
}

/**
 * The scoring join of the value step: every customer of `customer_summary`
 * with the scores of its `(frequency, recency, T)` tuple (lookup table
 * `clv_tuple_scores`), its spend per purchase by `(monetary_frequency,
 * monetary_value)` (lookup table `clv_spend_scores`, a NULL monetary value
 * matching a NULL) and its CLV interval (`clv_intervals`, per customer):
 * predicted_clv_12m over 12 months, and predicted_clv_horizon over the run's
 * --horizon-months when that is not 12 (`discounted_purchases_h`, `low_h`,
 * `high_h`: NULL otherwise).
 * Written for every engine: one JOIN per SELECT, USING on unqualified
 * columns (ClickHouse 18.16 joins no more), the NULL-safe match as a key
 * pair (is NULL, value or 0) instead of `IS NOT DISTINCT FROM`.
 *
 * Example: `buildCustomerScoresSql(duckdbDialect, { asOf: '2024-06-30', spend: true, margin: 1 })`
 * → `SELECT customer_id, p_alive, … FROM (SELECT … FROM customer_summary JOIN clv_tuple_scores USING (frequency, recency, T)) … LEFT JOIN clv_intervals USING (customer_id)`
 */
export function buildCustomerScoresSql(d: SqlDialect, options: CustomerScoresSqlOptions): string {
  const scored = `SELECT customer_id, monetary_frequency, monetary_value IS NULL AS m_null, COALESCE(monetary_value, 0) AS m_value,
      p_alive, e30, e90, e365, discounted_purchases, discounted_purchases_h, next_p50_days, next_p90_days
    FROM customer_summary JOIN clv_tuple_scores USING (frequency, recency, T)`;
  const head = `SELECT customer_id,
      p_alive,
      e30 AS expected_purchases_30d,
      e90 AS expected_purchases_90d,
      e365 AS expected_purchases_365d,`;
  const dates = `
      ${nextOrderDateSql(d, options.asOf, 'next_p50_days')} AS next_order_p50,
      ${nextOrderDateSql(d, options.asOf, 'next_p90_days')} AS next_order_p90`;
  if (!options.spend) {
    return `${head}${absentMoneyColumnsSql('customer_scores', d).map((column) => `\n      ${column},`).join('')}${dates}
    FROM (${scored}) scored`;
  }
  const priced = `SELECT customer_id, p_alive, e30, e90, e365, next_p50_days, next_p90_days, discounted_purchases * spend_per_purchase * ${options.margin} AS clv,
      discounted_purchases_h * spend_per_purchase * ${options.margin} AS clv_h
    FROM (${scored}) scored
    JOIN (SELECT monetary_frequency, monetary_value IS NULL AS m_null, COALESCE(monetary_value, 0) AS m_value, spend_per_purchase FROM clv_spend_scores) spend
    USING (monetary_frequency, m_null, m_value)`;
  return `${head}
      clv AS predicted_clv_12m,
      low AS predicted_clv_12m_low,
      high AS predicted_clv_12m_high,
      clv_h AS predicted_clv_horizon,
      low_h AS predicted_clv_horizon_low,
      high_h AS predicted_clv_horizon_high,${dates}
    FROM (${priced}) priced
    LEFT JOIN clv_intervals USING (customer_id)`;
}
