import { describe, expect, it } from 'vitest';
import { createGaussLegendreRule } from '../../../src/math/gauss-legendre.js';
import { betaln, gammaln } from '../../../src/math/special-functions.js';
import { predictBgNbdConditionalPurchases, predictBgNbdNoPurchaseProbability, predictBgNbdProbabilityAlive, type BgNbdParams } from '../../../src/models/bgnbd/bgnbd.js';
import { bgNbdConditionalProbabilityOfNPurchases, bgNbdConditionalProbabilityOfNPurchasesAll } from '../../../src/models/bgnbd/bgnbd-conditional-probability-of-n-purchases.js';

const CDNOW: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

/**
 * The same probability by integration over the posterior given alive at T,
 * λ ~ Gamma(r+x, α+T), p ~ Beta(a, b+x), of the individual count: with K the
 * Poisson(λt) count of a customer who never drops out, X = 0 iff K = 0, and
 * for n ≥ 1 X = n iff the first n−1 dropout chances are survived and then
 * either K = n or K > n and the n-th chance is taken:
 *   P(X = n | λ, p) = (1−p)^{n−1}·[P(K = n) + p·P(K > n)].
 * Gauss-Legendre in log λ and in p (whole-number a, b: polynomial in p).
 */
function integratedProbability(params: BgNbdParams, n: number, t: number, x: number, tx: number, T: number): number {
  const shape = params.r + x, rate = params.alpha + T, a = params.a, b = params.b + x;
  const rule = createGaussLegendreRule(200);
  const lo = Math.log(1e-10), hi = Math.log(50);
  let alive = 0;
  for (let i = 0; i < rule.nodes.length; i++) {
    const u = (lo + hi) / 2 + ((hi - lo) / 2) * rule.nodes[i];
    const lambda = Math.exp(u);
    const wl = ((hi - lo) / 2) * rule.weights[i] * Math.exp(shape * Math.log(rate) - gammaln(shape) + shape * u - rate * lambda);
    // Poisson(λt) probabilities up to n
    const m = lambda * t;
    let term = Math.exp(-m), cumulative = 0, atN = 0;
    for (let k = 0; k <= n; k++) {
      if (k === n) atN = term;
      cumulative += term;
      term *= m / (k + 1);
    }
    const above = Math.max(0, 1 - cumulative);
    for (let j = 0; j < rule.nodes.length; j++) {
      const p = (rule.nodes[j] + 1) / 2;
      const wp = (rule.weights[j] / 2) * Math.exp((a - 1) * Math.log(p) + (b - 1) * Math.log1p(-p) - betaln(a, b));
      const count = n === 0 ? atN : Math.pow(1 - p, n - 1) * (atN + p * above);
      alive += wl * wp * count;
    }
  }
  const pAlive = predictBgNbdProbabilityAlive(params, x, tx, T);
  return (n === 0 ? 1 - pAlive : 0) + pAlive * alive;
}

describe('bgNbdConditionalProbabilityOfNPurchases', () => {
  it('agrees with an integration of the individual count over the posterior (1e-8)', () => {
    const params: BgNbdParams = { r: 2, alpha: 5, a: 2, b: 3 };
    for (const [t, x, tx, T] of [[4, 2, 3, 6], [10, 0, 0, 3], [2, 5, 1.5, 7]]) {
      for (let n = 0; n <= 4; n++) {
        const got = bgNbdConditionalProbabilityOfNPurchases(params, n, t, x, tx, T);
        const expected = integratedProbability(params, n, t, x, tx, T);
        expect(Math.abs(got - expected), `t ${t} (${x}, ${tx}, ${T}) n ${n}: ${got} vs ${expected}`).toBeLessThan(1e-8);
      }
    }
  });

  it('sums to 1 (1e-10) with mean E[X(T, T+t]] (FHL eq. 10) and P(0) = P(no purchase), at the CDNOW estimates', () => {
    for (const [t, x, tx, T] of [[39, 0, 0, 30], [39, 2, 10, 30], [52, 15, 38, 39], [5, 1, 1, 1]]) {
      let total = 0, mean = 0;
      for (let n = 0; n < 2000; n++) {
        const p = bgNbdConditionalProbabilityOfNPurchases(CDNOW, n, t, x, tx, T);
        expect(p >= 0 && p <= 1).toBe(true);
        total += p;
        mean += n * p;
        if (n > 20 && p < 1e-18) break;
      }
      expect(Math.abs(total - 1), `(${x}, ${tx}, ${T}) t ${t}`).toBeLessThan(1e-10);
      expect(Math.abs(mean / predictBgNbdConditionalPurchases(CDNOW, t, x, tx, T) - 1)).toBeLessThan(1e-8);
      expect(Math.abs(bgNbdConditionalProbabilityOfNPurchases(CDNOW, 0, t, x, tx, T) - predictBgNbdNoPurchaseProbability(CDNOW, t, x, tx, T))).toBeLessThan(1e-12);
    }
    expect(bgNbdConditionalProbabilityOfNPurchases(CDNOW, 0, 39, 0, 0, 30).toFixed(2)).toBe('0.83');
  });

  it('NaN on invalid input; the per-row form matches', () => {
    expect(bgNbdConditionalProbabilityOfNPurchases(CDNOW, 1.5, 5, 1, 1, 2)).toBeNaN();
    expect(bgNbdConditionalProbabilityOfNPurchases(CDNOW, 1, -1, 1, 1, 2)).toBeNaN();
    expect(bgNbdConditionalProbabilityOfNPurchases(CDNOW, 1, 5, 1, 3, 2)).toBeNaN();
    const data = { frequency: Float64Array.of(0, 3), recency: Float64Array.of(0, 7), T: Float64Array.of(5, 9), weight: Float64Array.of(1, 1) };
    const all = bgNbdConditionalProbabilityOfNPurchasesAll(CDNOW, 1, 10, data);
    expect(Array.from(all)).toEqual([0, 1].map((i) => bgNbdConditionalProbabilityOfNPurchases(CDNOW, 1, 10, data.frequency[i], data.recency[i], data.T[i])));
  });
});
