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
 * Speed (item 7): the events are read once, by one GROUP BY session_id — a
 * session's type counts packed into one sum, its identity as the smallest and
 * largest visitor and customer id — and everything else (links, stitching,
 * the purchase flag, funnels) works on the one-row-per-session result. A
 * session whose events carry more than one visitor id, more than one customer
 * id, events without a visitor id beside ones with one, or more events than
 * the packed counts hold (rare: `mixed`) is re-read exactly, per (visitor,
 * customer) part, from its own events only. The result equals the
 * event-level definition (test/events/event-sessions.test.ts compares them).
 *
 * Writes scratch tables: `clv_session_heads` (one row per given session),
 * `clv_exact_parts` (the parts read exactly), the view `clv_session_parts`
 * (all parts), `clv_identity_links` (visitor id, customer, the link's kind and
 * `linked_ts`: the time of that first event), the orders (place-orders.ts:
 * `clv_orders_read`, `clv_day_placed`, `clv_order_times`), `clv_sessions` (one
 * row per session: person, customer after stitching, `stitched`, `linked_ts` —
 * when the last of the visitor ids stitching it was linked, NULL when not
 * stitched: from then on the session was known as the customer's —, start, end,
 * events, views, searches, cart adds, `lost_search` — its last search had no
 * view after it — and `purchased`: an order by the session's customer from
 * its start to `purchaseWindowMinutes` after its end, or a dated order — one
 * without a time of day — of the day it started on, when it is the customer's
 * last session of that day with a view or a cart add), and the view
 * `clv_event_rows` (one row per event with its customer after stitching and
 * its session key; read by the buyer types only).
 *
 * DuckDB SQL (window functions, FILTER, packed sums); on ClickHouse the same
 * tables come from `buildEventSessionsOnClickHouse` (clickhouse-event-sessions.ts).
 */
import type { Warehouse } from '../engine/warehouse.js';
import { LAST_VIEW_OR_SEARCH, LINK_KEY, partAggregates } from './session-part-sql.js';
import { buildGapSessionParts, GAP_EVENTS_TABLE, GAP_SESSIONS_TABLE, gapSessionKeySql } from './split-sessions-by-gap.js';
import { DAY_PLACED_TABLE, ORDERS_READ_TABLE, placeDatedOrders, writeOrdersRead } from './place-orders.js';

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
  /** sessions none of whose events carries a customer or visitor id: each counts as one person and can show no purchase */
  readonly sessionsWithoutIds: number;
  /** events after the as-of date, left out */
  readonly eventsAfterAsOf: number;
}

export const DEFAULT_SESSION_GAP_MINUTES = 30;

/**
 * Per-row type flags packed into one BIGINT so that one `sum` counts them all:
 * 12 bits each for views, searches, cart adds, events with a visitor id and
 * events with a customer id. Exact for sessions of fewer than 4,096 events;
 * longer sessions take the exact path.
 */
const PACK_BITS = 12;
export const PACKED_SESSION_LIMIT = 2 ** PACK_BITS;
const PACKED_FIELDS = ['views', 'searches', 'cart_adds', 'visitor_events', 'customer_events'] as const;
const unit = (field: (typeof PACKED_FIELDS)[number]) => 2 ** (PACKED_FIELDS.indexOf(field) * PACK_BITS);
// one CASE on the type and two on the ids per event (cheaper than five comparisons and shifts); the sum cast back to BIGINT once per session
const packedSum = `CAST(sum(CASE type WHEN 'view' THEN ${unit('views')} WHEN 'search' THEN ${unit('searches')} WHEN 'add_to_cart' THEN ${unit('cart_adds')} ELSE 0 END
  + CASE WHEN anonymous_id IS NOT NULL THEN ${unit('visitor_events')} ELSE 0 END + CASE WHEN customer_id IS NOT NULL THEN ${unit('customer_events')} ELSE 0 END) AS BIGINT)`;
/** The columns of a part of a session (after its `session_key`). */
const PART_COLUMNS = 'anonymous_id, customer_id, events, visitor_events, customer_events, start_ts, end_ts, views, searches, cart_adds, last_view_or_search, link_key';
const unpack = (column: string) => PACKED_FIELDS.map((f, i) => `CAST((${column} >> ${i * PACK_BITS}) & ${PACKED_SESSION_LIMIT - 1} AS BIGINT) AS ${f}`).join(', ');

