/**
 * The Pareto/NBD fit does not depend on the time unit the data are written in (a data-scientist trial, session 40).
 * The model is closed under a change of unit: times × c give α × c, β × c, the same r and s, and a log-likelihood
 * lower by Σx·ln c (the density of purchase times). BG/NBD met this; the Pareto/NBD, on the CDNOW summary with times
 * × 1,000 (hours of slower shops, a lifetimes summary in minutes), stopped at its no-dropout limit: the NBD,
 * log-likelihood −26,736.01 against the interior optimum's −26,567.4, "not converged" — its no-dropout test was
 * s/β ≤ 10⁻⁴ per time unit, which there the starts (β/s = 1/rate ≈ 31,000 time units) already passed.
 * Reference: the published CDNOW fit (r 0.553, α 10.578, s 0.606, β 11.669, LL −9,595.0; ../REFERENCES.md).
 */
import { describe, expect, it } from 'vitest';
import { fitParetoNbd } from '../../../src/models/paretonbd/paretonbd.js';
import type { RfmData } from '../../../src/models/model-types.js';
import { loadCdnowSummary } from '../cdnow-fixture.js';

function scaled(data: RfmData, c: number): RfmData {
  return { ...data, recency: data.recency.map((v) => v * c), T: data.T.map((v) => v * c) };
}

describe('Pareto/NBD fit in any time unit', () => {
  const weeks = loadCdnowSummary();
  const purchases = weeks.frequency.reduce((sum, x) => sum + x, 0);
  const base = fitParetoNbd(weeks);

  it('in weeks: the published estimates', () => {
    expect(base.fit.converged).toBe(true);
    expect(base.params.r).toBeCloseTo(0.553, 3);
    expect(base.params.alpha).toBeCloseTo(10.578, 2);
    expect(base.params.s).toBeCloseTo(0.606, 3);
    expect(base.params.beta).toBeCloseTo(11.669, 2);
    expect(base.logLikelihood).toBeCloseTo(-9594.98, 1);
  });

  for (const c of [168, 1000, 1e5]) {
    it(`times × ${c}: α and β × ${c}, r and s the same, log-likelihood lower by Σx·ln ${c}, converged inside`, () => {
      const fitted = fitParetoNbd(scaled(weeks, c));
      expect(fitted.fit.converged, fitted.fit.message).toBe(true);
      expect(fitted.fit.boundary).toBeUndefined();
      expect(fitted.params.r).toBeCloseTo(base.params.r, 4);
      expect(fitted.params.s).toBeCloseTo(base.params.s, 4);
      expect(fitted.params.alpha / c).toBeCloseTo(base.params.alpha, 3);
      expect(fitted.params.beta / c).toBeCloseTo(base.params.beta, 2);
      expect(fitted.logLikelihood).toBeCloseTo(base.logLikelihood - purchases * Math.log(c), 3);
    });
  }
});
