import { describe, expect, it } from 'vitest';
import { createMbgNbdProblem, fitMbgNbd, type MbgNbdParams } from '../../../src/models/mbgnbd/mbgnbd.js';
import { simulateMbgNbd } from '../../../src/models/mbgnbd/simulate-mbgnbd.js';
import { fitMaximumLikelihood } from '../../../src/models/fit-maximum-likelihood.js';
import { compressRfm, withPositiveAge } from '../../../src/models/compress-rfm.js';
import type { RfmData } from '../../../src/models/model-types.js';
import { loadCdnowSummary } from '../cdnow-fixture.js';
import { oneTimeBuyersBesideStayers } from './one-time-buyers-shop.js';

/** The fit from the three ordinary starts alone (what fitMbgNbd did before the start near a, b → 0). */
function fitOrdinaryStarts(data: RfmData) {
  return fitMaximumLikelihood<MbgNbdParams>({ ...createMbgNbdProblem(data), confinedStarts: [] });
}

/**
 * Regression: the MBG/NBD's three starts begin at a + b of 1.5 to 10 and may settle on the NBD (a/b → 0) without
 * reaching the limit a, b → 0 or an interior optimum near it.
 */
describe('MBG/NBD: the start near the one-time-buyers limit a, b → 0', () => {
  it('finds the limit the ordinary starts miss (3% one-time buyers: the zero-inflated NBD 17.86 above the NBD they end at)', () => {
    const data = oneTimeBuyersBesideStayers(3, 0.03);
    const ordinary = fitOrdinaryStarts(data);
    expect(ordinary.fit.boundary).toMatchObject({ limit: 'a/b → 0', limitModel: 'NBD' });
    expect(ordinary.logLikelihood).toBeCloseTo(-33808.364, 2);
    const fitted = fitMbgNbd(data);
    expect(fitted.fit.boundary).toMatchObject({ limit: 'a, b → 0 with a/(a+b) fixed', limitModel: 'zero-inflated NBD', limitConverged: true });
    expect(fitted.logLikelihood).toBeCloseTo(-33790.504, 2);
    expect(fitted.params.a / (fitted.params.a + fitted.params.b)).toBeCloseTo(0.04447, 4);
    expect(fitted.fit.message).toMatch(/\(4 of 4 starts stopped on the way\)/);
  });

  it('finds an interior optimum near the limit, with finite intervals, where the ordinary starts stop at the limit 0.11 below (20% one-time buyers)', () => {
    const data = oneTimeBuyersBesideStayers(17, 0.2);
    const ordinary = fitOrdinaryStarts(data);
    expect(ordinary.fit.boundary?.limitModel).toBe('zero-inflated NBD');
    expect(ordinary.logLikelihood).toBeCloseTo(-29487.163, 2);
    const fitted = fitMbgNbd(data);
    expect(fitted.fit.converged, fitted.fit.message).toBe(true);
    expect(fitted.fit.boundary).toBeUndefined();
    expect(fitted.logLikelihood).toBeCloseTo(-29487.053, 2);
    expect(fitted.params.a).toBeCloseTo(0.0021584, 6);
    expect(fitted.params.b).toBeCloseTo(0.0071174, 6);
    for (const name of ['r', 'alpha', 'a', 'b'] as const) {
      const [low, high] = fitted.intervals95[name];
      expect(low > 0 && high < Infinity && low < fitted.params[name] && fitted.params[name] < high, `${name}: [${low}, ${high}]`).toBe(true);
    }
  });

  it('changes nothing on CDNOW: dropped once a + b passes 0.1, estimates, log-likelihood and standard errors as the ordinary starts give them', () => {
    const cdnow = loadCdnowSummary();
    const fitted = fitMbgNbd(cdnow);
    const ordinary = fitOrdinaryStarts(cdnow);
    expect(fitted.params).toEqual(ordinary.params);
    expect(fitted.logLikelihood).toBe(ordinary.logLikelihood);
    expect(fitted.stdErrors).toEqual(ordinary.stdErrors);
    expect(fitted.fit.message).toMatch(/^converged: .*\(best of 4 starts, 3 converged, 1 dropped on leaving the region near a, b → 0 with a\/\(a\+b\) fixed; /);
  });

  it('is dropped on the subsample, not stopped, where its path leaves the region in the step that heads for a/b → 0 (the screen stays clean: regression, the full multi-start ran on all rows)', () => {
    // 100,000 customers from the CDNOW estimates (42,865 tuples, screened): the start's path jumps from a + b = 0.08
    // to 1.4 with b/a = 2e4, past the no-dropout direction's threshold in the same step
    const customers = 100_000;
    const T = Float64Array.from({ length: customers }, (_, i) => 39 + (i % 40) / 4);
    const simulated = simulateMbgNbd({ r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 }, { T, seed: 7 });
    const data = withPositiveAge(compressRfm({ frequency: simulated.frequency, recency: simulated.recency, T: simulated.T, weight: new Float64Array(customers).fill(1) }).tuples);
    const fitted = fitMbgNbd(data);
    expect(fitted.fit.converged, fitted.fit.message).toBe(true);
    expect(fitted.fit.message).toMatch(/\(best of 4 starts screened on a weighted subsample, 3 converged, 1 dropped on leaving the region near a, b → 0 with a\/\(a\+b\) fixed, then polished on all rows/);
    expect(fitted.params.a).toBeCloseTo(0.89793, 4);
  });
});
