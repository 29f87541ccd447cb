/**
 * CNBD-k with one purchase rate (cnbd-one-rate.ts): the limit CNBD-k's own estimates run off to when regular buyers
 * are alike (r, α → ∞ with r/α = λ). Checked against the CNBD-k likelihood itself at a large r, its derivative, the
 * rate it was simulated with, and its place in the fit (a boundary whose limit converged).
 */
import { describe, expect, it } from 'vitest';
import { reachedOptimum } from '../../../src/models/fit-boundary.js';
import { fitMaximumLikelihood } from '../../../src/models/fit-maximum-likelihood.js';
import { fitCnbdOneRate } from '../../../src/models/mbgcnbd/cnbd-one-rate.js';
import { createCnbdNoDropoutProblem, fitMbgCnbd } from '../../../src/models/mbgcnbd/mbgcnbd.js';
import { simulateMbgCnbd } from '../../../src/models/mbgcnbd/simulate-mbgcnbd.js';

// Erlang-200 gaps of 4.3 weeks on average, rates alike across customers (r = 1e7: CV 0.03%), nobody drops out
const k = 200;
const lambda = k / 4.3;
const alike = simulateMbgCnbd(k, { r: 1e7, alpha: 1e7 / lambda, a: 1e-9, b: 10 }, { customers: 600, T: 52, seed: 8 });

describe('fitCnbdOneRate', () => {
  it('recovers the simulated rate, and its log-likelihood is CNBD-k’s as r → ∞ (r = 1e4, 1e6 close in; within 1e-4 at 1e7)', () => {
    const fit = fitCnbdOneRate(alike, k);
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.lambda / lambda - 1)).toBeLessThan(0.01);
    const cnbd = createCnbdNoDropoutProblem(alike, k);
    const at = (r: number) => cnbd.logLikelihood(Float64Array.of(Math.log(r), Math.log(r / fit.lambda)), new Float64Array(2));
    const gaps = [1e4, 1e6, 1e7].map((r) => Math.abs(at(r) - fit.logLikelihood));
    expect(gaps[1]!).toBeLessThan(gaps[0]!);
    expect(gaps[2]!).toBeLessThan(1e-4 * Math.abs(fit.logLikelihood));
    // the maximum: the likelihood is lower a little either side
    const shifted = (factor: number) => fitCnbdOneRateAt(factor * fit.lambda);
    expect(shifted(1.001)).toBeLessThan(fit.logLikelihood);
    expect(shifted(0.999)).toBeLessThan(fit.logLikelihood);
  });

  it('is NaN, not converged, when nobody repeated (the likelihood rises as λ → 0)', () => {
    const once = { frequency: Float64Array.of(0, 0), recency: Float64Array.of(0, 0), T: Float64Array.of(10, 20), weight: Float64Array.of(1, 1), litt: Float64Array.of(0, 0) };
    const fit = fitCnbdOneRate(once, 3);
    expect(fit.lambda).toBeNaN();
    expect(fit.converged).toBe(false);
  });

  it('is what CNBD-k’s fit runs off to on alike buyers: a boundary whose limit converged, written with r = 1e8 (regression: the estimates where the optimiser stopped, r ≈ 1e4, counted as not converged)', () => {
    const limit = fitMaximumLikelihood<{ r: number; alpha: number }>(createCnbdNoDropoutProblem(alike, k));
    expect(limit.fit.boundary?.limitModel).toBe(`CNBD-${k} with one purchase rate`);
    expect(limit.fit.boundary?.limitConverged).toBe(true);
    expect(reachedOptimum(limit.fit)).toBe(true);
    expect(limit.params.r).toBe(1e8);
    expect(limit.params.r / limit.params.alpha).toBeCloseTo(fitCnbdOneRate(alike, k).lambda, 9);
    // and MBG/CNBD-k at k: no dropout and one rate, both limits named, settled
    const full = fitMbgCnbd(alike, { k });
    expect(full.fitted.fit.boundary?.limit).toBe('a/b → 0, and r, alpha → ∞ with r/alpha fixed');
    expect(full.fitted.fit.boundary?.meaning).toMatch(/^no dropout: .*, all at one purchase rate \(no heterogeneity: a mean gap of 4\.\d+ time units\)$/);
    expect(reachedOptimum(full.fitted.fit)).toBe(true);
  });
});

/** The one-rate log-likelihood at a given λ, from the CNBD-k likelihood at r = 1e8 relative to the fitted optimum's (the constant cancels). */
function fitCnbdOneRateAt(rate: number): number {
  const fit = fitCnbdOneRate(alike, k);
  const cnbd = createCnbdNoDropoutProblem(alike, k);
  const at = (l: number) => cnbd.logLikelihood(Float64Array.of(Math.log(1e8), Math.log(1e8 / l)), new Float64Array(2));
  return fit.logLikelihood + (at(rate) - at(fit.lambda));
}
