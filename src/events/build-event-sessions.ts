/**
 * Identity stitching and sessions, in SQL (issue 16 items 2, 3 and 7).
 *
 * Stitching: a visitor id (`anonymous_id`) is linked to the customer it was
 * first seen with — the first event (by time; a login before a purchase
 * before another event at the same time; then customer token) that carries
 * both: a login, or a purchase/order event recorded with both ids. Every
 * event of that visitor, earlier anonymous ones included, then belongs to the
 * customer. Links are made between tokens (`a_…` → `c_…`), so a stitched id
 * is pseudonymised like any customer id. Deterministic: the same events give
 * the same links.
 *
 * Sessions: the file's `session_id` where given; otherwise a visitor's events
 * (its visitor id, else its customer id) are split where the gap between
 * consecutive events exceeds `gapMinutes` (default 30): one window pass,
 * `lag(ts) OVER (PARTITION BY visitor ORDER BY ts)`, over those events only
 * (`buildGapSessionParts`).
 *
 * Speed (item 7): the events are read once, by one GROUP BY (session id,
 * visitor id, customer id) — a *part* of a session per pair of ids, almost
 * always one per session — with one CASE on the type per event and integer
 * aggregates (`session-part-sql.ts`). Everything else (links, stitching, the
 * purchase flag, funnels) works on the parts and sessions, about one row per
 * 6.5 events. Only parts longer than the packed counts hold (2^21 events) are
 * re-read, from their own events. The result equals the event-level
 * definition (test/events/event-sessions.test.ts compares them).
 *
 * Writes scratch tables: `clv_session_parts` (one row per part: session key,
 * visitor id, customer id, events, start, end, views, cart adds, searches,
 * the last view or search and the link key), `clv_identity_links`,
 * `clv_order_times`, `clv_sessions` (one row per session: person, customer
 * after stitching, `stitched`, start, end, events, views, searches, cart
 * adds, `lost_search` — its last search had no view after it — and
 * `purchased`: an order by the session's customer from its start to
 * `purchaseWindowMinutes` after its end), and the view `clv_event_rows` (one
 * row per event with its customer after stitching and its session key; read
 * by the buyer types only).
 *
 * DuckDB SQL (window functions, FILTER, bit shifts); the ClickHouse engine
 * does not run the events stage.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { EXACT_PART_COLUMNS, PACK_BITS, partAggregates, partInputSql, unpackPart } from './session-part-sql.js';
import { buildGapSessionParts, GAP_EVENTS_TABLE, gapSessionKeySql } from './split-sessions-by-gap.js';

export const EVENT_ROWS_TABLE = 'clv_event_rows';
export const SESSIONS_TABLE = 'clv_sessions';
export const SESSION_PARTS_TABLE = 'clv_session_parts';
export const IDENTITY_LINKS_TABLE = 'clv_identity_links';

export interface EventSessionOptions {
  /** last day of the analysis window (YYYY-MM-DD): later events are left out */
  readonly asOf: string;
  /** inactivity gap that splits a visitor's events into sessions where no session id is given (default 30) */
  readonly gapMinutes?: number;
  /** an order up to this long after a session's last event counts as its purchase (default 60) */
  readonly purchaseWindowMinutes?: number;
  /** bits per packed type count (default 21); tests shrink it to exercise the exact re-read of long parts */
  readonly packBits?: number;
}

