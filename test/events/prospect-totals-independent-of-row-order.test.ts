/**
 * The prospects' mean conversion propensity and their expected first-year value in all (run.json's `prospects`, the
 * report's and the dashboard's events page) were `avg` and `sum` over doubles in the order the engine met the rows:
 * the same prospects stored in another order gave another last digit. They are now exact sums (`orderFreeSum`).
 */
import { describe, expect, it } from 'vitest';
import { prospectTotals } from '../../src/events/score-prospects.js';
import { withMemoryWarehouse } from '../helpers/warehouse.js';

/** 30 prospects with propensities 0.1, 0.2, 0.3 (ten each) and values 7.3 times those, one without a propensity, in the given order. */
async function totals(order: 'forward' | 'reversed' | 'sorted') {
  const rows = Array.from({ length: 30 }, (_, i) => [0.1, 0.2, 0.3][i % 3]!).map((p, i) => `('k${i}', ${p}::DOUBLE, ${p * 7.3}::DOUBLE)`);
  rows.push("('k30', NULL::DOUBLE, NULL::DOUBLE)");
  if (order === 'reversed') rows.reverse();
  if (order === 'sorted') rows.sort((a, b) => a.split(', ')[1]!.localeCompare(b.split(', ')[1]!)); // NULL first, then 0.1, 0.2, 0.3
  return withMemoryWarehouse(async (warehouse) => {
    await warehouse.execute(`CREATE TABLE customer_prospects AS SELECT * FROM (VALUES ${rows.join(', ')}) t(customer_id, conversion_propensity, expected_first_year_value)`);
    return prospectTotals(warehouse);
  });
}

describe('the prospects’ totals', () => {
  it('are the same, to the last bit, from the same prospects stored in another order (avg and sum over doubles were not)', async () => {
    const forward = await totals('forward');
    // 10 × (0.1 + 0.2 + 0.3) / 30 and 7.3 × 6, as exact decimals (`avg` and `sum` over the doubles missed them in the last digit)
    expect(forward).toEqual({ prospects: 31, meanPropensity: 0.2, expectedFirstYearValueTotal: 43.8 });
    expect(await totals('reversed')).toEqual(forward);
    expect(await totals('sorted')).toEqual(forward);
  });

  it('have no mean propensity when no prospect has one, and no value', async () => {
    await withMemoryWarehouse(async (warehouse) => {
      await warehouse.execute('CREATE TABLE customer_prospects (customer_id VARCHAR, conversion_propensity DOUBLE, expected_first_year_value DOUBLE)');
      expect(await prospectTotals(warehouse)).toEqual({ prospects: 0, meanPropensity: Number.NaN, expectedFirstYearValueTotal: 0 });
    });
  });
});
