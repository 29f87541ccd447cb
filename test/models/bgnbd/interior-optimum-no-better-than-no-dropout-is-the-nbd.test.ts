import { describe, expect, it } from 'vitest';
import { fitBgNbd } from '../../../src/models/bgnbd/bgnbd.js';
import { simulateBgNbd } from '../../../src/models/bgnbd/simulate-bgnbd.js';
import { reachedOptimum } from '../../../src/models/fit-boundary.js';
import { fitNbd } from '../../../src/models/nbd/nbd.js';

/**
 * Regression (Online Retail, weeks): the BG/NBD refit on all data converged in the interior at a = 0.0031, b = 7.25
 * (95% intervals [4e-6, 2.3] and [0.007, 7,950]) with a log-likelihood 0.09 above the NBD's, its no-dropout limit —
 * well under the 1.92 likelihood-ratio bound — and was reported as interior, publishing p_alive 0.75–1 that these data
 * do not identify. An interior optimum less than 1.92 above its no-dropout limit is now that limit, as a path that runs
 * off to a/b → 0 is.
 */
function shop(a: number) {
  const T = new Float64Array(600);
  for (let i = 0; i < T.length; i++) T[i] = 20 + (i % 33);
  return simulateBgNbd({ r: 0.8, alpha: 10, a, b: 7 }, { T, seed: 2 });
}

describe('an interior BG/NBD optimum no better than the NBD', () => {
  it('is reported as the NBD limit, with the likelihood-ratio comparison recorded', () => {
    const data = shop(0.02);
    const nbd = fitNbd(data);
    const fitted = fitBgNbd(data);
    // before: converged in the interior at a = 0.044, b = 10.9, 0.180 above the NBD
    expect(fitted.fit.boundary?.limitModel).toBe('NBD');
    expect(fitted.fit.boundary?.limitConverged).toBe(true);
    expect(reachedOptimum(fitted.fit)).toBe(true);
    expect(fitted.fit.converged).toBe(false);
    expect(fitted.params.a).toBe(0);
    expect(fitted.logLikelihood).toBeCloseTo(nbd.logLikelihood, 6);
    expect(fitted.stdErrors.a).toBeNaN();
    const test = fitted.fit.boundary?.likelihoodRatio;
    expect(test?.threshold).toBe(1.92);
    expect(test?.difference).toBeCloseTo(0.18, 2);
    expect(test!.interiorLogLikelihood - nbd.logLikelihood).toBeCloseTo(test!.difference, 9);
    expect(fitted.fit.message).toMatch(/is 0\.18 above the limit's log-likelihood, less than 1\.92 \(the likelihood-ratio bound\)/);
  });

  it('stays interior when it beats the NBD by the bound or more', () => {
    const data = shop(0.05);
    const fitted = fitBgNbd(data);
    expect(fitted.fit.converged).toBe(true);
    expect(fitted.fit.boundary).toBeUndefined();
    expect(fitted.logLikelihood - fitNbd(data).logLikelihood).toBeGreaterThan(1.92);
    expect(fitted.params.a).toBeCloseTo(0.0593, 3);
  });
});
