import { beforeAll, describe, expect, it } from 'vitest';
import { runEvents, type EventsSummary } from '../../../src/events/run-events.js';
import { SESSIONS_TABLE } from '../../../src/events/build-event-sessions.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, differences, expectSameRows, useTwoEngines } from '../../helpers/clickhouse.js';

const AS_OF = '2024-06-30';
const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const HOUR = 3_600_000;

/**
 * A tiny warehouse for the placement of orders in sessions (QA of session 34, findings 1, 2, 9, 11):
 * - ingest 1, dated orders (00:00): c_1 browses three times on its order's day (the afternoon session, with a cart add,
 *   is the last with a view or cart add; an evening search only after it), c_2 once, c_3 not on its order's day;
 * - ingest 2, timed orders of c_10 … c_24 whose events run 3 hours behind, two orders each, and one order at midnight;
 * - sessions with no id at all, and events after the as-of date.
 */
function fixture(): { events: string[]; orders: string[] } {
  const events: string[] = [];
  const orders: string[] = [];
  const event = (session: string, customer: string | null, ms: number, type: string) =>
    events.push(`('${session}', ${customer === null ? 'NULL' : `'${customer}'`}, TIMESTAMP '${stamp(ms)}', '${type}', 'p${events.length % 7}', 1)`);
  const order = (customer: string, ms: number, ingest: number) => orders.push(`('o${orders.length}', '${customer}', TIMESTAMP '${stamp(ms)}', 1, 10, FALSE, FALSE, ${ingest}, 'f${ingest}', ${orders.length}, 'h${orders.length}')`);
  const day = Date.UTC(2024, 2, 5);
  event('m1', 'c_1', day + 9 * HOUR, 'view');
  event('a1', 'c_1', day + 14 * HOUR, 'view');
  event('a1', 'c_1', day + 14 * HOUR + 20 * 60_000, 'add_to_cart');
  event('e1', 'c_1', day + 20 * HOUR, 'search');
  event('d2', 'c_2', day + 86_400_000 + 10 * HOUR, 'view');
  event('d3', 'c_3', day + 2 * 86_400_000 + 11 * HOUR, 'view');
  order('c_1', day, 1);
  order('c_2', day + 86_400_000, 1);
  order('c_3', day + 3 * 86_400_000, 1);
  for (let i = 10; i < 25; i++) {
    for (let j = 0; j < 2; j++) {
      const t = Date.UTC(2024, 3, 1) + (i * 3 + j * 17) * 86_400_000 + (10 + (i % 6)) * HOUR + i * 60_000;
      event(`t${i}-${j}`, `c_${i}`, t - 3 * HOUR - 15 * 60_000, 'view');
      event(`t${i}-${j}`, `c_${i}`, t - 3 * HOUR - 2 * 60_000, 'add_to_cart');
      order(`c_${i}`, t, 2);
    }
  }
  order('c_10', Date.UTC(2024, 5, 1), 2); // a timed file's order at midnight: not dated
  for (let k = 0; k < 3; k++) event(`anon${k}`, null, Date.UTC(2024, 4, 2 + k, 8), 'view');
  event('later', 'c_11', Date.UTC(2024, 6, 2, 9), 'view');
  event('later', 'c_11', Date.UTC(2024, 6, 2, 10), 'view');
  return { events, orders };
}

// The placement of orders and the clock check on DuckDB and on the ClickHouse cluster over the same rows (both engines
// have their own SQL for the dated orders' sessions, the purchase flag, the shift count and the new stitching counts).
describe.skipIf(!CLICKHOUSE_URL)(`orders are placed in sessions alike on DuckDB and ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let summary: { duck: EventsSummary; clickhouse: EventsSummary };
  const engines = useTwoEngines('events_order_placement', {
    fill: async (duck) => {
      const { events, orders } = fixture();
      await duck.execute(`INSERT INTO events (session_id, customer_id, ts, type, product_id, ingest_id) VALUES ${events.join(', ')}`);
      await duck.execute(`INSERT INTO transactions (order_id, customer_id, ts, quantity, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES ${orders.join(', ')}`);
    },
    copy: ['transactions', 'events', 'customers'],
    threads: 1,
    timeout: 120_000,
  });
  beforeAll(async () => {
    const options = { asOf: AS_OF, validationFrom: null };
    summary = { duck: await runEvents(engines.duck, options), clickhouse: await runEvents(engines.clickhouse, options) };
  }, 180_000);

  it('finds the same placement: dated orders by day, the events 3 hours behind, the sessions without ids and the later events', () => {
    const { duck: d, clickhouse: c } = summary;
    expect(d.orderPlacement).toEqual({ orders: 34, dated: 3, datedPlaced: 2, timedChecked: 30, timedInSession: 0, eventsAheadMinutes: -180, timedInSessionShifted: 29 });
    expect(d.stitching).toMatchObject({ sessionsWithoutIds: 3, eventsAfterAsOf: 2 });
    expect(differences(d, c)).toEqual([]);
  });

  it('makes no prospect of the sessions without a customer (ClickHouse read the empty id as one)', async () => {
    for (const w of [engines.duck, engines.clickhouse]) expect(await w.query('SELECT customer_id FROM customer_prospects')).toEqual([]);
  });

  it('flags the same sessions and gives the buyer types the same order times', async () => {
    const sessions = `SELECT session_key, customer_id, start_ts, end_ts, purchased FROM ${SESSIONS_TABLE}`;
    const [ds, cs] = [await engines.duck.query(sessions), await engines.clickhouse.query(sessions)];
    expect(ds.filter((r) => r.purchased).map((r) => r.session_key).sort()).toEqual(['s:a1', 's:d2']);
    expectSameRows(ds, cs, ['session_key']);
    for (const sql of ['SELECT customer_id, ts FROM clv_order_times', 'SELECT customer_id, day_ts, session_key, end_ts FROM clv_day_placed']) {
      expectSameRows(await engines.duck.query(sql), await engines.clickhouse.query(sql), ['customer_id', sql.includes('day_ts') ? 'day_ts' : 'ts']);
    }
  });
});
