/**
 * Impulsive and deliberate buyers (issue 16 item 5), from what each customer
 * did before each purchase.
 *
 * For every purchase occasion of a customer, the events (after stitching)
 * since their previous purchase and at most 30 days before it give six
 * measures: minutes from the first view to the purchase, views, distinct
 * products viewed (alternatives compared), searches, cart removals (cart
 * edits) and sessions. The rule:
 *
 * 1. each measure m becomes ln(1 + m), standardised over all purchases
 *    (z = (x − mean)/sd);
 * 2. a purchase's deliberation score is the mean of its six z values;
 * 3. a customer's score is the median over their purchases with at least one
 *    view before them (customers with none: type unknown, left empty);
 * 4. the threshold between the two types is learned from the customers'
 *    scores by Otsu's method (`otsuThreshold`: the cut that best separates
 *    two groups); below it `impulsive`, at or above `deliberate`.
 *
 * Writes `clv_buyer_types` (customer_id, buyer_type, deliberation_score,
 * minutes_to_purchase, views_before_purchase, purchases_observed).
 */
import type { Warehouse } from '../engine/warehouse.js';
import { otsuThreshold } from '../math/otsu-threshold.js';
import { EVENT_ROWS_TABLE } from './build-event-sessions.js';

export const BUYER_TYPES_TABLE = 'clv_buyer_types';
export const BUYER_TYPES = ['impulsive', 'deliberate'] as const;
export type BuyerType = (typeof BUYER_TYPES)[number];

/** The measures of the rule, in the order of the doc comment. */
export const BUYER_TYPE_MEASURES = ['minutes_to_purchase', 'views', 'products_viewed', 'searches', 'cart_removes', 'sessions'] as const;

/** Each purchase with at least one view before it and its measures (customer_id, order_ts, the measures): both engines write it. */
export const PURCHASE_MEASURES_TABLE = 'clv_purchase_measures';

/**
 * `clv_purchase_behaviour` (customer_id, minutes_to_purchase, views, score) from `clv_purchase_measures`: each purchase's
 * deliberation score, the mean of its measures' z values (rule steps 1-2). The means and standard deviations are summed
 * here in the purchases' own order (customer, time), not by the engine in the order its rows come (a window average
 * on DuckDB, an average over the shards on ClickHouse): the same purchases give the same scores and threshold to the
 * last bit (test/events/buyer-types-independent-of-row-order.test.ts). A measure without spread adds 0.
 */
