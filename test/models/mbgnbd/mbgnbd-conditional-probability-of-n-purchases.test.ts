import { describe, expect, it } from 'vitest';
import { predictMbgNbdConditionalPurchases, predictMbgNbdNoPurchaseProbability, predictMbgNbdPurchaseCountProbability, type MbgNbdParams } from '../../../src/models/mbgnbd/mbgnbd.js';
import { mbgNbdConditionalProbabilityOfNPurchases, mbgNbdConditionalProbabilityOfNPurchasesAll } from '../../../src/models/mbgnbd/mbgnbd-conditional-probability-of-n-purchases.js';

const PARAMS: MbgNbdParams = { r: 0.525, alpha: 6.18, a: 0.891, b: 1.614 };

describe('mbgNbdConditionalProbabilityOfNPurchases', () => {
  it('sums to 1 (1e-10), has mean E[X(T, T+t]] (Batislam et al. eq. 6) and P(0) = P(no purchase)', () => {
    for (const [t, x, tx, T] of [[39, 0, 0, 30], [39, 2, 10, 30], [52, 15, 38, 39], [5, 1, 1, 1]]) {
      let total = 0, mean = 0;
      for (let n = 0; n < 2000; n++) {
        const p = mbgNbdConditionalProbabilityOfNPurchases(PARAMS, n, t, x, tx, T);
        expect(p >= 0 && p <= 1).toBe(true);
        total += p;
        mean += n * p;
        if (n > 20 && p < 1e-18) break;
      }
      expect(Math.abs(total - 1), `(${x}, ${tx}, ${T}) t ${t}`).toBeLessThan(1e-10);
      expect(Math.abs(mean / predictMbgNbdConditionalPurchases(PARAMS, t, x, tx, T) - 1)).toBeLessThan(1e-8);
      expect(Math.abs(mbgNbdConditionalProbabilityOfNPurchases(PARAMS, 0, t, x, tx, T) - predictMbgNbdNoPurchaseProbability(PARAMS, t, x, tx, T))).toBeLessThan(1e-12);
    }
  });

  it('at T = 0 with no history it is the unconditional P(X(t) = n) of a new customer', () => {
    for (let n = 0; n <= 5; n++) {
      expect(Math.abs(mbgNbdConditionalProbabilityOfNPurchases(PARAMS, n, 20, 0, 0, 0) - predictMbgNbdPurchaseCountProbability(PARAMS, 20, n))).toBeLessThan(1e-14);
    }
    const data = { frequency: Float64Array.of(0, 3), recency: Float64Array.of(0, 7), T: Float64Array.of(5, 9), weight: Float64Array.of(1, 1) };
    expect(Array.from(mbgNbdConditionalProbabilityOfNPurchasesAll(PARAMS, 2, 10, data))).toEqual([0, 1].map((i) => mbgNbdConditionalProbabilityOfNPurchases(PARAMS, 2, 10, data.frequency[i], data.recency[i], data.T[i])));
    expect(mbgNbdConditionalProbabilityOfNPurchases(PARAMS, -1, 10, 0, 0, 1)).toBeNaN();
  });
});
