import { describe, expect, it } from 'vitest';
import { createClvSchedule, predictClv, predictClvAll, predictClvIntervals } from '../../src/models/clv.js';
import { fitBgNbd, predictBgNbdConditionalPurchases, predictBgNbdConditionalPurchasesAll, type BgNbdParams } from '../../src/models/bgnbd/bgnbd.js';
import { fitGammaGamma, predictGammaGammaConditionalSpendAll, type GammaGammaParams } from '../../src/models/gamma-gamma/gamma-gamma.js';
import type { FittedModel } from '../../src/models/model-types.js';
import { loadCdnowSpend, loadCdnowSummary } from './cdnow-fixture.js';
import { relativeError } from './model-test-helpers.js';

/** A one-parameter "fitted model" with a chosen log-scale standard error. */
function rateModel(lambda: number, seLog: number): FittedModel<{ lambda: number }> {
  return {
    model: 'rate', params: { lambda }, logLikelihood: 0, n: 1, aic: 0, bic: 0,
    stdErrors: { lambda: lambda * seLog }, intervals95: { lambda: [NaN, NaN] },
    covarianceLog: [[seLog * seLog]],
    fit: { converged: true, iterations: 0, gradientNorm: 0, message: '', starts: 1, startsConverged: 1 },
    penalty: 0,
  };
}

describe('predictClv', () => {
  it('without discounting equals expected purchases over the horizon × spend × margin', () => {
    const clv = predictClv({ expectedPurchases: (t) => 0.5 * t, spendPerPurchase: 40, margin: 0.25, horizon: 12, timeUnit: 'month' });
    expect(clv).toBeCloseTo(0.5 * 12 * 40 * 0.25, 10);
  });

  it('discounts each step at its end: Σ_k λ·spend/(1+d)^{k/12} for monthly steps', () => {
    const d = 0.1;
    let expected = 0;
    for (let k = 1; k <= 24; k++) expected += (2 * 10) / (1 + d) ** (k / 12);
    const clv = predictClv({ expectedPurchases: (t) => 2 * t, spendPerPurchase: 10, discountRatePerYear: d, horizon: 24, timeUnit: 'month', step: 1 });
    expect(relativeError(clv, expected)).toBeLessThan(1e-13);
  });

  it('time units convert to years (Julian year): 52 weeks at 10 %/yr discounted weekly', () => {
    let expected = 0;
    for (let k = 1; k <= 52; k++) expected += 1 / 1.1 ** ((7 * k) / 365.25);
    const clv = predictClv({ expectedPurchases: (t) => t, spendPerPurchase: 1, discountRatePerYear: 0.1, horizon: 52, timeUnit: 'week', step: 1 });
    expect(relativeError(clv, expected)).toBeLessThan(1e-13);
  });

  it('the grid ends exactly at the horizon (last step shortened); default step is one month', () => {
    expect(Array.from(createClvSchedule({ horizon: 2.5, timeUnit: 'month', step: 1 }).times)).toEqual([1, 2, 2.5]);
    const weeks = createClvSchedule({ horizon: 52, timeUnit: 'week' }).times;
    expect(weeks[0]).toBeCloseTo(365.25 / 12 / 7, 12);
    expect(weeks[weeks.length - 1]).toBe(52);
    expect(createClvSchedule({ horizon: 365, timeUnit: 'day' }).times.length).toBe(12);
  });

  it('rejects invalid options with a UserError', () => {
    expect(() => predictClv({ expectedPurchases: (t) => t, spendPerPurchase: 1, horizon: 0, timeUnit: 'month' })).toThrow(/horizon/);
    expect(() => predictClv({ expectedPurchases: (t) => t, spendPerPurchase: 1, horizon: 1, timeUnit: 'month', discountRatePerYear: -1 })).toThrow(/discountRatePerYear/);
    expect(() => createClvSchedule({ horizon: 1, timeUnit: 'year' as never })).toThrow(/time unit/);
  });

  it('predictClvAll equals the per-customer scalar CLV with a BTYD model (CDNOW BG/NBD + Gamma-Gamma)', () => {
    const data = loadCdnowSummary();
    const spendData = loadCdnowSpend();
    const bg = fitBgNbd(data);
    const gg = fitGammaGamma(spendData);
    const spend = predictGammaGammaConditionalSpendAll(gg.params, spendData);
    const options = { discountRatePerYear: 0.1, horizon: 52, timeUnit: 'week' as const };
    const all = predictClvAll({ ...options, expectedPurchasesAll: (t) => predictBgNbdConditionalPurchasesAll(bg.params, t, data), spendPerPurchase: spend, margin: 0.3 });
    for (const i of [0, 1, 2, 5, 100, 2356]) {
      const single = predictClv({
        ...options,
        expectedPurchases: (t) => predictBgNbdConditionalPurchases(bg.params, t, data.frequency[i], data.recency[i], data.T[i]),
        spendPerPurchase: spend[i],
        margin: 0.3,
      });
      expect(relativeError(all[i], single), `customer ${i}`).toBeLessThan(1e-14);
    }
    // undiscounted CLV = E[Y(52)]·spend·margin
    const plain = predictClvAll({ horizon: 52, timeUnit: 'week', expectedPurchasesAll: (t) => predictBgNbdConditionalPurchasesAll(bg.params, t, data), spendPerPurchase: spend });
    expect(relativeError(plain[0], predictBgNbdConditionalPurchases(bg.params, 52, 2, 30.43, 38.86) * spend[0])).toBeLessThan(1e-12);
  });
});

