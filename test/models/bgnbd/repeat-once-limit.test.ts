/**
 * The BG/NBD's edge a, b → 0 (repeat-once-limit.ts): not a one-time-buyers limit — BG/NBD customers cannot drop out
 * before a repeat purchase — but customers who buy once more and stop, beside buyers who never stop.
 */
import { describe, expect, it } from 'vitest';
import { computeBgNbdLogLikelihood, fitBgNbd, predictBgNbdProbabilityAlive, type BgNbdParams } from '../../../src/models/bgnbd/bgnbd.js';
import { BG_REPEAT_ONCE_LIMIT, createBgNbdRepeatOnceProblem } from '../../../src/models/bgnbd/repeat-once-limit.js';
import { createBgNbdProblem } from '../../../src/models/bgnbd/bgnbd.js';
import { reachedOptimum } from '../../../src/models/fit-boundary.js';
import { fitMaximumLikelihood } from '../../../src/models/fit-maximum-likelihood.js';
import { fitNbd } from '../../../src/models/nbd/nbd.js';
import { compressRfm } from '../../../src/models/compress-rfm.js';
import { createRandom } from '../../../src/math/random.js';
import type { RfmData } from '../../../src/models/model-types.js';
import { maxGradientError } from '../model-test-helpers.js';
import { PURCHASE_MODELS } from '../../../src/models/btyd/purchase-models.js';
import { gammaln } from '../../../src/math/special-functions.js';
import { expectClose } from '../btyd/limit-closed-forms.js';
import { oneTimeBuyersBesideStayers } from '../mbgnbd/one-time-buyers-shop.js';

/** 3,000 customers, T of 20–52 weeks, rates λ ~ Gamma(5, 50) a week: a share `once` buy once more after the first purchase and stop, the rest never drop out. */
function repeatOnceBesideStayers(seed: number, once: number): RfmData {
  const random = createRandom(seed);
  const n = 3000, frequency = new Float64Array(n), recency = new Float64Array(n), T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    T[i] = 20 + 32 * random.uniform();
    const lambda = random.gamma(5, 1 / 50);
    const stops = random.uniform() < once;
    for (let t = random.exponential(lambda); t <= T[i]!; t += random.exponential(lambda)) {
      frequency[i]!++;
      recency[i] = t;
      if (stops) break;
    }
  }
  return compressRfm({ frequency, recency, T, weight: new Float64Array(n).fill(1) }).tuples;
}

/** The BG/NBD problem without the a, b → 0 direction: what fitBgNbd ran before. */
function fitWithoutTheLimit(data: RfmData) {
  const problem = createBgNbdProblem(data);
  return fitMaximumLikelihood<BgNbdParams>({ ...problem, boundaries: problem.boundaries!.filter((d) => d.limit !== BG_REPEAT_ONCE_LIMIT) });
}

