/**
 * Gamma-Gamma's input in a warehouse mixing files with and without order values: its x is the number of repeat
 * occasions whose spend is known and m̄ their mean. A file of customer ids and dates only, adding a purchase day to a
 * third of the customers, leaves the spend model as it was; before, its days counted in x and as spends of 0 in m̄.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { buildCustomerSummarySql } from '../../src/features/customer-summary.js';
import { runValueStep, type ValueModelCard } from '../../src/pipeline/value-step.js';
import { validateModels } from '../../src/pipeline/validate-models.js';

/** 600 buyers on 1–6 pseudo-random days of 2023 up to 26 Dec, every line with an amount; `withVisits`: every third also on 29 Dec, no amount. */
async function shop(withVisits: boolean): Promise<Warehouse> {
  const wh = await openDuckDbWarehouse(':memory:', { threads: 2 });
  await wh.execute(`
    INSERT INTO transactions (order_id, customer_id, ts, quantity, unit_price, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash)
    SELECT NULL, 'c' || CAST(c AS VARCHAR), TIMESTAMP '2023-01-01' + to_days(CAST(hash(c * 7919 + k) % 360 AS INTEGER)), 1,
      5 + hash(c) % 60 + hash(c * 31 + k) % 15, 5 + hash(c) % 60 + hash(c * 31 + k) % 15, FALSE, FALSE, 1, 'orders.csv', c * 100 + k, md5(CAST(c AS VARCHAR) || '-' || CAST(k AS VARCHAR))
    FROM range(600) r(c), range(6) s(k) WHERE k <= c % 6`);
  if (withVisits) {
    await wh.execute(`
      INSERT INTO transactions (order_id, customer_id, ts, quantity, unit_price, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash)
      SELECT NULL, 'c' || CAST(c AS VARCHAR), TIMESTAMP '2023-12-29 10:00:00', NULL, NULL, NULL, FALSE, FALSE, 2, 'visits.csv', c, md5('visit-' || CAST(c AS VARCHAR))
      FROM range(600) r(c) WHERE c % 3 = 0`);
  }
  await wh.execute(`CREATE TABLE customer_summary AS ${buildCustomerSummarySql(wh.dialect, { asOf: '2023-12-31', timeUnit: 'week' })}`);
  return wh;
}

describe('the value step on a warehouse mixing files with and without order values', () => {
  let orders: Warehouse;
  let mixed: Warehouse;
  let alone: ValueModelCard;
  let beside: ValueModelCard;
  beforeAll(async () => {
    orders = await shop(false);
    mixed = await shop(true);
    alone = await runValueStep(orders, { asOf: '2023-12-31', timeUnit: 'week', grain: 'day', models: ['bgnbd'] });
    beside = await runValueStep(mixed, { asOf: '2023-12-31', timeUnit: 'week', grain: 'day', models: ['bgnbd'] });
  }, 120_000);
  afterAll(async () => {
    await orders?.close();
    await mixed?.close();
  });

  it('the visits add purchases, not spends: more repeat days, the same Gamma-Gamma fit on the same repeat buyers', async () => {
    const [a] = await orders.query('SELECT sum(frequency) AS f FROM customer_summary');
    const [b] = await mixed.query('SELECT sum(frequency) AS f, sum(monetary_frequency) AS mf FROM customer_summary');
    expect(Number(b!.f) - Number(a!.f)).toBe(200);
    expect(Number(b!.mf)).toBe(Number(a!.f));
    expect(alone.spend!.params!.p).toBeGreaterThan(0);
    expect(beside.spend!.repeatBuyers).toBe(alone.spend!.repeatBuyers);
    expect(beside.spend!.params).toEqual(alone.spend!.params);
    expect(beside.spend!.populationMeanSpend).toBe(alone.spend!.populationMeanSpend);
  });

  it("every customer's spend per purchase is the one without the visits (the CLV differs by the purchases alone)", async () => {
    const spend = (wh: Warehouse) => wh.query('SELECT monetary_frequency, monetary_value, spend_per_purchase FROM clv_spend_scores ORDER BY monetary_frequency, monetary_value');
    const withVisits = await spend(mixed);
    expect(withVisits.length).toBeGreaterThan(100);
    expect(withVisits).toEqual(await spend(orders));
    // c0 bought on one day, and visited once more: a repeat purchase day without a spend, so the population's mean spend
    const [c0] = await mixed.query("SELECT frequency, monetary_frequency, monetary_value FROM customer_summary WHERE customer_id = 'c0'");
    expect(c0).toEqual({ frequency: 1, monetary_frequency: 0, monetary_value: 0 });
  });

  it('validate on the warehouse says it mixes files with and without order values', async () => {
    const result = await validateModels(mixed, { calibrationEnd: '2023-09-30', timeUnit: 'week', grain: 'day', learned: false, seed: 1 });
    expect(result.warnings).toContain(
      'the warehouse mixes files with and without order values: 200 purchase lines (visits.csv) have no amount, beside 2,100 with one; a purchase day without an amount counts as a purchase, not as a spend of 0: monetary value, the spend model and the average order take the days with a known amount, and revenue and historic CLV count the known amounts only',
    );
  }, 60_000);
});
