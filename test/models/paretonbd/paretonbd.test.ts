import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors/user-error.js';
import {
  computeParetoNbdCustomerLogLikelihood,
  computeParetoNbdLogLikelihood,
  computeParetoNbdLogLikelihoods,
  createParetoNbdProblem,
  fitParetoNbd,
  predictParetoNbdConditionalPurchases,
  predictParetoNbdConditionalPurchasesAll,
  predictParetoNbdExpectedPurchases,
  predictParetoNbdNoPurchaseProbability,
  predictParetoNbdNoPurchaseProbabilityAll,
  predictParetoNbdProbabilityAlive,
  predictParetoNbdProbabilityAliveAll,
  predictParetoNbdPurchaseCountProbability,
  predictParetoNbdTimeToNextPurchase,
  predictParetoNbdTimeToNextPurchaseAll,
  type ParetoNbdParams,
} from '../../../src/models/paretonbd/paretonbd.js';
import type { RfmData } from '../../../src/models/model-types.js';
import { compressRfmData, loadCdnowSummary } from '../cdnow-fixture.js';

const PUBLISHED: ParetoNbdParams = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };

function rfm(rows: Array<[number, number, number]>): RfmData {
  return {
    frequency: Float64Array.from(rows.map((r) => r[0])),
    recency: Float64Array.from(rows.map((r) => r[1])),
    T: Float64Array.from(rows.map((r) => r[2])),
    weight: new Float64Array(rows.length).fill(1),
  };
}

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(1e-300, Math.abs(expected));
}

/**
 * log L per customer from the Fader & Hardie (2005) 2F1 formula (eq. 15–17)
 * with mpmath hyp2f1/gamma at 50 digits: rows [r, α, s, β, x, t_x, T, log L],
 * made by `test/fixtures/pareto-nbd/generate-log-likelihood.py`. Covers α ≈ β,
 * α ≫ β, α ≪ β, s and r integers and s + 1 near-integer, x up to 1,000,
 * T up to 10,000, t_x = 0 and t_x within 1e-4 of T.
 */
const MPMATH_LOG_LIKELIHOOD = (
  JSON.parse(readFileSync(new URL('../../fixtures/pareto-nbd/log-likelihood.json', import.meta.url), 'utf8')) as {
    rows: Array<[number, number, number, number, number, number, number, number]>;
  }
).rows;

