/**
 * P(X(t) = n) of the Pareto/NBD at its one-rate limit (r = 1e8, α = r/λ: how a fit on that boundary is written,
 * paretonbd-poisson-limit.ts). Regression: its death term summed a binomial series whose terms shrink only after
 * ~r·(base − other)/other of them, a million iterations per call, and the calibration histogram of a 300-customer
 * shop took 55 s; the integral is now taken by quadrature in panels wherever the series would be long. The tests check
 * that choice (paretoNbdDeathTermByQuadrature), not a time: how long the calls take is no unit test's business.
 */
import { describe, expect, it } from 'vitest';
import { paretoNbdDeathTermByQuadrature, predictParetoNbdPurchaseCountProbability } from '../../../src/models/paretonbd/paretonbd.js';

const lambda = 0.6, s = 0.8, beta = 40; // per week: a purchase every ~1.7 weeks while alive; mean lifetime ~50 weeks
const at = (r: number) => ({ r, alpha: r / lambda, s, beta });

describe('predictParetoNbdPurchaseCountProbability at the one-rate limit', () => {
  it('takes the death term by quadrature (not a million series terms), sums to 1 over n, and agrees with a large finite r', () => {
    for (const n of [0, 1, 15, 199]) expect(paretoNbdDeathTermByQuadrature(at(1e8), n), `n ${n}`).toBe(true);
    expect(paretoNbdDeathTermByQuadrature({ r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 }, 5)).toBe(false); // an ordinary fit's: a short series
    for (const t of [10, 26, 52, 78]) {
      let total = 0;
      for (let n = 0; n < 200; n++) total += predictParetoNbdPurchaseCountProbability(at(1e8), t, n);
      expect(total, `t ${t}`).toBeCloseTo(1, 8);
    }
    // the limit is continuous: r = 1e5 (rates' CV 0.3%) is within 1e-3 of it, summed by the series as before
    for (const [t, n] of [[26, 0], [26, 5], [26, 15], [52, 30], [10, 2]] as const) {
      const limit = predictParetoNbdPurchaseCountProbability(at(1e8), t, n);
      const near = predictParetoNbdPurchaseCountProbability(at(1e5), t, n);
      expect(Math.abs(limit - near), `t ${t}, n ${n}`).toBeLessThan(1e-3 * Math.max(near, 1e-3));
    }
  });

  it('with one dropout rate too (s = 1e6, β = s/μ below α: the series’ shift is s + 1, a million terms per call before): by quadrature, sums to 1', () => {
    const both = { r: 1e8, alpha: 1e8 / lambda, s: 1e6, beta: 1e6 / 0.02 };
    for (const n of [0, 1, 119]) expect(paretoNbdDeathTermByQuadrature(both, n), `n ${n}`).toBe(true);
    for (const t of [10, 52]) {
      let total = 0;
      for (let n = 0; n < 120; n++) total += predictParetoNbdPurchaseCountProbability(both, t, n);
      expect(total, `t ${t}`).toBeCloseTo(1, 8);
    }
    // P(X(t) = 0) in closed form there: alive without a purchase, e^{−λt}·e^{−μt}, plus died at τ before buying, ∫ μ e^{−(λ+μ)τ} dτ
    const t = 26, mu = 0.02;
    expect(predictParetoNbdPurchaseCountProbability(both, t, 0)).toBeCloseTo(Math.exp(-(lambda + mu) * t) + (mu / (lambda + mu)) * (1 - Math.exp(-(lambda + mu) * t)), 5);
  }, 60_000);
});
