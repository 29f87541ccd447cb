/**
 * Orders without a time of day (QA of session 34, finding 2): a date-only
 * export stores every order at 00:00, before that day's browsing, so by time
 * it fell in no session — the funnel showed 90 purchased sessions of 8,705
 * and the buyer types measured the browsing of the days before. Now a dated
 * order (00:00 in an ingest whose orders mostly are) goes with its customer's
 * last session of that day with a view or a cart add (place-orders.ts), and
 * the buyer types take it as made at that session's last event; an order at
 * 00:00 in a timed file keeps the time rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { buildEventSessions, SESSIONS_TABLE } from '../../src/events/build-event-sessions.js';
import { classifyBuyerTypes } from '../../src/events/classify-buyer-types.js';
import { memoryWarehouse } from '../helpers/warehouse.js';

type Event = readonly [session: string, customer: string, ts: string, type: string];

const EVENTS: readonly Event[] = [
  // c_1 on 5 March: a morning view, an afternoon view and cart add, an evening search only
  ['m1', 'c_1', '2024-03-05 09:00:00', 'view'],
  ['m1', 'c_1', '2024-03-05 09:10:00', 'view'],
  ['a1', 'c_1', '2024-03-05 14:00:00', 'view'],
  ['a1', 'c_1', '2024-03-05 14:20:00', 'add_to_cart'],
  ['e1', 'c_1', '2024-03-05 20:00:00', 'search'],
  // c_2: one session on 6 March, one on 7 March
  ['d2', 'c_2', '2024-03-06 10:00:00', 'view'],
  ['f2', 'c_2', '2024-03-07 10:00:00', 'view'],
  // c_3 browses on 8 March; its order is of 9 March
  ['d3', 'c_3', '2024-03-08 11:00:00', 'view'],
  // c_4 (timed orders): a late session on 7 March, and one on 8 March afternoon
  ['n4', 'c_4', '2024-03-07 23:30:00', 'view'],
  ['n4', 'c_4', '2024-03-07 23:40:00', 'add_to_cart'],
  ['p4', 'c_4', '2024-03-08 14:00:00', 'view'],
];

/** [customer, ts, ingest]: ingest 1 a date-only file, ingest 2 a timed one (with one order at midnight). */
const ORDERS: readonly (readonly [string, string, number])[] = [
  ['c_1', '2024-03-05 00:00:00', 1],
  ['c_2', '2024-03-06 00:00:00', 1],
  ['c_3', '2024-03-09 00:00:00', 1],
  ['c_4', '2024-03-08 00:00:00', 2],
  ['c_4', '2024-03-09 12:34:56', 2],
  ['c_4', '2024-03-10 08:15:00', 2],
];

async function fill(warehouse: Warehouse): Promise<void> {
  const events = EVENTS.map(([session, customer, ts, type], i) => `('${session}', '${customer}', TIMESTAMP '${ts}', '${type}', 'p${i}', 1)`);
  await warehouse.execute(`INSERT INTO events (session_id, customer_id, ts, type, product_id, ingest_id) VALUES ${events.join(', ')}`);
  const orders = ORDERS.map(([customer, ts, ingest], i) => `('o${i}', '${customer}', TIMESTAMP '${ts}', 1, 10, FALSE, FALSE, ${ingest}, 'f${ingest}', ${i}, 'h${i}')`);
  await warehouse.execute(`INSERT INTO transactions (order_id, customer_id, ts, quantity, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES ${orders.join(', ')}`);
}

describe('orders without a time of day go with their day\'s last session with a view or a cart add', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await memoryWarehouse(1);
    await fill(warehouse);
    await buildEventSessions(warehouse, { asOf: '2024-12-31' });
  });
  afterAll(() => warehouse?.close());

  it('flags the afternoon session of c_1 (not the morning one, not the evening search), c_2\'s of 6 March, none of c_3\'s; c_4\'s timed midnight order its late session by time', async () => {
    const rows = await warehouse.query(`SELECT session_key, purchased FROM ${SESSIONS_TABLE} ORDER BY session_key`);
    expect(Object.fromEntries(rows.map((r) => [r.session_key, r.purchased]))).toEqual({
      's:a1': true, 's:d2': true, 's:d3': false, 's:e1': false, 's:f2': false, 's:m1': false, 's:n4': true, 's:p4': false,
    });
  });

  it('gives the buyer types each placed order at its session\'s last event, and keeps the others at their time', async () => {
    const rows = await warehouse.query('SELECT customer_id, strftime(ts, \'%Y-%m-%d %H:%M:%S\') AS ts FROM clv_order_times ORDER BY customer_id, ts');
    expect(rows.map((r) => `${r.customer_id} ${r.ts}`)).toEqual([
      'c_1 2024-03-05 14:20:00', 'c_2 2024-03-06 10:00:00', 'c_3 2024-03-09 00:00:00', 'c_4 2024-03-08 00:00:00', 'c_4 2024-03-09 12:34:56', 'c_4 2024-03-10 08:15:00',
    ]);
    await classifyBuyerTypes(warehouse);
    // c_1's purchase sees the views of both sessions before it (three), not the evening search after it
    const [c1] = await warehouse.query("SELECT views, searches, sessions, minutes_to_purchase FROM clv_purchase_measures WHERE customer_id = 'c_1'");
    expect({ ...c1, views: Number(c1!.views), searches: Number(c1!.searches), sessions: Number(c1!.sessions) }).toEqual({ views: 3, searches: 0, sessions: 2, minutes_to_purchase: 320 });
  });
});
