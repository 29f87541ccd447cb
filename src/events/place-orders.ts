/**
 * Where the purchases fall among the sessions (issue 16; QA of session 34,
 * findings 1 and 2): the orders the funnel's purchase flag and the buyer
 * types read, on DuckDB and on ClickHouse (each its own SQL, the same rows).
 *
 * Orders without a time of day. A date-only export (`2023-05-01`) stores every
 * order at 00:00:00, before all of that day's browsing: by time it falls in no
 * session. An order is *dated* when it is at 00:00:00 and at least half of the
 * orders of its ingest (its file, or API batch) are: a file of dates, not one
 * order of a timed file that happened at midnight. A dated order of day D goes
 * with its customer's last session that started on day D and has a view or a
 * cart add (the latest start; on a tie the largest session key): that session
 * is its session (`purchased`), and the buyer types take the order as made at
 * that session's last event. A dated order with no such session goes with no
 * session and stays at 00:00:00 of its day.
 *
 * Writes `clv_orders_read` (customer_id,
 * ts, by_day: one row per customer and order time, `by_day` for dated orders),
 * and, once the sessions exist, `clv_day_placed` (customer_id, day_ts — the
 * order's 00:00:00 —, session_key, end_ts: each dated order's session) and
 * `clv_order_times` (customer_id, ts: each order at its time, a placed dated
 * order at its session's last event; what the buyer types read).
 */
import type { Warehouse } from '../engine/warehouse.js';

export const ORDERS_READ_TABLE = 'clv_orders_read';
export const DAY_PLACED_TABLE = 'clv_day_placed';
export const ORDER_TIMES_TABLE = 'clv_order_times';

/** `clv_orders_read`: the orders (no returns) up to `end`, a timestamp literal, dated ones marked (their ingests' share of 00:00 read in the same statement). */
export async function writeOrdersRead(warehouse: Warehouse, end: string): Promise<void> {
  const onClickHouse = warehouse.dialect.name === 'clickhouse';
  const midnight = onClickHouse ? 'toStartOfDay(ts) = ts' : "date_trunc('day', ts) = ts";
  const ingests = `SELECT ingest_id, 2 * ${onClickHouse ? `countIf(${midnight})` : `count(*) FILTER (WHERE ${midnight})`} >= count(*) AS dated
    FROM transactions WHERE NOT is_return AND ts <= ${end} GROUP BY ingest_id`;
  await warehouse.execute(
    onClickHouse
      ? `CREATE OR REPLACE TEMP TABLE ${ORDERS_READ_TABLE} AS
         SELECT customer_id, ts, toUInt8(midnight AND ifNull(dated, 0)) AS by_day FROM (
           SELECT customer_id, ts, ingest_id, ${midnight} AS midnight FROM transactions WHERE NOT is_return AND ts <= ${end} GROUP BY customer_id, ts, ingest_id
         ) t ANY LEFT JOIN (${ingests}) i USING ingest_id
         GROUP BY customer_id, ts, by_day`
      : `CREATE OR REPLACE TEMP TABLE ${ORDERS_READ_TABLE} AS
         WITH i AS (${ingests})
         SELECT DISTINCT t.customer_id, t.ts, date_trunc('day', t.ts) = t.ts AND i.dated AS by_day
         FROM transactions t JOIN i ON i.ingest_id = t.ingest_id WHERE NOT t.is_return AND t.ts <= ${end}`,
  );
}

/**
 * `clv_day_placed` from the sessions table `sessions` (session_key, customer_id, start_ts, end_ts, views, cart_adds),
 * then `clv_order_times`. Run after `writeOrdersRead` and once the sessions exist; the purchase flag reads
 * `clv_day_placed` beside the timed orders of `clv_orders_read`.
 */
export async function placeDatedOrders(warehouse: Warehouse, sessions: string): Promise<void> {
  if (warehouse.dialect.name === 'clickhouse') {
    await warehouse.execute(`
      CREATE OR REPLACE TEMP TABLE ${DAY_PLACED_TABLE} AS
      SELECT order_customer AS customer_id, day_ts, argMax(s_key, (s_start, s_key)) AS session_key, argMax(s_end, (s_start, s_key)) AS end_ts
      FROM (
        SELECT assumeNotNull(customer_id) AS order_customer, toDateTime(toDate(start_ts)) AS day_ts, session_key AS s_key, start_ts AS s_start, end_ts AS s_end
        FROM ${sessions} WHERE customer_id IS NOT NULL AND (views > 0 OR cart_adds > 0)
      ) s ALL INNER JOIN (SELECT customer_id AS order_customer, ts AS day_ts FROM ${ORDERS_READ_TABLE} WHERE by_day GROUP BY customer_id, ts) o USING (order_customer, day_ts)
      GROUP BY order_customer, day_ts`);
    await warehouse.execute(`
      CREATE OR REPLACE TEMP TABLE ${ORDER_TIMES_TABLE} AS
      SELECT customer_id, order_ts AS ts FROM (
        SELECT customer_id, if(ifNull(placed, 0) = 1, assumeNotNull(placed_end), ts) AS order_ts FROM ${ORDERS_READ_TABLE}
        ANY LEFT JOIN (SELECT customer_id, day_ts AS ts, toUInt8(1) AS by_day, end_ts AS placed_end, toUInt8(1) AS placed FROM ${DAY_PLACED_TABLE}) p USING (customer_id, ts, by_day)
      ) o GROUP BY customer_id, order_ts`);
    return;
  }
  const last = 'ORDER BY s.start_ts DESC, s.session_key DESC';
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE ${DAY_PLACED_TABLE} AS
    SELECT o.customer_id, o.ts AS day_ts, first(s.session_key ${last}) AS session_key, first(s.end_ts ${last}) AS end_ts
    FROM (SELECT DISTINCT customer_id, ts FROM ${ORDERS_READ_TABLE} WHERE by_day) o
    JOIN ${sessions} s ON s.customer_id = o.customer_id AND CAST(s.start_ts AS DATE) = CAST(o.ts AS DATE) AND (s.views > 0 OR s.cart_adds > 0)
    GROUP BY o.customer_id, o.ts`);
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE ${ORDER_TIMES_TABLE} AS
    SELECT DISTINCT o.customer_id, COALESCE(p.end_ts, o.ts) AS ts
    FROM ${ORDERS_READ_TABLE} o LEFT JOIN ${DAY_PLACED_TABLE} p ON o.by_day AND p.customer_id = o.customer_id AND p.day_ts = o.ts`);
}
