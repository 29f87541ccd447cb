import { describe, expect, it } from 'vitest';
import { createGaussLegendreRule } from '../../../src/math/gauss-legendre.js';
import { gammaln } from '../../../src/math/special-functions.js';
import { fitParetoNbd, predictParetoNbdConditionalPurchases, predictParetoNbdNoPurchaseProbability, type ParetoNbdParams } from '../../../src/models/paretonbd/paretonbd.js';
import {
  paretoNbdConditionalProbabilityOfNPurchases,
  paretoNbdConditionalProbabilityOfNPurchasesAll,
} from '../../../src/models/paretonbd/paretonbd-conditional-probability-of-n-purchases.js';
import { createRandom } from '../../../src/math/random.js';
import { loadCdnowSummary } from '../cdnow-fixture.js';

/** CDNOW estimates (Fader, Hardie & Lee 2005) */
const CDNOW: ParetoNbdParams = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };

/** Σ_{n ≤ N} P(n) until the terms are negligible, and Σ n·P(n) */
function sumOverN(params: ParetoNbdParams, t: number, x: number, tx: number, T: number): { total: number; mean: number; terms: number } {
  let total = 0, mean = 0, n = 0;
  for (; n < 5000; n++) {
    const p = paretoNbdConditionalProbabilityOfNPurchases(params, n, t, x, tx, T);
    total += p;
    mean += n * p;
    if (n > 10 && p < 1e-18 && p * n < 1e-18) break;
  }
  return { total, mean, terms: n + 1 };
}

/**
 * The same probability by direct numerical integration over the posterior
 * of (λ, μ): the joint density ∝ Gamma(λ; r, α)·Gamma(μ; s, β)·[alive part
 * λ^x e^{−(λ+μ)T} + dead part λ^x μ (e^{−(λ+μ)t_x} − e^{−(λ+μ)T})/(λ+μ)];
 * an alive customer makes n purchases in (T, T+t] with probability
 *   e^{−μt}·Poisson(n; λt) + μλ^n/(λ+μ)^{n+1}·P(Gamma(n+1, 1) ≤ (λ+μ)t),
 * a dead one none. Gauss-Legendre in (log λ, log μ); no special function beyond log Γ.
 */
function integratedProbability(params: ParetoNbdParams, n: number, t: number, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = params;
  const rule = createGaussLegendreRule(200);
  const lo = Math.log(1e-9), hi = Math.log(20);
  const half = (hi - lo) / 2, mid = (hi + lo) / 2;
  let numerator = 0, denominator = 0;
  const logFactorial = gammaln(n + 1);
  for (let i = 0; i < rule.nodes.length; i++) {
    const u = mid + half * rule.nodes[i];
    const lambda = Math.exp(u);
    // Gamma(r, α) density times the Jacobian λ, in logs
    const logPriorL = r * Math.log(alpha) - gammaln(r) + r * u - alpha * lambda;
    for (let j = 0; j < rule.nodes.length; j++) {
      const v = mid + half * rule.nodes[j];
      const mu = Math.exp(v);
      const logPriorM = s * Math.log(beta) - gammaln(s) + s * v - beta * mu;
      const weight = rule.weights[i] * rule.weights[j] * half * half * Math.exp(logPriorL + logPriorM + x * u);
      const rate = lambda + mu;
      const alive = Math.exp(-rate * T);
      const dead = (mu * (Math.exp(-rate * tx) - Math.exp(-rate * T))) / rate;
      // P(Gamma(n+1, 1) ≤ z) = 1 − e^{−z} Σ_{i ≤ n} z^i/i!
      const z = rate * t;
      let partial = 0, term = Math.exp(-z);
      for (let k = 0; k <= n; k++) {
        partial += term;
        term *= z / (k + 1);
      }
      const whileAlive = Math.exp(-mu * t + n * Math.log(lambda * t) - lambda * t - logFactorial) + (mu * Math.pow(lambda / rate, n) / rate) * (1 - partial);
      numerator += weight * (alive * whileAlive + (n === 0 ? dead : 0));
      denominator += weight * (alive + dead);
    }
  }
  return numerator / denominator;
}

