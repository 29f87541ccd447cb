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
import type { SqlDialect } from '../engine/sql-dialect.js';
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

function modeSql(column: string): string {
  return `${column}_mode AS (
  SELECT customer_id, ${column} FROM (
    SELECT customer_id, ${column}, row_number() OVER (PARTITION BY customer_id ORDER BY n DESC, ${column}) AS rn
    FROM (SELECT customer_id, ${column}, count(*) AS n FROM lines WHERE ${column} IS NOT NULL GROUP BY customer_id, ${column}) c
  ) ranked WHERE rn = 1
)`;
}

export function buildBehaviourFeaturesSql(d: SqlDialect, options: BehaviourFeaturesOptions): string {
  const asOf = parseDay(options.asOf, '--as-of');
  const table = checkTableName(options.table ?? 'transactions', 'transactions table');
  const end = d.timestamp(`${addDays(asOf, 1)}T00:00:00`);
  const asOfTs = d.timestamp(`${asOf}T00:00:00`);
  const period = options.grain === 'order' ? `COALESCE(order_id, CAST(ts AS VARCHAR))` : d.dayOf('ts');
  return `
WITH lines AS (
  SELECT customer_id, order_id, ts, product_id, quantity, amount, is_return, country, region FROM ${table} WHERE ts < ${end}
),
occasions AS (
  SELECT customer_id, ${period} AS period, min(ts) AS ts FROM lines WHERE NOT is_return GROUP BY customer_id, ${period}
),
per_occasion AS (
  SELECT customer_id, count(*) AS occasions, min(ts) AS first_ts, max(ts) AS last_ts FROM occasions GROUP BY customer_id
),
bought AS (
  SELECT customer_id, count(DISTINCT COALESCE(order_id, CAST(ts AS VARCHAR))) AS orders, sum(amount) AS gross,
    sum(COALESCE(quantity, 1)) AS units, count(DISTINCT product_id) AS products
  FROM lines WHERE NOT is_return GROUP BY customer_id
),
returned AS (
  SELECT customer_id, sum(amount) AS returns FROM lines WHERE is_return GROUP BY customer_id
),
${modeSql('country')},
${modeSql('region')}
SELECT o.customer_id AS customer_id,
  CAST(${d.daysBetween('o.last_ts', asOfTs)} AS DOUBLE) AS recency_days,
  CAST(o.occasions AS DOUBLE) AS frequency,
  b.gross + COALESCE(r.returns, 0) AS monetary,
  CAST(${d.daysBetween('o.first_ts', asOfTs)} AS DOUBLE) AS tenure_days,
  CASE WHEN o.occasions > 1 THEN ${d.daysBetween('o.first_ts', 'o.last_ts')} / (o.occasions - 1.0) ELSE NULL END AS mean_gap_days,
  CAST(b.units AS DOUBLE) / b.orders AS basket_size,
  CAST(b.products AS DOUBLE) AS product_diversity,
  CASE WHEN b.gross > 0 THEN least(1.0, greatest(0.0, -COALESCE(r.returns, 0) / b.gross)) ELSE 0.0 END AS return_rate,
  cm.country AS country,
  rm.region AS region
FROM per_occasion o
JOIN bought b ON b.customer_id = o.customer_id
LEFT JOIN returned r ON r.customer_id = o.customer_id
LEFT JOIN country_mode cm ON cm.customer_id = o.customer_id
LEFT JOIN region_mode rm ON rm.customer_id = o.customer_id`;
}