export async function buildEventSessions(warehouse: Warehouse, options: EventSessionOptions): Promise<StitchingCounts> {
  const d = warehouse.dialect;
  const gap = options.gapMinutes ?? DEFAULT_SESSION_GAP_MINUTES;
  const window = options.purchaseWindowMinutes ?? 60;
  const end = d.timestamp(`${options.asOf}T23:59:59.999`);
  // 1. the one pass over the events with a session id
  const isMixed = `(anonymous_id IS DISTINCT FROM anonymous_id_max OR customer_id IS DISTINCT FROM customer_id_max OR events >= ${PACKED_SESSION_LIMIT}
    OR (visitor_events > 0 AND visitor_events < events))`;
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE clv_session_heads AS
    WITH a AS (
      SELECT session_id, count(*) AS events, min(ts) AS start_ts, max(ts) AS end_ts, ${packedSum} AS packed, ${LAST_VIEW_OR_SEARCH} AS last_view_or_search,
        min(anonymous_id) AS anonymous_id, max(anonymous_id) AS anonymous_id_max, min(customer_id) AS customer_id, max(customer_id) AS customer_id_max, ${LINK_KEY} AS link_key
      FROM events WHERE session_id IS NOT NULL AND ts <= ${end} GROUP BY session_id
    ),
    b AS (SELECT *, ${unpack('packed')} FROM a)
    SELECT session_id, 's:' || session_id AS session_key, ${PART_COLUMNS}, ${isMixed} AS mixed FROM b`);
  // 2. the parts read exactly: per (visitor, customer) of a mixed session, from its own events; and the gap-split sessions (mixed ones as parts)
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE clv_exact_parts AS
    SELECT 's:' || e.session_id AS session_key, e.anonymous_id, e.customer_id, ${partAggregates('e')}
    FROM events e SEMI JOIN (SELECT session_id FROM clv_session_heads WHERE mixed) m ON m.session_id = e.session_id WHERE e.ts <= ${end}
    GROUP BY e.session_id, e.anonymous_id, e.customer_id`);
  await buildGapSessionParts(warehouse, { end, gapMinutes: gap, into: 'clv_exact_parts' });
  // the sessions that are their one part: those with an id and those of the gap split
  await warehouse.execute(`
    CREATE OR REPLACE TEMP VIEW clv_simple_sessions AS
    SELECT session_key, ${PART_COLUMNS} FROM clv_session_heads WHERE NOT mixed UNION ALL SELECT session_key, ${PART_COLUMNS} FROM ${GAP_SESSIONS_TABLE} WHERE NOT mixed`);
  await warehouse.execute(`
    CREATE OR REPLACE TEMP VIEW ${SESSION_PARTS_TABLE} AS
    SELECT session_key, ${PART_COLUMNS} FROM clv_simple_sessions UNION ALL SELECT session_key, ${PART_COLUMNS} FROM clv_exact_parts`);
  // 3. links: per visitor id, the customer of its first event carrying both ids (and that event's kind, for the counts)
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE ${IDENTITY_LINKS_TABLE} AS
    SELECT anonymous_id, first(customer_id ORDER BY link_key, customer_id) AS customer_id, CAST(min(link_key) % 4 AS INTEGER) AS linked_by,
      make_timestamp(min(link_key) // 4) AS linked_ts
    FROM ${SESSION_PARTS_TABLE} WHERE link_key IS NOT NULL AND anonymous_id IS NOT NULL AND customer_id IS NOT NULL GROUP BY anonymous_id`);
  await writeOrdersRead(warehouse, end);
  // 4. sessions: an event's customer is its own, else its visitor's link; the person is that customer, else the visitor id, else the session.
  //    A simple session is its one part (no GROUP BY); the parts read exactly are summed per session.
  const own = 'CASE WHEN p.customer_events > 0 THEN p.customer_id END';
  const person = `least(${own}, CASE WHEN p.customer_events < p.events THEN COALESCE(l.customer_id, p.anonymous_id, p.session_key) END)`;
  const customer = `greatest(${own}, CASE WHEN p.customer_events < p.events THEN l.customer_id END)`;
  const stitched = 'p.customer_events < p.events AND l.customer_id IS NOT NULL';
  const linkedTs = `CASE WHEN ${stitched} THEN l.linked_ts END`;
  const links = `LEFT JOIN ${IDENTITY_LINKS_TABLE} l ON l.anonymous_id = p.anonymous_id`;
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE ${SESSIONS_TABLE} AS
    WITH s AS (
      SELECT p.session_key, ${person} AS person, ${customer} AS customer_id, ${stitched} AS stitched, ${linkedTs} AS linked_ts,
        p.start_ts, p.end_ts, p.events, p.views, p.searches, p.cart_adds, p.last_view_or_search
      FROM clv_simple_sessions p ${links}
      UNION ALL
      SELECT p.session_key, min(${person}), max(${customer}), bool_or(${stitched}), max(${linkedTs}),
        min(p.start_ts), max(p.end_ts), sum(p.events), sum(p.views), sum(p.searches), sum(p.cart_adds), max(p.last_view_or_search)
      FROM clv_exact_parts p ${links} GROUP BY p.session_key
    )
    SELECT s.* EXCLUDE (last_view_or_search), COALESCE(s.last_view_or_search % 2 = 0, FALSE) AS lost_search, FALSE AS purchased FROM s`);
  // the purchase flag by row id (a join back on the text session key cost as much as building the sessions): a timed order
  // from the session's start to the window after its end, a dated one in its day's session (place-orders.ts)
  await placeDatedOrders(warehouse, SESSIONS_TABLE);
  await warehouse.execute(`
    UPDATE ${SESSIONS_TABLE} SET purchased = TRUE WHERE rowid IN (
      SELECT s.rowid FROM ${SESSIONS_TABLE} s JOIN (SELECT customer_id, ts FROM ${ORDERS_READ_TABLE} WHERE NOT by_day) o
        ON o.customer_id = s.customer_id AND o.ts >= s.start_ts AND o.ts <= s.end_ts + INTERVAL ${window} MINUTE
      UNION ALL SELECT s.rowid FROM ${SESSIONS_TABLE} s SEMI JOIN ${DAY_PLACED_TABLE} p ON p.session_key = s.session_key)`);
  await warehouse.execute(`
    CREATE OR REPLACE TEMP VIEW ${EVENT_ROWS_TABLE} AS
    SELECT COALESCE(e.customer_id, l.customer_id) AS customer_id, e.ts, e.type, e.product_id, e.category, 's:' || e.session_id AS session_key
    FROM events e LEFT JOIN ${IDENTITY_LINKS_TABLE} l ON l.anonymous_id = e.anonymous_id WHERE e.session_id IS NOT NULL AND e.ts <= ${end}
    UNION ALL
    SELECT COALESCE(g.customer_id, l.customer_id), g.ts, g.type, e.product_id, e.category, ${gapSessionKeySql('g')}
    FROM ${GAP_EVENTS_TABLE} g JOIN events e ON e.rowid = g.event_row LEFT JOIN ${IDENTITY_LINKS_TABLE} l ON l.anonymous_id = g.anonymous_id`);
  return countStitching(warehouse, end);
}

async function countStitching(warehouse: Warehouse, end: string): Promise<StitchingCounts> {
  // one scan of each table (the sessions, the links, the parts for the visitor ids) instead of one per count
  const [row] = await warehouse.query(`
    SELECT s.*, l.*, v.*, a.* FROM
      (SELECT sum(events) AS events, count(*) FILTER (WHERE stitched) AS stitched_sessions, count(DISTINCT customer_id) FILTER (WHERE stitched) AS reached,
        count(*) AS sessions, count(customer_id) AS customer_sessions, count(*) FILTER (WHERE person = session_key) AS without_ids FROM ${SESSIONS_TABLE}) s,
      (SELECT count(*) AS linked, count(*) FILTER (WHERE linked_by = 0) AS by_login, count(*) FILTER (WHERE linked_by = 1) AS by_purchase FROM ${IDENTITY_LINKS_TABLE}) l,
      (SELECT count(DISTINCT anonymous_id) AS visitors FROM ${SESSION_PARTS_TABLE}) v,
      (SELECT count(*) AS after_as_of FROM events WHERE ts > ${end}) a`);
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
    sessionsWithoutIds: n('without_ids'),
    eventsAfterAsOf: n('after_as_of'),
  };
}
