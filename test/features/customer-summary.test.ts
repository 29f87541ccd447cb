import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { buildCompressedSummarySql, buildCustomerSummarySql } from '../../src/features/customer-summary.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { fitGammaGamma, type GammaGammaParams } from '../../src/models/gamma-gamma/gamma-gamma.js';
import { FIXTURES, memoryWarehouse } from '../helpers/warehouse.js';

function readExpectedSummary(): Map<number, { frequency: number; recency: number; T: number }> {
  const lines = readFileSync(`${FIXTURES}cdnow/cdnow_customers_summary.csv`, 'utf8').trim().split('\n').slice(1);
  return new Map(
    lines.map((line) => {
      const [id, frequency, recency, T] = line.split(',').map(Number);
      return [id!, { frequency: frequency!, recency: recency!, T: T! }];
    }),
  );
}

describe('customer summary on the CDNOW sample', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await memoryWarehouse();
    // column 2 is the sample id the published summary uses
    await ingestFiles(warehouse, [`${FIXTURES}cdnow/CDNOW_sample.txt.gz`], { map: { customer_id: '2', date: '3', quantity: '4', amount: '5' } });
  });
  afterAll(() => warehouse.close());

  it('equals the published 39-week calibration summary for all 2,357 customers (to 2 decimals)', async () => {
    const expected = readExpectedSummary();
    const rows = await warehouse.query(buildCustomerSummarySql(warehouse.dialect, { asOf: '1997-09-30', timeUnit: 'week' }));
    expect(rows).toHaveLength(2357);
    let mismatches = 0;
    for (const row of rows) {
      const want = expected.get(Number(row.customer_id));
      expect(want, `customer ${row.customer_id}`).toBeDefined();
      if (
        row.frequency !== want!.frequency ||
        Math.abs(Number(row.recency) - want!.recency) > 0.005 ||
        Math.abs(Number(row.T) - want!.T) > 0.005
      ) {
        mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('computes the holdout columns and monetary value of repeat days', async () => {
    const rows = await warehouse.query(
      `SELECT * FROM (${buildCustomerSummarySql(warehouse.dialect, { asOf: '1997-09-30', holdoutEnd: '1998-06-30', timeUnit: 'week' })}) WHERE customer_id = '0001'`,
    );
    // customer 1: 1997-01-01 ($29.33), 01-18 ($29.73), 08-02 ($14.96) in calibration; 1997-12-12 ($26.48) in the holdout
    expect(rows[0]).toMatchObject({ frequency: 2, frequency_holdout: 1 });
    expect(Number(rows[0]!.recency)).toBeCloseTo(213 / 7, 10);
    expect(Number(rows[0]!.monetary_value)).toBeCloseTo((29.73 + 14.96) / 2, 10);
    expect(Number(rows[0]!.monetary_value_holdout)).toBeCloseTo(26.48, 10);
    expect(Number(rows[0]!.duration_holdout)).toBeCloseTo(273 / 7, 10);
  });

  it('compresses to unique (x, t_x, T) tuples whose weights add up to the customers', async () => {
    const summary = buildCustomerSummarySql(warehouse.dialect, { asOf: '1997-09-30', timeUnit: 'week' });
    const tuples = await warehouse.query(buildCompressedSummarySql(summary));
    const total = tuples.reduce((sum, row) => sum + Number(row.weight), 0);
    expect(total).toBe(2357);
    expect(tuples.length).toBeLessThan(2357);
    expect(tuples.length).toBeGreaterThan(500);
  });

  it('rejects a bad as-of date with a user error', () => {
    expect(() => buildCustomerSummarySql(warehouse.dialect, { asOf: '1997-13-01', timeUnit: 'week' })).toThrow(/not a date/);
  });
});

describe('customer summary money columns', () => {
  it('do not depend on the order the rows are summed in, to the last bit (regression: the Gamma-Gamma fit moved ~1e-7 between runs)', async () => {
    const warehouse = await memoryWarehouse();
    try {
      // 40 customers × 60 lines of awkward decimal amounts, inserted once in order and once reversed
      await warehouse.execute(`CREATE TABLE lines AS
        SELECT 'c' || CAST(c AS VARCHAR) AS customer_id, TIMESTAMP '2023-01-01' + to_days(CAST(k % 20 AS INTEGER)) + to_minutes(CAST(k AS INTEGER)) AS ts,
          0.1 * (1 + (c * 7 + k * 13) % 97) + 1e-3 * ((c + k) % 7) + 1e5 * CAST(k = 0 AS INTEGER) AS amount, c * 1000 + k AS n
        FROM range(40) r(c), range(60) s(k)`);
      const summaries: unknown[][] = [];
      const fits: GammaGammaParams[] = [];
      for (const order of ['n', 'n DESC', '(n * 7919) % 2399']) {
        await warehouse.execute('DELETE FROM transactions');
        await warehouse.execute(`
          INSERT INTO transactions
          SELECT NULL, customer_id, ts, NULL, NULL, NULL, 1, amount, amount, NULL, NULL, NULL, NULL, FALSE, FALSE, 1, 'gen', n, md5(CAST(n AS VARCHAR))
          FROM lines ORDER BY ${order}`);
        const rows = await warehouse.query(`SELECT customer_id, frequency, monetary_value, total_spend, returns FROM (${buildCustomerSummarySql(warehouse.dialect, { asOf: '2023-12-31', timeUnit: 'week' })}) ORDER BY customer_id`);
        summaries.push(rows.map((r) => [r.customer_id, r.monetary_value, r.total_spend, r.returns]));
        const spend = { frequency: Float64Array.from(rows, (r) => Number(r.frequency)), monetary: Float64Array.from(rows, (r) => Number(r.monetary_value)), weight: new Float64Array(rows.length).fill(1) };
        fits.push(fitGammaGamma(spend).params);
      }
      // and so the Gamma-Gamma parameters are the same bits on every run
      expect(fits[0]!.p).toBeGreaterThan(0);
      expect(fits[1]).toEqual(fits[0]);
      expect(fits[2]).toEqual(fits[0]);
      expect(summaries[0]).toHaveLength(40);
      expect(summaries[1]).toEqual(summaries[0]);
      expect(summaries[2]).toEqual(summaries[0]);
    } finally {
      await warehouse.close();
    }
  });
});
