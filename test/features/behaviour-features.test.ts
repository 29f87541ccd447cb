import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { buildBehaviourFeaturesSql } from '../../src/features/behaviour-features.js';
import { buildCustomerBaseSql } from '../../src/features/customer-base.js';
import { buildCustomerSummarySql } from '../../src/features/customer-summary.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { FIXTURES, memoryWarehouse } from '../helpers/warehouse.js';

describe('per-customer behaviour features on the tiny shop (as of 2023-04-01)', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await memoryWarehouse();
    await ingestFiles(warehouse, [`${FIXTURES}shop/tiny-shop.csv`], { now: new Date('2024-01-01T00:00:00Z') });
  });
  afterAll(() => warehouse.close());

  it('match the values computed by hand', async () => {
    const rows = await warehouse.query(`SELECT * FROM (${buildBehaviourFeaturesSql(warehouse.dialect, { asOf: '2023-04-01' })}) f ORDER BY customer_id`);
    const byId = Object.fromEntries(rows.map(({ customer_id, ...rest }) => [customer_id, rest]));
    expect(Object.keys(byId)).toEqual(['A', 'B', 'C', 'D', 'G', 'I']);
    // A: 3 days, 55.50, first 01-05 (86 days), gaps 69 / 2; 4 units in 3 orders; P1, P2
    expect(byId.A).toEqual({ recency_days: 17, frequency: 3, monetary: 55.5, tenure_days: 86, mean_gap_days: 34.5, basket_size: 4 / 3, product_diversity: 2, return_rate: 0, country: 'UK', region: null });
    // C: bought 10, returned 10 → net 0, return rate 1; one-time buyer → no gap
    expect(byId.C).toEqual({ recency_days: 59, frequency: 1, monetary: 0, tenure_days: 59, mean_gap_days: null, basket_size: 1, product_diversity: 1, return_rate: 1, country: 'DE', region: null });
    // D: orders 1007 (P2; the POST line was quarantined), 1008 (2 × P4) on 01-10, 1009 on 04-01 → 2 days, 3 orders, 4 units
    expect(byId.D).toMatchObject({ recency_days: 0, frequency: 2, monetary: 47.25, mean_gap_days: 81, basket_size: 4 / 3, product_diversity: 2 });
    expect(byId.B).toMatchObject({ basket_size: 3, country: 'FR' });
    expect(byId.I).toMatchObject({ frequency: 4, mean_gap_days: 7, basket_size: 5 / 4, product_diversity: 3 });
  });

  it('with grain order, occasions are orders', async () => {
    const [d] = await warehouse.query(`SELECT frequency FROM (${buildBehaviourFeaturesSql(warehouse.dialect, { asOf: '2023-04-01', grain: 'order' })}) f WHERE customer_id = 'D'`);
    expect(d!.frequency).toBe(3);
  });

  it('the customer base reads a materialised summary or builds it inline, with the same result', async () => {
    await warehouse.execute(`CREATE TABLE customer_summary AS ${buildCustomerSummarySql(warehouse.dialect, { asOf: '2023-04-01', timeUnit: 'week' })}`);
    const inline = await warehouse.query(`SELECT * FROM (${buildCustomerBaseSql(warehouse.dialect, { asOf: '2023-04-01' })}) b ORDER BY customer_id`);
    const table = await warehouse.query(`SELECT * FROM (${buildCustomerBaseSql(warehouse.dialect, { asOf: '2023-04-01', summaryTable: 'customer_summary' })}) b ORDER BY customer_id`);
    expect(table).toEqual(inline);
    expect(inline.find((r) => r.customer_id === 'D')).toMatchObject({ occasions: 2, orders: 3, total_spend: 47.25, days_since_last: 0, tenure_days: 81 });
    expect(() => buildCustomerBaseSql(warehouse.dialect, { asOf: '2023-04-01', summaryTable: 'x; DROP TABLE y' })).toThrow(/not a plain table name/);
  });
});
