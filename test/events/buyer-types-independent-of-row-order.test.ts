/**
 * The deliberation scores and the learned threshold of the buyer types do not depend on the order an engine returns
 * the purchases in. They standardise each log measure by its mean and standard deviation over all purchases: summed by
 * the engine (DuckDB's `avg(…) OVER ()`, ClickHouse's `avg` over the shards' rows) those were sums in whatever order
 * the rows came, and two analyses of the same events on the cluster wrote thresholds differing in their last digits
 * (-0.3548752263049891 / -0.35487522630498897). They are now summed in the purchases' own order (customer, time).
 */
import { describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { EVENT_ROWS_TABLE } from '../../src/events/build-event-sessions.js';
import { BUYER_TYPES_TABLE, classifyBuyerTypes } from '../../src/events/classify-buyer-types.js';
import { createRandom } from '../../src/math/random.js';
import { memoryWarehouse } from '../helpers/warehouse.js';

interface Shop {
  readonly orders: string[];
  readonly events: string[];
}

/** 400 buyers with 1–3 purchases each and 1–12 events (views, searches, cart removes) in the days before each. */
function shop(): Shop {
  const random = createRandom(5);
  const orders: string[] = [];
  const events: string[] = [];
  const at = (day: number, minute: number) => `TIMESTAMP '2023-01-01 00:00:00' + INTERVAL ${day * 1440 + minute} MINUTE`;
  for (let c = 1; c <= 400; c++) {
    const deliberate = random.uniform() < 0.5;
    for (let p = 0, day = 20; p < 1 + random.integer(3); p++, day += 40) {
      orders.push(`('k${c}', ${at(day, 600)})`);
      for (let e = 0; e < 1 + random.integer(deliberate ? 12 : 3); e++) {
        const type = e === 0 ? 'view' : ['view', 'view', 'search', 'remove_from_cart'][random.integer(4)]!;
        const minutesBefore = deliberate ? 60 + random.integer(20 * 1440) : 1 + random.integer(30);
        events.push(`('k${c}', ${at(day, 600)} - INTERVAL ${minutesBefore} MINUTE, '${type}', 'p${random.integer(50)}', 's${c}_${p}_${e % 3}')`);
      }
    }
  }
  return { orders, events };
}

async function classify(rows: Shop): Promise<{ threshold: number; scores: string }> {
  const warehouse: Warehouse = await memoryWarehouse(1);
  try {
    await warehouse.execute('CREATE TEMP TABLE clv_order_times (customer_id VARCHAR, ts TIMESTAMP)');
    await warehouse.execute(`INSERT INTO clv_order_times VALUES ${rows.orders.join(', ')}`);
    await warehouse.execute(`CREATE TEMP TABLE ${EVENT_ROWS_TABLE} (customer_id VARCHAR, ts TIMESTAMP, type VARCHAR, product_id VARCHAR, session_key VARCHAR)`);
    await warehouse.execute(`INSERT INTO ${EVENT_ROWS_TABLE} VALUES ${rows.events.join(', ')}`);
    const result = await classifyBuyerTypes(warehouse);
    const scores = await warehouse.query(`SELECT customer_id, deliberation_score, buyer_type FROM ${BUYER_TYPES_TABLE} ORDER BY customer_id`);
    expect(scores.length).toBe(400);
    return { threshold: result.threshold, scores: JSON.stringify(scores) };
  } finally {
    await warehouse.close();
  }
}

describe('buyer types whatever the order of the rows', () => {
  it('give the same scores and threshold, to the last bit, from the same purchases and events stored in another order', async () => {
    const rows = shop();
    const random = createRandom(11);
    const shuffled = (list: readonly string[]) => list.map((row) => [random.uniform(), row] as const).sort((a, b) => a[0] - b[0]).map(([, row]) => row);
    const first = await classify(rows);
    expect(first.threshold).not.toBe(0); // a threshold was learned (0 is the fallback)
    for (const other of [{ orders: [...rows.orders].reverse(), events: [...rows.events].reverse() }, { orders: shuffled(rows.orders), events: shuffled(rows.events) }]) {
      const again = await classify(other);
      expect(again.threshold).toBe(first.threshold);
      expect(again.scores).toBe(first.scores);
    }
  });
});
