/**
 * The limits where a purchase model's estimates run off in two directions at once — one purchase rate (r → ∞) and
 * one-time buyers beside buyers who never stop (the Pareto/NBD's s, β → 0, the MBG/NBD's a, b → 0), or one purchase
 * rate and no dropout — end at the limiting model, fitted in the full model's place: the zero-inflated Poisson, the
 * Poisson. Their log-likelihood is that model's, its fit converged, and every prediction is its closed form.
 */
import { describe, expect, it } from 'vitest';
import { PURCHASE_MODELS } from '../../../src/models/btyd/purchase-models.js';
import { reachedOptimum } from '../../../src/models/fit-boundary.js';
import { fitMaximumLikelihood } from '../../../src/models/fit-maximum-likelihood.js';
import { compressRfm } from '../../../src/models/compress-rfm.js';
import { fitPoisson } from '../../../src/models/nbd/nbd.js';
import { createZeroInflatedPoissonProblem } from '../../../src/models/nbd/zero-inflated-nbd.js';
import { oneTimeBuyersBesideStayers } from '../mbgnbd/one-time-buyers-shop.js';
import { expectClosedForms, zeroInflated } from './limit-closed-forms.js';

/**
 * Regression: on 3,000 customers, 30% of them one-time buyers and the rest buying at one rate 0.1 a week without
 * dropping out (seed 2), the Pareto/NBD stopped at the combined limit r → ∞ and s, β → 0 with nothing fitted in its
 * place (its one-rate limit had no s, β → 0 direction): not converged, −26,154.68, where the zero-inflated Poisson
 * reaches −26,146.54; the MBG/NBD ended at "MBG/NBD with one purchase rate", not converged, a, b ≈ 1e-12, −26,146.47 —
 * above the zero-inflated Poisson by betaln(a, b)'s lost digits there, not by a better fit.
 */
describe('one purchase rate and one-time buyers: the zero-inflated Poisson in the full model’s place (seed-2 shop, 30% one-time buyers)', () => {
  const data = compressRfm(oneTimeBuyersBesideStayers(2, 0.3, true)).tuples;
  const zip = fitMaximumLikelihood<{ lambda: number; odds: number }>(createZeroInflatedPoissonProblem(data, { lambda: 0.1, share: 0.3 }));
  const pi = zip.params.odds / (1 + zip.params.odds);

  it('the zero-inflated Poisson itself: converged, far above the Poisson', () => {
    expect(zip.fit.converged).toBe(true);
    expect(zip.logLikelihood).toBeCloseTo(-26146.539, 2);
    expect(zip.params.lambda).toBeCloseTo(0.09994, 4);
    expect(pi).toBeCloseTo(0.3111, 3);
    expect(zip.logLikelihood - fitPoisson(data).logLikelihood).toBeGreaterThan(1000);
  });

  it.each(['paretonbd', 'mbgnbd'] as const)('%s ends at the zero-inflated Poisson: its log-likelihood to 1e-6, converged, its closed forms', (name) => {
    const fitted = PURCHASE_MODELS[name].fit(data);
    const b = fitted.fit.boundary!;
    expect(b).toMatchObject({ limitModel: 'zero-inflated Poisson', limitConverged: true });
    expect(b.limit).toBe(name === 'paretonbd' ? 'r, alpha → ∞ with r/alpha fixed, and s, beta → 0' : 'a, b → 0 with a/(a+b) fixed, and r, alpha → ∞ with r/alpha fixed');
    expect(b.meaning).toMatch(/^no heterogeneity in purchase rates, one-time buyers and no dropout: every customer buys at one rate, 31\.1% of customers/);
    expect(reachedOptimum(fitted.fit)).toBe(true);
    expect(Math.abs(fitted.logLikelihood - zip.logLikelihood)).toBeLessThan(1e-6);
    const own = b.limitParams as { lambda: number; pi: number };
    expect(Object.keys(own)).toEqual(['lambda', 'pi']);
    expect(Math.abs(own.lambda / zip.params.lambda - 1)).toBeLessThan(1e-6);
    expect(Math.abs(own.pi - pi)).toBeLessThan(1e-6);
    expectClosedForms(name, fitted, data, zeroInflated(own));
  }, 40_000);
});

/**
 * Regression: on 3,000 customers who all buy at one rate 0.1 a week and never drop out (seed 5), the Pareto/NBD ended
 * at "Pareto/NBD with one purchase rate", not converged (stopped at s = 7.5e-7, β = 0.0037 "where the likelihood still
 * rises"), 1.8e-5 above the Poisson, where the BG/NBD and the MBG/NBD reach the Poisson.
 */
describe('one purchase rate and no dropout: the Poisson in the full model’s place (seed-5 shop)', () => {
  const data = compressRfm(oneTimeBuyersBesideStayers(5, 0, true)).tuples;
  const poisson = fitPoisson(data);

  it.each(['paretonbd', 'bgnbd', 'mbgnbd'] as const)('%s ends at the Poisson: its log-likelihood to 1e-6, converged, its closed forms', (name) => {
    const fitted = PURCHASE_MODELS[name].fit(data);
    expect(fitted.fit.boundary).toMatchObject({ limitModel: 'Poisson', limitConverged: true, limitParams: { lambda: poisson.lambda } });
    expect(reachedOptimum(fitted.fit)).toBe(true);
    expect(Math.abs(fitted.logLikelihood - poisson.logLikelihood)).toBeLessThan(1e-6);
    expectClosedForms(name, fitted, data, zeroInflated({ lambda: poisson.lambda, pi: 0 }));
  }, 30_000);
});
