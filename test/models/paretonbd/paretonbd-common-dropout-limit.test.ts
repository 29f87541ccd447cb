import { describe, expect, it } from 'vitest';
import { createParetoNbdProblem, fitParetoNbd, predictParetoNbdConditionalPurchases, predictParetoNbdProbabilityAlive } from '../../../src/models/paretonbd/paretonbd.js';
import { createParetoNbdCommonDropoutProblem, PARETO_COMMON_DROPOUT_SHAPE } from '../../../src/models/paretonbd/paretonbd-common-dropout-limit.js';
import { simulateParetoNbd } from '../../../src/models/paretonbd/simulate-paretonbd.js';
import type { RfmData } from '../../../src/models/model-types.js';
import { maxGradientError } from '../model-test-helpers.js';

const SMALL: RfmData = {
  frequency: Float64Array.of(0, 1, 2, 5, 12, 0, 3),
  recency: Float64Array.of(0, 4.5, 10, 30.25, 38, 0, 2),
  T: Float64Array.of(12, 20, 40, 40, 39, 3, 52),
  weight: Float64Array.of(3, 1, 2, 1, 1, 5, 0.5),
};

describe('the one-dropout-rate limit of the Pareto/NBD (s, β → ∞ with s/β = μ)', () => {
  it('its gradient in (log r, log α, log μ) matches finite differences', () => {
    const problem = createParetoNbdCommonDropoutProblem(createParetoNbdProblem(SMALL), { r: 0.7, alpha: 6, mu: 0.05 });
    for (const z of [Float64Array.of(Math.log(0.7), Math.log(6), Math.log(0.05)), Float64Array.of(Math.log(2.5), Math.log(0.8), Math.log(0.4))]) {
      const { error, analytic, numeric } = maxGradientError(problem, z);
      expect(error, `at ${Array.from(z)}: ${Array.from(analytic)} vs ${Array.from(numeric)}`).toBeLessThan(1e-5);
    }
  });

  it('on 8,000 customers with one dropout rate 0.02 a week: the fit runs to s, β → ∞, the limit is fitted and named, r, α, μ recovered, predictions finite', () => {
    const n = 8000;
    const T = new Float64Array(n);
    for (let i = 0; i < n; i++) T[i] = 30 + (i % 31);
    const sim = simulateParetoNbd({ r: 0.8, alpha: 5, s: 0.02e7, beta: 1e7 }, { customers: n, T, seed: 2 });
    const fitted = fitParetoNbd({ frequency: sim.frequency, recency: sim.recency, T: sim.T, weight: new Float64Array(n).fill(1) });
    expect(fitted.fit.boundary?.limitModel).toBe('Pareto/NBD with one dropout rate');
    expect(fitted.fit.boundary?.limit).toBe('s, beta → ∞ with s/beta fixed');
    const { r, alpha, s, beta } = fitted.params;
    expect(s).toBe(PARETO_COMMON_DROPOUT_SHAPE);
    expect(Math.abs(s / beta / 0.02 - 1)).toBeLessThan(0.1);
    expect(Math.abs(r / 0.8 - 1)).toBeLessThan(0.1);
    expect(Math.abs(alpha / 5 - 1)).toBeLessThan(0.1);
    for (const [x, tx] of [[0, 0], [3, 20], [10, 38]] as const) {
      const pAlive = predictParetoNbdProbabilityAlive(fitted.params, x, tx, 40);
      expect(pAlive, `x ${x}`).toBeGreaterThan(0);
      expect(pAlive, `x ${x}`).toBeLessThanOrEqual(1);
      const expected = predictParetoNbdConditionalPurchases(fitted.params, 52, x, tx, 40);
      expect(Number.isFinite(expected) && expected > 0, `x ${x}: ${expected}`).toBe(true);
    }
  }, 60_000);
});
