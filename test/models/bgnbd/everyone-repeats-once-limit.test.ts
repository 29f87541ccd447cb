/**
 * The BG/NBD's edge a/b → ∞ (repeat-once-limit.ts, bgNbdEveryoneRepeatsOnceDirection): p ~ Beta(a, b) piles up at 1,
 * so every customer buys once more after the first purchase and then never again. On such a shop (nobody with more
 * than one repeat purchase) the fit used to report `converged` at a ≈ 5.5e4, b ≈ 5.5e-5 with a singular information
 * matrix and no boundary, where the sibling edges (a/b → 0, a, b → ∞, a, b → 0) are named and their limit fitted.
 */
import { describe, expect, it } from 'vitest';
import { computeBgNbdLogLikelihood, fitBgNbd } from '../../../src/models/bgnbd/bgnbd.js';
import { simulateBgNbd } from '../../../src/models/bgnbd/simulate-bgnbd.js';
import { BG_EVERYONE_REPEATS_ONCE_LIMIT, BG_EVERYONE_REPEATS_ONCE_MODEL, createBgNbdEveryoneRepeatsOnceProblem } from '../../../src/models/bgnbd/repeat-once-limit.js';
import { describeBoundary, reachedOptimum } from '../../../src/models/fit-boundary.js';
import { PURCHASE_MODELS } from '../../../src/models/btyd/purchase-models.js';
import { expectClose } from '../btyd/limit-closed-forms.js';
import { maxGradientError } from '../model-test-helpers.js';

// 3,000 customers over 52 weeks at λ ~ Gamma(0.8, 8) a week, p ~ Beta(1e6, 1e-6): all drop out after one repeat purchase
const data = simulateBgNbd({ r: 0.8, alpha: 8, a: 1e6, b: 1e-6 }, { customers: 3000, T: 52, seed: 1 });

describe('BG/NBD on a shop where everyone buys once more and stops (a/b → ∞)', () => {
  it('the data: nobody has more than one repeat purchase', () => {
    expect(Math.max(...data.frequency)).toBe(1);
    expect(data.frequency.filter((x) => x === 1).length).toBe(2392);
  });

  it('reports the boundary and fits its limit in its place (regression: "converged" at a ≈ 5.5e4, b ≈ 5.5e-5, no boundary)', () => {
    const fitted = fitBgNbd(data);
    expect(fitted.fit.boundary, fitted.fit.message).toBeDefined();
    const boundary = fitted.fit.boundary!;
    expect(boundary.parameters).toEqual(['a', 'b']);
    expect(boundary.limit).toBe(BG_EVERYONE_REPEATS_ONCE_LIMIT);
    expect(boundary.limitModel).toBe(BG_EVERYONE_REPEATS_ONCE_MODEL);
    expect(boundary.limitConverged).toBe(true);
    expect(fitted.fit.converged).toBe(false);
    expect(reachedOptimum(fitted.fit)).toBe(true);
    expect(fitted.fit.message).toMatch(/^at its limit: the estimates run off to the boundary a\/b → ∞ .*everyone buys once more/);
    expect(describeBoundary(fitted.fit)).toMatch(/^its estimates run off to a\/b → ∞ \(.*\): NBD in which everyone buys once more was fitted in its place$/);
    expect(fitted.params.a / fitted.params.b).toBeGreaterThan(1e4);
    // the purchase rates are those simulated, within sampling error
    const { r, alpha } = boundary.limitParams as { r: number; alpha: number };
    expect(r).toBe(fitted.params.r);
    expect(r).toBeGreaterThan(0.7);
    expect(r).toBeLessThan(0.95);
    expect(alpha).toBeGreaterThan(7);
    expect(alpha).toBeLessThan(10.5);
    // the BG/NBD's own log-likelihood at the written-back parameters is the limit's
    expect(Math.abs(computeBgNbdLogLikelihood(fitted.params, data) - fitted.logLikelihood)).toBeLessThan(1e-6);
  });

  it('predicts with the limit’s closed forms, finite, and the BG/NBD’s own formulas at the written-back parameters agree', () => {
    const fitted = fitBgNbd(data);
    const { r, alpha } = fitted.fit.boundary!.limitParams as { r: number; alpha: number };
    const model = PURCHASE_MODELS.bgnbd;
    const someIn = (shift: number, t: number) => 1 - Math.pow((alpha + shift) / (alpha + shift + t), r);
    const own = { params: fitted.params };
    for (const t of [1, 10, 52]) {
      expectClose(model.expectedPurchases(fitted, t), someIn(0, t), `E[X(${t})]`);
      expect(Math.abs(model.expectedPurchases(own, t) - someIn(0, t))).toBeLessThan(1e-6);
      const conditional = model.conditionalPurchasesAll(fitted, t, data);
      const alive = model.probabilityAliveAll(fitted, data);
      const ownConditional = model.conditionalPurchasesAll(own, t, data);
      for (let i = 0; i < data.frequency.length; i++) {
        const x = data.frequency[i]!;
        // before the repeat purchase everyone is alive and buys it at most; after it, nobody is alive
        expect(alive[i]).toBe(x === 0 ? 1 : 0);
        expectClose(conditional[i]!, x === 0 ? someIn(data.T[i]!, t) : 0, `E[Y(${t}) | row ${i}]`);
        expect(Math.abs(ownConditional[i]! - conditional[i]!)).toBeLessThan(1e-6);
      }
    }
  });

  it('the limit’s gradient matches finite differences; no limit where someone repeats more than once', () => {
    const problem = createBgNbdEveryoneRepeatsOnceProblem(data, { r: 0.8, alpha: 8 })!;
    for (const z of [Float64Array.of(Math.log(0.8), Math.log(8)), Float64Array.of(Math.log(3), Math.log(0.5))]) expect(maxGradientError(problem, z).error).toBeLessThan(1e-6);
    const more = { ...data, frequency: Float64Array.from(data.frequency, (x, i) => (i === 0 ? 2 : x)) };
    expect(createBgNbdEveryoneRepeatsOnceProblem(more, { r: 0.8, alpha: 8 })).toBeNull();
  });
});