describe('the BG/NBD at a, b → 0', () => {
  it('has no one-time-buyers limit: on the seed-3 shop (20% one-time buyers) every share π > 0 at a, b → 0 is below the NBD, and the fit ends at the NBD', () => {
    const data = compressRfm(oneTimeBuyersBesideStayers(3, 0.2)).tuples;
    const nbd = fitNbd(data);
    const edge = createBgNbdRepeatOnceProblem(data, { r: 1, alpha: 10, share: 0.1 });
    const g = new Float64Array(3);
    const at = (pi: number) => edge.logLikelihood(Float64Array.of(Math.log(nbd.params.r), Math.log(nbd.params.alpha), Math.log(pi / (1 - pi))), g);
    expect(at(1e-4) - nbd.logLikelihood).toBeCloseTo(-0.105, 2);
    expect(at(0.2) - nbd.logLikelihood).toBeCloseTo(-308.1, 0);
    const fitted = fitBgNbd(data);
    expect(fitted.fit.boundary).toMatchObject({ limit: 'a/b → 0', limitModel: 'NBD', limitConverged: true });
    expect(fitted.logLikelihood).toBe(nbd.logLikelihood);
    expect(fitted.logLikelihood).toBeCloseTo(-29457.558, 2);
    // and the BG/NBD calls every customer without a repeat purchase alive: it cannot hold one-time buyers
    expect(predictBgNbdProbabilityAlive({ r: 5, alpha: 50, a: 1e-20 * 0.3, b: 1e-20 * 0.7 }, 0, 0, 52)).toBe(1);
  });

  /**
   * Regression: on customers of whom 30% buy once more and stop (the rest never drop out), the BG/NBD stalled at
   * a ≈ 5e-13, b ≈ 1.3e-12 ('line search found no decrease', not converged, no boundary named), its log-likelihood
   * −28,639.83 above the limit's only by betaln(a, b)'s lost digits there.
   */
  it('runs off there where a share buy once more and stop: the NBD with a share who buy once more, fitted in its place', () => {
    const data = repeatOnceBesideStayers(7, 0.3);
    const stall = fitWithoutTheLimit(data);
    expect(stall.fit.converged).toBe(false);
    expect(stall.fit.boundary).toBeUndefined();
    expect(stall.params.a + stall.params.b).toBeLessThan(1e-6);

    const fitted = fitBgNbd(data);
    const b = fitted.fit.boundary!;
    expect(b).toMatchObject({ parameters: ['a', 'b'], limit: 'a, b → 0 with a/(a+b) fixed', limitModel: 'NBD with a share who buy once more', limitConverged: true });
    expect(b.meaning).toBe('a share who buy once more and no dropout: 30.2% of customers (a/(a+b)) buy once more after their first purchase and then never again, and the rest never drop out');
    expect(reachedOptimum(fitted.fit)).toBe(true);
    expect(fitted.fit.message).toMatch(/^at its limit: /);
    const own = fitMaximumLikelihood<{ r: number; alpha: number; odds: number }>(createBgNbdRepeatOnceProblem(data, { r: 1, alpha: 10, share: 0.1 }));
    expect(own.fit.converged).toBe(true);
    expect(Math.abs(fitted.logLikelihood - own.logLikelihood)).toBeLessThan(1e-6);
    expect(fitted.logLikelihood).toBeCloseTo(-28639.906, 2);
    expect(fitted.params.r).toBeCloseTo(own.params.r, 5);
    // the BG/NBD's own likelihood at the parameters written back (a + b = 1e-20) is the limit's
    expect(Math.abs(computeBgNbdLogLikelihood(fitted.params, data) - fitted.logLikelihood)).toBeLessThan(1e-6);
    // far above the NBD, which has no such customers
    expect(fitted.logLikelihood - fitNbd(data).logLikelihood).toBeGreaterThan(500);
  });

  it('predicts with the limit’s closed forms through PURCHASE_MODELS (regression: the BG/NBD’s E[X(52)] at a + b = 1e-20 was 1, its 2F1 at the pole c = −1)', () => {
    const data = repeatOnceBesideStayers(7, 0.3);
    const fitted = PURCHASE_MODELS.bgnbd.fit(data);
    const { r, alpha, pi } = fitted.fit.boundary!.limitParams as { r: number; alpha: number; pi: number };
    expect(r).toBe(fitted.params.r);
    expect(pi).toBeCloseTo(0.302, 3);
    // written out from the definition: a share π buy once more at their rate and stop, the rest never stop
    const nb = (shape: number, scale: number, t: number, n: number) => Math.exp(gammaln(shape + n) - gammaln(shape) - gammaln(n + 1) + shape * Math.log(scale / (scale + t)) + n * Math.log(t / (scale + t)));
    const once = (shape: number, scale: number, t: number, n: number) => (n === 0 ? nb(shape, scale, t, 0) : n === 1 ? 1 - nb(shape, scale, t, 0) : 0);
    const alive = (x: number, tx: number, T: number) => (x !== 1 ? 1 : 1 / (1 + (pi / (1 - pi)) * Math.pow((alpha + T) / (alpha + tx), r + 1)));
    const model = PURCHASE_MODELS.bgnbd;
    const pAlive = model.probabilityAliveAll(fitted, data);
    for (const t of [1, 10, 52]) {
      expectClose(model.expectedPurchases(fitted, t), (1 - pi) * (r / alpha) * t + pi * (1 - nb(r, alpha, t, 0)), `E[X(${t})]`);
      for (let n = 0; n < 4; n++) expectClose(model.purchaseCountProbability(fitted, t, n), (1 - pi) * nb(r, alpha, t, n) + pi * once(r, alpha, t, n), `P(X(${t}) = ${n})`);
      const conditional = model.conditionalPurchasesAll(fitted, t, data);
      const none = model.noPurchaseProbabilityAll(fitted, t, data);
      const two = model.conditionalPurchaseCountProbabilityAll(fitted, 1, t, data);
      for (let i = 0; i < data.frequency.length; i++) {
        const x = data.frequency[i]!, tx = data.recency[i]!, T = data.T[i]!, w = alive(x, tx, T);
        expectClose(pAlive[i]!, w, `P(alive) row ${i}`);
        const stay = (n: number) => nb(r + x, alpha + T, t, n);
        expectClose(conditional[i]!, x === 0 ? (1 - pi) * (r / (alpha + T)) * t + pi * (1 - stay(0)) : (w * (r + x) * t) / (alpha + T), `E[Y(${t})] row ${i}`);
        expectClose(none[i]!, x === 0 ? stay(0) : 1 - w * (1 - stay(0)), `P(none in ${t}) row ${i}`);
        expectClose(two[i]!, x === 0 ? (1 - pi) * stay(1) + pi * once(r, alpha + T, t, 1) : w * stay(1), `P(1 in ${t}) row ${i}`);
      }
    }
    expect(model.expectedPurchases(fitted, 52)).toBeCloseTo(3.896, 3);
  });

  it('has an analytic gradient that matches finite differences', () => {
    const problem = createBgNbdRepeatOnceProblem(repeatOnceBesideStayers(8, 0.2), { r: 3, alpha: 30, share: 0.2 });
    for (const z of [Float64Array.of(Math.log(3), Math.log(30), Math.log(0.25)), Float64Array.of(0, 2, -3), Float64Array.of(2, 5, 1)]) {
      expect(maxGradientError(problem, z).error).toBeLessThan(1e-6);
    }
  });
});