describe('Pareto/NBD log-likelihood', () => {
  it('matches the mpmath evaluation of the 2F1 formula for every golden row (relative 1e-11)', () => {
    const failures: string[] = [];
    for (const [r, alpha, s, beta, x, tx, T, expected] of MPMATH_LOG_LIKELIHOOD) {
      const got = computeParetoNbdCustomerLogLikelihood({ r, alpha, s, beta }, x, tx, T);
      const err = Math.abs(got - expected) / Math.max(1, Math.abs(expected));
      if (!(err < 1e-11)) failures.push(`params (${r}, ${alpha}, ${s}, ${beta}) customer (${x}, ${tx}, ${T}): expected ${expected}, got ${got}`);
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('reproduces the published CDNOW log-likelihood −9595.0 at the published estimates', () => {
    const ll = computeParetoNbdLogLikelihood(PUBLISHED, loadCdnowSummary());
    expect(Math.abs(ll - -9595.0), `log-likelihood ${ll}`).toBeLessThan(0.1);
  });

  it('gives the same weighted total on per-customer and on compressed tuples', () => {
    const data = loadCdnowSummary();
    const compressed = compressRfmData(data);
    expect(compressed.frequency.length).toBeLessThan(data.frequency.length / 2);
    const a = computeParetoNbdLogLikelihood(PUBLISHED, data);
    const b = computeParetoNbdLogLikelihood(PUBLISHED, compressed);
    expect(relativeError(b, a)).toBeLessThan(1e-12);
  });

  it('the estimation problem returns the same total as computeParetoNbdLogLikelihood', () => {
    const data = loadCdnowSummary();
    const problem = createParetoNbdProblem(data);
    const z = Float64Array.of(Math.log(PUBLISHED.r), Math.log(PUBLISHED.alpha), Math.log(PUBLISHED.s), Math.log(PUBLISHED.beta));
    const ll = problem.logLikelihood(z, new Float64Array(4));
    expect(relativeError(ll, computeParetoNbdLogLikelihood(PUBLISHED, data))).toBeLessThan(1e-12);
    expect(problem.n).toBe(2357);
  });

  it('the estimation problem (memoised per distinct (x, t) pair) equals row-by-row evaluation, value and gradient (relative 1e-13)', () => {
    // value: against computeParetoNbdLogLikelihood (no memo at all); gradient: against one-row problems (no sharing)
    // a grid where every (x, t_x) pair meets several T and every (x, T) pair several t_x, with weights,
    // plus the compressed CDNOW tuples; points exercise the fast path (α ≈ β, α < β), the near/far split
    // for α ≫ β and α ≪ β (t_x below the split), and α = β; the sequence returns to the first point so a
    // stale memo would show
    const grid: Array<[number, number, number]> = [];
    for (const T of [31, 39, 52]) {
      grid.push([0, 0, T]);
      for (const x of [1, 2, 5, 20, 60]) for (const tx of [0.5, 3, 10, 18, 30, T]) grid.push([x, tx, T]);
    }
    const gridData = rfm(grid);
    gridData.weight.forEach((_, i) => (gridData.weight[i] = 1 + (i % 4)));
    const points: ParetoNbdParams[] = [
      PUBLISHED,
      { r: 2, alpha: 20, s: 0.3, beta: 1 },
      { r: 0.49, alpha: 10.6, s: 1.52, beta: 70.4 },
      { r: 1, alpha: 3, s: 1, beta: 3 },
      { r: 0.3, alpha: 0.05, s: 1.0000001, beta: 50 },
      PUBLISHED,
    ];
    for (const data of [gridData, compressRfmData(loadCdnowSummary())]) {
      const problem = createParetoNbdProblem(data);
      const singles = Array.from(data.frequency, (x, i) => createParetoNbdProblem(rfm([[x, data.recency[i], data.T[i]]])));
      for (const p of points) {
        const z = Float64Array.of(Math.log(p.r), Math.log(p.alpha), Math.log(p.s), Math.log(p.beta));
        const gradient = new Float64Array(4);
        const value = problem.logLikelihood(z, gradient);
        const expected = computeParetoNbdLogLikelihood(p, data);
        const expectedGradient = new Float64Array(4);
        const rowGradient = new Float64Array(4);
        singles.forEach((single, i) => {
          single.logLikelihood(z, rowGradient);
          for (let k = 0; k < 4; k++) expectedGradient[k] += data.weight[i] * rowGradient[k];
        });
        expect(relativeError(value, expected), `${JSON.stringify(p)}: memoised ${value}, row by row ${expected}`).toBeLessThan(1e-13);
        const scale = Math.max(...Array.from(expectedGradient, Math.abs));
        for (let k = 0; k < 4; k++) {
          const err = Math.abs(gradient[k] - expectedGradient[k]) / scale;
          expect(err, `${JSON.stringify(p)} d/dlog ${problem.paramNames[k]}: memoised ${gradient[k]}, row by row ${expectedGradient[k]}`).toBeLessThan(1e-13);
        }
      }
    }
  });

  it('stays finite for x up to 1,000, T up to 10,000, x = 0 and extreme α/β', () => {
    const customers: Array<[number, number, number]> = [[0, 0, 1e-3], [0, 0, 10_000], [1000, 1, 10_000], [1000, 9_999.99, 10_000], [1000, 10_000, 10_000], [1, 1e-9, 10_000]];
    const paramsList: ParetoNbdParams[] = [PUBLISHED, { r: 50, alpha: 1e-3, s: 0.01, beta: 1e4 }, { r: 0.01, alpha: 1e4, s: 30, beta: 1e-3 }];
    for (const p of paramsList) {
      for (const [x, tx, T] of customers) {
        const values = [
          computeParetoNbdCustomerLogLikelihood(p, x, tx, T),
          predictParetoNbdProbabilityAlive(p, x, tx, T),
          predictParetoNbdConditionalPurchases(p, 52, x, tx, T),
          predictParetoNbdNoPurchaseProbability(p, 52, x, tx, T),
        ];
        for (const v of values) expect(Number.isFinite(v), `${JSON.stringify(p)} (${x}, ${tx}, ${T}): ${values}`).toBe(true);
        const q = predictParetoNbdTimeToNextPurchase(p, 0.5, x, tx, T);
        expect(q >= 0, `quantile ${q}`).toBe(true); // a number or Infinity, never NaN
      }
    }
  });

  it('returns NaN for invalid params or customers', () => {
    expect(computeParetoNbdCustomerLogLikelihood({ ...PUBLISHED, r: -1 }, 1, 1, 2)).toBeNaN();
    expect(computeParetoNbdCustomerLogLikelihood(PUBLISHED, 1.5, 1, 2)).toBeNaN();
    expect(computeParetoNbdCustomerLogLikelihood(PUBLISHED, 1, 3, 2)).toBeNaN();
    expect(predictParetoNbdProbabilityAlive(PUBLISHED, -1, 0, 2)).toBeNaN();
    expect(Array.from(computeParetoNbdLogLikelihoods({ ...PUBLISHED, s: -1 }, rfm([[0, 0, 1]])))).toEqual([NaN]);
  });

  it('s = 0 is the no-dropout limit: the NBD log-likelihood r·log(α/(α+T)) + …', () => {
    const { r, alpha } = PUBLISHED;
    const [ll] = computeParetoNbdLogLikelihoods({ ...PUBLISHED, s: 0 }, rfm([[0, 0, 1]]));
    expect(ll).toBeCloseTo(r * Math.log(alpha / (alpha + 1)), 12);
  });
});

describe('Pareto/NBD analytic gradient', () => {
  // customers with x = 0, x ≥ 300 (t_x near T and far from it), a purchase at the end of the window
  const customers = rfm([[0, 0, 39], [0, 0, 2], [2, 30.43, 38.86], [26, 30.86, 31], [5, 0.5, 40], [300, 290, 300], [350, 3, 400], [1000, 9_000, 10_000], [4, 20, 20]]);
  const points: Array<[string, ParetoNbdParams]> = [
    ['CDNOW estimates (α < β)', PUBLISHED],
    ['α ≫ β', { r: 2, alpha: 20, s: 0.3, beta: 1 }],
    ['α ≪ β', { r: 0.8, alpha: 2, s: 1.5, beta: 300 }],
    ['α = β, s = 1 (integer c − a − b in 2F1)', { r: 1, alpha: 3, s: 1, beta: 3 }],
    ['α ≈ β/1000, s + 1 near-integer', { r: 0.3, alpha: 0.05, s: 1.0000001, beta: 50 }],
    ['β ≈ α/10⁴, large r', { r: 20, alpha: 200, s: 0.2, beta: 0.02 }],
  ];
  const problem = createParetoNbdProblem(customers);
  const value = (z: Float64Array) => problem.logLikelihood(z, new Float64Array(4));
  for (const [name, p] of points) {
    it(`matches central finite differences (Richardson) to 1e-5 at ${name}`, () => {
      const z = Float64Array.of(Math.log(p.r), Math.log(p.alpha), Math.log(p.s), Math.log(p.beta));
      const analytic = new Float64Array(4);
      const ll = problem.logLikelihood(z, analytic);
      expect(Number.isFinite(ll)).toBe(true);
      const scale = Math.max(...Array.from(analytic, Math.abs));
      for (let k = 0; k < 4; k++) {
        const difference = (h: number) => {
          const up = Float64Array.from(z), down = Float64Array.from(z);
          up[k] += h;
          down[k] -= h;
          return (value(up) - value(down)) / (2 * h);
        };
        const h = 1e-3;
        const numeric = (4 * difference(h / 2) - difference(h)) / 3;
        const err = Math.abs(analytic[k] - numeric) / Math.max(Math.abs(numeric), 1e-3 * scale);
        expect(err, `d/dlog ${problem.paramNames[k]}: analytic ${analytic[k]}, numeric ${numeric}`).toBeLessThan(1e-5);
      }
    });
  }
});

describe('Pareto/NBD fit on CDNOW', () => {
  const data = loadCdnowSummary();
  const fit = fitParetoNbd(data);

  it('reproduces the published estimates to 3 significant figures and log-likelihood −9595.0 ± 0.1', () => {
    expect(fit.fit.converged, fit.fit.message).toBe(true);
    for (const key of ['r', 'alpha', 's', 'beta'] as const) {
      const got = fit.params[key];
      expect(Number(got.toPrecision(3)), `${key}: published ${PUBLISHED[key]}, fitted ${got}`).toBe(Number(PUBLISHED[key].toPrecision(3)));
      expect(relativeError(got, PUBLISHED[key]), `${key}: published ${PUBLISHED[key]}, fitted ${got}`).toBeLessThan(1e-3);
    }
    expect(Math.abs(fit.logLikelihood - -9595.0), `log-likelihood ${fit.logLikelihood}`).toBeLessThan(0.1);
    expect(fit.n).toBe(2357);
    for (const key of ['r', 'alpha', 's', 'beta'] as const) {
      const [lo, hi] = fit.intervals95[key];
      expect(lo < fit.params[key] && fit.params[key] < hi).toBe(true);
    }
  });

  it('gives the same estimates on compressed unique tuples as per customer', () => {
    const compressed = fitParetoNbd(compressRfmData(data));
    for (const key of ['r', 'alpha', 's', 'beta'] as const) {
      expect(relativeError(compressed.params[key], fit.params[key]), key).toBeLessThan(1e-6);
      expect(relativeError(compressed.stdErrors[key], fit.stdErrors[key]), key).toBeLessThan(1e-4);
    }
    expect(Math.abs(compressed.logLikelihood - fit.logLikelihood)).toBeLessThan(1e-6);
  });

  it('predicts 25.46 purchases in the next 52 weeks for (x = 26, t_x = 30.86, T = 31)', () => {
    for (const p of [PUBLISHED, fit.params]) {
      const e = predictParetoNbdConditionalPurchases(p, 52, 26, 30.86, 31);
      expect(e.toFixed(2), `E = ${e}`).toBe('25.46');
    }
  });

  it('a penalty shrinks the parameters and lowers the unpenalised log-likelihood', () => {
    const penalised = fitParetoNbd(compressRfmData(data), { penalty: 0.01 });
    expect(penalised.penalty).toBe(0.01);
    expect(penalised.logLikelihood).toBeLessThan(fit.logLikelihood);
    expect(penalised.params.beta).toBeLessThan(fit.params.beta);
  });

  it('throws UserError on invalid data', () => {
    expect(() => fitParetoNbd(rfm([[1, 5, 2]]))).toThrow(UserError);
    expect(() => fitParetoNbd(rfm([[-1, 0, 2]]))).toThrow(UserError);
    expect(() => fitParetoNbd(rfm([[1, 1, 2]]), { starts: [{ r: 0, alpha: 1, s: 1, beta: 1 }] })).toThrow(UserError);
  });
});

describe('Pareto/NBD predictions', () => {
  const p = PUBLISHED;

  it('P(X(t) = n) sums to 1 and has mean E[X(t)] (relative 1e-10), for α < β, α > β and α = β', () => {
    const cases: Array<[ParetoNbdParams, number]> = [[p, 39], [p, 500], [{ r: 2, alpha: 20, s: 0.3, beta: 1 }, 52], [{ r: 1, alpha: 3, s: 1, beta: 3 }, 52]];
    for (const [params, t] of cases) {
      let total = 0, mean = 0;
      for (let n = 0; n < 3000; n++) {
        const pn = predictParetoNbdPurchaseCountProbability(params, t, n);
        expect(pn >= 0 && pn <= 1).toBe(true);
        total += pn;
        mean += n * pn;
      }
      const expected = predictParetoNbdExpectedPurchases(params, t);
      expect(Math.abs(total - 1), `${JSON.stringify(params)} t=${t}: Σ P = ${total}`).toBeLessThan(1e-10);
      expect(relativeError(mean, expected), `${JSON.stringify(params)} t=${t}: mean ${mean}, E ${expected}`).toBeLessThan(1e-10);
    }
    expect(predictParetoNbdPurchaseCountProbability(p, 10, 2.5)).toBeNaN();
  });

  it('P(X(t) = n) sums to 1 with mean E[X(t)] near the one-time-buyers limit s, β → 0, where most deaths come within β of the first purchase (regression: the quadrature missed them, Σ P = 0.86)', () => {
    // an interior fit near the limit, its stop at the limit, and that with one purchase rate (r = 1e8)
    const cases: ParetoNbdParams[] = [
      { r: 2.0044, alpha: 40.333, s: 0.061213, beta: 7.5003e-7 },
      { r: 5.0104, alpha: 48.107, s: 0.022281, beta: 5.1646e-9 },
      { r: 1e8, alpha: 3.3248e8, s: 0.036731, beta: 5.284e-10 },
    ];
    for (const params of cases) {
      let total = 0, mean = 0;
      for (let n = 0; n < 120; n++) {
        const pn = predictParetoNbdPurchaseCountProbability(params, 52, n);
        total += pn;
        mean += n * pn;
      }
      expect(Math.abs(total - 1), `${JSON.stringify(params)}: Σ P = ${total}`).toBeLessThan(1e-9);
      expect(relativeError(mean, predictParetoNbdExpectedPurchases(params, 52)), `${JSON.stringify(params)}: mean ${mean}`).toBeLessThan(1e-8);
      // P(X(52) = 0) holds those who die before buying again: at least those dead within 1e-3 of the first purchase
      expect(predictParetoNbdPurchaseCountProbability(params, 52, 0)).toBeGreaterThan(1 - Math.exp(-params.s * Math.log1p(1e-3 / params.beta)));
    }
  });

  it('E[X(t)] and the conditional expectation are continuous through s = 1', () => {
    for (const s of [1 - 1e-9, 1 + 1e-9]) {
      const near = { ...p, s };
      const at = { ...p, s: 1 };
      expect(relativeError(predictParetoNbdExpectedPurchases(near, 52), predictParetoNbdExpectedPurchases(at, 52))).toBeLessThan(1e-7);
      expect(relativeError(predictParetoNbdConditionalPurchases(near, 52, 3, 20, 39), predictParetoNbdConditionalPurchases(at, 52, 3, 20, 39))).toBeLessThan(1e-7);
    }
    // s = 1: E[X(t)] = (rβ/α)·ln((β+t)/β)
    const at = { ...p, s: 1 };
    expect(relativeError(predictParetoNbdExpectedPurchases(at, 52), ((p.r * p.beta) / p.alpha) * Math.log((p.beta + 52) / p.beta))).toBeLessThan(1e-14);
  });

  it('is invariant to the time unit (α, β, t_x, T, t all scaled by 7)', () => {
    const days = { ...p, alpha: p.alpha * 7, beta: p.beta * 7 };
    expect(relativeError(predictParetoNbdProbabilityAlive(days, 3, 20 * 7, 39 * 7), predictParetoNbdProbabilityAlive(p, 3, 20, 39))).toBeLessThan(1e-12);
    expect(relativeError(predictParetoNbdConditionalPurchases(days, 52 * 7, 3, 20 * 7, 39 * 7), predictParetoNbdConditionalPurchases(p, 52, 3, 20, 39))).toBeLessThan(1e-12);
    const median = predictParetoNbdTimeToNextPurchase(p, 0.5, 26, 30.86, 31);
    expect(Number.isFinite(median)).toBe(true);
    expect(relativeError(predictParetoNbdTimeToNextPurchase(days, 0.5, 26, 30.86 * 7, 31 * 7) / 7, median)).toBeLessThan(1e-8);
  });

  it('P(alive) increases with t_x at fixed T, lies in [0, 1], and is 1 for a purchase at T', () => {
    const values = [0, 5, 10, 20, 39].map((tx) => predictParetoNbdProbabilityAlive(p, 3, tx, 39));
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]);
    for (const v of values) expect(v >= 0 && v <= 1).toBe(true);
    expect(predictParetoNbdProbabilityAlive(p, 3, 39, 39)).toBe(1); // bought at the very end: D = 0
  });

  it('P(no purchase in (T, T+t]) is 1 at t = 0, decreasing, bounded below by P(never again) ≥ 1 − P(alive)', () => {
    const [x, tx, T] = [2, 30, 39];
    expect(predictParetoNbdNoPurchaseProbability(p, 0, x, tx, T)).toBe(1);
    let previous = 1;
    for (const t of [1, 5, 20, 100, 1000]) {
      const v = predictParetoNbdNoPurchaseProbability(p, t, x, tx, T);
      expect(v).toBeLessThan(previous);
      previous = v;
    }
    const never = predictParetoNbdNoPurchaseProbability(p, Infinity, x, tx, T);
    expect(never).toBeLessThan(previous);
    expect(never).toBeGreaterThan(1 - predictParetoNbdProbabilityAlive(p, x, tx, T));
  });

  it('time-to-next-purchase quantiles solve P(purchase within t) = q, and are Infinity above P(ever buying again)', () => {
    const [x, tx, T] = [26, 30.86, 31];
    for (const q of [0.5, 0.9]) {
      const t = predictParetoNbdTimeToNextPurchase(p, q, x, tx, T);
      expect(Number.isFinite(t) && t > 0).toBe(true);
      const reached = 1 - predictParetoNbdNoPurchaseProbability(p, t, x, tx, T);
      expect(Math.abs(reached - q), `q=${q}: t=${t}, P=${reached}`).toBeLessThan(1e-8);
    }
    const p50 = predictParetoNbdTimeToNextPurchase(p, 0.5, x, tx, T);
    const p90 = predictParetoNbdTimeToNextPurchase(p, 0.9, x, tx, T);
    expect(p90).toBeGreaterThan(p50);
    // a lapsed one-time buyer may be dead: buying again at all has probability < 0.5
    const ceiling = 1 - predictParetoNbdNoPurchaseProbability(p, Infinity, 0, 0, 39);
    expect(ceiling).toBeLessThan(0.5);
    expect(predictParetoNbdTimeToNextPurchase(p, 0.5, 0, 0, 39)).toBe(Infinity);
    expect(Number.isFinite(predictParetoNbdTimeToNextPurchase(p, ceiling * 0.9, 0, 0, 39))).toBe(true);
    expect(predictParetoNbdTimeToNextPurchase(p, 1, x, tx, T)).toBeNaN();
  });

  it('vectorised versions equal the per-customer functions', () => {
    const data = rfm([[0, 0, 39], [2, 30.43, 38.86], [26, 30.86, 31], [1000, 9999, 10000]]);
    const alive = predictParetoNbdProbabilityAliveAll(p, data);
    const conditional = predictParetoNbdConditionalPurchasesAll(p, 52, data);
    const none = predictParetoNbdNoPurchaseProbabilityAll(p, 52, data);
    const median = predictParetoNbdTimeToNextPurchaseAll(p, 0.5, data);
    const ll = computeParetoNbdLogLikelihoods(p, data);
    for (let i = 0; i < 4; i++) {
      const [x, tx, T] = [data.frequency[i], data.recency[i], data.T[i]];
      expect(alive[i]).toBe(predictParetoNbdProbabilityAlive(p, x, tx, T));
      expect(conditional[i]).toBe(predictParetoNbdConditionalPurchases(p, 52, x, tx, T));
      expect(none[i]).toBe(predictParetoNbdNoPurchaseProbability(p, 52, x, tx, T));
      expect(median[i]).toBe(predictParetoNbdTimeToNextPurchase(p, 0.5, x, tx, T));
      expect(ll[i]).toBe(computeParetoNbdCustomerLogLikelihood(p, x, tx, T));
    }
  });
});
