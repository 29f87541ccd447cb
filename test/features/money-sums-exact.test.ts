/**
 * Money summed per customer or per order for what users see: the clusters' net spend and return rate (behaviour
 * features) and the orders of the customer 360 (the API and dashboard) were sums of doubles in the order the engine met
 * the lines — an order of 0.1, 0.2 and 0.3 showed 0.6000000000000001, and the same lines in another order 0.6. They are
 * now exact sums (`orderFreeSum`), as the customer summary's.
 */
import { describe, expect, it } from 'vitest';
import { buildBehaviourFeaturesSql } from '../../src/features/behaviour-features.js';
import { readCustomerOrders } from '../../src/server/routes/read-customer-360.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { withMemoryWarehouse } from '../helpers/warehouse.js';

/** One order of lines 0.1, 0.2, 0.3 and a return of the first two on another day, in the given order. */
async function withLines<T>(reversed: boolean, read: (warehouse: Warehouse) => Promise<T>): Promise<T> {
  const lines = [0.1, 0.2, 0.3, -0.1, -0.2].map((amount, i) => `('${amount > 0 ? 'o1' : 'r1'}', 'k1', TIMESTAMP '2024-0${amount > 0 ? 1 : 2}-01 10:00:0${i}', 'p${i}', ${amount}::DOUBLE, ${amount < 0}, false, 1, 's', ${i}, 'h${i}')`);
  if (reversed) lines.reverse();
  return withMemoryWarehouse(async (warehouse) => {
    await warehouse.execute(`INSERT INTO transactions (order_id, customer_id, ts, product_id, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES ${lines.join(', ')}`);
    return read(warehouse);
  });
}

describe('money summed per customer or order', () => {
  it('the behaviour features: net spend and return rate exact, whatever the lines’ order', async () => {
    const features = (reversed: boolean) => withLines(reversed, (w) => w.query(`SELECT monetary, return_rate FROM (${buildBehaviourFeaturesSql(w.dialect, { asOf: '2024-12-31' })}) f`));
    const forward = await features(false);
    expect(forward).toEqual([{ monetary: 0.3, return_rate: 0.5 }]);
    expect(await features(true)).toEqual(forward);
  });

  it('the customer 360: an order’s amount exact, whatever the lines’ order', async () => {
    const orders = (reversed: boolean) => withLines(reversed, (w) => readCustomerOrders(w, 'k1'));
    const forward = await orders(false);
    expect(forward.orders.map((o) => o.amount)).toEqual([-0.3, 0.6]);
    expect(await orders(true)).toEqual(forward);
  });
});
