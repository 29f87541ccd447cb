import { describe, expect, it } from 'vitest';
import { fitParetoNbd } from '../../../src/models/paretonbd/paretonbd.js';
import { fitParetoNbdPoissonLimit } from '../../../src/models/paretonbd/paretonbd-poisson-limit.js';
import { createRandom } from '../../../src/math/random.js';
import { reachedOptimum } from '../../../src/models/fit-boundary.js';
import { compressRfm, withPositiveAge } from '../../../src/models/compress-rfm.js';
import type { RfmData } from '../../../src/models/model-types.js';

/**
 * Customers of the limit itself, T from 10 to 78 weeks: a share 1 − STAY buys once and never again, the rest buy at
 * rates λ ~ Gamma(r, α) and never drop out (the zero-inflated NBD of paretonbd-one-time-buyers-limit.ts). Seeded.
 */
const STAY = 0.8;
function oneTimeBuyersAndStayers(params: { r: number; alpha: number }, seed: number): RfmData {
  const n = 3000;
  const random = createRandom(seed);
  const frequency = new Float64Array(n), recency = new Float64Array(n), T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    T[i] = 10 + (i % 69);
    if (random.uniform() >= STAY) continue;
    const lambda = random.gamma(params.r, 1 / params.alpha);
    for (let t = random.exponential(lambda); t <= T[i]!; t += random.exponential(lambda)) {
      frequency[i]!++;
      recency[i] = t;
    }
  }
  return withPositiveAge(compressRfm({ frequency, recency, T, weight: new Float64Array(n).fill(1) }).tuples);
}

/**
 * Regression: a Pareto/NBD fit that ran off to s, β → 0 stopped at β ≈ 1e-13 with "parameter(s) at the boundary
 * (beta = 9.358e-14): … the data may not identify this model — try a penalty", and no `fit.boundary`: the model card
 * named no limit and the tournaments' reasons said "did not converge".
 */
describe('the Pareto/NBD limit s, β → 0 (one-time buyers beside buyers who never drop out)', () => {
  it('is named and fitted: the zero-inflated NBD in its place (converged limit, no standard errors)', () => {
    const fitted = fitParetoNbd(oneTimeBuyersAndStayers({ r: 5, alpha: 50 }, 3));
    const b = fitted.fit.boundary!;
    expect(b.limit).toBe('s, beta → 0');
    expect(b.parameters).toEqual(['s', 'beta']);
    expect(b.meaning).toMatch(/^one-time buyers and no dropout: 2\d(\.\d)?% of customers never buy again after their first purchase .*a zero-inflated NBD\)$/);
    expect(b.limitModel).toBe('zero-inflated NBD');
    expect(reachedOptimum(fitted.fit)).toBe(true);
    expect(Number.isNaN(fitted.intervals95.s[0])).toBe(true);
    const { r, alpha, s, beta } = fitted.params;
    expect(beta).toBe(1e-300);
    expect(s).toBeLessThan(1e-3);
    // what is identified: the share still alive after t, (β/(β+t))^s — nearly flat in t and near the planted share
    const stay = (t: number) => Math.exp(-s * Math.log1p(t / beta));
    for (const t of [10, 40, 78]) expect(Math.abs(stay(t) - STAY), `t = ${t}: ${stay(t)}`).toBeLessThan(0.03);
    expect(Math.abs(r / alpha / 0.1 - 1)).toBeLessThan(0.05);
  }, 60_000);

  it('where the purchase rates collapse too (the Poisson limit, r → ∞) it is named with both, and the zero-inflated Poisson fitted in its place (regression: the estimates where the one-rate fit stopped, not converged)', () => {
    const data = oneTimeBuyersAndStayers({ r: 1e4, alpha: 1e5 }, 5);
    const limit = fitParetoNbdPoissonLimit(data, { r: 1e4, alpha: 1e5, s: 0.05, beta: 1e-4 })!;
    expect(limit.boundary.limit).toBe('r, alpha → ∞ with r/alpha fixed, and s, beta → 0');
    expect(limit.boundary.meaning).toMatch(/^no heterogeneity in purchase rates, one-time buyers and no dropout: every customer buys at one rate, (19|2\d)(\.\d)?% of customers never buy again .*\(a zero-inflated Poisson\)$/);
    expect(limit.boundary).toMatchObject({ limitModel: 'zero-inflated Poisson', limitConverged: true });
    expect(limit.params.beta).toBe(1e-300);
    const { lambda, pi } = limit.boundary.limitParams!;
    expect(Math.abs(lambda! / 0.1 - 1)).toBeLessThan(0.05);
    expect(Math.abs(1 - pi! - STAY)).toBeLessThan(0.03);
    expect(limit.params.r! / limit.params.alpha!).toBeCloseTo(lambda!, 12);
  }, 60_000);
});
