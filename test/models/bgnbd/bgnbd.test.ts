import { describe, expect, it } from 'vitest';
import {
  computeBgNbdCustomerLogLikelihood,
  computeBgNbdLogLikelihood,
  computeBgNbdLogLikelihoods,
  createBgNbdProblem,
  fitBgNbd,
  predictBgNbdConditionalPurchases,
  predictBgNbdConditionalPurchasesAll,
  predictBgNbdExpectedPurchases,
  predictBgNbdNoPurchaseProbability,
  predictBgNbdProbabilityAlive,
  predictBgNbdProbabilityAliveAll,
  predictBgNbdPurchaseCountProbability,
  predictBgNbdTimeToNextPurchase,
  predictBgNbdTimeToNextPurchaseAll,
  type BgNbdParams,
} from '../../../src/models/bgnbd/bgnbd.js';
import { computeExpectedPurchasesWhileAlive } from '../../../src/models/btyd/expected-purchases-while-alive.js';
import { simulateBgNbd } from '../../../src/models/bgnbd/simulate-bgnbd.js';
import type { RfmData } from '../../../src/models/model-types.js';
import { compressRfmData, loadCdnowSummary } from '../cdnow-fixture.js';
import { expectedWhileAliveByQuadrature, maxGradientError, relativeError } from '../model-test-helpers.js';

const PUBLISHED: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const cdnow = loadCdnowSummary();

function toLog(p: BgNbdParams): Float64Array {
  return Float64Array.of(Math.log(p.r), Math.log(p.alpha), Math.log(p.a), Math.log(p.b));
}

/** relative error within 3 significant figures: |actual − expected| ≤ 0.5 unit of the 3rd digit of expected */
function expectThreeSignificant(label: string, actual: number, expected: number): void {
  const unit = 10 ** (Math.floor(Math.log10(Math.abs(expected))) - 2);
  expect(Math.abs(actual - expected), `${label}: expected ${expected} to 3 s.f., got ${actual}`).toBeLessThanOrEqual(0.5 * unit + 1e-12);
}

const EXTREME: RfmData = {
  frequency: Float64Array.of(0, 0, 1, 2, 10, 100, 1000, 1000, 3, 0),
  recency: Float64Array.of(0, 0, 0.5, 9000, 100, 5000, 9999, 10, 0, 0),
  T: Float64Array.of(1, 10000, 1, 10000, 200, 5000, 10000, 10000, 0.001, 39),
  weight: Float64Array.of(1, 3, 1, 2, 1, 1, 1, 1, 1, 7),
};

