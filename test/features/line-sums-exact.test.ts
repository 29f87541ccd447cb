/**
 * Sums over lines that were sums of doubles in the order the engine met the lines (found by an audit after the
 * campaign and CLV totals): a lifecycle occasion's spend (the stages' spend in run.json and the report), a customer's
 * units (the clusters' basket size, which also orders the customers the clustering samples), an item's net quantity
 * (whether cross-sell keeps it: 0.1 + 0.2 − 0.3 is 5.6e-17, not 0, as doubles) and the spend of a file's copied lines
 * (the ingest's warning and report). They are now exact sums (`orderFreeSum`).
 */
import { describe, expect, it } from 'vitest';
import { loadPurchaseData } from '../../src/cross-sell/load-purchase-data.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { buildBehaviourFeaturesSql } from '../../src/features/behaviour-features.js';
import { copiesWithoutOrderIdWarning } from '../../src/ingest/copies-without-order-id.js';
import { CLEAN_TABLE } from '../../src/ingest/judge-rows.js';
import { loadPurchaseHistories } from '../../src/lifecycle/purchase-histories.js';
import { withMemoryWarehouse } from '../helpers/warehouse.js';

/**
 * Customer k1: one order of lines of 0.1, 0.2 and 0.3 (quantities the same), product a; customer k2: product b bought
 * twice (quantity 0.1 and 0.2) and returned once (−0.3), product c once. In the given order.
 */
async function withLines<T>(reversed: boolean, read: (warehouse: Warehouse) => Promise<T>): Promise<T> {
  const rows: [string, string, string, number, boolean][] = [
    ['k1', '2024-01-01 10:00:00', 'a', 0.1, false],
    ['k1', '2024-01-01 11:00:00', 'a', 0.2, false],
    ['k1', '2024-01-01 12:00:00', 'a', 0.3, false],
    ['k2', '2024-01-02 10:00:00', 'b', 0.1, false],
    ['k2', '2024-01-03 10:00:00', 'b', 0.2, false],
    ['k2', '2024-01-04 10:00:00', 'b', -0.3, true],
    ['k2', '2024-01-04 10:00:00', 'c', 1, false],
  ];
  // k1's lines are one order; k2's each its own
  const lines = rows.map(([customer, ts, product, q, ret], i) => `('${customer === 'k1' ? 'o1' : `o${i}`}', '${customer}', TIMESTAMP '${ts}', '${product}', ${q}::DOUBLE, ${q}::DOUBLE, ${ret}, false, 1, 's', ${i}, 'h${i}')`);
  if (reversed) lines.reverse();
  return withMemoryWarehouse(async (warehouse) => {
    await warehouse.execute(`INSERT INTO transactions (order_id, customer_id, ts, product_id, quantity, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES ${lines.join(', ')}`);
    return read(warehouse);
  });
}

describe('sums over lines, whatever their order', () => {
  it('a lifecycle occasion’s spend: 0.6, not 0.6000000000000001', async () => {
    for (const reversed of [false, true]) {
      const histories = await withLines(reversed, (w) => loadPurchaseHistories(w, { end: '2024-12-31' }));
      expect(histories.customerIds).toEqual(['k1', 'k2']);
      expect([...histories.spend]).toEqual([0.6, 0.1, 0.2, 1]);
    }
  });

  it('a customer’s units (the clusters’ basket size): 0.6 over one order', async () => {
    for (const reversed of [false, true]) {
      const rows = await withLines(reversed, (w) => w.query(`SELECT customer_id, basket_size FROM (${buildBehaviourFeaturesSql(w.dialect, { asOf: '2024-12-31' })}) f ORDER BY customer_id`));
      expect(rows[0]).toEqual({ customer_id: 'k1', basket_size: 0.6 });
    }
  });

  it('an item whose quantities net to 0 (0.1 + 0.2 − 0.3) is not kept for cross-sell', async () => {
    for (const reversed of [false, true]) {
      const data = await withLines(reversed, (w) => loadPurchaseData(w));
      expect([...data.itemCodes].sort()).toEqual(['a', 'c']);
    }
  });

  it('the spend of a file’s copied lines: 0.6', async () => {
    for (const reversed of [false, true]) {
      const copies = await withMemoryWarehouse(async (warehouse) => {
        const rows = [0.1, 0.2, 0.3].map((amount) => `('duplicate', 'line 1', ${amount}::DOUBLE)`);
        await warehouse.execute(`CREATE TEMP TABLE ${CLEAN_TABLE} AS SELECT * FROM (VALUES ${(reversed ? rows.reverse() : rows).join(', ')}) t(reason, detail, amount)`);
        return copiesWithoutOrderIdWarning(warehouse, { customer_id: 'c', date: 't', amount: 'a' }, 3);
      });
      expect(copies).toMatchObject({ lines: 3, amount: 0.6 });
    }
  });
});
