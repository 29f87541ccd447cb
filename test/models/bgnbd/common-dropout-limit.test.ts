import { describe, expect, it } from 'vitest';
import { COMMON_DROPOUT_SHAPE, createCommonDropoutProblem } from '../../../src/models/bgnbd/common-dropout-limit.js';
import { computeBgNbdLogLikelihood, fitBgNbd, predictBgNbdConditionalPurchases, predictBgNbdExpectedPurchases, predictBgNbdProbabilityAlive, predictBgNbdTimeToNextPurchase } from '../../../src/models/bgnbd/bgnbd.js';
import { computeMbgNbdLogLikelihood, fitMbgNbd, predictMbgNbdConditionalPurchases, predictMbgNbdProbabilityAlive } from '../../../src/models/mbgnbd/mbgnbd.js';
import { simulateBgNbd } from '../../../src/models/bgnbd/simulate-bgnbd.js';
import { simulateMbgNbd } from '../../../src/models/mbgnbd/simulate-mbgnbd.js';
import type { RfmData } from '../../../src/models/model-types.js';
import { maxGradientError, simulatedRfm, SMALL_RFM } from '../model-test-helpers.js';

/** 8,000 customers bought with Gamma(0.8, 5) rates and one dropout probability 0.3 (Beta(a, b) with a + b = 1e7), T 30–60 */
function oneDropoutShop(simulate: typeof simulateBgNbd, seed: number): RfmData {
  return simulatedRfm(simulate, { r: 0.8, alpha: 5, a: 0.3e7, b: 0.7e7 }, seed);
}

describe('the one-dropout-probability limit of BG/NBD and MBG/NBD', () => {
  for (const dropAtStart of [false, true]) {
    const model = dropAtStart ? 'MBG/NBD' : 'BG/NBD';
    it(`${model}: the analytic gradient matches finite differences`, () => {
      const problem = createCommonDropoutProblem(SMALL_RFM, dropAtStart, { r: 0.7, alpha: 6, p: 0.25 });
      for (const z of [Float64Array.of(Math.log(0.7), Math.log(6), Math.log(0.25 / 0.75)), Float64Array.of(Math.log(3), Math.log(0.5), Math.log(4))]) {
        const { error, analytic } = maxGradientError(problem, z);
        expect(error, `at ${Array.from(z)}: ${Array.from(analytic)}`).toBeLessThan(1e-6);
      }
    });

    it(`${model}: its log-likelihood is the full model's at a = S·p, b = S·(1−p) for large S`, () => {
      const problem = createCommonDropoutProblem(SMALL_RFM, dropAtStart, { r: 0.7, alpha: 6, p: 0.25 });
      const limit = problem.logLikelihood(Float64Array.of(Math.log(0.7), Math.log(6), Math.log(0.25 / 0.75)), new Float64Array(3));
      const S = 1e9;
      const params = { r: 0.7, alpha: 6, a: 0.25 * S, b: 0.75 * S };
      const full = dropAtStart ? computeMbgNbdLogLikelihood(params, SMALL_RFM) : computeBgNbdLogLikelihood(params, SMALL_RFM);
      expect(Math.abs(limit - full)).toBeLessThan(1e-6 * Math.abs(full));
    });
  }

  it('BG/NBD on a shop with one dropout probability 0.3: the fit runs to a, b → ∞, the limit is fitted and says so, the parameters are recovered and the predictions are finite', () => {
    const fitted = fitBgNbd(oneDropoutShop(simulateBgNbd, 2));
    expect(fitted.fit.boundary?.limitModel).toBe('BG/NBD with one dropout probability');
    expect(fitted.fit.boundary?.limit).toBe('a, b → ∞ with a/(a+b) fixed');
    expect(fitted.fit.message).toContain('the limiting model (BG/NBD with one dropout probability) was fitted in its place');
    const { r, alpha, a, b } = fitted.params;
    expect(a + b).toBeCloseTo(COMMON_DROPOUT_SHAPE, 0);
    expect(Math.abs(a / (a + b) - 0.3)).toBeLessThan(0.02);
    expect(Math.abs(r / 0.8 - 1)).toBeLessThan(0.1);
    expect(Math.abs(alpha / 5 - 1)).toBeLessThan(0.1);
    // the limit is at least as likely as any BG/NBD on the way there
    expect(fitted.logLikelihood).toBeGreaterThanOrEqual(computeBgNbdLogLikelihood({ r, alpha, a: a / 1e3, b: b / 1e3 }, oneDropoutShop(simulateBgNbd, 2)) - 1e-6);
    const pAlive = predictBgNbdProbabilityAlive(fitted.params, 3, 20, 40);
    expect(pAlive).toBeGreaterThan(0);
    expect(pAlive).toBeLessThan(1);
    const expected = predictBgNbdConditionalPurchases(fitted.params, 52, 3, 20, 40);
    expect(Number.isFinite(expected) && expected > 0).toBe(true);
    expect(Number.isFinite(predictBgNbdExpectedPurchases(fitted.params, 52))).toBe(true);
    expect(predictBgNbdTimeToNextPurchase(fitted.params, 0.1, 3, 20, 40)).toBeGreaterThan(0);
    expect(Number.isFinite(predictBgNbdTimeToNextPurchase(fitted.params, 0.1, 3, 20, 40))).toBe(true);
  });

  it('MBG/NBD on a shop with one dropout probability 0.3: the limit is fitted, the parameters recovered, the predictions finite', () => {
    const data = oneDropoutShop(simulateMbgNbd, 1);
    const fitted = fitMbgNbd(data);
    expect(fitted.fit.boundary?.limitModel).toBe('MBG/NBD with one dropout probability');
    const { r, alpha, a, b } = fitted.params;
    expect(Math.abs(a / (a + b) - 0.3)).toBeLessThan(0.02);
    expect(Math.abs(r / 0.8 - 1)).toBeLessThan(0.1);
    expect(Math.abs(alpha / 5 - 1)).toBeLessThan(0.12);
    for (const x of [0, 1, 4]) {
      const pAlive = predictMbgNbdProbabilityAlive(fitted.params, x, x === 0 ? 0 : 20, 40);
      expect(pAlive, `x ${x}`).toBeGreaterThan(0);
      expect(pAlive, `x ${x}`).toBeLessThan(1);
      expect(Number.isFinite(predictMbgNbdConditionalPurchases(fitted.params, 52, x, x === 0 ? 0 : 20, 40)), `x ${x}`).toBe(true);
    }
  });
});
