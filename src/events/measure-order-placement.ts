/**
 * How well the orders fall in their customers' sessions (QA of session 34,
 * finding 1): events and orders exported on different clocks (a GA4 or
 * Segment export in UTC beside a shop's local-time orders) put almost every
 * purchase outside its session, and the funnel and the buyer types go wrong
 * with no error. The check, in the engine, on the sessions and the orders of
 * place-orders.ts:
 *
 * - the orders read are the timed ones (not dated: place-orders.ts) of
 *   customers who have a session, from the first session's start to the
 *   purchase window after the last one's end (`timedChecked`);
 * - each is paired with every session of its customer within 14 hours (the
 *   widest UTC offsets), and for shifts s of the events' clock in steps of 15
 *   minutes: the order is *in* the session moved by s when it falls from its
 *   start + s to its end + s + the purchase window (the purchase flag's rule;
 *   the steps ⌈(order − end − window) / 15 min⌉ … ⌊(order − start) / 15 min⌋);
 *   and its gap to the session's last event rounds to the step
 *   ⌊(order − end) / 15 min + ½⌋;
 * - the shift named is the step most orders' gaps round to (on a tie the one
 *   nearest 0, then the events ahead): a purchase is made at or minutes after
 *   its session's last event, so on aligned data that step is 0, and on events
 *   5 hours ahead it is −5 hours. (The steps an order is *in* run over the
 *   session's length and the window, so their count alone does not name one.)
 *   `timedInSession` and `timedInSessionShifted` count the orders in a
 *   session at 0 and at that shift.
 *
 * Times are read in whole seconds (ClickHouse's), so both engines count alike.
 * One statement, which writes nothing.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { DAY_PLACED_TABLE, ORDERS_READ_TABLE } from './place-orders.js';

/** How the orders fell in the sessions (run.json `events.orderPlacement`). */
export interface OrderPlacement {
  /** orders (no returns) up to the as-of date, one per customer and time */
  readonly orders: number;
  /** of those, dated: without a time of day (00:00:00, in an ingest whose orders mostly are), placed by day */
  readonly dated: number;
  /** of the dated, those placed in a session (their customer's last session of that day with a view or a cart add) */
  readonly datedPlaced: number;
  /** timed orders of customers with a session, within the sessions' span: the orders the clock check reads */
  readonly timedChecked: number;
  /** of those, in one of their customer's sessions (from its start to the purchase window after its end) as recorded */
  readonly timedInSession: number;
  /** the minutes the events' clock reads ahead of the orders' (negative: behind): the shift most orders' gaps to a session's end round to, when it explains the orders (`shiftExplainsOrders`); else 0 */
  readonly eventsAheadMinutes: number;
  /** the timed orders in a session with the events moved back by `eventsAheadMinutes` */
  readonly timedInSessionShifted: number;
}

/** 15 minutes, the step of the shifts tried. */
const STEP_SECONDS = 900;
/** ±14 hours, the widest UTC offsets, in steps. */
const MAX_STEPS = 56;

/**
 * Whether moving the events' clock explains the orders: it puts at least 10 of the `checked` orders in one of their
 * sessions, twice as many as the times as recorded do (`asRecorded`), and a tenth of those checked. The clock warning's
 * test (`clocksDiffer`), and the condition for `eventsAheadMinutes` to name a shift at all.
 *
 * Example: `shiftExplainsOrders(90, 0, 90)` → true; `shiftExplainsOrders(90, 87, 90)` → false (aligned, a few orders late)
 */
export function shiftExplainsOrders(shifted: number, asRecorded: number, checked: number): boolean {
  return shifted >= 10 && shifted >= 2 * asRecorded && 10 * shifted >= checked;
}

