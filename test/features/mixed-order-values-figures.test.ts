/**
 * The money figures beside the summary in a warehouse mixing files with and without order values: a purchase whose
 * lines have no amount is no spend of 0 in the average order (headline and KPIs), the mean historic CLV, RFM's spend
 * per occasion, the cohorts' revenue and the tenure buckets' spend per customer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { computeCohorts } from '../../src/features/cohorts.js';
import { buildCustomerSummarySql } from '../../src/features/customer-summary.js';
import { computeHeadlineStats } from '../../src/features/headline-stats.js';
import { computeKpis } from '../../src/features/kpis.js';
import { buildRfmScoresSql } from '../../src/segments/build-rfm-scores-sql.js';
import { insertMixedLines } from '../helpers/mixed-order-values.js';
import { memoryWarehouse } from '../helpers/warehouse.js';

// MIXED_LINES: 661.06 of known spend in 10 orders with an amount (a1, a3, b2, b3, c1, e1, e2, f1–f3), 6 lines without
describe('money figures of a warehouse mixing files with and without order values', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await memoryWarehouse();
    await insertMixedLines(warehouse);
  });
  afterAll(() => warehouse?.close());

  it('KPIs: the average order over the 10 orders with a value (not the 16 order keys), the mean historic CLV over the 5 customers with a known spend', async () => {
    const [all] = await computeKpis(warehouse, { asOf: '2023-03-31', periodDays: 30 });
    expect(all!.averageOrderValue).toBeCloseTo(661.06 / 10, 10);
    expect(all!.historicClv).toBeCloseTo(661.06 / 5, 10);
  });

  it('headline: the average order over the orders with a value (10, of the summary’s 15)', async () => {
    await warehouse.execute(`CREATE OR REPLACE TABLE mixed_summary AS ${buildCustomerSummarySql(warehouse.dialect, { asOf: '2023-03-31', timeUnit: 'week' })}`);
    const headline = await computeHeadlineStats(warehouse, 'mixed_summary', '2023-04-01T00:00:00.000Z');
    expect(headline.orders).toBe(15);
    expect(headline.netRevenue).toBeCloseTo(661.06, 10);
    expect(headline.averageOrderValue).toBeCloseTo(661.06 / 10, 10);
  });

  it('RFM: spend per occasion over the occasions with a known spend', async () => {
    const rows = await warehouse.query(`SELECT customer_id, monetary FROM (${buildRfmScoresSql(warehouse.dialect, { asOf: '2023-03-31', monetary: 'average' })}) r ORDER BY customer_id`);
    expect(rows.map((r) => [r.customer_id, r.monetary])).toEqual([['a', 206.53], ['b', 60], ['c', 40], ['d', null], ['e', 25], ['f', 12.666667]]);
  });

  it('cohorts: a month whose purchases have no amount has unknown revenue (not 0), and so the cumulative value from it on; the tenure buckets’ spend per customer leaves out buyers of unknown spend', async () => {
    await warehouse.execute(`INSERT INTO transactions (order_id, customer_id, ts, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES
      (NULL, 'c', TIMESTAMP '2023-02-15 10:00:00', NULL, false, false, 2, 'visits.csv', 101, 'x1'),
      (NULL, 'd', TIMESTAMP '2023-03-20 10:00:00', NULL, false, false, 2, 'visits.csv', 102, 'x2'),
      ('f4', 'f', TIMESTAMP '2023-03-21 10:00:00', 12, false, false, 3, 'orders.csv', 103, 'x3')`);
    try {
      const cohorts = await computeCohorts(warehouse, { asOf: '2023-03-31', windowDays: 30 });
      const january = cohorts.cohorts.find((c) => c.label === '2023-01')!;
      expect(january.revenue.map((v) => (v === null ? null : Math.round(v * 100) / 100))).toEqual([661.06, null, 12]);
      expect(january.cumulativeValuePerCustomer).toEqual([661.06 / 6, null, null]);
      // bought by 2023-03-01: all six; in the next 30 days d (no amount: left out) and f (12); a, b, c, e spent 0
      const buckets = cohorts.tenure.buckets.filter((b) => b.customers > 0);
      expect(buckets.map((b) => [b.customers, b.spendPerCustomer])).toEqual([[6, 12 / 5]]);
    } finally {
      await warehouse.execute("DELETE FROM transactions WHERE row_hash IN ('x1', 'x2', 'x3')");
    }
  });
});
