import { describe, expect, it } from 'vitest';
import {
  computeMbgNbdLogLikelihood,
  createMbgNbdProblem,
  fitMbgNbd,
  predictMbgNbdConditionalPurchases,
  predictMbgNbdExpectedPurchases,
  predictMbgNbdNoPurchaseProbability,
  predictMbgNbdProbabilityAlive,
  predictMbgNbdPurchaseCountProbability,
  predictMbgNbdTimeToNextPurchase,
  type MbgNbdParams,
} from '../../../src/models/mbgnbd/mbgnbd.js';
import { mbgNbdConditionalProbabilityOfNPurchases } from '../../../src/models/mbgnbd/mbgnbd-conditional-probability-of-n-purchases.js';
import {
  createZeroInflatedNbdProblem,
  createZeroInflatedPoissonProblem,
  fitZeroInflatedNbd,
  MBG_ONE_TIME_BUYERS_LIMIT,
  ONE_TIME_BUYERS_SHAPE,
} from '../../../src/models/mbgnbd/mbgnbd-one-time-buyers-limit.js';
import { ONE_TIME_BUYERS_MARGIN } from '../../../src/models/paretonbd/paretonbd-one-time-buyers-limit.js';
import { describeBoundary, reachedOptimum } from '../../../src/models/fit-boundary.js';
import { fitMaximumLikelihood } from '../../../src/models/fit-maximum-likelihood.js';
import { computeNbdLogProbability, fitNbd } from '../../../src/models/nbd/nbd.js';
import { PURCHASE_MODELS } from '../../../src/models/btyd/purchase-models.js';
import { gammaln } from '../../../src/math/special-functions.js';
import type { RfmData } from '../../../src/models/model-types.js';
import { maxGradientError } from '../model-test-helpers.js';
import { oneTimeBuyersBesideStayers } from './one-time-buyers-shop.js';

/** The zero-inflated NBD's log-likelihood of one customer: log((1 − π)·NBD(x, T) + π·1{x = 0}). */
function zeroInflatedNbdLogLikelihood(r: number, alpha: number, share: number, x: number, T: number): number {
  const nbd = gammaln(r + x) - gammaln(r) + r * Math.log(alpha) - (r + x) * Math.log(alpha + T);
  return Math.log((1 - share) * Math.exp(nbd) + (x === 0 ? share : 0));
}

/** The MBG/NBD problem without the a, b → 0 direction and the start near it: what fitMbgNbd ran before. */
function fitWithoutTheLimit(data: RfmData) {
  const problem = createMbgNbdProblem(data);
  return fitMaximumLikelihood<MbgNbdParams>({ ...problem, confinedStarts: [], boundaries: problem.boundaries!.filter((d) => d.limit !== MBG_ONE_TIME_BUYERS_LIMIT) });
}

/**
 * Regression: the MBG/NBD did not know its limit a, b → 0 (dropout probabilities piled at 1 and 0: one-time buyers
 * beside customers who never drop out). On 3,000 customers, 20% of them buying once and the rest at Gamma(5, 50) rates
 * without dropout, the fit stalled at a = 9.4e-14, b = 3.5e-13 (the optimiser's box), 'not converged: gradient
 * infinity norm 0.1312 … line search found no decrease', log-likelihood −29,283.23.
 */