export async function measureOrderPlacement(warehouse: Warehouse, sessions: string, windowMinutes: number): Promise<OrderPlacement> {
  const onClickHouse = warehouse.dialect.name === 'clickhouse';
  const window = windowMinutes * 60;
  const checked = `SELECT customer_id, ts FROM ${ORDERS_READ_TABLE}
    WHERE NOT by_day AND customer_id IN (SELECT ${onClickHouse ? 'assumeNotNull(customer_id)' : 'customer_id'} FROM ${sessions} WHERE customer_id IS NOT NULL)
      AND ts >= (SELECT min(start_ts) FROM ${sessions}) AND ts <= (SELECT max(end_ts) FROM ${sessions}) + ${onClickHouse ? window : `INTERVAL ${windowMinutes} MINUTE`}`;
  // each order with each of its customer's sessions within 14 hours: the steps of the shifts that put it in the
  // session (lo … hi) and the step nearest its gap to the session's last event (k_end)
  const sec = (column: string) => (onClickHouse ? `toInt64(${column})` : `(epoch_us(${column}) // 1000000)`);
  const int = (sql: string) => (onClickHouse ? `toInt64(${sql})` : `CAST(${sql} AS BIGINT)`);
  const steps = (o: string, s: string) => `${int(`ceil((${sec(`${o}ts`)} - ${sec(`${s}end_ts`)} - ${window}) / ${STEP_SECONDS}.0)`)} AS k_lo,
    ${int(`floor((${sec(`${o}ts`)} - ${sec(`${s}start_ts`)}) / ${STEP_SECONDS}.0)`)} AS k_hi, ${int(`floor((${sec(`${o}ts`)} - ${sec(`${s}end_ts`)} + ${STEP_SECONDS / 2}) / ${STEP_SECONDS}.0)`)} AS k_end`;
  const pairs = (join: string) => `SELECT customer_id, ts, greatest(k_lo, -${MAX_STEPS}) AS lo, least(k_hi, ${MAX_STEPS}) AS hi, k_end FROM (${join}) p
    WHERE k_lo <= ${MAX_STEPS} AND k_hi >= -${MAX_STEPS}`;
  // per step: the orders in a session moved by it (rule `in`, the purchase flag's), and the orders whose gap to a
  // session's last event rounds to it (`end`); then the counts, as rows of step 0, in the same statement
  const counts = (rule: string, n: string, from: string, k: string) => `SELECT '${rule}' AS rule, ${k} AS k, ${n} AS n FROM ${from}`;
  const rows = await warehouse.query(
    onClickHouse
      ? `SELECT rule, k, count() AS n FROM (
           SELECT rule_k.1 AS rule, rule_k.2 AS k, customer_id, ts FROM (${pairs(`
             SELECT customer_id, ts, ${steps('', '')} FROM (${checked}) o
             ALL INNER JOIN (SELECT assumeNotNull(customer_id) AS customer_id, start_ts, end_ts FROM (SELECT customer_id, start_ts, end_ts FROM ${sessions} WHERE customer_id IS NOT NULL) c) s USING customer_id`)}
           ) q ARRAY JOIN arrayPushBack(arrayMap(x -> ('in', toInt64(x) + lo), range(toUInt64(hi - lo + 1))), ('end', k_end)) AS rule_k
           WHERE rule = 'in' OR abs(k) <= ${MAX_STEPS}
           GROUP BY rule, k, customer_id, ts
         ) m GROUP BY rule, k
         UNION ALL ${counts('orders', 'count()', ORDERS_READ_TABLE, 'toInt64(0)')}
         UNION ALL ${counts('dated', 'countIf(by_day)', ORDERS_READ_TABLE, 'toInt64(0)')}
         UNION ALL ${counts('placed', 'count()', DAY_PLACED_TABLE, 'toInt64(0)')}
         UNION ALL ${counts('checked', 'count()', `(${checked}) o`, 'toInt64(0)')}`
      : `WITH o AS (${checked}),
         q AS (${pairs(`SELECT o.customer_id, o.ts, ${steps('o.', 's.')}
           FROM o JOIN ${sessions} s ON s.customer_id = o.customer_id AND s.start_ts <= o.ts + INTERVAL ${MAX_STEPS * 15} MINUTE
             AND s.end_ts >= o.ts - INTERVAL ${MAX_STEPS * 15 + windowMinutes} MINUTE`)}),
         m AS (
           SELECT DISTINCT 'in' AS rule, unnest(range(lo, hi + 1)) AS k, customer_id, ts FROM q
           UNION ALL SELECT DISTINCT 'end' AS rule, k_end AS k, customer_id, ts FROM q WHERE abs(k_end) <= ${MAX_STEPS}
         )
         SELECT rule, k, count(*) AS n FROM m GROUP BY rule, k
         UNION ALL ${counts('orders', 'count(*)', ORDERS_READ_TABLE, '0')}
         UNION ALL ${counts('dated', 'count(*) FILTER (WHERE by_day)', ORDERS_READ_TABLE, '0')}
         UNION ALL ${counts('placed', 'count(*)', DAY_PLACED_TABLE, '0')}
         UNION ALL ${counts('checked', 'count(*)', 'o', '0')}`,
  );
  const of = (rule: string) => new Map(rows.filter((r) => r.rule === rule).map((r) => [Number(r.k), Number(r.n)]));
  const total = (rule: string) => of(rule).get(0) ?? 0;
  const inSession = of('in');
  // the step most orders' gaps round to; on a tie the one nearest 0, then the events ahead (k < 0)
  const nearest = [...of('end')].reduce<[number, number]>((a, b) => (b[1] > a[1] || (b[1] === a[1] && (Math.abs(b[0]) < Math.abs(a[0]) || (Math.abs(b[0]) === Math.abs(a[0]) && b[0] < a[0]))) ? b : a), [0, -1])[0];
  // named only when it explains the orders (`shiftExplainsOrders`): purchases logged 10 minutes after their session's
  // last event round to a step of 15 minutes, and that step may put a few more orders in a session than as recorded
  const timedChecked = total('checked');
  const best = nearest !== 0 && shiftExplainsOrders(inSession.get(nearest) ?? 0, inSession.get(0) ?? 0, timedChecked) ? nearest : 0;
  return {
    orders: total('orders'),
    dated: total('dated'),
    datedPlaced: total('placed'),
    timedChecked,
    timedInSession: inSession.get(0) ?? 0,
    eventsAheadMinutes: best === 0 ? 0 : (-best * STEP_SECONDS) / 60,
    timedInSessionShifted: inSession.get(best) ?? 0,
  };
}