describe('paretoNbdConditionalProbabilityOfNPurchases', () => {
  it('agrees with a direct integration over the posterior of (λ, μ) on small cases (1e-8)', () => {
    const cases: Array<[ParetoNbdParams, number, number, number, number]> = [
      // params, t, x, t_x, T
      [{ r: 2, alpha: 5, s: 1.5, beta: 8 }, 4, 2, 3, 6],
      [{ r: 2, alpha: 5, s: 1.5, beta: 8 }, 10, 0, 0, 3],
      [{ r: 3, alpha: 2, s: 2.5, beta: 4 }, 2, 5, 1.5, 7],
    ];
    for (const [params, t, x, tx, T] of cases) {
      for (let n = 0; n <= 4; n++) {
        const got = paretoNbdConditionalProbabilityOfNPurchases(params, n, t, x, tx, T);
        const expected = integratedProbability(params, n, t, x, tx, T);
        expect(Math.abs(got - expected), `${JSON.stringify(params)} t ${t} (${x}, ${tx}, ${T}) n ${n}: ${got} vs ${expected}`).toBeLessThan(1e-8);
      }
    }
  });

  it('on the CDNOW fit: every value in [0, 1], the sum over n is 1 to 1e-10 and the mean is E[X(T, T+t]]', () => {
    // lifetimes' test_conditional_probability_of_n_purchases_up_to_time_is_between_0_and_1 and _adds_up_to_1, on a seeded grid
    const fit = fitParetoNbd(loadCdnowSummary());
    const random = createRandom(20);
    for (let k = 0; k < 60; k++) {
      const x = Math.floor(random.uniform() * 20);
      const tx = x === 0 ? 0 : 1 + random.uniform() * 30;
      const T = tx + random.uniform() * 40;
      const t = 1 + Math.floor(random.uniform() * 60);
      const { total, mean } = sumOverN(fit.params, t, x, tx, T);
      expect(Math.abs(total - 1), `(${x}, ${tx}, ${T}) t ${t}: Σ = ${total}`).toBeLessThan(1e-10);
      const expectedMean = predictParetoNbdConditionalPurchases(fit.params, t, x, tx, T);
      expect(Math.abs(mean - expectedMean) / expectedMean, `(${x}, ${tx}, ${T}) t ${t}: mean ${mean} vs ${expectedMean}`).toBeLessThan(1e-8);
      for (let n = 0; n < 10; n++) {
        const p = paretoNbdConditionalProbabilityOfNPurchases(fit.params, n, t, x, tx, T);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }
    }
  });

  it('n = 0 is the probability of no purchase computed from the likelihood over the longer window', () => {
    for (const [x, tx, T, t] of [[0, 0, 30, 39], [2, 10, 30, 5], [15, 38, 39, 52]]) {
      const got = paretoNbdConditionalProbabilityOfNPurchases(CDNOW, 0, t, x, tx, T);
      const expected = predictParetoNbdNoPurchaseProbability(CDNOW, t, x, tx, T);
      expect(Math.abs(got - expected), `(${x}, ${tx}, ${T}) t ${t}`).toBeLessThan(1e-12);
    }
    // the doc comment's example
    expect(paretoNbdConditionalProbabilityOfNPurchases(CDNOW, 0, 39, 0, 0, 30).toFixed(2)).toBe('0.91');
  });

  it('t = 0 puts all mass on n = 0; invalid input gives NaN; the vectorised form matches row by row', () => {
    expect(paretoNbdConditionalProbabilityOfNPurchases(CDNOW, 0, 0, 3, 5, 10)).toBe(1);
    expect(paretoNbdConditionalProbabilityOfNPurchases(CDNOW, 1, 0, 3, 5, 10)).toBe(0);
    expect(paretoNbdConditionalProbabilityOfNPurchases(CDNOW, 1.5, 5, 3, 5, 10)).toBeNaN();
    expect(paretoNbdConditionalProbabilityOfNPurchases(CDNOW, 1, -1, 3, 5, 10)).toBeNaN();
    expect(paretoNbdConditionalProbabilityOfNPurchases(CDNOW, 1, 5, 3, 12, 10)).toBeNaN();
    expect(paretoNbdConditionalProbabilityOfNPurchases({ ...CDNOW, r: -1 }, 1, 5, 3, 5, 10)).toBeNaN();
    const data = { frequency: Float64Array.of(0, 2, 7), recency: Float64Array.of(0, 4, 20), T: Float64Array.of(10, 12, 25), weight: Float64Array.of(1, 1, 1) };
    const all = paretoNbdConditionalProbabilityOfNPurchasesAll(CDNOW, 2, 13, data);
    for (let i = 0; i < 3; i++) expect(all[i]).toBe(paretoNbdConditionalProbabilityOfNPurchases(CDNOW, 2, 13, data.frequency[i], data.recency[i], data.T[i]));
  });
});
