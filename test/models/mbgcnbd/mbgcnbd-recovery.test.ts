/**
 * Parameter recovery: customers simulated from MBG/CNBD-k with known (k, r, α, a, b), fitted by the k search as
 * the tournament runs it. k = 3 is in mbgcnbd.test.ts; here k = 1 (MBG/NBD timing), 2, 12 (the last k of the
 * step-by-one search, so the search goes on to 15 and must come back) and a regular shop (k = 60, reached by
 * warm-started fits up the ladder past 48), each with dropout, so the fits are interior and must converge.
 */
import { describe, expect, it } from 'vitest';
import { fitMbgCnbd, type MbgCnbdParams } from '../../../src/models/mbgcnbd/mbgcnbd.js';
import { simulateMbgCnbd } from '../../../src/models/mbgcnbd/simulate-mbgcnbd.js';

function expectRecovered(k: number, truth: MbgCnbdParams, customers: number, seed: number, kRange: readonly [number, number], tolerance: number): void {
  const data = simulateMbgCnbd(k, truth, { customers, T: 52, seed });
  const fit = fitMbgCnbd(data);
  expect(fit.k, `k ${k}: tried ${fit.kTried.join(', ')}`).toBeGreaterThanOrEqual(kRange[0]);
  expect(fit.k).toBeLessThanOrEqual(kRange[1]);
  expect(fit.searchLimitReached).toBe(false);
  expect(fit.fitted.fit.converged, fit.fitted.fit.message).toBe(true);
  // point estimates: r, the mean gap k·α/r (α scales with k, and the k found may be a step of the ladder off) and the mean dropout a/(a+b)
  const { r, alpha, a, b } = fit.fitted.params;
  const compared = [['r', r, truth.r], ['mean gap k·α/r', (fit.k * alpha) / r, (k * truth.alpha) / truth.r], ['mean dropout a/(a+b)', a / (a + b), truth.a / (truth.a + truth.b)]] as const;
  for (const [name, estimate, target] of compared) expect(Math.abs(estimate / target - 1), `k ${k}: ${name} ${estimate} against ${target}`).toBeLessThan(tolerance);
  // a and b one by one are weakly identified (their ratio is not): the 95% intervals must cover the truth
  if (fit.k === k) {
    for (const name of ['r', 'alpha', 'a', 'b'] as const) {
      const [low, high] = fit.fitted.intervals95[name];
      expect(truth[name], `k ${k}: ${name} in [${low}, ${high}]`).toBeGreaterThan(low);
      expect(truth[name], `k ${k}: ${name} in [${low}, ${high}]`).toBeLessThan(high);
    }
  }
}

describe('MBG/CNBD-k recovers the parameters of simulated shops', () => {
  it('k = 1 (Poisson timing)', () => expectRecovered(1, { r: 0.9, alpha: 5, a: 0.6, b: 4 }, 4000, 31, [1, 1], 0.15));
  it('k = 2', () => expectRecovered(2, { r: 2, alpha: 3, a: 0.5, b: 5 }, 4000, 32, [2, 2], 0.15));
  it('k = 12 (the last step of one: the search tries 15 and comes back)', () => expectRecovered(12, { r: 12, alpha: 6, a: 0.6, b: 6 }, 3000, 33, [11, 13], 0.15), 120_000);
  it('a regular shop (k = 60: gaps of 5 weeks ± 13%, reached by warm starts past 48)', () => expectRecovered(60, { r: 60, alpha: 7, a: 0.5, b: 8 }, 1500, 34, [48, 75], 0.1), 300_000);
});
