/**
 * Per-customer behaviour features in SQL, as of a date, for clustering and
 * profiling. One row per customer with a purchase on or before the as-of
 * date (the same base as `customer_summary`).
 *
 * | column | meaning |
 * | --- | --- |
 * | recency_days | last purchase → as-of, whole days |
 * | frequency | purchase occasions (distinct days, or orders with grain `order`) |
 * | monetary | net spend: purchases + returns (returns negative) |
 * | tenure_days | first purchase → as-of, whole days |
 * | mean_gap_days | (last − first purchase) / (occasions − 1); NULL for one-time buyers |
 * | basket_size | units bought per order (quantity; 1 per line when the data have none) |
 * | product_diversity | distinct products bought (0 without product ids) |
 * | return_rate | value returned / value bought, clamped to [0, 1] |
 * | country, region | the customer's most frequent value over their lines (ties: the alphabetically first); NULL when absent |
 *
 * Orders are distinct order ids; lines without one count as one order per
 * timestamp.
 */
import { orderKeySql, type SqlDialect } from '../engine/sql-dialect.js';
import { addDays, parseDay } from '../core/calendar-days.js';
import { type PurchaseGrain } from './customer-summary.js';
import { checkTableName } from './table-name.js';

export interface BehaviourFeaturesOptions {
  readonly asOf: string;
  readonly grain?: PurchaseGrain;
  /** source table (default `transactions`) */
  readonly table?: string;
}

/** The numeric feature columns, in order. */
export const BEHAVIOUR_FEATURES = ['recency_days', 'frequency', 'monetary', 'tenure_days', 'mean_gap_days', 'basket_size', 'product_diversity', 'return_rate'] as const;
export type BehaviourFeature = (typeof BEHAVIOUR_FEATURES)[number];

/** Units of the features, for labels. */
export const BEHAVIOUR_FEATURE_LABELS: Readonly<Record<BehaviourFeature, string>> = {
  recency_days: 'days since last purchase',
  frequency: 'purchase occasions',
  monetary: 'net spend',
  tenure_days: 'days since first purchase',
  mean_gap_days: 'mean days between purchases',
  basket_size: 'units per order',
  product_diversity: 'distinct products',
  return_rate: 'share of value returned',
};

/** The categorical columns one-hot encoding may use. */
export const BEHAVIOUR_CATEGORIES = ['country', 'region'] as const;
export type BehaviourCategory = (typeof BEHAVIOUR_CATEGORIES)[number];

function modeSql(d: SqlDialect, column: string): string {
  const counted = `SELECT customer_id, ${column}, count(*) AS n FROM lines WHERE ${column} IS NOT NULL GROUP BY customer_id, ${column}`;
  return `${column}_mode AS (
  SELECT customer_id, ${column} FROM (${d.firstPerGroup(counted, 'customer_id', `n DESC, ${column}`)}) ranked
)`;
}

export function buildBehaviourFeaturesSql(d: SqlDialect, options: BehaviourFeaturesOptions): string {
  const asOf = parseDay(options.asOf, '--as-of');
  const table = checkTableName(options.table ?? 'transactions', 'transactions table');
  const end = d.timestamp(`${addDays(asOf, 1)}T00:00:00`);
  const asOfTs = d.timestamp(`${asOf}T00:00:00`);
  const period = options.grain === 'order' ? orderKeySql(d) : d.dayOf('ts');
  return `
WITH lines AS (
  SELECT customer_id, order_id, ts, product_id, quantity, amount, is_return, country, region FROM ${table} WHERE ts < ${end}
),
occasions AS (
  SELECT customer_id, ${period} AS period, min(ts) AS occasion_ts FROM lines WHERE NOT is_return GROUP BY customer_id, ${period}
),
per_occasion AS (
  SELECT customer_id, count(*) AS occasions, min(occasion_ts) AS first_ts, max(occasion_ts) AS last_ts FROM occasions GROUP BY customer_id
),
bought AS (
  SELECT customer_id, count(DISTINCT ${orderKeySql(d)}) AS orders, ${d.orderFreeSum('amount')} AS gross,
    ${d.orderFreeSum('COALESCE(quantity, 1)')} AS units, ${d.countDistinct('product_id')} AS products
  FROM lines WHERE NOT is_return GROUP BY customer_id
),
returned AS (
  SELECT customer_id, ${d.orderFreeSum('amount')} AS returns FROM lines WHERE is_return GROUP BY customer_id
),
${modeSql(d, 'country')},
${modeSql(d, 'region')},
-- one JOIN per SELECT, on customer_id (USING): the form every engine reads (ClickHouse 18.16 takes one JOIN per SELECT)
per_customer AS (
  SELECT customer_id, occasions, first_ts, last_ts, orders, gross, units, products FROM per_occasion JOIN bought USING (customer_id)
),
with_returns AS (
  SELECT customer_id, occasions, first_ts, last_ts, orders, gross, units, products, returns FROM per_customer LEFT JOIN returned USING (customer_id)
),
with_country AS (
  SELECT customer_id, occasions, first_ts, last_ts, orders, gross, units, products, returns, country FROM with_returns LEFT JOIN country_mode USING (customer_id)
),
features AS (
  SELECT customer_id, occasions, first_ts, last_ts, orders, gross, units, products, returns, country, region FROM with_country LEFT JOIN region_mode USING (customer_id)
)
SELECT customer_id,
  CAST(${d.daysBetween('last_ts', asOfTs)} AS DOUBLE) AS recency_days,
  CAST(occasions AS DOUBLE) AS frequency,
  gross + COALESCE(returns, 0) AS monetary,
  CAST(${d.daysBetween('first_ts', asOfTs)} AS DOUBLE) AS tenure_days,
  CASE WHEN occasions > 1 THEN ${d.daysBetween('first_ts', 'last_ts')} / (occasions - 1.0) ELSE NULL END AS mean_gap_days,
  CAST(units AS DOUBLE) / orders AS basket_size,
  CAST(products AS DOUBLE) AS product_diversity,
  CASE WHEN gross > 0 THEN least(1.0, greatest(0.0, -COALESCE(returns, 0) / gross)) ELSE 0.0 END AS return_rate,
  country,
  region
FROM features`;
}
