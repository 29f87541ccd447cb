import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { computeCohorts } from '../../src/features/cohorts.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { FIXTURES, memoryWarehouse } from '../helpers/warehouse.js';

// Tiny shop, first-purchase months: 2023-01 A, B, D, I · 2023-02 C · 2023-03 G. Later purchases: A 02-10 (25.50), 03-15 (10.00); D 04-01 (7.25).
describe('cohorts on the tiny shop', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await memoryWarehouse();
    await ingestFiles(warehouse, [`${FIXTURES}shop/tiny-shop.csv`], { now: new Date('2024-01-01T00:00:00Z') });
  });
  afterAll(() => warehouse.close());

  it('retention, revenue and cumulative value per customer by months since acquisition, as computed by hand', async () => {
    const result = await computeCohorts(warehouse, { asOf: '2023-04-01' });
    expect(result.lastPeriodPartial).toBe(true);
    expect(result.cohorts.map((c) => [c.label, c.start, c.customers])).toEqual([
      ['2023-01', '2023-01-01', 4],
      ['2023-02', '2023-02-01', 1],
      ['2023-03', '2023-03-01', 1],
    ]);
    const [jan, feb, mar] = result.cohorts;
    expect(jan!.retention).toEqual([1, 0.25, 0.25, 0.25]); // A in Feb and Mar, D in Apr
    expect(jan!.activeCustomers).toEqual([4, 1, 1, 1]);
    expect(jan!.revenue).toEqual([130.5, 25.5, 10, 7.25]); // Jan: A 20 + B 15 + D 40 + I 55.5
    expect(jan!.cumulativeValuePerCustomer).toEqual([32.625, 39, 41.5, 43.3125]);
    expect(feb!.retention).toEqual([1, 0, 0, null]);
    expect(feb!.revenue).toEqual([0, 0, 0, null]); // C bought 10 and returned it two days later
    expect(mar!.retention).toEqual([1, 0, null, null]);
    expect(mar!.cumulativeValuePerCustomer).toEqual([99, 99, null, null]);
  });

  it('new vs established: spend and churn in the next window by tenure at its start, as computed by hand', async () => {
    // reference day 2023-03-02 (30-day window to 04-01); tenure then: C 29, B 41, D 51, A 56, I 59 days (G not yet a customer)
    const result = await computeCohorts(warehouse, { asOf: '2023-04-01', windowDays: 30, tenureBucketDays: [0, 30, 50] });
    expect(result.tenure.referenceDay).toBe('2023-03-02');
    expect(result.tenure.buckets).toEqual([
      { label: '0–29 days', minDays: 0, maxDays: 30, customers: 1, spendPerCustomer: 0, repurchaseRate: 0, churnRate: 1 },
      { label: '30–49 days', minDays: 30, maxDays: 50, customers: 1, spendPerCustomer: 0, repurchaseRate: 0, churnRate: 1 },
      { label: '50+ days', minDays: 50, maxDays: null, customers: 3, spendPerCustomer: (10 + 7.25) / 3, repurchaseRate: 2 / 3, churnRate: 1 - 2 / 3 },
    ]);
    await expect(computeCohorts(warehouse, { asOf: '2023-04-01', tenureBucketDays: [10, 20] })).rejects.toThrow(/must start at 0/);
  });
});
