import { describe, expect, it } from 'vitest';
import { predictSpendPerPurchase, predictSpendPerPurchaseAll } from '../../../src/models/gamma-gamma/spend-per-purchase.js';

const PUBLISHED = { p: 6.25, q: 3.74, gamma: 15.44 };

describe('predictSpendPerPurchase (one formula for point estimate, intervals and SQL join)', () => {
  it('is the Gamma-Gamma posterior mean p(γ + x m̄)/(px + q − 1) where finite', () => {
    expect(predictSpendPerPurchase(PUBLISHED, 2, 30, 99)).toBeCloseTo((6.25 * (15.44 + 60)) / (12.5 + 2.74), 12);
    // extreme m̄: a weighted average of population mean and m̄, so between them
    const huge = predictSpendPerPurchase(PUBLISHED, 3, 1e9, 99);
    expect(huge).toBeCloseTo((6.25 * (15.44 + 3e9)) / (18.75 + 2.74), 0);
    expect(predictSpendPerPurchase(PUBLISHED, 1, 1e-9, 99)).toBeCloseTo((6.25 * (15.44 + 1e-9)) / (6.25 + 2.74), 12);
  });

  it('x = 0: the population mean pγ/(q−1); with q ≤ 1 (infinite mean) the fallback', () => {
    expect(predictSpendPerPurchase(PUBLISHED, 0, 0, 99)).toBeCloseTo((6.25 * 15.44) / 2.74, 12);
    expect(predictSpendPerPurchase({ p: 1, q: 0.5, gamma: 10 }, 0, 0, 99)).toBe(99);
  });

  it('px + q ≤ 1 (infinite posterior mean): the customer’s own mean; m̄ ≤ 0: population mean or fallback', () => {
    expect(predictSpendPerPurchase({ p: 0.1, q: 0.5, gamma: 10 }, 2, 30, 99)).toBe(30);
    expect(predictSpendPerPurchase(PUBLISHED, 5, 0, 99)).toBeCloseTo((6.25 * 15.44) / 2.74, 12);
    expect(predictSpendPerPurchase({ p: 0.1, q: 0.5, gamma: 10 }, 5, 0, 99)).toBe(99);
  });

  it('without a Gamma-Gamma fit: own mean for repeat buyers, fallback otherwise', () => {
    expect(Array.from(predictSpendPerPurchaseAll(null, Float64Array.of(0, 3, 2), Float64Array.of(0, 12, Number.NaN), 7))).toEqual([7, 12, 7]);
  });
});