export interface StitchingCounts {
  /** events read (up to the as-of date) */
  readonly events: number;
  /** visitor ids linked to a customer */
  readonly visitorsLinked: number;
  /** visitor ids linked by a login event (the first event carrying both ids is a login) */
  readonly visitorsLinkedByLogin: number;
  /** visitor ids linked by a purchase or order event carrying both ids */
  readonly visitorsLinkedByPurchase: number;
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
  const bits = options.packBits ?? PACK_BITS;
  const end = d.timestamp(`${options.asOf}T23:59:59.999`);
  const given = `FROM events WHERE session_id IS NOT NULL AND ts <= ${end}`;
  // 1. the one pass over the events with a session id: one row per (session, visitor id, customer id)
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE ${SESSION_PARTS_TABLE} AS
    WITH a AS (
      SELECT session_id, anonymous_id, customer_id, ${partAggregates(bits)}
      FROM (SELECT ${partInputSql('session_id, anonymous_id, customer_id')} ${given}) e GROUP BY session_id, anonymous_id, customer_id
    )
    SELECT 's:' || session_id AS session_key, ${unpackPart(bits)} FROM a`);
  // 2. the rare parts longer than the packed counts hold, counted again exactly from their own events; then the gap-split sessions
  const [long] = await warehouse.query(`SELECT count(*) AS n FROM ${SESSION_PARTS_TABLE} WHERE events >= ${2 ** bits}`);
  if (Number(long!.n) > 0) {
    await warehouse.execute(`
      CREATE OR REPLACE TEMP TABLE clv_long_parts AS
      SELECT 's:' || session_id AS session_key, anonymous_id, customer_id, ${EXACT_PART_COLUMNS}
      FROM (SELECT ${partInputSql('e.session_id, e.anonymous_id, e.customer_id, e.ts')} FROM events e
        SEMI JOIN (SELECT session_key FROM ${SESSION_PARTS_TABLE} WHERE events >= ${2 ** bits}) l ON l.session_key = 's:' || e.session_id
        WHERE e.ts <= ${end}) e
      GROUP BY session_id, anonymous_id, customer_id`);
    await warehouse.execute(`DELETE FROM ${SESSION_PARTS_TABLE} WHERE session_key IN (SELECT session_key FROM clv_long_parts)`);
    await warehouse.execute(`INSERT INTO ${SESSION_PARTS_TABLE} BY NAME SELECT * FROM clv_long_parts`);
    await warehouse.execute('DROP TABLE clv_long_parts');
  }
  await buildGapSessionParts(warehouse, { end, gapMinutes: gap, into: SESSION_PARTS_TABLE, packBits: bits });
  // 3. links: per visitor id, the customer of its first event carrying both ids (and that event's kind, for the counts)
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE ${IDENTITY_LINKS_TABLE} AS
    SELECT anonymous_id, arg_min(customer_id, (link_key, customer_id)) AS customer_id, CAST(min(link_key) & 3 AS INTEGER) AS linked_by
    FROM ${SESSION_PARTS_TABLE} WHERE link_key IS NOT NULL GROUP BY anonymous_id`);
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE clv_order_times AS
    SELECT DISTINCT customer_id, ts FROM transactions WHERE NOT is_return AND ts <= ${end}`);
  // 4. sessions: a part's customer is its own, else its visitor's link; its person that customer, else the visitor id, else the session.
  //    The purchase flag: an order by the session's customer from its start to the purchase window after its end.
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE ${SESSIONS_TABLE} AS
    WITH p AS (
      SELECT p.*, COALESCE(p.customer_id, l.customer_id) AS customer, p.customer_id IS NULL AND l.customer_id IS NOT NULL AS is_stitched,
        COALESCE(p.customer_id, l.customer_id, p.anonymous_id, p.session_key) AS person
      FROM ${SESSION_PARTS_TABLE} p LEFT JOIN ${IDENTITY_LINKS_TABLE} l ON l.anonymous_id = p.anonymous_id
    ),
    s AS (
      SELECT session_key, min(person) AS person, max(customer) AS customer_id, bool_or(is_stitched) AS stitched, min(start_ts) AS start_ts, max(end_ts) AS end_ts,
        sum(events) AS events, sum(views) AS views, sum(searches) AS searches, sum(cart_adds) AS cart_adds, max(last_view_or_search) AS last_view_or_search
      FROM p GROUP BY session_key
    ),
    bought AS (
      SELECT DISTINCT s.session_key FROM s JOIN clv_order_times o ON o.customer_id = s.customer_id AND o.ts >= s.start_ts AND o.ts <= s.end_ts + INTERVAL ${window} MINUTE
    )
    SELECT s.session_key, s.person, s.customer_id, s.stitched, s.start_ts, s.end_ts, s.events, s.views, s.searches, s.cart_adds,
      COALESCE(s.last_view_or_search % 2 = 0, FALSE) AS lost_search, b.session_key IS NOT NULL AS purchased
    FROM s LEFT JOIN bought b ON b.session_key = s.session_key`);
  await warehouse.execute(`
    CREATE OR REPLACE TEMP VIEW ${EVENT_ROWS_TABLE} AS
    SELECT COALESCE(e.customer_id, l.customer_id) AS customer_id, e.ts, e.type, e.product_id, e.category, 's:' || e.session_id AS session_key
    FROM events e LEFT JOIN ${IDENTITY_LINKS_TABLE} l ON l.anonymous_id = e.anonymous_id WHERE e.session_id IS NOT NULL AND e.ts <= ${end}
    UNION ALL
    SELECT COALESCE(g.customer_id, l.customer_id), g.ts, g.type, g.product_id, g.category, ${gapSessionKeySql('g')}
    FROM ${GAP_EVENTS_TABLE} g LEFT JOIN ${IDENTITY_LINKS_TABLE} l ON l.anonymous_id = g.anonymous_id`);
  return countStitching(warehouse);
}

async function countStitching(warehouse: Warehouse): Promise<StitchingCounts> {
  const [row] = await warehouse.query(`
    SELECT (SELECT sum(events) FROM ${SESSIONS_TABLE}) AS events,
      (SELECT count(*) FROM ${IDENTITY_LINKS_TABLE}) AS linked,
      (SELECT count(*) FILTER (WHERE linked_by = 0) FROM ${IDENTITY_LINKS_TABLE}) AS by_login,
      (SELECT count(*) FILTER (WHERE linked_by = 1) FROM ${IDENTITY_LINKS_TABLE}) AS by_purchase,
      (SELECT count(DISTINCT anonymous_id) FROM ${SESSION_PARTS_TABLE}) AS visitors,
      (SELECT count(*) FILTER (WHERE stitched) FROM ${SESSIONS_TABLE}) AS stitched_sessions,
      (SELECT count(DISTINCT customer_id) FILTER (WHERE stitched) FROM ${SESSIONS_TABLE}) AS reached,
      (SELECT count(*) FROM ${SESSIONS_TABLE}) AS sessions,
      (SELECT count(customer_id) FROM ${SESSIONS_TABLE}) AS customer_sessions`);
  const n = (key: string) => Number(row![key] ?? 0);
  return {
    events: n('events'),
    visitorsLinked: n('linked'),
    visitorsLinkedByLogin: n('by_login'),
    visitorsLinkedByPurchase: n('by_purchase'),
    visitorsAnonymous: n('visitors') - n('linked'),
    sessionsStitched: n('stitched_sessions'),
    customersReached: n('reached'),
    sessions: n('sessions'),
    customerSessions: n('customer_sessions'),
  };
}
