import { describe, expect, it } from 'vitest';
import {
  computeMbgNbdCustomerLogLikelihood,
  computeMbgNbdLogLikelihood,
  computeMbgNbdLogLikelihoods,
  createMbgNbdProblem,
  fitMbgNbd,
  predictMbgNbdConditionalPurchases,
  predictMbgNbdConditionalPurchasesAll,
  predictMbgNbdExpectedPurchases,
  predictMbgNbdNoPurchaseProbability,
  predictMbgNbdProbabilityAlive,
  predictMbgNbdProbabilityAliveAll,
  predictMbgNbdPurchaseCountProbability,
  predictMbgNbdTimeToNextPurchase,
  predictMbgNbdTimeToNextPurchaseAll,
  type MbgNbdParams,
} from '../../../src/models/mbgnbd/mbgnbd.js';
import { fitBgNbd } from '../../../src/models/bgnbd/bgnbd.js';
import { simulateMbgNbd } from '../../../src/models/mbgnbd/simulate-mbgnbd.js';
import type { RfmData } from '../../../src/models/model-types.js';
import { compressRfmData, loadCdnowSummary } from '../cdnow-fixture.js';
import { expectedWhileAliveByQuadrature, maxGradientError, relativeError } from '../model-test-helpers.js';

const PUBLISHED: MbgNbdParams = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };
const cdnow = loadCdnowSummary();

function toLog(p: MbgNbdParams): Float64Array {
  return Float64Array.of(Math.log(p.r), Math.log(p.alpha), Math.log(p.a), Math.log(p.b));
}

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

describe('MBG/NBD on CDNOW (Batislam, Denizel & Filiztekin 2007)', () => {
  const fitted = fitMbgNbd(cdnow);

  it('reproduces the published estimates r = 0.525, α = 6.183, a = 0.891, b = 1.614 (3 s.f.)', () => {
    expect(fitted.fit.converged, fitted.fit.message).toBe(true);
    for (const name of ['r', 'alpha', 'a', 'b'] as const) expectThreeSignificant(name, fitted.params[name], PUBLISHED[name]);
    expect(fitted.model).toBe('mbgnbd');
    // same number of parameters as BG/NBD and a slightly better fit on this data set
    const bg = fitBgNbd(cdnow);
    expect(fitted.logLikelihood).toBeGreaterThan(bg.logLikelihood);
    expect(fitted.logLikelihood - bg.logLikelihood).toBeLessThan(1);
  });

  it('gives the same estimates on compressed unique tuples as per customer (relative difference < 1e-6)', () => {
    const fromTuples = fitMbgNbd(compressRfmData(cdnow));
    expect(fromTuples.fit.converged, fromTuples.fit.message).toBe(true);
    for (const name of ['r', 'alpha', 'a', 'b'] as const) {
      expect(relativeError(fromTuples.params[name], fitted.params[name]), name).toBeLessThan(1e-6);
      expect(relativeError(fromTuples.stdErrors[name], fitted.stdErrors[name]), `se ${name}`).toBeLessThan(1e-4);
    }
  });
});

describe('MBG/NBD likelihood', () => {
  it('analytic gradient matches finite differences (rel. error < 1e-5), incl. a+b < 1, x = 0, x = 1000', () => {
    const dataSets: [string, RfmData][] = [['cdnow', cdnow], ['extreme', EXTREME]];
    const points: MbgNbdParams[] = [PUBLISHED, { r: 2, alpha: 0.5, a: 0.3, b: 0.4 }, { r: 0.05, alpha: 100, a: 5, b: 30 }, { r: 1, alpha: 1, a: 1, b: 1 }];
    for (const [label, data] of dataSets) {
      const problem = createMbgNbdProblem(data);
      for (const point of points) {
        const { error, analytic, numeric } = maxGradientError(problem, toLog(point));
        expect(error, `${label} at ${JSON.stringify(point)}: analytic ${analytic}, numeric ${numeric}`).toBeLessThan(1e-5);
      }
    }
  });

  it('per-row, total and problem agree; finite on extreme rows; x = 0 likelihood equals P(X(T) = 0)', () => {
    const ll = computeMbgNbdLogLikelihoods(PUBLISHED, EXTREME);
    for (let i = 0; i < ll.length; i++) expect(Number.isFinite(ll[i]), `row ${i}: ${ll[i]}`).toBe(true);
    const total = computeMbgNbdLogLikelihood(PUBLISHED, EXTREME);
    const fromProblem = createMbgNbdProblem(EXTREME).logLikelihood(toLog(PUBLISHED), new Float64Array(4));
    expect(relativeError(fromProblem, total)).toBeLessThan(1e-12);
    for (const T of [0.5, 39, 1000]) {
      const l = Math.exp(computeMbgNbdCustomerLogLikelihood(PUBLISHED, 0, 0, T));
      expect(relativeError(l, predictMbgNbdPurchaseCountProbability(PUBLISHED, T, 0)), `T ${T}`).toBeLessThan(1e-12);
    }
  });

  it('rejects bad data with a UserError', () => {
    expect(() => fitMbgNbd({ ...cdnow, T: new Float64Array(cdnow.T.length) })).toThrow(/T must be/);
  });
});

