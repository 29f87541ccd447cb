/**
 * Returns and cancellations net the spend of the occasion they fall in. Before, an occasion's spend summed its purchase
 * lines only: the Online Retail demo's customer 16446 bought 168,469.60 and cancelled it the same day, and that day's
 * spend made a predicted 12-month CLV of 186,927 (the demo's second highest).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { buildLearnedFeaturesSql } from '../../src/features/learned-features.js';
import { insertReturnLines, NET_SUMMARY_BY_DAY, NET_SUMMARY_BY_ORDER, netSummaryRows } from '../helpers/same-occasion-returns.js';
import { memoryWarehouse } from '../helpers/warehouse.js';

describe('the customer summary nets returns within their occasion', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await memoryWarehouse();
    await insertReturnLines(warehouse);
  });
  afterAll(() => warehouse?.close());

  it('by day: a day cancelled whole has no spend, a day partly returned its net spend, in the window and the holdout', async () => {
    expect(await netSummaryRows(warehouse, 'day')).toEqual(NET_SUMMARY_BY_DAY);
  });

  it('by order: a return nets the order whose id it carries, not another order of the day', async () => {
    expect(await netSummaryRows(warehouse, 'order')).toEqual(NET_SUMMARY_BY_ORDER);
  });

  it('by hour: a return nets its own clock hour only (g cancels within the hour; h, j and n return hours later)', async () => {
    const rows = await netSummaryRows(warehouse, 'day', 'hour');
    expect(rows.map(([customer, , monetary, monetaryFrequency, valued]) => [customer, monetary, monetaryFrequency, valued])).toEqual([
      ['g', 0, 0, 1],
      ['h', 200, 1, 2],
      ['i', 20, 1, 2],
      ['j', 40, 1, 2],
      ['k', 90, 1, 2],
      ['m', 0, 1, 2],
      ['n', 0, 0, 1],
    ]);
  });

  it("the learned features carry the summary's net monetary value and take spend per occasion net of its returns", async () => {
    const rows = await warehouse.query(`SELECT * FROM (${buildLearnedFeaturesSql(warehouse.dialect, { asOf: '2023-03-31', timeUnit: 'week', labelEnd: '2023-06-30' })}) f ORDER BY customer_id`);
    expect(rows.map((r) => [r.customer_id, r.monetary_value, r.monetary_frequency, r.monetary_mean, r.monetary_max, r.monetary_trend, r.label_purchases, r.label_spend])).toEqual([
      ['g', 0, 0, 10, 10, 1, 2, 20],
      ['h', 150, 1, 125, 150, 1.2, 0, 0],
      ['i', 20, 1, 50, 80, 0.4, 0, 0],
      ['j', 40, 1, 40, 40, 1, 0, 0],
      ['k', 0, 0, 70, 70, 1, 0, 0],
      ['m', 0, 1, 12.5, 25, 0, 0, 0],
      ['n', 0, 0, 60, 60, 1, 0, 0],
    ]);
  });
});
