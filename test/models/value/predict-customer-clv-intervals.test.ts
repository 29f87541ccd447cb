import { describe, expect, it } from 'vitest';
import { fitBgNbd } from '../../../src/models/bgnbd/bgnbd.js';
import { simulateBgNbd } from '../../../src/models/bgnbd/simulate-bgnbd.js';
import { createClvSchedule } from '../../../src/models/clv.js';
import { compressRfm } from '../../../src/models/compress-rfm.js';
import { getPurchaseModel } from '../../../src/models/model-registry.js';
import type { FittedModel } from '../../../src/models/model-types.js';
import { MIN_CLV_INTERVAL_DRAWS, parametersWithoutIntervals, predictCustomerClvIntervals } from '../../../src/models/value/predict-customer-clv-intervals.js';

/** 2,000 BG/NBD customers (CDNOW parameters, 39 weeks) and the inputs of their CLV intervals, without a spend model. */
function inputs() {
  const data = simulateBgNbd({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, { customers: 2000, T: 39, seed: 5 });
  const { tuples, tupleOf } = compressRfm(data);
  const purchaseFit = fitBgNbd(tuples);
  const monetary = Float64Array.from(data.frequency, (x) => (x > 0 ? 30 : NaN));
  return { model: getPurchaseModel('bgnbd'), purchaseFit, spendFit: null, tuples, tupleOf, frequency: data.frequency, monetary, fallbackMean: 30, schedule: { horizon: 52, timeUnit: 'week' as const, discountRatePerYear: 0.1, step: 13 }, margin: 1, seed: 1, level: 0.9 };
}

/**
 * Regression: a fit that stopped at the optimiser's box without a named boundary (MBG/NBD at a = 2.9e-11, b = 1.8e-9 on
 * a steady synthetic shop) has 95% intervals [0, ∞) for those parameters; every parameter draw then gave a NaN CLV, the
 * interval columns were empty, and run.json still said `intervalDraws: 200` with no `intervalsSkipped`.
 */
describe('predictCustomerClvIntervals', () => {
  it('draws from a fit with finite intervals: 90% intervals around every customer’s CLV', () => {
    const result = predictCustomerClvIntervals(inputs());
    expect(result.skipped).toBeNull();
    expect(result.draws).toBe(200);
    expect(result.lower!.every((v, i) => Number.isFinite(v) && v <= result.upper![i]!)).toBe(true);
  });

  it('does not draw from a fit whose intervals are not finite, and says which parameters and why', () => {
    const base = inputs();
    const stopped = { ...base.purchaseFit, intervals95: { ...base.purchaseFit.intervals95, a: [0, Infinity], b: [0, Infinity] }, fit: { ...base.purchaseFit.fit, converged: false } } as FittedModel;
    expect(parametersWithoutIntervals(stopped)).toEqual(['a', 'b']);
    const result = predictCustomerClvIntervals({ ...base, purchaseFit: stopped });
    expect(result).toEqual({ lower: null, upper: null, draws: 0, level: 0.9, skipped: 'no intervals: the bgnbd estimates have no finite 95% interval for a, b (the fit did not converge), so there is no parameter uncertainty to draw from' });
    const singular = { ...base.purchaseFit, intervals95: { ...base.purchaseFit.intervals95, r: [NaN, NaN] } } as FittedModel;
    expect(predictCustomerClvIntervals({ ...base, purchaseFit: singular }).skipped).toBe('no intervals: the bgnbd estimates have no finite 95% interval for r (its information matrix is singular or nearly so), so there is no parameter uncertainty to draw from');
  });

  it('draws at least 100 parameter sets however many histories there are: a 5th/95th percentile needs draws beyond it', () => {
    // regression: max(20, min(200, budget / (tuples × steps))) gave Online Retail 65 draws and large shops 20, where the
    // 5th percentile is the first or second draw; the budget now only lowers the draws from 200 to 100
    const base = inputs();
    const result = predictCustomerClvIntervals({ ...base, evaluationBudget: 1 });
    expect(MIN_CLV_INTERVAL_DRAWS).toBe(100);
    expect(result.draws).toBe(100);
    expect(result.lower!.every((v, i) => Number.isFinite(v) && v <= result.upper![i]!)).toBe(true);
    const steps = createClvSchedule(base.schedule).times.length;
    expect(predictCustomerClvIntervals({ ...base, evaluationBudget: 150 * base.tuples.frequency.length * steps }).draws).toBe(150);
  });

  it('draws nothing past an evaluation limit (a costly model on many histories), and says how many evaluations it would take', () => {
    const base = inputs();
    const steps = createClvSchedule(base.schedule).times.length;
    const needed = 20 * base.tuples.frequency.length * steps;
    const result = predictCustomerClvIntervals({ ...base, evaluationBudget: 1, minDraws: 20, evaluationLimit: needed - 1 });
    expect(result.lower).toBeNull();
    expect(result.skipped).toBe(`no intervals: 20 draws of the bgnbd parameters over ${base.tuples.frequency.length.toLocaleString('en-US')} distinct purchase histories and ${steps} schedule steps would take ${needed.toLocaleString('en-US')} evaluations of its costly predictions, more than the ${(needed - 1).toLocaleString('en-US')} allowed`);
    expect(predictCustomerClvIntervals({ ...base, evaluationBudget: 1, minDraws: 20, evaluationLimit: needed }).draws).toBe(20);
  });
});
