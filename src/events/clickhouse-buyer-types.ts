/**
 * Impulsive and deliberate buyers on ClickHouse (issues 16 and 18): the rule
 * of `classifyBuyerTypes` (its doc comment), with the same tables, written
 * with what ClickHouse 18.16 has. A customer's purchase times and the one
 * before each come from one sorted `groupArray` per customer (DuckDB: `lag`);
 * the events before each purchase by an equality join on the customer,
 * filtered to the window (18.16 joins on equality only); the scores from
 * the measures as on DuckDB (`writePurchaseScores`); the type is set when
 * the table is written, not by an UPDATE.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { otsuThreshold } from '../math/otsu-threshold.js';
import { EVENT_ROWS_TABLE } from './build-event-sessions.js';
import { BUYER_TYPES_TABLE, PURCHASE_MEASURES_TABLE, type BuyerTypeResult, summariseBuyerTypes, writePurchaseScores } from './classify-buyer-types.js';

const WINDOW_SECONDS = 30 * 86_400;

export async function classifyBuyerTypesOnClickHouse(warehouse: Warehouse): Promise<BuyerTypeResult> {
  const d = warehouse.dialect;
  // each purchase with the one before it (1970 for the first: every event is later); the purchases are the join's right side, held in memory (the events stream past them)
  const orders = `SELECT customer_id, pair.1 AS order_ts, pair.2 AS prev_ts FROM (SELECT customer_id, arraySort(groupArray(ts)) AS times FROM clv_order_times GROUP BY customer_id) per_customer
    ARRAY JOIN arrayMap((t, i) -> (t, if(i = 1, toDateTime(0), times[i - 1])), times, arrayEnumerate(times)) AS pair`;
  const events = `SELECT assumeNotNull(customer_id) AS customer_id, ts, type, product_id, session_key FROM (SELECT customer_id, ts, type, product_id, session_key FROM ${EVENT_ROWS_TABLE} WHERE customer_id IS NOT NULL) stitched`;
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE ${PURCHASE_MEASURES_TABLE} AS
    SELECT customer_id, order_ts, (toInt64(order_ts) - toInt64(minIf(ts, type = 'view'))) / 60.0 AS minutes_to_purchase, countIf(type = 'view') AS views,
      ${d.countDistinct("if(type = 'view', product_id, NULL)")} AS products_viewed, countIf(type = 'search') AS searches, countIf(type = 'remove_from_cart') AS cart_removes,
      ${d.countDistinct('session_key')} AS sessions
    FROM (
      SELECT customer_id, order_ts, prev_ts, ts, type, product_id, session_key FROM (${events}) e ALL INNER JOIN (${orders}) o USING customer_id
      WHERE ts <= order_ts AND ts >= order_ts - ${WINDOW_SECONDS} AND ts > prev_ts
    ) before_purchase
    GROUP BY customer_id, order_ts HAVING countIf(type = 'view') > 0`);
  await writePurchaseScores(warehouse);
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE clv_buyer_scores AS
    SELECT customer_id, ${d.median('score')} AS deliberation_score, ${d.median('minutes_to_purchase')} AS minutes_to_purchase, ${d.median('views')} AS views_before_purchase, count() AS purchases_observed
    FROM clv_purchase_behaviour GROUP BY customer_id`);
  const scores = (await warehouse.queryColumns('SELECT deliberation_score FROM clv_buyer_scores ORDER BY customer_id')).columns.deliberation_score as ArrayLike<number>;
  const threshold = otsuThreshold(scores);
  const cut = Number.isFinite(threshold) ? threshold : 0;
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE ${BUYER_TYPES_TABLE} AS
    SELECT customer_id, deliberation_score, minutes_to_purchase, views_before_purchase, purchases_observed,
      if(deliberation_score < ${d.literal(cut)}, 'impulsive', 'deliberate') AS buyer_type
    FROM clv_buyer_scores`);
  return summariseBuyerTypes(warehouse, cut);
}
