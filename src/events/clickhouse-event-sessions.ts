/**
 * Identity stitching and sessions on ClickHouse (issues 16 and 18): the same
 * tables and counts as `buildEventSessions`, from the event-level definition
 * that test/events/event-sessions.test.ts checks the DuckDB one-pass SQL
 * against, written with what ClickHouse 18.16 has (no window functions, one
 * JOIN per SELECT, joins on non-Nullable keys, equality joins only):
 *
 * - links: per visitor id, `argMin` of the customer over the events carrying
 *   both ids, by (time·4 + kind, customer) — the first such event, a login
 *   before a purchase before another event at the same second;
 * - sessions without a session id: a visitor's events as one sorted
 *   `groupArray`, the gaps by `arrayDifference`, a session starting where
 *   the gap exceeds the inactivity gap, numbered by `arrayCumSum`, and
 *   `ARRAY JOIN`ed back to one row per event (`g:<visitor>:<number>`);
 * - every event (up to the as-of date) with its session key and its
 *   customer after stitching in `clv_event_rows` (a table here, not a view);
 * - sessions: one GROUP BY session key over those rows — the person is the
 *   smallest of (own customer, linked customer, visitor id, session key) over
 *   its events, the customer the largest (own, else linked), `linked_ts` the
 *   latest link time of the visitor ids of its stitched events, `lost_search`
 *   from the largest time·2 + [view] of its views and searches;
 * - the purchase flag: sessions × their customer's order times (an
 *   equality join on the customer), kept where an order falls from the
 *   session's start to `purchaseWindowMinutes` after its end; a dated order
 *   (no time of day) flags the session place-orders.ts gives it.
 *
 * Timestamps are whole seconds on ClickHouse (the cluster's DateTime), so
 * the gaps and ties are those of the seconds the events were ingested with.
 * The data leave the shards: the events table has no customer for every row
 * (anonymous visitors), so it is spread at random and the rows meet on the
 * entry node.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { DEFAULT_SESSION_GAP_MINUTES, EVENT_ROWS_TABLE, IDENTITY_LINKS_TABLE, SESSIONS_TABLE, type EventSessionOptions, type StitchingCounts } from './build-event-sessions.js';
import { DAY_PLACED_TABLE, ORDERS_READ_TABLE, placeDatedOrders, writeOrdersRead } from './place-orders.js';

export async function buildEventSessionsOnClickHouse(warehouse: Warehouse, options: EventSessionOptions): Promise<StitchingCounts> {
  const d = warehouse.dialect;
  const gapSeconds = (options.gapMinutes ?? DEFAULT_SESSION_GAP_MINUTES) * 60;
  const windowMinutes = options.purchaseWindowMinutes ?? 60;
  const end = d.timestamp(`${options.asOf}T23:59:59`);
  const kind = "multiIf(type = 'login', 0, type = 'purchase', 1, 2)";
  // 1. links: the customer of each visitor id's first event carrying both ids, and that event's kind and time
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE ${IDENTITY_LINKS_TABLE} AS
    SELECT visitor AS anonymous_id, linked_customer AS customer_id, toInt32(link_key % 4) AS linked_by, linked_ts FROM (
      SELECT assumeNotNull(anonymous_id) AS visitor, argMin(assumeNotNull(customer_id), (toUInt64(ts) * 4 + ${kind}, assumeNotNull(customer_id))) AS linked_customer,
        min(toUInt64(ts) * 4 + ${kind}) AS link_key, min(ts) AS linked_ts
      FROM events WHERE anonymous_id IS NOT NULL AND customer_id IS NOT NULL AND ts <= ${end} GROUP BY visitor) l`);
  // 2. every event with its session key (the given session id, else its visitor's gap-split session), its own customer,
  //    and its visitor's link (customer and time): written in two statements, the events with a session id, then the gap-split ones
  const withLink = (source: string) => `
    SELECT ifNull(own_customer_id, link_customer) AS customer_id, ts, type, product_id, category, session_key, anonymous_id, own_customer_id, link_customer, link_ts
    FROM (${source}) k ANY LEFT JOIN (SELECT anonymous_id AS link_anonymous, customer_id AS link_customer, linked_ts AS link_ts FROM ${IDENTITY_LINKS_TABLE}) l USING link_anonymous`;
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${EVENT_ROWS_TABLE} AS ${withLink(`
    SELECT concat('s:', assumeNotNull(session_id)) AS session_key, anonymous_id, customer_id AS own_customer_id, ts, type, product_id, category, assumeNotNull(anonymous_id) AS link_anonymous
    FROM events WHERE session_id IS NOT NULL AND ts <= ${end}`)}`);
  const sorted = 'arraySort(x -> x.1, groupArray((ts, anonymous_id, customer_id, type, product_id, category)))';
  const starts = `arrayMap((gap, i) -> if(i = 1 OR gap > ${gapSeconds}, 1, 0), arrayDifference(arrayMap(x -> toInt64(x.1), sorted)), arrayEnumerate(sorted))`;
  await warehouse.execute(`INSERT INTO ${EVENT_ROWS_TABLE} ${withLink(`
    SELECT concat('g:', visitor, ':', toString(event.7)) AS session_key, event.2 AS anonymous_id, event.3 AS own_customer_id, event.1 AS ts, event.4 AS type,
      event.5 AS product_id, event.6 AS category, assumeNotNull(event.2) AS link_anonymous
    FROM (
      SELECT visitor, ${sorted} AS sorted FROM (
        SELECT assumeNotNull(ifNull(anonymous_id, customer_id)) AS visitor, ts, anonymous_id, customer_id, type, product_id, category
        FROM events WHERE session_id IS NULL AND ts <= ${end} AND (anonymous_id IS NOT NULL OR customer_id IS NOT NULL)) e
      GROUP BY visitor
    ) v ARRAY JOIN arrayMap((x, n) -> (x.1, x.2, x.3, x.4, x.5, x.6, n), sorted, arrayCumSum(${starts})) AS event`)}`);
  // 3. sessions, then their purchase flag; a stitched session's linked_ts: the latest link time of its stitched events' visitor ids
  const stitchedEvent = 'own_customer_id IS NULL AND link_customer IS NOT NULL';
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE clv_session_rows AS
    SELECT session_key, min(ifNull(own_customer_id, ifNull(link_customer, ifNull(anonymous_id, session_key)))) AS person, max(customer_id) AS customer_id,
      max(${stitchedEvent}) AS stitched, if(stitched, toNullable(maxIf(assumeNotNull(link_ts), ${stitchedEvent})), NULL) AS linked_ts, min(ts) AS start_ts, max(ts) AS end_ts, count() AS events,
      countIf(type = 'view') AS views, countIf(type = 'search') AS searches, countIf(type = 'add_to_cart') AS cart_adds,
      countIf(type IN ('view', 'search')) > 0 AND maxIf(toUInt64(ts) * 2 + (type = 'view'), type IN ('view', 'search')) % 2 = 0 AS lost_search
    FROM ${EVENT_ROWS_TABLE} GROUP BY session_key`);
  // the orders (a dated one placed in its day's session: place-orders.ts), then the purchase flag: a timed order from
  // the session's start to the window after its end, a dated one in its placed session
  await writeOrdersRead(warehouse, end);
  await placeDatedOrders(warehouse, 'clv_session_rows');
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE ${SESSIONS_TABLE} AS
    SELECT session_key, person, customer_id, stitched, linked_ts, start_ts, end_ts, events, views, searches, cart_adds, lost_search, ifNull(bought, 0) AS purchased
    FROM clv_session_rows ANY LEFT JOIN (
      SELECT session_key, toUInt8(1) AS bought FROM (
        SELECT session_key FROM (
          SELECT session_key, start_ts, end_ts, order_ts FROM (SELECT session_key, start_ts, end_ts, assumeNotNull(customer_id) AS order_customer FROM clv_session_rows WHERE customer_id IS NOT NULL) s
          ALL INNER JOIN (SELECT customer_id AS order_customer, ts AS order_ts FROM ${ORDERS_READ_TABLE} WHERE NOT by_day) o USING order_customer
        ) WHERE order_ts >= start_ts AND order_ts <= end_ts + ${windowMinutes * 60}
        UNION ALL SELECT session_key FROM ${DAY_PLACED_TABLE}
      ) GROUP BY session_key
    ) p USING session_key`);
  return countStitchingOnClickHouse(warehouse, end);
}

async function countStitchingOnClickHouse(warehouse: Warehouse, end: string): Promise<StitchingCounts> {
  const d = warehouse.dialect;
  const [sessions] = await warehouse.query(`SELECT sum(events) AS events, countIf(stitched) AS stitched_sessions, ${d.countDistinct('if(stitched, customer_id, NULL)')} AS reached,
    count() AS sessions, count(customer_id) AS customer_sessions, countIf(person = session_key) AS without_ids, (SELECT count() FROM events WHERE ts > ${end}) AS after_as_of
    FROM ${SESSIONS_TABLE}`);
  const [links] = await warehouse.query(`SELECT count() AS linked, countIf(linked_by = 0) AS by_login, countIf(linked_by = 1) AS by_purchase FROM ${IDENTITY_LINKS_TABLE}`);
  const [visitors] = await warehouse.query(`SELECT ${d.countDistinct('anonymous_id')} AS visitors FROM ${EVENT_ROWS_TABLE}`);
  const n = (row: Record<string, unknown> | undefined, key: string) => Number(row?.[key] ?? 0);
  return {
    events: n(sessions, 'events'),
    visitorsLinked: n(links, 'linked'),
    visitorsLinkedByLogin: n(links, 'by_login'),
    visitorsLinkedByPurchase: n(links, 'by_purchase'),
    visitorsAnonymous: n(visitors, 'visitors') - n(links, 'linked'),
    sessionsStitched: n(sessions, 'stitched_sessions'),
    customersReached: n(sessions, 'reached'),
    sessions: n(sessions, 'sessions'),
    customerSessions: n(sessions, 'customer_sessions'),
    sessionsWithoutIds: n(sessions, 'without_ids'),
    eventsAfterAsOf: n(sessions, 'after_as_of'),
  };
}
