/**
 * MBG/CNBD-k's edge a, b → 0 (its dropout applies right after the first purchase too, as the MBG/NBD's): one-time
 * buyers beside buyers who never drop out, the zero-inflated CNBD-k, fitted in its place.
 */
import { describe, expect, it } from 'vitest';
import { createMbgCnbdProblem, createZeroInflatedCnbdProblem, fitMbgCnbd } from '../../../src/models/mbgcnbd/mbgcnbd.js';
import { predictMbgCnbdConditionalPurchases, predictMbgCnbdProbabilityAlive } from '../../../src/models/mbgcnbd/predict-mbgcnbd.js';
import { reachedOptimum } from '../../../src/models/fit-boundary.js';
import { fitMaximumLikelihood } from '../../../src/models/fit-maximum-likelihood.js';
import { fitZeroInflatedNbd } from '../../../src/models/nbd/zero-inflated-nbd.js';
import { noDropoutPredictions } from '../../../src/models/nbd/no-dropout-predictions.js';
import { MBG_ONE_TIME_BUYERS_LIMIT } from '../../../src/models/mbgnbd/mbgnbd-one-time-buyers-limit.js';
import { maxGradientError } from '../model-test-helpers.js';
import { oneTimeBuyersBesideStayers } from '../mbgnbd/one-time-buyers-shop.js';

/**
 * Regression: on the MBG/NBD's seed-3 shop (3,000 customers, 20% one-time buyers, the rest Poisson-timed at Gamma(5, 50)
 * rates without dropout) MBG/CNBD-1 — the MBG/NBD — stalled at a = 9.4e-14, b = 3.5e-13, not converged, no boundary,
 * −29,283.23, as the MBG/NBD did before its limit was named, and the k search kept it.
 */
describe('MBG/CNBD-k at a, b → 0 (seed-3 shop, 20% one-time buyers)', () => {
  const data = oneTimeBuyersBesideStayers(3, 0.2);

  it('ends at the zero-inflated CNBD-k, fitted in its place: at k = 1 the zero-inflated NBD’s log-likelihood, and its predictions', () => {
    const problem = createMbgCnbdProblem(data, 1);
    const stall = fitMaximumLikelihood<{ r: number; alpha: number; a: number; b: number }>({ ...problem, boundaries: problem.boundaries!.filter((d) => d.limit !== MBG_ONE_TIME_BUYERS_LIMIT) });
    expect(stall.fit.converged).toBe(false);
    expect(stall.fit.boundary).toBeUndefined();
    expect(stall.logLikelihood).toBeCloseTo(-29283.23, 1);

    const search = fitMbgCnbd(data);
    expect(search.k).toBe(1);
    const fitted = search.fitted;
    expect(fitted.fit.boundary).toMatchObject({ parameters: ['a', 'b'], limit: 'a, b → 0 with a/(a+b) fixed', limitModel: 'zero-inflated CNBD-1', limitConverged: true });
    expect(fitted.fit.boundary!.meaning).toMatch(/^one-time buyers and no dropout: 23\.3% of customers \(a\/\(a\+b\)\) never buy again after their first purchase/);
    expect(reachedOptimum(fitted.fit)).toBe(true);
    const zi = fitZeroInflatedNbd(data, { r: 1, alpha: 10, share: 0.2 });
    expect(Math.abs(fitted.logLikelihood - zi.logLikelihood)).toBeLessThan(1e-6);
    expect(fitted.logLikelihood - stall.logLikelihood).toBeGreaterThan(41);
    // written back as a + b = 1e-20: MBG/CNBD-1's own predictions there are the zero-inflated NBD's closed forms
    const { r, alpha, a, b } = fitted.params;
    const forms = noDropoutPredictions({ r, alpha, pi: a / (a + b) })!;
    for (const [x, tx, T] of [[0, 0, 52], [0, 0, 20], [1, 1, 40], [3, 10, 52]] as const) {
      expect(Math.abs(predictMbgCnbdProbabilityAlive(1, fitted.params, x, tx, T) / forms.probabilityAlive(x, tx, T) - 1)).toBeLessThan(1e-9);
      expect(Math.abs(predictMbgCnbdConditionalPurchases(1, fitted.params, 10, x, tx, T) / forms.conditionalPurchases(10, x, tx, T) - 1)).toBeLessThan(1e-9);
    }
  });

  it('the zero-inflated CNBD-k problem: analytic gradient against finite differences (k = 1, 3)', () => {
    for (const k of [1, 3]) {
      const problem = createZeroInflatedCnbdProblem(data, k, { r: 3, alpha: 30, share: 0.2 });
      for (const z of [Float64Array.of(Math.log(3), Math.log(30), Math.log(0.25)), Float64Array.of(0, 2, -3), Float64Array.of(2, 5, 1)]) {
        expect(maxGradientError(problem, z).error).toBeLessThan(1e-6);
      }
    }
  });
});
