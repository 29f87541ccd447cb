/**
 * Identity stitching and sessions, in SQL (issue 16 items 2 and 3).
 *
 * Stitching: a visitor id (`anonymous_id`) is linked to the customer it was
 * first seen with — the first event (by time, then customer token) that
 * carries both, such as the login at sign-up. Every event of that visitor,
 * earlier anonymous ones included, then belongs to the customer. Links are
 * made between tokens (`a_…` → `c_…`), so a stitched id is pseudonymised
 * like any customer id. Deterministic: the same events give the same links.
 *
 * Sessions: the file's `session_id` where given; otherwise a person's events
 * (customer, else visitor) are split where the gap between consecutive events
 * exceeds `gapMinutes` (default 30).
 *
 * Writes two scratch tables: `clv_event_rows` (one row per event up to the
 * as-of date, with `customer_id` after stitching, `stitched`, `person`,
 * `session_key`) and `clv_sessions` (one row per session: person, customer,
 * start, end, counts per event type, the times of its last view and last
 * search, and `purchased` — an order by the session's customer from its
 * start to `purchaseWindowMinutes` after its end).
 */
import type { Warehouse } from '../engine/warehouse.js';

export const EVENT_ROWS_TABLE = 'clv_event_rows';
export const SESSIONS_TABLE = 'clv_sessions';

export interface EventSessionOptions {
  /** last day of the analysis window (YYYY-MM-DD): later events are left out */
  readonly asOf: string;
  /** inactivity gap that splits a person's events into sessions where no session id is given (default 30) */
  readonly gapMinutes?: number;
  /** an order up to this long after a session's last event counts as its purchase (default 60) */
  readonly purchaseWindowMinutes?: number;
}

export interface StitchingCounts {
  /** events read (up to the as-of date) */
  readonly events: number;
  /** visitor ids linked to a customer */
  readonly visitorsLinked: number;
  /** visitor ids never linked */
  readonly visitorsAnonymous: number;
  /** sessions whose anonymous events were attributed to a customer by stitching */
  readonly sessionsStitched: number;
  /** customers reached only through stitched events in at least one session */
  readonly customersReached: number;
  readonly sessions: number;
  /** sessions with a customer (after stitching) */
  readonly customerSessions: number;
}

export const DEFAULT_SESSION_GAP_MINUTES = 30;

export async function buildEventSessions(warehouse: Warehouse, options: EventSessionOptions): Promise<StitchingCounts> {
  const d = warehouse.dialect;
  const gap = options.gapMinutes ?? DEFAULT_SESSION_GAP_MINUTES;
  const window = options.purchaseWindowMinutes ?? 60;
  const end = d.timestamp(`${options.asOf}T23:59:59.999`);
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE clv_identity_links AS
    SELECT anonymous_id, first(customer_id ORDER BY ts, customer_id) AS customer_id
    FROM events WHERE anonymous_id IS NOT NULL AND customer_id IS NOT NULL AND ts <= ${end} GROUP BY anonymous_id`);
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE ${EVENT_ROWS_TABLE} AS
    WITH linked AS (
      SELECT COALESCE(e.customer_id, l.customer_id) AS customer_id, (e.customer_id IS NULL AND l.customer_id IS NOT NULL) AS stitched,
        COALESCE(e.customer_id, l.customer_id, e.anonymous_id, 's:' || e.session_id) AS person, e.session_id, e.ts, e.type, e.product_id, e.category
      FROM events e LEFT JOIN clv_identity_links l ON l.anonymous_id = e.anonymous_id
      WHERE e.ts <= ${end}
    ),
    -- only events without a session id are split by the gap (a window sort); the others keep their session
    gaps AS (
      SELECT *, CASE WHEN lag(ts) OVER w IS NULL OR ts - lag(ts) OVER w > INTERVAL ${gap} MINUTE THEN 1 ELSE 0 END AS starts
      FROM linked WHERE session_id IS NULL WINDOW w AS (PARTITION BY person ORDER BY ts)
    )
    SELECT customer_id, stitched, person, ts, type, product_id, category, 's:' || session_id AS session_key FROM linked WHERE session_id IS NOT NULL
    UNION ALL
    SELECT customer_id, stitched, person, ts, type, product_id, category,
      'g:' || person || ':' || CAST(sum(starts) OVER (PARTITION BY person ORDER BY ts ROWS UNBOUNDED PRECEDING) AS VARCHAR) AS session_key
    FROM gaps`);
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE clv_order_times AS
    SELECT DISTINCT customer_id, ts FROM transactions WHERE NOT is_return AND ts <= ${end}`);
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE ${SESSIONS_TABLE} AS
    WITH s AS (
      SELECT session_key, min(person) AS person, max(customer_id) AS customer_id, bool_or(stitched) AS stitched, min(ts) AS start_ts, max(ts) AS end_ts, count(*) AS events,
        count(*) FILTER (WHERE type = 'view') AS views, count(*) FILTER (WHERE type = 'search') AS searches,
        count(*) FILTER (WHERE type = 'add_to_cart') AS cart_adds, count(*) FILTER (WHERE type = 'remove_from_cart') AS cart_removes,
        count(*) FILTER (WHERE type = 'login') AS logins,
        max(ts) FILTER (WHERE type = 'view') AS last_view_ts, max(ts) FILTER (WHERE type = 'search') AS last_search_ts
      FROM ${EVENT_ROWS_TABLE} GROUP BY session_key
    )
    , bought AS (
      SELECT DISTINCT s.session_key FROM s JOIN clv_order_times o ON o.customer_id = s.customer_id AND o.ts >= s.start_ts AND o.ts <= s.end_ts + INTERVAL ${window} MINUTE
    )
    SELECT s.*, b.session_key IS NOT NULL AS purchased FROM s LEFT JOIN bought b ON b.session_key = s.session_key`);
  const [row] = await warehouse.query(`
    SELECT (SELECT count(*) FROM ${EVENT_ROWS_TABLE}) AS events,
      (SELECT count(*) FROM clv_identity_links) AS linked,
      (SELECT count(DISTINCT anonymous_id) FROM events WHERE anonymous_id IS NOT NULL AND ts <= ${end}) AS visitors,
      (SELECT count(*) FROM ${SESSIONS_TABLE} WHERE stitched) AS stitched_sessions,
      (SELECT count(DISTINCT customer_id) FROM ${SESSIONS_TABLE} WHERE stitched) AS reached,
      (SELECT count(*) FROM ${SESSIONS_TABLE}) AS sessions,
      (SELECT count(*) FROM ${SESSIONS_TABLE} WHERE customer_id IS NOT NULL) AS customer_sessions`);
  const n = (key: string) => Number(row![key]);
  return {
    events: n('events'),
    visitorsLinked: n('linked'),
    visitorsAnonymous: n('visitors') - n('linked'),
    sessionsStitched: n('stitched_sessions'),
    customersReached: n('reached'),
    sessions: n('sessions'),
    customerSessions: n('customer_sessions'),
  };
}
