import { describe, expect, it } from 'vitest';
import { computeBrierScore, computePrAuc, computeReliabilityCurve, computeRocAuc } from '../../src/models/classification-metrics.js';
import { computeDecileMape } from '../../src/models/decile-mape.js';

describe('ROC AUC', () => {
  it('counts the ordered positive–negative pairs (3 of 4 here)', () => {
    expect(computeRocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
  });
  it('counts a tie as half a pair', () => {
    // pairs: (0.5 vs 0.5) ½, (0.9 vs 0.5) 1 → 1.5 / 2
    expect(computeRocAuc([0, 1, 1], [0.5, 0.5, 0.9])).toBe(0.75);
  });
  it('is 1 for a perfect ranking, 0 for a reversed one, NaN with one class', () => {
    expect(computeRocAuc([0, 0, 1], [1, 2, 3])).toBe(1);
    expect(computeRocAuc([0, 0, 1], [3, 2, 1])).toBe(0);
    expect(computeRocAuc([1, 1], [0.2, 0.3])).toBeNaN();
  });
});

describe('PR AUC (average precision)', () => {
  it('sums precision at each gain in recall: (1·½ + ⅔·½)', () => {
    expect(computePrAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(5 / 6, 15);
  });
  it('lets tied scores enter together', () => {
    // one threshold: all three rows, 1 positive → recall 1 at precision ⅓
    expect(computePrAuc([0, 1, 0], [0.5, 0.5, 0.5])).toBeCloseTo(1 / 3, 15);
  });
  it('is NaN without positives', () => {
    expect(computePrAuc([0, 0], [0.1, 0.2])).toBeNaN();
  });
});

describe('Brier score and reliability curve', () => {
  it('Brier: mean squared difference', () => {
    // (0.2)² + (0.4)² + (0.9)² = 0.04 + 0.16 + 0.81 → /3
    expect(computeBrierScore([0, 1, 1], [0.2, 0.6, 0.1])).toBeCloseTo(1.01 / 3, 15);
  });
  it('reliability: equal-width bins with mean prediction and observed rate, 1 in the last bin', () => {
    const curve = computeReliabilityCurve([0, 1, 1, 0, 1], [0.1, 0.15, 0.7, 0.75, 1], 2);
    expect(curve).toEqual([
      { lower: 0, upper: 0.5, count: 2, meanPredicted: 0.125, observedRate: 0.5 },
      { lower: 0.5, upper: 1, count: 3, meanPredicted: (0.7 + 0.75 + 1) / 3, observedRate: 2 / 3 },
    ]);
    expect(computeReliabilityCurve([1], [0.05], 4)[3].meanPredicted).toBeNaN();
  });
});

describe('decile MAPE', () => {
  it('compares group means ordered by prediction', () => {
    const result = computeDecileMape([4, 2], [3, 1], 2);
    expect(result.mape).toBe(0.375);
    expect(result.groups).toEqual([
      { count: 1, meanPredicted: 3, meanActual: 4 },
      { count: 1, meanPredicted: 1, meanActual: 2 },
    ]);
  });
  it('counts customers with equal predictions by their mean outcome, whatever their order', () => {
    // regression: ties were broken by position, and validate orders its customers by holdout outcome within equal
    // inputs, so the outcome decided which decile a tied customer fell in (0.375 for [4, 2], 0.25 + … for [2, 4])
    for (const actual of [[4, 2], [2, 4]]) {
      const result = computeDecileMape(actual, [3, 3], 2);
      expect(result.groups).toEqual([{ count: 1, meanPredicted: 3, meanActual: 3 }, { count: 1, meanPredicted: 3, meanActual: 3 }]);
      expect(result.mape).toBe(0);
    }
  });
  it('gives the first n mod groups groups one extra row and skips groups whose actual mean is 0', () => {
    // order by prediction: rows 0 (9), 1 (5), 2 (1) → groups of 2 and 1
    const result = computeDecileMape([2, 4, 0], [9, 5, 1], 2);
    expect(result.groups.map((g) => g.count)).toEqual([2, 1]);
    expect(result.groupsUsed).toBe(1);
    expect(result.mape).toBeCloseTo(Math.abs(7 - 3) / 3, 15);
  });
  it('is 0 for a perfect prediction', () => {
    const y = Array.from({ length: 50 }, (_, i) => i % 7);
    expect(computeDecileMape(y, y).mape).toBe(0);
  });
});
