import { describe, expect, it } from 'vitest';
import { computeHoldoutMetrics } from '../../src/models/compute-holdout-metrics.js';

describe('computeHoldoutMetrics', () => {
  it('computes totals, errors and the decile MAPE by hand', () => {
    const actual = Float64Array.of(0, 2, 4);
    const predicted = Float64Array.of(1, 1, 3);
    const m = computeHoldoutMetrics(actual, predicted);
    expect(m.predictedTotal).toBe(5);
    expect(m.actualTotal).toBe(6);
    expect(m.totalRelativeError).toBeCloseTo(-1 / 6, 12);
    expect(m.mae).toBeCloseTo(1, 12);
    expect(m.rmse).toBeCloseTo(1, 12);
    // 3 customers in 10 groups: groups of one, ordered by prediction (3, then the tied 1 and 1, each counted by their
    // mean outcome 1, whatever their order): |3−4|/4, |1−1|/1, |1−1|/1
    expect(m.decileMape).toBeCloseTo((0.25 + 0 + 0) / 3, 12);
    // the same with the tied customers' outcomes the other way round (ties used to be broken by position)
    const swapped = computeHoldoutMetrics(Float64Array.of(2, 0, 4), predicted);
    expect([swapped.decileMape, swapped.gini]).toEqual([m.decileMape, m.gini]);
    // Gini: 4 first, then the tie block (1, 1): shares 4/6, 5/6, 1 → 2.5/3 − 4/6 = 1/6; perfect (4, 2, 0): 4/6, 1, 1 → 8/9 − 4/6 = 2/9
    expect(m.gini).toBeCloseTo(1 / 6 / (2 / 9), 12);
  });

  it('ranks by value for the Gini when spend is given', () => {
    const actual = Float64Array.of(1, 1);
    const byPurchases = computeHoldoutMetrics(actual, Float64Array.of(1, 2));
    const byValue = computeHoldoutMetrics(actual, Float64Array.of(1, 2), { actual: Float64Array.of(10, 0), predicted: Float64Array.of(10, 1) });
    expect(byValue.gini).toBe(1);
    expect(byPurchases.gini).not.toBe(byValue.gini);
  });
});