describe('MBG/NBD at its one-time-buyers limit a, b → 0', () => {
  const data = oneTimeBuyersBesideStayers(3, 0.2);
  const fitted = fitMbgNbd(data);
  const share = fitted.params.a / (fitted.params.a + fitted.params.b);

  it('ends at the named limit with the zero-inflated NBD fitted in its place, above the stall', () => {
    const stall = fitWithoutTheLimit(data);
    expect(stall.fit.converged).toBe(false);
    expect(stall.fit.boundary).toBeUndefined();
    expect(stall.fit.message).toMatch(/^not converged: gradient infinity norm 0\.13/);
    expect(stall.logLikelihood).toBeCloseTo(-29283.23, 1);

    expect(fitted.fit.boundary).toMatchObject({ parameters: ['a', 'b'], limit: 'a, b → 0 with a/(a+b) fixed', limitModel: 'zero-inflated NBD', limitConverged: true });
    expect(reachedOptimum(fitted.fit)).toBe(true);
    expect(describeBoundary(fitted.fit)).toBe(
      'its estimates run off to a, b → 0 with a/(a+b) fixed (one-time buyers and no dropout: 23.3% of customers (a/(a+b)) never buy again after their first purchase ' +
        'and the rest never drop out (the NBD with a share of one-time buyers, a zero-inflated NBD)): zero-inflated NBD was fitted in its place',
    );
    expect(fitted.logLikelihood).toBeCloseTo(-29241.824, 2);
    expect(fitted.logLikelihood - stall.logLikelihood).toBeGreaterThan(41);
    expect(fitted.params.r).toBeCloseTo(6.6168, 3);
    expect(fitted.params.alpha).toBeCloseTo(63.3246, 2);
    expect(share).toBeCloseTo(0.23349, 4);
    expect(fitted.params.a + fitted.params.b).toBeCloseTo(ONE_TIME_BUYERS_SHAPE, 30);
    // far above the NBD (no one-time buyers)
    expect(fitted.logLikelihood - fitNbd(data).logLikelihood).toBeGreaterThan(200);
  });

  it('reports the log-likelihood the MBG/NBD has at its parameters, the zero-inflated NBD’s', () => {
    let limit = 0;
    for (let i = 0; i < data.frequency.length; i++) limit += zeroInflatedNbdLogLikelihood(fitted.params.r, fitted.params.alpha, share, data.frequency[i]!, data.T[i]!);
    expect(Math.abs(computeMbgNbdLogLikelihood(fitted.params, data) - fitted.logLikelihood)).toBeLessThan(1e-8);
    expect(Math.abs(limit - fitted.logLikelihood)).toBeLessThan(1e-8);
  });

  it('reports the NBD instead where the limit is less than 1.92 above it (no one-time buyers)', () => {
    // 0.4% one-time buyers on buyers who never drop out: the zero-inflated NBD is 1.32 above the NBD
    const steady = oneTimeBuyersBesideStayers(1, 0);
    const nbd = fitNbd(steady);
    const zeroInflated = fitZeroInflatedNbd(steady, { r: 1, alpha: 10, share: 0.1 });
    expect(zeroInflated.fit.converged).toBe(true);
    expect(zeroInflated.logLikelihood - nbd.logLikelihood).toBeCloseTo(1.324, 2);
    expect(zeroInflated.logLikelihood - nbd.logLikelihood).toBeLessThan(ONE_TIME_BUYERS_MARGIN);
    const direction = createMbgNbdProblem(steady).boundaries!.find((d) => d.limit === MBG_ONE_TIME_BUYERS_LIMIT)!;
    const limit = direction.fitLimit!({ r: 5, alpha: 50, a: 1e-9, b: 4e-9 })!;
    expect(limit.boundary).toMatchObject({ limit: 'a/b → 0', limitModel: 'NBD', limitConverged: true });
    expect(limit.params).toEqual({ r: nbd.params.r, alpha: nbd.params.alpha, a: 0, b: 4e-9 });
    expect(limit.logLikelihood).toBe(nbd.logLikelihood);

    // 1% one-time buyers: 4.56 above the NBD, the limit stays
    const few = oneTimeBuyersBesideStayers(1, 0.01);
    const kept = createMbgNbdProblem(few).boundaries!.find((d) => d.limit === MBG_ONE_TIME_BUYERS_LIMIT)!.fitLimit!({ r: 5, alpha: 50, a: 1e-9, b: 4e-9 })!;
    expect(kept.boundary.limitModel).toBe('zero-inflated NBD');
    expect(kept.logLikelihood - fitNbd(few).logLikelihood).toBeCloseTo(4.557, 2);
  });

  it('counts a stall that the Newton polish carries past the threshold as at the limit (regression: "stopped near 0 where the likelihood still rises", b = 2.3e-9)', () => {
    // buyers who never drop out, and a start at a = b = 5e-4: L-BFGS meets its tolerance at a + b = 7e-6 on the way to
    // a, b → 0 (the gradient in log a shrinks with a), before the threshold 1e-6; the Newton steps go on to 2.4e-9
    const steady = oneTimeBuyersBesideStayers(11, 0);
    let purchases = 0, exposure = 0;
    for (let i = 0; i < steady.frequency.length; i++) {
      purchases += steady.frequency[i]!;
      exposure += steady.T[i]!;
    }
    const fit = fitMbgNbd(steady, { starts: [{ r: 1, alpha: exposure / purchases, a: 5e-4, b: 5e-4 }] });
    // 1.07 above the NBD there: the NBD, by the 1.92 rule
    expect(fit.fit.boundary).toMatchObject({ limit: 'a/b → 0', limitModel: 'NBD', limitConverged: true });
    expect(fit.logLikelihood).toBe(fitNbd(steady).logLikelihood);
    expect(fit.logLikelihood).toBeCloseTo(-34928.359, 2);
  });

  it('keeps an interior optimum near the limit (40% buying once, seed 1: a = 0.0124, b = 0.0165)', () => {
    const near = fitMbgNbd(oneTimeBuyersBesideStayers(1, 0.4));
    expect(near.fit.converged, near.fit.message).toBe(true);
    expect(near.fit.boundary).toBeUndefined();
    expect(near.params.a).toBeCloseTo(0.012357, 5);
    expect(near.params.b).toBeCloseTo(0.016453, 5);
  });

  it('fits the zero-inflated Poisson where the stayers all buy at one rate', () => {
    const oneRate = oneTimeBuyersBesideStayers(2, 0.3, true);
    const limit = createMbgNbdProblem(oneRate).boundaries!.find((d) => d.limit === MBG_ONE_TIME_BUYERS_LIMIT)!.fitLimit!({ r: 5, alpha: 50, a: 1e-9, b: 2e-9 })!;
    expect(limit.boundary).toMatchObject({ limit: 'a, b → 0 with a/(a+b) fixed, and r, alpha → ∞ with r/alpha fixed', limitModel: 'zero-inflated Poisson', limitConverged: true });
    expect(limit.boundary.meaning).toMatch(/^no heterogeneity in purchase rates, one-time buyers and no dropout: every customer buys at one rate, 3\d\.\d% of customers/);
    expect(limit.params.r! / limit.params.alpha!).toBeCloseTo(0.1, 2);
    expect(limit.params.a! / (limit.params.a! + limit.params.b!)).toBeCloseTo(0.3, 1);
  });
});

