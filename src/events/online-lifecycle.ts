/**
 * The online lifecycle beside the purchase lifecycle (issue 16 item 4): a
 * customer's browse stage from their last session (after stitching) —
 * `browsing_active` (within 30 days of the as-of date), `lapsing` (31–90
 * days), `gone` (longer ago) — and `customer_behaviour`, one row per customer
 * with sessions or a buyer type: sessions, views, searches, cart adds, first
 * and last event, browse stage, buyer type and its measures.
 *
 * The cross-table counts customers per browse stage × purchase stage ("still
 * browses but stopped buying": browsing_active × at_risk/dormant/churned).
 * Validation, as for the purchase stages: with a holdout, buyers are given
 * their browse stage as of its start (customers without a session there:
 * `none`) and each stage's repurchase rate in the holdout is measured.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { tableExists } from '../features/table-exists.js';
import { SESSIONS_TABLE } from './build-event-sessions.js';
import { BUYER_TYPES_TABLE } from './classify-buyer-types.js';

export const BROWSE_STAGES = ['browsing_active', 'lapsing', 'gone'] as const;

export interface CrossTableCell {
  readonly browseStage: string;
  readonly purchaseStage: string;
  readonly customers: number;
}

export interface BrowseValidationRow {
  readonly browseStage: string;
  readonly customers: number;
  readonly repurchased: number;
  readonly rate: number;
}

export interface OnlineLifecycle {
  readonly browseStages: Readonly<Record<string, number>>;
  readonly crossTable: readonly CrossTableCell[];
  /** null without a holdout (no value models) */
  readonly validation: { readonly from: string; readonly to: string; readonly rows: readonly BrowseValidationRow[] } | null;
}

function browseStageSql(lastTs: string, asOf: string): string {
  const days = `date_diff('day', CAST(${lastTs} AS DATE), DATE '${asOf}')`;
  return `CASE WHEN ${lastTs} IS NULL THEN NULL WHEN ${days} <= 30 THEN 'browsing_active' WHEN ${days} <= 90 THEN 'lapsing' ELSE 'gone' END`;
}

export async function buildOnlineLifecycle(warehouse: Warehouse, options: { readonly asOf: string; readonly validationFrom: string | null }): Promise<OnlineLifecycle> {
  const { asOf } = options;
  await warehouse.execute(`
    CREATE OR REPLACE TABLE customer_behaviour AS
    WITH s AS (
      SELECT customer_id, count(*) AS sessions, sum(views) AS views, sum(searches) AS searches, sum(cart_adds) AS cart_adds, min(start_ts) AS first_ts, max(end_ts) AS last_ts
      FROM ${SESSIONS_TABLE} WHERE customer_id IS NOT NULL GROUP BY customer_id
    )
    SELECT COALESCE(s.customer_id, b.customer_id) AS customer_id,
      CAST(COALESCE(s.sessions, 0) AS BIGINT) AS sessions, CAST(COALESCE(s.views, 0) AS BIGINT) AS views, CAST(COALESCE(s.searches, 0) AS BIGINT) AS searches,
      CAST(COALESCE(s.cart_adds, 0) AS BIGINT) AS cart_adds, CAST(s.first_ts AS DATE) AS first_event, CAST(s.last_ts AS DATE) AS last_event,
      ${browseStageSql('s.last_ts', asOf)} AS browse_stage,
      b.buyer_type, CAST(b.deliberation_score AS DOUBLE) AS deliberation_score, CAST(b.minutes_to_purchase AS DOUBLE) AS minutes_to_purchase
    FROM s FULL JOIN ${BUYER_TYPES_TABLE} b ON b.customer_id = s.customer_id
    ORDER BY 1`);
  const counts = await warehouse.query(`SELECT browse_stage, count(*) AS n FROM customer_behaviour WHERE browse_stage IS NOT NULL GROUP BY 1`);
  const browseStages = Object.fromEntries(BROWSE_STAGES.map((stage) => [stage, Number(counts.find((r) => r.browse_stage === stage)?.n ?? 0)]));
  const crossTable = (await tableExists(warehouse, 'customer_stages'))
    ? (await warehouse.query(`
        SELECT COALESCE(b.browse_stage, 'none') AS browse, g.stage, count(*) AS n
        FROM customer_stages g LEFT JOIN customer_behaviour b ON b.customer_id = g.customer_id GROUP BY 1, 2 ORDER BY 1, 2`)).map((r) => ({ browseStage: String(r.browse), purchaseStage: String(r.stage), customers: Number(r.n) }))
    : [];
  let validation: OnlineLifecycle['validation'] = null;
  if (options.validationFrom) {
    const from = options.validationFrom;
    const rows = await warehouse.query(`
      WITH buyers AS (SELECT customer_id FROM transactions WHERE NOT is_return AND ts < DATE '${from}' GROUP BY customer_id),
      last_seen AS (SELECT customer_id, max(end_ts) AS last_ts FROM ${SESSIONS_TABLE} WHERE customer_id IS NOT NULL AND end_ts < DATE '${from}' GROUP BY customer_id),
      again AS (SELECT DISTINCT customer_id FROM transactions WHERE NOT is_return AND ts >= DATE '${from}' AND ts < DATE '${asOf}' + INTERVAL 1 DAY)
      SELECT COALESCE(${browseStageSql('l.last_ts', from)}, 'none') AS browse, count(*) AS n, count(a.customer_id) AS again
      FROM buyers b LEFT JOIN last_seen l ON l.customer_id = b.customer_id LEFT JOIN again a ON a.customer_id = b.customer_id
      GROUP BY 1 ORDER BY 1`);
    validation = {
      from,
      to: asOf,
      rows: rows.map((r) => ({ browseStage: String(r.browse), customers: Number(r.n), repurchased: Number(r.again), rate: Number(r.n) > 0 ? Number(r.again) / Number(r.n) : Number.NaN })),
    };
  }
  return { browseStages, crossTable, validation };
}