describe('MBG/NBD predictions', () => {
  const paramSets: MbgNbdParams[] = [
    PUBLISHED,
    { r: 2, alpha: 0.5, a: 0.3, b: 0.4 },
    { r: 0.5, alpha: 20, a: 1, b: 0.5 },
    { r: 0.05, alpha: 100, a: 5, b: 30 },
    { r: 5, alpha: 1, a: 0.1, b: 0.1 },
  ];

  it('conditional and unconditional expectations equal independent quadratures (rel. error < 1e-6)', () => {
    for (const p of paramSets) {
      for (const t of [1, 39, 365, 10000]) {
        const unconditional = predictMbgNbdExpectedPurchases(p, t);
        const reference = (p.b / (p.a + p.b)) * expectedWhileAliveByQuadrature(p.r, p.alpha, p.a, p.b + 1, t);
        expect(relativeError(unconditional, reference), `E[X(${t})] at ${JSON.stringify(p)}`).toBeLessThan(1e-6);
        for (const [x, tx, T] of [[0, 0, 39], [2, 30.43, 38.86], [1000, 9999, 10000]] as const) {
          const value = predictMbgNbdConditionalPurchases(p, t, x, tx, T);
          const ref = predictMbgNbdProbabilityAlive(p, x, tx, T) * expectedWhileAliveByQuadrature(p.r + x, p.alpha + T, p.a, p.b + x + 1, t);
          expect(relativeError(value, ref), `${JSON.stringify(p)}, x ${x}, t_x ${tx}, T ${T}, t ${t}: ${value} vs ${ref}`).toBeLessThan(1e-6);
        }
      }
    }
  });

  it('P(alive | x = 0) < 1 (time-0 dropout) and matches 1/(1 + a/(b+x)·((α+T)/(α+t_x))^{r+x})', () => {
    const { r, alpha, a, b } = PUBLISHED;
    const zero = predictMbgNbdProbabilityAlive(PUBLISHED, 0, 0, 38.86);
    expect(relativeError(zero, 1 / (1 + (a / b) * ((alpha + 38.86) / alpha) ** r))).toBeLessThan(1e-14);
    expect(zero).toBeLessThan(0.5);
    const two = predictMbgNbdProbabilityAlive(PUBLISHED, 2, 30.43, 38.86);
    expect(relativeError(two, 1 / (1 + (a / (b + 2)) * ((alpha + 38.86) / (alpha + 30.43)) ** (r + 2)))).toBeLessThan(1e-14);
  });

  it('no NaN/Infinity and valid ranges over x ≤ 1000, T ≤ 10,000, a + b < 1, x = 0', () => {
    for (const p of paramSets) {
      for (const x of [0, 1, 10, 1000]) {
        for (const T of [1, 39, 10000]) {
          for (const fraction of [0, 0.5, 1]) {
            const tx = x === 0 ? 0 : T * fraction;
            const label = `${JSON.stringify(p)}, x ${x}, t_x ${tx}, T ${T}`;
            const alive = predictMbgNbdProbabilityAlive(p, x, tx, T);
            expect(alive >= 0 && alive <= 1, `${label}: P(alive) ${alive}`).toBe(true);
            expect(Number.isFinite(computeMbgNbdCustomerLogLikelihood(p, x, tx, T)), label).toBe(true);
            for (const t of [0.5, 365, 10000]) {
              const e = predictMbgNbdConditionalPurchases(p, t, x, tx, T);
              const none = predictMbgNbdNoPurchaseProbability(p, t, x, tx, T);
              const pn = predictMbgNbdPurchaseCountProbability(p, t, x);
              expect(Number.isFinite(e) && e >= 0, `${label}, t ${t}: E ${e}`).toBe(true);
              expect(none >= 0 && none <= 1, `${label}, t ${t}: P(none) ${none}`).toBe(true);
              expect(pn >= 0 && pn <= 1, `${label}, t ${t}: P(X=${x}) ${pn}`).toBe(true);
            }
          }
        }
      }
    }
  });

  it('P(X(t) = n) sums to 1 and its mean equals E[X(t)]', () => {
    for (const p of [PUBLISHED, { r: 2, alpha: 5, a: 0.3, b: 0.4 }, { r: 0.5, alpha: 20, a: 1.5, b: 3 }]) {
      for (const t of [1, 39, 100]) {
        let total = 0, mean = 0;
        for (let n = 0; n < 3000; n++) {
          const pn = predictMbgNbdPurchaseCountProbability(p, t, n);
          total += pn;
          mean += n * pn;
        }
        expect(Math.abs(total - 1), `sum at ${JSON.stringify(p)}, t ${t}`).toBeLessThan(1e-10);
        expect(relativeError(mean, predictMbgNbdExpectedPurchases(p, t)), `mean at ${JSON.stringify(p)}, t ${t}`).toBeLessThan(1e-8);
      }
    }
    // at t = 0 the only mass is X = 0
    expect(predictMbgNbdPurchaseCountProbability(PUBLISHED, 0, 0)).toBeCloseTo(1, 14);
  });

  it('time-to-next quantiles solve P(within t) = q; Infinity for a one-time buyer whose P(alive) < q', () => {
    const alive = predictMbgNbdProbabilityAlive(PUBLISHED, 0, 0, 38.86);
    expect(predictMbgNbdTimeToNextPurchase(PUBLISHED, 0.5, 0, 0, 38.86)).toBe(Infinity);
    expect(alive).toBeLessThan(0.5);
    for (const [x, tx, T] of [[2, 30.43, 38.86], [20, 38, 38.86]] as const) {
      const t = predictMbgNbdTimeToNextPurchase(PUBLISHED, 0.5, x, tx, T);
      expect(Number.isFinite(t)).toBe(true);
      expect(Math.abs(1 - predictMbgNbdNoPurchaseProbability(PUBLISHED, t, x, tx, T) - 0.5)).toBeLessThan(1e-12);
    }
  });

  it('vectorised versions equal the scalar ones', () => {
    const e = predictMbgNbdConditionalPurchasesAll(PUBLISHED, 39, EXTREME);
    const alive = predictMbgNbdProbabilityAliveAll(PUBLISHED, EXTREME);
    const q90 = predictMbgNbdTimeToNextPurchaseAll(PUBLISHED, 0.9, EXTREME);
    for (let i = 0; i < EXTREME.frequency.length; i++) {
      const [x, tx, T] = [EXTREME.frequency[i], EXTREME.recency[i], EXTREME.T[i]];
      expect(e[i]).toBe(predictMbgNbdConditionalPurchases(PUBLISHED, 39, x, tx, T));
      expect(alive[i]).toBe(predictMbgNbdProbabilityAlive(PUBLISHED, x, tx, T));
      expect(q90[i]).toBe(predictMbgNbdTimeToNextPurchase(PUBLISHED, 0.9, x, tx, T));
    }
  });
});

describe('MBG/NBD parameter recovery on simulated data', () => {
  it('true parameters lie inside the 95 % intervals in ≥ 8 of 10 seeds (20,000 customers each)', () => {
    const covered = { r: 0, alpha: 0, a: 0, b: 0 };
    for (let seed = 1; seed <= 10; seed++) {
      const fitted = fitMbgNbd(simulateMbgNbd(PUBLISHED, { customers: 20_000, T: 39, seed }));
      expect(fitted.fit.converged, `seed ${seed}: ${fitted.fit.message}`).toBe(true);
      for (const name of ['r', 'alpha', 'a', 'b'] as const) {
        const [lo, hi] = fitted.intervals95[name];
        if (lo <= PUBLISHED[name] && PUBLISHED[name] <= hi) covered[name]++;
      }
    }
    for (const name of ['r', 'alpha', 'a', 'b'] as const) expect(covered[name], `${name} covered in ${covered[name]}/10 seeds`).toBeGreaterThanOrEqual(8);
  });
});