describe('predictClvIntervals', () => {
  it('reproduces the log-normal interval of a one-parameter model: CLV = 12·λ with log λ ~ N(log 2, 0.1²)', () => {
    const model = rateModel(2, 0.1);
    const intervals = predictClvIntervals({
      draws: 4000, seed: 1,
      evaluate: (sample) => Float64Array.of(12 * sample(model).lambda),
    });
    // exact quantiles: 24·exp(±1.96·0.1); Monte Carlo error of a 2.5 % quantile with 4000 draws ≈ 1 %
    expect(relativeError(intervals.lower[0], 24 * Math.exp(-1.959964 * 0.1))).toBeLessThan(0.02);
    expect(relativeError(intervals.upper[0], 24 * Math.exp(1.959964 * 0.1))).toBeLessThan(0.02);
    expect(relativeError(intervals.median[0], 24)).toBeLessThan(0.01);
    expect(intervals.nonFiniteValues).toBe(0);
  });

  it('is reproducible per seed; a model sampled twice within a draw gives the same params', () => {
    const model = rateModel(1, 0.3);
    const run = (seed: number) =>
      predictClvIntervals({
        draws: 50, seed,
        evaluate: (sample) => {
          const a = sample(model), b = sample(model);
          expect(a).toBe(b);
          return Float64Array.of(a.lambda, 2 * a.lambda);
        },
      });
    const first = run(5), second = run(5), other = run(6);
    expect(Array.from(first.lower)).toEqual(Array.from(second.lower));
    expect(first.lower[0]).not.toBe(other.lower[0]);
  });

  it('CDNOW BG/NBD + Gamma-Gamma: lower ≤ point ≤ upper for typical customers, and a NaN covariance gives NaN intervals', () => {
    const data = loadCdnowSummary();
    const spendData = loadCdnowSpend();
    const bg = fitBgNbd(data);
    const gg = fitGammaGamma(spendData);
    const subset = { frequency: data.frequency.subarray(0, 50), recency: data.recency.subarray(0, 50), T: data.T.subarray(0, 50), weight: data.weight.subarray(0, 50) };
    const subsetSpend = { frequency: spendData.frequency.subarray(0, 50), monetary: spendData.monetary.subarray(0, 50), weight: spendData.weight.subarray(0, 50) };
    const clvFor = (bgParams: BgNbdParams, ggParams: GammaGammaParams) =>
      predictClvAll({
        horizon: 52, timeUnit: 'week', discountRatePerYear: 0.1,
        expectedPurchasesAll: (t) => predictBgNbdConditionalPurchasesAll(bgParams, t, subset),
        spendPerPurchase: predictGammaGammaConditionalSpendAll(ggParams, subsetSpend),
      });
    const point = clvFor(bg.params, gg.params);
    const intervals = predictClvIntervals({ draws: 200, seed: 3, evaluate: (sample) => clvFor(sample(bg), sample(gg)) });
    let inside = 0;
    for (let i = 0; i < 50; i++) {
      expect(intervals.lower[i]).toBeLessThanOrEqual(intervals.median[i]);
      expect(intervals.median[i]).toBeLessThanOrEqual(intervals.upper[i]);
      if (intervals.lower[i] <= point[i] && point[i] <= intervals.upper[i]) inside++;
      expect(intervals.upper[i] - intervals.lower[i]).toBeGreaterThan(0);
    }
    expect(inside).toBe(50);
    const broken = { ...bg, covarianceLog: bg.covarianceLog.map((row) => row.map(() => NaN)) };
    const nan = predictClvIntervals({ draws: 10, seed: 3, evaluate: (sample) => clvFor(sample(broken), gg.params) });
    expect(nan.lower[0]).toBeNaN();
    expect(nan.nonFiniteValues).toBe(500);
  });

  it('rejects bad options', () => {
    expect(() => predictClvIntervals({ draws: 1, seed: 1, evaluate: () => new Float64Array(1) })).toThrow(/draws/);
    expect(() => predictClvIntervals({ level: 1, seed: 1, evaluate: () => new Float64Array(1) })).toThrow(/level/);
  });
});