export async function writePurchaseScores(warehouse: Warehouse): Promise<void> {
  const d = warehouse.dialect;
  const { columns } = await warehouse.queryColumns(`SELECT ${BUYER_TYPE_MEASURES.map((m) => `ln(1 + ${m}) AS l_${m}`).join(', ')} FROM ${PURCHASE_MEASURES_TABLE} ORDER BY customer_id, order_ts`);
  const z = BUYER_TYPE_MEASURES.map((m) => {
    const values = columns[`l_${m}`] as ArrayLike<number>;
    const n = values.length;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[i]!;
    const mean = sum / n;
    let squares = 0;
    for (let i = 0; i < n; i++) squares += (values[i]! - mean) ** 2;
    const sd = Math.sqrt(squares / n);
    return Number.isFinite(mean) && Number.isFinite(sd) && sd !== 0 ? `(ln(1 + ${m}) - ${d.literal(mean)}) / ${d.literal(sd)}` : '0';
  });
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE clv_purchase_behaviour AS
    SELECT customer_id, minutes_to_purchase, views, (${z.join(' + ')}) / ${BUYER_TYPE_MEASURES.length} AS score FROM ${PURCHASE_MEASURES_TABLE}`);
}

export interface BuyerTypeResult {
  /** the learned threshold on the deliberation score */
  readonly threshold: number;
  readonly customers: { readonly impulsive: number; readonly deliberate: number; readonly unknown: number };
  /** purchases with at least one view before them, used by the rule */
  readonly purchasesObserved: number;
  /** the median of each measure per type (over customers' medians) */
  readonly medians: Readonly<Record<BuyerType, Readonly<Record<'minutes_to_purchase' | 'views', number>>>>;
}

export async function classifyBuyerTypes(warehouse: Warehouse): Promise<BuyerTypeResult> {
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE ${PURCHASE_MEASURES_TABLE} AS
    WITH orders AS (
      SELECT customer_id, ts AS order_ts, lag(ts) OVER (PARTITION BY customer_id ORDER BY ts) AS prev_ts FROM clv_order_times
    )
    SELECT o.customer_id, o.order_ts,
      date_diff('second', min(e.ts) FILTER (WHERE e.type = 'view'), o.order_ts) / 60.0 AS minutes_to_purchase,
      count(*) FILTER (WHERE e.type = 'view') AS views,
      count(DISTINCT e.product_id) FILTER (WHERE e.type = 'view') AS products_viewed,
      count(*) FILTER (WHERE e.type = 'search') AS searches,
      count(*) FILTER (WHERE e.type = 'remove_from_cart') AS cart_removes,
      count(DISTINCT e.session_key) AS sessions
    FROM orders o JOIN ${EVENT_ROWS_TABLE} e ON e.customer_id = o.customer_id AND e.ts <= o.order_ts AND e.ts >= o.order_ts - INTERVAL 30 DAY
      AND (o.prev_ts IS NULL OR e.ts > o.prev_ts)
    GROUP BY o.customer_id, o.order_ts
    HAVING count(*) FILTER (WHERE e.type = 'view') > 0`);
  await writePurchaseScores(warehouse);
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE ${BUYER_TYPES_TABLE} AS
    SELECT customer_id, median(score) AS deliberation_score, median(minutes_to_purchase) AS minutes_to_purchase, median(views) AS views_before_purchase, count(*) AS purchases_observed
    FROM clv_purchase_behaviour GROUP BY customer_id`);
  const scores = (await warehouse.queryColumns(`SELECT deliberation_score FROM ${BUYER_TYPES_TABLE}`)).columns.deliberation_score as ArrayLike<number>;
  const threshold = otsuThreshold(scores);
  const cut = Number.isFinite(threshold) ? threshold : 0;
  await warehouse.execute(`ALTER TABLE ${BUYER_TYPES_TABLE} ADD COLUMN buyer_type VARCHAR`);
  await warehouse.execute(`UPDATE ${BUYER_TYPES_TABLE} SET buyer_type = CASE WHEN deliberation_score < ${cut} THEN 'impulsive' ELSE 'deliberate' END`);
  return summariseBuyerTypes(warehouse, cut);
}

/**
 * The result of a classification written to `clv_buyer_types`: counts, the
 * medians per type and the customers left unknown (buyers without views).
 * Through dialect hooks, so the ClickHouse classification shares it.
 */
export async function summariseBuyerTypes(warehouse: Warehouse, cut: number): Promise<BuyerTypeResult> {
  const d = warehouse.dialect;
  const rows = await warehouse.query(`
    SELECT buyer_type, count(*) AS n, ${d.median('minutes_to_purchase')} AS minutes, ${d.median('views_before_purchase')} AS views, sum(purchases_observed) AS purchases
    FROM ${BUYER_TYPES_TABLE} GROUP BY buyer_type`);
  const [buyers] = await warehouse.query(`SELECT ${d.countDistinct('customer_id')} AS n FROM clv_order_times`);
  const of = (type: BuyerType) => rows.find((r) => r.buyer_type === type);
  const counts = { impulsive: Number(of('impulsive')?.n ?? 0), deliberate: Number(of('deliberate')?.n ?? 0) };
  const median = (type: BuyerType) => ({ minutes_to_purchase: Number(of(type)?.minutes ?? Number.NaN), views: Number(of(type)?.views ?? Number.NaN) });
  return {
    threshold: cut,
    customers: { ...counts, unknown: Number(buyers!.n) - counts.impulsive - counts.deliberate },
    purchasesObserved: rows.reduce((total, r) => total + Number(r.purchases), 0),
    medians: { impulsive: median('impulsive'), deliberate: median('deliberate') },
  };
}