describe('BG/NBD on CDNOW (Fader, Hardie & Lee 2005)', () => {
  const fitted = fitBgNbd(cdnow);

  it('reproduces the published estimates r = 0.243, α = 4.414, a = 0.793, b = 2.426 and log-likelihood −9582.4', () => {
    expect(fitted.fit.converged, fitted.fit.message).toBe(true);
    expect(fitted.n).toBe(2357);
    for (const name of ['r', 'alpha', 'a', 'b'] as const) expectThreeSignificant(name, fitted.params[name], PUBLISHED[name]);
    expect(Math.abs(fitted.logLikelihood - -9582.4), `log-likelihood ${fitted.logLikelihood}`).toBeLessThanOrEqual(0.1);
    // AIC/BIC follow from the log-likelihood with k = 4, n = 2357
    expect(fitted.aic).toBeCloseTo(8 - 2 * fitted.logLikelihood, 9);
    expect(fitted.bic).toBeCloseTo(4 * Math.log(2357) - 2 * fitted.logLikelihood, 9);
    // standard errors as reported by lifetimes on the same data: 0.0125, 0.378, 0.186, 0.704 (±2 %)
    const lifetimesSe = { r: 0.0125, alpha: 0.378, a: 0.186, b: 0.704 };
    for (const name of ['r', 'alpha', 'a', 'b'] as const) {
      expect(relativeError(fitted.stdErrors[name], lifetimesSe[name]), `se ${name} = ${fitted.stdErrors[name]}`).toBeLessThan(0.02);
      const [lo, hi] = fitted.intervals95[name];
      expect(lo).toBeLessThan(fitted.params[name]);
      expect(hi).toBeGreaterThan(fitted.params[name]);
    }
  });

  it('reproduces E[X(t)] = 0.0532, 0.1506, 1.0437, 1.8576 at t = 1, 3, 32, 78 weeks (3 s.f. at the fitted params)', () => {
    const published = [[1, 0.0532], [3, 0.1506], [32, 1.0437], [78, 1.8576]] as const;
    for (const [t, expected] of published) {
      expectThreeSignificant(`E[X(${t})] at the fitted params`, predictBgNbdExpectedPurchases(fitted.params, t), expected);
      // at the rounded published params (r = 0.243 vs 0.24259 fitted) the values move by up to 0.15 %
      const atPublished = predictBgNbdExpectedPurchases(PUBLISHED, t);
      expect(relativeError(atPublished, expected), `E[X(${t})] at the published params: ${atPublished}`).toBeLessThan(0.003);
    }
  });

  it('reproduces the conditional expectation 1.226 for (x = 2, t_x = 30.43, T = 38.86) over 39 weeks', () => {
    expectThreeSignificant('fitted params', predictBgNbdConditionalPurchases(fitted.params, 39, 2, 30.43, 38.86), 1.226);
    expect(relativeError(predictBgNbdConditionalPurchases(PUBLISHED, 39, 2, 30.43, 38.86), 1.226)).toBeLessThan(0.003);
  });

  it('gives the same estimates on compressed unique tuples as per customer (relative difference < 1e-6)', () => {
    const compressed = compressRfmData(cdnow);
    expect(compressed.frequency.length).toBeLessThan(cdnow.frequency.length);
    const fromTuples = fitBgNbd(compressed);
    expect(fromTuples.fit.converged, fromTuples.fit.message).toBe(true);
    expect(fromTuples.n).toBe(2357);
    for (const name of ['r', 'alpha', 'a', 'b'] as const) {
      expect(relativeError(fromTuples.params[name], fitted.params[name]), name).toBeLessThan(1e-6);
      expect(relativeError(fromTuples.stdErrors[name], fitted.stdErrors[name]), `se ${name}`).toBeLessThan(1e-4);
    }
    expect(fromTuples.logLikelihood).toBeCloseTo(fitted.logLikelihood, 6);
  });

  it('penalty shrinks the natural parameters (lifetimes penalizer semantics)', () => {
    const penalised = fitBgNbd(cdnow, { penalty: 0.1 });
    expect(penalised.fit.converged, penalised.fit.message).toBe(true);
    expect(penalised.penalty).toBe(0.1);
    expect(penalised.params.alpha).toBeLessThan(fitted.params.alpha);
    expect(penalised.params.b).toBeLessThan(fitted.params.b);
    expect(penalised.logLikelihood).toBeLessThan(fitted.logLikelihood);
  });
});

describe('BG/NBD likelihood', () => {
  it('analytic gradient matches finite differences (rel. error < 1e-5) at several params, incl. a+b < 1, x = 0, x = 1000', () => {
    const dataSets: [string, RfmData][] = [['cdnow', cdnow], ['extreme', EXTREME], ['cdnow compressed', compressRfmData(cdnow)]];
    const points: BgNbdParams[] = [PUBLISHED, { r: 2, alpha: 0.5, a: 0.3, b: 0.4 }, { r: 0.05, alpha: 100, a: 5, b: 30 }, { r: 1, alpha: 1, a: 1, b: 1 }];
    for (const [label, data] of dataSets) {
      const problem = createBgNbdProblem(data);
      for (const point of points) {
        const { error, analytic, numeric } = maxGradientError(problem, toLog(point));
        expect(error, `${label} at ${JSON.stringify(point)}: analytic ${analytic}, numeric ${numeric}`).toBeLessThan(1e-5);
      }
    }
  });

  it('the problem, the per-row vector and the weighted total agree; finite for extreme rows', () => {
    const ll = computeBgNbdLogLikelihoods(PUBLISHED, EXTREME);
    for (let i = 0; i < ll.length; i++) expect(Number.isFinite(ll[i]), `row ${i}: ${ll[i]}`).toBe(true);
    const total = computeBgNbdLogLikelihood(PUBLISHED, EXTREME);
    const fromProblem = createBgNbdProblem(EXTREME).logLikelihood(toLog(PUBLISHED), new Float64Array(4));
    expect(relativeError(fromProblem, total)).toBeLessThan(1e-12);
    const cdnowTotal = computeBgNbdLogLikelihood(PUBLISHED, cdnow);
    expect(Math.abs(cdnowTotal - -9582.4)).toBeLessThan(0.5);
  });

  it('a customer with x = 0 has likelihood P(X(T) = 0) (FHL 2005 eq. 8 consistency)', () => {
    for (const T of [0.5, 39, 1000]) {
      const l = Math.exp(computeBgNbdCustomerLogLikelihood(PUBLISHED, 0, 0, T));
      expect(relativeError(l, predictBgNbdPurchaseCountProbability(PUBLISHED, T, 0))).toBeLessThan(1e-12);
    }
  });

  it('fitBgNbd rejects bad data with a UserError naming the row', () => {
    const bad = { ...cdnow, recency: Float64Array.from(cdnow.recency) };
    bad.recency[5] = 100; // > T
    expect(() => fitBgNbd(bad)).toThrow(/row 5/);
    expect(() => fitBgNbd({ ...cdnow, weight: new Float64Array(3) })).toThrow(/differ in length/);
    expect(() => fitBgNbd({ ...cdnow, weight: new Float64Array(cdnow.T.length) })).toThrow(/no customers/);
    const fractional = { ...cdnow, frequency: Float64Array.from(cdnow.frequency) };
    fractional.frequency[0] = 1.5;
    expect(() => fitBgNbd(fractional)).toThrow(/whole number/);
  });
});

