/**
 * A warehouse that mixes files with order values and a file of customer ids and dates only: a purchase day whose lines
 * have no amount is a purchase (frequency, recency) but no spend — not a spend of 0. A user trial: a customer with
 * repeat days of 313.06 and one without an amount got monetary_value 156.53 (the sum over both days), 686 customers so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { buildLearnedFeaturesSql } from '../../src/features/learned-features.js';
import { insertMixedLines, MIXED_SUMMARY, mixedSummaryRows } from '../helpers/mixed-order-values.js';
import { memoryWarehouse } from '../helpers/warehouse.js';

describe('the customer summary of a warehouse mixing files with and without order values', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await memoryWarehouse();
    await insertMixedLines(warehouse);
  });
  afterAll(() => warehouse?.close());

  it('by day: spend statistics over the occasions with a known amount only (a day without one is no spend of 0)', async () => {
    expect(await mixedSummaryRows(warehouse, 'day')).toEqual(MIXED_SUMMARY);
  });

  it('by order: lines without an order id are an order of their second, and count as no spend the same way', async () => {
    // by order, e's line without an amount (15:00) is an occasion of its own: three occasions, two with a spend
    expect(await mixedSummaryRows(warehouse, 'order')).toEqual(MIXED_SUMMARY.map((row) => (row[0] === 'e' ? ['e', 2, 20, 1, 2, 50] : row)));
  });
});

describe('the learned features of a warehouse mixing files with and without order values', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await memoryWarehouse();
    await insertMixedLines(warehouse);
  });
  afterAll(() => warehouse?.close());

  it("carry the summary's monetary value and frequency, and take spend per occasion over the occasions with a known amount", async () => {
    const rows = await warehouse.query(`SELECT * FROM (${buildLearnedFeaturesSql(warehouse.dialect, { asOf: '2023-03-31', timeUnit: 'week' })}) f ORDER BY customer_id`);
    expect(rows.map((r) => [r.customer_id, r.monetary_value, r.monetary_frequency, r.monetary_mean, r.monetary_max, r.monetary_trend])).toEqual([
      ['a', 313.06, 1, 206.53, 313.06, 1.515808841],
      ['b', 60, 2, 60, 70, 1.166666667],
      ['c', 0, 0, 40, 40, 1],
      ['d', null, 0, null, null, null],
      ['e', 20, 1, 25, 30, 0.8],
      ['f', 14, 2, 12.666667, 16, 1.263157895],
    ]);
  });
});
