import { afterEach, describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { derivedTable } from '../../src/engine/derived-tables.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { buildCustomerSummarySql } from '../../src/features/customer-summary.js';
import { predictSpendPerPurchase } from '../../src/models/gamma-gamma/spend-per-purchase.js';
import { runValueStep, SPEND_SKIPPED_NO_VALUES, writeSpendScores } from '../../src/pipeline/value-step.js';
import { formatModelSelection } from '../../src/cli/commands/validate-command.js';

let warehouse: Warehouse | null = null;
afterEach(async () => {
  await warehouse?.close();
  warehouse = null;
});

/** `customers` buyers, each on `days` pseudo-random days of 2023 (hash-seeded), amount per line or NULL. */
async function steadyShop(customers: number, days: number, amountSql: string): Promise<Warehouse> {
  const wh = await openDuckDbWarehouse(':memory:');
  // frequency-only logs (customer_id, date) carry amount NULL; older schemas still declare it NOT NULL
  if (amountSql.includes('NULL')) for (const column of ['amount', 'unit_price']) await wh.execute(`ALTER TABLE transactions ALTER COLUMN ${column} DROP NOT NULL`).catch(() => undefined);
  await wh.execute(`
    INSERT INTO transactions
    SELECT NULL, 'c' || CAST(c AS VARCHAR), TIMESTAMP '2023-01-01' + to_days(CAST(hash(c * 7919 + k) % 365 AS INTEGER)), NULL, NULL, NULL, 1, ${amountSql}, ${amountSql}, NULL, NULL, NULL, NULL, FALSE, FALSE, 1, 'gen', c * 100 + k, md5(CAST(c AS VARCHAR) || '-' || CAST(k AS VARCHAR))
    FROM range(${customers}) r(c), range(${days}) s(k)`);
  await wh.execute(`CREATE TABLE customer_summary AS ${buildCustomerSummarySql(wh.dialect, { asOf: '2023-12-31', timeUnit: 'week' })}`);
  return wh;
}

describe('the value step on shops the BTYD models do not describe', () => {
  it('steady buyers who never drop out (regression: analyze ran for >600 s): boundary fit, finite scores, no intervals', async () => {
    warehouse = await steadyShop(1500, 12, '10 + c % 7');
    const card = await runValueStep(warehouse, { asOf: '2023-12-31', timeUnit: 'week', grain: 'day' });
    expect(card.final.fit.boundary?.meaning).toMatch(/no dropout/);
    expect(card.clv.intervalsSkipped).toMatch(/boundary/);
    // every candidate runs off on this shop: validate's table says which limit each one reached
    expect(card.comparison.every((c) => c.fit.boundary !== undefined && !c.fit.converged)).toBe(true);
    // each settled on its limit (the NBD or the Poisson, converged: fit-boundary.ts reachedOptimum), so the reason says where, not that
    // nothing converged (regression: "no model converged" and an analyze warning to treat the scores with care)
    expect(card.reason).toMatch(/every fit that settled sits on a boundary of the parameter space, with its limiting model fitted in its place \(no standard errors\) — the data show no dropout/);
    expect(card.reason).not.toMatch(/no model converged/);
    const table = formatModelSelection(card);
    expect(table).toMatch(/BG\/NBD: estimates run off to a\/b → 0.*no dropout/);
    expect(table.split('\n').filter((line) => / edge /.test(line))).toHaveLength(3);
    const [row] = await warehouse.query(`
      SELECT count(*) AS n, min(p_alive) AS pmin, max(p_alive) AS pmax, min(expected_purchases_365d) AS emin,
        count(*) FILTER (WHERE isfinite(predicted_clv_12m) AND predicted_clv_12m >= 0) AS clv_ok,
        count(predicted_clv_12m_low) AS intervals
      FROM customer_scores`);
    expect(Number(row!.n)).toBe(1500);
    expect(Number(row!.pmin)).toBeGreaterThanOrEqual(0);
    expect(Number(row!.pmax)).toBeLessThanOrEqual(1);
    expect(Number(row!.emin)).toBeGreaterThan(0);
    expect(Number(row!.clv_ok)).toBe(1500);
    expect(Number(row!.intervals)).toBe(0);
  }, 120_000);

  it('frequency-only data (amounts NULL): purchase scores, no spend model, the catalogue\'s CLV columns written NULL by the step itself, and the card says why', async () => {
    warehouse = await steadyShop(800, 6, 'CAST(NULL AS DOUBLE)');
    const card = await runValueStep(warehouse, { asOf: '2023-12-31', timeUnit: 'week', grain: 'day' });
    expect(card.spend).toBeUndefined();
    expect(card.spendSkipped).toBe(SPEND_SKIPPED_NO_VALUES);
    expect(card.clv.skipped).toBe(SPEND_SKIPPED_NO_VALUES);
    const columns = await warehouse.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'customer_scores' ORDER BY ordinal_position");
    // every catalogue column, in its declared type: nothing for a later stage to add
    expect(columns.map((c) => [c.column_name, c.data_type])).toEqual(derivedTable('customer_scores').columns.map((c) => [c.name, c.type]));
    const [row] = await warehouse.query('SELECT count(*) AS n, count(p_alive) AS scored, count(predicted_clv_12m) + count(predicted_clv_12m_low) + count(predicted_clv_12m_high) AS clv FROM customer_scores');
    expect(Number(row!.scored)).toBe(800);
    expect(Number(row!.clv)).toBe(0);
  }, 120_000);
});

describe('writeSpendScores', () => {
  it('writes exactly predictSpendPerPurchase for x = 0, q ≤ 1, px + q ≤ 1 and extreme m̄ (no SQL copy of the formula)', async () => {
    warehouse = await openDuckDbWarehouse(':memory:');
    await warehouse.execute(`CREATE TABLE customer_summary AS SELECT * FROM (VALUES
      (0.0, 0.0), (0.0, NULL), (2.0, 30.0), (3.0, 1e9), (1.0, 1e-9), (5.0, 0.0), (40.0, 12.5)) v(monetary_frequency, monetary_value)`);
    const rows = async () => (await warehouse!.query('SELECT monetary_frequency, monetary_value, spend_per_purchase FROM clv_spend_scores ORDER BY monetary_frequency, monetary_value'));
    for (const params of [{ p: 6.25, q: 3.74, gamma: 15.44 }, { p: 0.1, q: 0.5, gamma: 10 }, null]) {
      await writeSpendScores(warehouse, params, 42);
      const written = await rows();
      expect(written).toHaveLength(7);
      for (const r of written) {
        const m = r.monetary_value === null ? NaN : Number(r.monetary_value);
        const expected = predictSpendPerPurchase(params, Number(r.monetary_frequency), m, 42);
        expect(Number(r.spend_per_purchase)).toBe(expected);
        expect(Number.isFinite(expected) && expected >= 0).toBe(true);
      }
    }
  });
});