describe('BG/NBD predictions', () => {
  const paramSets: BgNbdParams[] = [
    PUBLISHED,
    { r: 2, alpha: 0.5, a: 0.3, b: 0.4 }, // a + b < 1
    { r: 0.5, alpha: 20, a: 0.5, b: 0.5 }, // a + b = 1: c = 0 at x = 0
    { r: 0.5, alpha: 20, a: 1, b: 0.5 }, // a = 1: removable 0/0
    { r: 0.05, alpha: 100, a: 5, b: 30 },
    { r: 5, alpha: 1, a: 0.1, b: 0.1 },
  ];

  it('conditional expectation equals an independent quadrature over p ~ Beta(a, b+x) (rel. error < 1e-6), incl. a = 1, a + b = 1, x = 1000, T = 10,000', () => {
    for (const p of paramSets) {
      for (const [x, tx, T] of [[0, 0, 39], [2, 30.43, 38.86], [1000, 9999, 10000], [10, 5, 10000]] as const) {
        for (const t of [1, 39, 365, 10000]) {
          const value = predictBgNbdConditionalPurchases(p, t, x, tx, T);
          const alive = predictBgNbdProbabilityAlive(p, x, tx, T);
          const reference = alive * expectedWhileAliveByQuadrature(p.r + x, p.alpha + T, p.a, p.b + x, t);
          expect(relativeError(value, reference), `params ${JSON.stringify(p)}, x ${x}, t_x ${tx}, T ${T}, t ${t}: ${value} vs quadrature ${reference}`).toBeLessThan(1e-6);
        }
      }
    }
  });

  it('no NaN/Infinity and valid ranges over x ≤ 1000, T ≤ 10,000 days, a + b < 1, x = 0', () => {
    for (const p of paramSets) {
      for (const x of [0, 1, 2, 10, 100, 1000]) {
        for (const T of [1, 39, 1000, 10000]) {
          for (const fraction of [0, 0.5, 1]) {
            const tx = x === 0 ? 0 : T * fraction;
            const alive = predictBgNbdProbabilityAlive(p, x, tx, T);
            const label = `params ${JSON.stringify(p)}, x ${x}, t_x ${tx}, T ${T}`;
            expect(alive >= 0 && alive <= 1, `${label}: P(alive) ${alive}`).toBe(true);
            expect(Number.isFinite(computeBgNbdCustomerLogLikelihood(p, x, tx, T)), label).toBe(true);
            for (const t of [0.5, 365, 10000]) {
              const expected = predictBgNbdConditionalPurchases(p, t, x, tx, T);
              const none = predictBgNbdNoPurchaseProbability(p, t, x, tx, T);
              expect(Number.isFinite(expected) && expected >= 0, `${label}, t ${t}: E ${expected}`).toBe(true);
              expect(none >= 0 && none <= 1, `${label}, t ${t}: P(none) ${none}`).toBe(true);
              const pn = predictBgNbdPurchaseCountProbability(p, t, x);
              expect(pn >= 0 && pn <= 1, `${label}, t ${t}: P(X=${x}) ${pn}`).toBe(true);
            }
          }
        }
      }
    }
  });

  it('P(X(t) = n) sums to 1 and its mean equals E[X(t)] (two independent formula families)', () => {
    for (const p of [PUBLISHED, { r: 2, alpha: 5, a: 0.3, b: 0.4 }, { r: 0.5, alpha: 20, a: 1.5, b: 3 }]) {
      for (const t of [1, 39, 100]) {
        let total = 0, mean = 0;
        for (let n = 0; n < 3000; n++) {
          const pn = predictBgNbdPurchaseCountProbability(p, t, n);
          total += pn;
          mean += n * pn;
        }
        expect(Math.abs(total - 1), `sum at ${JSON.stringify(p)}, t ${t}`).toBeLessThan(1e-10);
        expect(relativeError(mean, predictBgNbdExpectedPurchases(p, t)), `mean at ${JSON.stringify(p)}, t ${t}`).toBeLessThan(1e-8);
      }
    }
    expect(predictBgNbdPurchaseCountProbability(PUBLISHED, 0, 0)).toBe(1);
    expect(Number.isNaN(predictBgNbdPurchaseCountProbability(PUBLISHED, 10, 1.5))).toBe(true);
  });

  it('P(alive) = 1 for x = 0 and matches the closed form 1/(1 + a/(b+x−1)·((α+T)/(α+t_x))^{r+x})', () => {
    expect(predictBgNbdProbabilityAlive(PUBLISHED, 0, 0, 38.86)).toBe(1);
    const { r, alpha, a, b } = PUBLISHED;
    const closed = 1 / (1 + (a / (b + 2 - 1)) * ((alpha + 38.86) / (alpha + 30.43)) ** (r + 2));
    expect(relativeError(predictBgNbdProbabilityAlive(PUBLISHED, 2, 30.43, 38.86), closed)).toBeLessThan(1e-14);
    // a long-silent heavy buyer is almost surely dead, without underflow to NaN
    const dead = predictBgNbdProbabilityAlive(PUBLISHED, 1000, 10, 10000);
    expect(dead).toBeGreaterThanOrEqual(0);
    expect(dead).toBeLessThan(1e-100);
  });

  it('time-to-next-purchase quantiles solve P(next purchase within t) = q, and are Infinity when q ≥ P(alive)', () => {
    const cases = [[2, 30.43, 38.86], [0, 0, 38.86], [20, 38, 38.86], [5, 10, 38.86]] as const;
    for (const [x, tx, T] of cases) {
      const alive = predictBgNbdProbabilityAlive(PUBLISHED, x, tx, T);
      for (const q of [0.5, 0.9]) {
        const t = predictBgNbdTimeToNextPurchase(PUBLISHED, q, x, tx, T);
        if (q >= alive) {
          expect(t, `x ${x}: P(alive) ${alive} ≤ q ${q}`).toBe(Infinity);
        } else {
          const within = 1 - predictBgNbdNoPurchaseProbability(PUBLISHED, t, x, tx, T);
          expect(Math.abs(within - q), `x ${x}, q ${q}: t ${t}, P(within) ${within}`).toBeLessThan(1e-12);
          expect(1 - predictBgNbdNoPurchaseProbability(PUBLISHED, t * 0.999, x, tx, T)).toBeLessThan(q);
        }
      }
    }
    // customer with x = 0 is surely alive under BG/NBD: every quantile is finite
    expect(Number.isFinite(predictBgNbdTimeToNextPurchase(PUBLISHED, 0.9, 0, 0, 38.86))).toBe(true);
    // the heavy, recently active customer has a shorter median than the lapsed one
    expect(predictBgNbdTimeToNextPurchase(PUBLISHED, 0.5, 20, 38, 38.86)).toBeLessThan(predictBgNbdTimeToNextPurchase(PUBLISHED, 0.5, 0, 0, 38.86));
    expect(Number.isNaN(predictBgNbdTimeToNextPurchase(PUBLISHED, 1, 2, 30, 38))).toBe(true);
  });

  it('P(no purchase in t) is 1 at t = 0, decreases in t, tends to 1 − P(alive)', () => {
    const alive = predictBgNbdProbabilityAlive(PUBLISHED, 2, 30.43, 38.86);
    expect(predictBgNbdNoPurchaseProbability(PUBLISHED, 0, 2, 30.43, 38.86)).toBe(1);
    let previous = 1;
    for (const t of [1, 10, 100, 1e4, 1e8]) {
      const v = predictBgNbdNoPurchaseProbability(PUBLISHED, t, 2, 30.43, 38.86);
      expect(v).toBeLessThan(previous);
      previous = v;
    }
    expect(Math.abs(previous - (1 - alive))).toBeLessThan(1e-3);
    expect(predictBgNbdNoPurchaseProbability(PUBLISHED, Infinity, 2, 30.43, 38.86)).toBeCloseTo(1 - alive, 14);
  });

  it('vectorised versions equal the scalar ones row by row', () => {
    const expected = predictBgNbdConditionalPurchasesAll(PUBLISHED, 39, EXTREME);
    const alive = predictBgNbdProbabilityAliveAll(PUBLISHED, EXTREME);
    const median = predictBgNbdTimeToNextPurchaseAll(PUBLISHED, 0.5, EXTREME);
    for (let i = 0; i < EXTREME.frequency.length; i++) {
      const [x, tx, T] = [EXTREME.frequency[i], EXTREME.recency[i], EXTREME.T[i]];
      expect(expected[i]).toBe(predictBgNbdConditionalPurchases(PUBLISHED, 39, x, tx, T));
      expect(alive[i]).toBe(predictBgNbdProbabilityAlive(PUBLISHED, x, tx, T));
      expect(median[i]).toBe(predictBgNbdTimeToNextPurchase(PUBLISHED, 0.5, x, tx, T));
    }
  });

  it('E[X(t)] is 0 at t = 0, increasing, and tends to (a+b−1)/(a−1) for a > 1, ∞ for a ≤ 1', () => {
    const p = { r: 0.5, alpha: 2, a: 3, b: 4 };
    expect(predictBgNbdExpectedPurchases(p, 0)).toBe(0);
    expect(predictBgNbdExpectedPurchases(p, Infinity)).toBe(3);
    expect(relativeError(predictBgNbdExpectedPurchases(p, 1e12), 3)).toBeLessThan(1e-3);
    expect(predictBgNbdExpectedPurchases(PUBLISHED, Infinity)).toBe(Infinity);
    // continuity across the removable singularities a = 1 and a + b = 1
    const near = (a: number, b: number) => predictBgNbdExpectedPurchases({ r: 0.5, alpha: 20, a, b }, 365);
    expect(relativeError(near(1, 2), near(1 + 2e-4, 2))).toBeLessThan(1e-3);
    expect(relativeError(near(0.5, 0.5), near(0.5, 0.5 + 1e-5))).toBeLessThan(1e-4);
    expect(computeExpectedPurchasesWhileAlive(1, 1, 1, 1, -1)).toBeNaN();
    expect(predictBgNbdExpectedPurchases({ r: -1, alpha: 1, a: 1, b: 1 }, 1)).toBeNaN();
  });
});

describe('BG/NBD parameter recovery on simulated data', () => {
  it('true parameters lie inside the 95 % intervals in ≥ 8 of 10 seeds (20,000 customers each)', () => {
    const truth = PUBLISHED;
    const covered = { r: 0, alpha: 0, a: 0, b: 0 };
    for (let seed = 1; seed <= 10; seed++) {
      const data = simulateBgNbd(truth, { customers: 20_000, T: 39, seed });
      const fitted = fitBgNbd(data);
      expect(fitted.fit.converged, `seed ${seed}: ${fitted.fit.message}`).toBe(true);
      for (const name of ['r', 'alpha', 'a', 'b'] as const) {
        const [lo, hi] = fitted.intervals95[name];
        if (lo <= truth[name] && truth[name] <= hi) covered[name]++;
      }
    }
    for (const name of ['r', 'alpha', 'a', 'b'] as const) expect(covered[name], `${name} covered in ${covered[name]}/10 seeds`).toBeGreaterThanOrEqual(8);
  });
});