describe('the zero-inflated NBD and Poisson problems', () => {
  const data = oneTimeBuyersBesideStayers(4, 0.25);
  it('have analytic gradients that match finite differences', () => {
    const nbd = createZeroInflatedNbdProblem(data, { r: 3, alpha: 30, share: 0.2 });
    for (const z of [Float64Array.of(Math.log(3), Math.log(30), Math.log(0.25)), Float64Array.of(0, 2, -3), Float64Array.of(2, 5, 1)]) {
      expect(maxGradientError(nbd, z).error).toBeLessThan(1e-6);
    }
    const poisson = createZeroInflatedPoissonProblem(data, { lambda: 0.1, share: 0.2 });
    for (const z of [Float64Array.of(Math.log(0.1), Math.log(0.25)), Float64Array.of(-4, -3), Float64Array.of(-1, 1)]) {
      expect(maxGradientError(poisson, z).error).toBeLessThan(1e-6);
    }
  });
});

/** Every MBG/NBD prediction at the limit's parameters against the zero-inflated NBD's closed forms. */
describe('MBG/NBD predictions at a = π·1e-20, b = (1 − π)·1e-20', () => {
  const r = 3.4, alpha = 36.6;
  const nb = (rr: number, aa: number, t: number, n: number) => Math.exp(computeNbdLogProbability(rr, aa, t, n));
  const customers: [number, number, number][] = [[0, 0, 30], [0, 0, 52], [1, 10, 40], [5, 20, 50], [3, 1, 52], [30, 45, 50]];
  const close = (actual: number, expected: number, label: string) => expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
  for (const share of [1e-4, 0.2, 0.9]) {
    const params = { r, alpha, a: share * ONE_TIME_BUYERS_SHAPE, b: (1 - share) * ONE_TIME_BUYERS_SHAPE };
    /** P(alive): 1 after a repeat purchase; for x = 0 the posterior share of stayers (1 − π)q/((1 − π)q + π), q = (α/(α+T))^r */
    const alive = (x: number, T: number) => {
      const q = Math.pow(alpha / (alpha + T), r);
      return x > 0 ? 1 : ((1 - share) * q) / ((1 - share) * q + share);
    };

    it(`P(alive), conditional purchases, no-purchase probability and time to the next purchase (π = ${share})`, () => {
      for (const [x, tx, T] of customers) {
        const pAlive = alive(x, T);
        close(predictMbgNbdProbabilityAlive(params, x, tx, T), pAlive, `P(alive | ${x}, ${tx}, ${T})`);
        for (const t of [1, 10, 52]) {
          close(predictMbgNbdConditionalPurchases(params, t, x, tx, T), (pAlive * (r + x) * t) / (alpha + T), `E[Y(${t}) | ${x}]`);
          close(predictMbgNbdNoPurchaseProbability(params, t, x, tx, T), 1 - pAlive * (1 - Math.pow((alpha + T) / (alpha + T + t), r + x)), `P(none in ${t} | ${x})`);
          let total = 0;
          for (let n = 0; n < 200; n++) {
            const p = mbgNbdConditionalProbabilityOfNPurchases(params, n, t, x, tx, T);
            total += p;
            if (n < 6) close(p, (n === 0 ? 1 - pAlive : 0) + pAlive * nb(r + x, alpha + T, t, n), `P(${n} in ${t} | ${x})`);
          }
          close(total, 1, 'Σ P(n in t | x)');
        }
        for (const q of [0.1, 0.5]) {
          const t = predictMbgNbdTimeToNextPurchase(params, q, x, tx, T);
          if (q >= pAlive) expect(t).toBe(Infinity);
          else expect(Math.abs(pAlive * (1 - Math.pow((alpha + T) / (alpha + T + t), r + x)) - q)).toBeLessThan(1e-9);
        }
      }
    });

    it(`E[X(t)] = (1 − π)·r·t/α and P(X(t) = n) = (1 − π)·NBD(n) + π·1{n = 0}, summing to 1 (π = ${share})`, () => {
      for (const t of [0.5, 10, 52, 520]) {
        close(predictMbgNbdExpectedPurchases(params, t), ((1 - share) * r * t) / alpha, `E[X(${t})]`);
        let total = 0;
        for (let n = 0; n < 2000; n++) {
          const p = predictMbgNbdPurchaseCountProbability(params, t, n);
          total += p;
          if (n < 6) close(p, (1 - share) * nb(r, alpha, t, n) + (n === 0 ? share : 0), `P(X(${t}) = ${n})`);
        }
        close(total, 1, `Σ P(X(${t}) = n)`);
      }
    });
  }

  it('the per-row predictors of PURCHASE_MODELS agree at the parameters alone (no boundary: the MBG/NBD’s own formulas)', () => {
    const params = { params: { r, alpha, a: 0.2 * ONE_TIME_BUYERS_SHAPE, b: 0.8 * ONE_TIME_BUYERS_SHAPE } };
    const rows: RfmData = { frequency: Float64Array.of(0, 4), recency: Float64Array.of(0, 30), T: Float64Array.of(40, 40), weight: Float64Array.of(1, 1) };
    const model = PURCHASE_MODELS.mbgnbd;
    const q = Math.pow(alpha / (alpha + 40), r), pAlive0 = (0.8 * q) / (0.8 * q + 0.2);
    const aliveAll = model.probabilityAliveAll(params, rows);
    close(aliveAll[0]!, pAlive0, 'P(alive | 0)');
    close(aliveAll[1]!, 1, 'P(alive | 4)');
    const expected = model.conditionalPurchasesAll(params, 52, rows);
    close(expected[0]!, (pAlive0 * r * 52) / (alpha + 40), 'E[Y(52) | 0]');
    close(expected[1]!, ((r + 4) * 52) / (alpha + 40), 'E[Y(52) | 4]');
    expect(model.timeToNextPurchaseAll(params, 0.5, rows)[1]).toBeCloseTo((alpha + 40) * (Math.pow(2, 1 / (r + 4)) - 1), 9);
  });
});
