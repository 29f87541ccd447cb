/**
 * `lifetimes`' example transaction log (its Quickstart's load_transaction_data()):
 * the summaries and the BG/NBD fit its Quickstart prints, reproduced from the
 * log by clvkit's SQL and fit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { buildCustomerSummarySql } from '../../src/features/customer-summary.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { fitBgNbd } from '../../src/models/bgnbd/bgnbd.js';
import { FIXTURES, memoryWarehouse } from '../helpers/warehouse.js';

describe('lifetimes example_transactions.csv', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await memoryWarehouse();
    await ingestFiles(warehouse, [`${FIXTURES}example-transactions/example_transactions.csv.gz`], { map: { customer_id: 'id', date: 'date' }, keepCustomerIds: true });
  });
  afterAll(() => warehouse.close());

  const head = async (sql: string, columns: string) =>
    (await warehouse.query(`SELECT ${columns} FROM (${sql}) s WHERE CAST(customer_id AS INTEGER) < 5 ORDER BY CAST(customer_id AS INTEGER)`)).map((r) => Object.values(r).map(Number));

  it('summary_data_from_transaction_data(…, observation_period_end="2014-12-31"): the Quickstart head', async () => {
    expect(await head(buildCustomerSummarySql(warehouse.dialect, { asOf: '2014-12-31', timeUnit: 'day' }), 'frequency, recency, T')).toEqual([
      [0, 0, 298], [0, 0, 224], [6, 142, 292], [0, 0, 147], [2, 9, 183],
    ]);
  });

  it('calibration_and_holdout_data(…, "2014-09-01", "2014-12-31"): the Quickstart head', async () => {
    const sql = buildCustomerSummarySql(warehouse.dialect, { asOf: '2014-09-01', holdoutEnd: '2014-12-31', timeUnit: 'day' });
    expect(await head(sql, 'frequency, recency, T, frequency_holdout, duration_holdout')).toEqual([
      [0, 0, 177, 0, 121], [0, 0, 103, 0, 121], [6, 142, 171, 0, 121], [0, 0, 26, 0, 121], [2, 9, 62, 0, 121],
    ]);
  });

  it('BetaGeoFitter on that summary: "fitted with 5000 subjects, a: 1.85, alpha: 1.86, b: 3.18, r: 0.16"', async () => {
    const rows = await warehouse.queryColumns(`SELECT frequency, recency, T FROM (${buildCustomerSummarySql(warehouse.dialect, { asOf: '2014-12-31', timeUnit: 'day' })}) s`);
    const frequency = rows.columns.frequency as Float64Array;
    expect(frequency.length).toBe(5000);
    const fitted = fitBgNbd({ frequency, recency: rows.columns.recency as Float64Array, T: rows.columns.T as Float64Array, weight: new Float64Array(5000).fill(1) });
    expect(fitted.params.a).toBeCloseTo(1.85, 2);
    expect(fitted.params.alpha).toBeCloseTo(1.86, 2);
    expect(fitted.params.b).toBeCloseTo(3.18, 2);
    expect(fitted.params.r).toBeCloseTo(0.16, 2);
  });
});
