import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { assignValueTiers, cumulativeTierShares } from '../../src/segments/assign-value-tiers.js';
import { FIXTURES, memoryWarehouse } from '../helpers/warehouse.js';

// The tiny shop as of 2023-04-01: historic value (net spend, no costs) G 99, A 55.5, I 55.5, D 47.25, B 15, C 0.
// A hand-made scores table: predicted B 50, I 40, D 30, A 10, G 5, C 0.
describe('value tiers and the value quadrant on the tiny shop', () => {
  let warehouse: Warehouse;
  const tiersOf = async (table: string) =>
    Object.fromEntries((await warehouse.query(`SELECT customer_id, value_tier, value_quadrant FROM ${table} ORDER BY customer_id`)).map((r) => [r.customer_id, [r.value_tier, r.value_quadrant]]));
  beforeAll(async () => {
    warehouse = await memoryWarehouse();
    await ingestFiles(warehouse, [`${FIXTURES}shop/tiny-shop.csv`], { now: new Date('2024-01-01T00:00:00Z') });
    await warehouse.execute(
      "CREATE TABLE test_scores AS SELECT * FROM (VALUES ('A', 10.0), ('B', 50.0), ('C', 0.0), ('D', 30.0), ('G', 5.0), ('I', 40.0)) t(customer_id, predicted_clv_12m)",
    );
  });
  afterAll(() => warehouse.close());

  it('by historic value: a tie at the 20% cut takes the whole block into the high tier', async () => {
    const tiers = await assignValueTiers(warehouse, { asOf: '2023-04-01', scoresTable: null });
    expect(tiers.basis).toBe('historic');
    expect(tiers.quadrant).toBeNull();
    // ranks: G 1, A 2, I 2, D 4, B 5, C 6; high: rank ≤ ⌈0.2 · 6⌉ = 2, medium: rank ≤ ⌈0.5 · 6⌉ = 3 (nobody), low: the rest
    expect(await tiersOf(tiers.table)).toEqual({ A: ['high', null], B: ['low', null], C: ['low', null], D: ['low', null], G: ['high', null], I: ['high', null] });
    expect(tiers.tiers.map((t) => [t.name, t.customers, t.targetShare])).toEqual([
      ['high', 3, 0.2],
      ['medium', 0, 0.3],
      ['low', 3, 0.5],
    ]);
    const high = tiers.tiers[0]!;
    expect(high).toMatchObject({ minValue: 55.5, maxValue: 99, share: 0.5, predictedValue: null });
    expect(high.historicValueShare).toBeCloseTo(210 / 272.25, 12);
  });

  it('by predicted value, with the quadrant split at the medians (equal to the median counts as low)', async () => {
    const tiers = await assignValueTiers(warehouse, { asOf: '2023-04-01', scoresTable: 'test_scores', table: 'tiers_predicted' });
    expect(tiers.basis).toBe('predicted');
    // predicted ranks: B 1, I 2, D 3, A 4, G 5, C 6; historic median (47.25 + 55.5) / 2, predicted median (10 + 30) / 2
    expect(tiers.quadrant!.historicThreshold).toBeCloseTo(51.375, 12);
    expect(tiers.quadrant!.predictedThreshold).toBeCloseTo(20, 12);
    expect(await tiersOf(tiers.table)).toEqual({
      A: ['low', 'fading'],
      B: ['high', 'rising'],
      C: ['low', 'low'],
      D: ['medium', 'rising'],
      G: ['low', 'fading'],
      I: ['high', 'stars'],
    });
    expect(tiers.quadrant!.quadrants.map((q) => [q.key, q.customers, q.historicValue, q.predictedValue])).toEqual([
      ['stars', 1, 55.5, 40],
      ['rising', 2, 62.25, 80],
      ['fading', 2, 154.5, 15],
      ['low', 1, 0, 0],
    ]);
    expect(tiers.tiers[0]!.predictedValueShare).toBeCloseTo(90 / 135, 12);
  });

  it('takes custom tiers and checks them', async () => {
    const tiers = await assignValueTiers(warehouse, { asOf: '2023-04-01', scoresTable: 'test_scores', table: 'tiers_custom', tiers: [{ name: 'top', share: 0.5 }, { name: 'rest' }] });
    expect(tiers.tiers.map((t) => t.customers)).toEqual([3, 3]);
    expect(() => cumulativeTierShares([{ name: 'a', share: 0.7 }, { name: 'b', share: 0.5 }])).toThrow(/more than 1/);
    expect(() => cumulativeTierShares([{ name: 'a' }, { name: 'b' }])).toThrow(/no share/);
    expect(() => cumulativeTierShares([{ name: 'a', share: 0.5 }, { name: 'a' }])).toThrow(/repeated/);
    await expect(assignValueTiers(warehouse, { asOf: '2023-04-01', scoresTable: null, basis: 'predicted' })).rejects.toThrow(/need the value model scores/);
  });
});
