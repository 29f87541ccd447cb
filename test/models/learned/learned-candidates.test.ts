import { describe, expect, it } from 'vitest';
import { computeFeatureRanges, fitLearnedCandidate, LEARNED_CANDIDATE_NAMES, predictLearnedCandidate, splitValidationRows } from '../../../src/models/learned/learned-candidates.js';
import { createRandom } from '../../../src/math/random.js';

/** Purchases ~ Poisson(exp(−1 + 1.5·x1)) with a noise feature x2 and some missing x1. */
function poissonData(n: number, seed: number) {
  const random = createRandom(seed);
  const x1 = new Float64Array(n), x2 = new Float64Array(n), label = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x1[i] = random.uniform();
    x2[i] = random.uniform();
    label[i] = random.poisson(Math.exp(-1 + 1.5 * x1[i]!));
  }
  return { columns: [x1, x2], label };
}

describe('learned candidates', () => {
  it('splits validation rows by a seeded draw: disjoint, complete, repeatable', () => {
    const data = poissonData(1000, 1);
    const a = splitValidationRows(data, 0.2, 5);
    const b = splitValidationRows(data, 0.2, 5);
    expect(a.train.label.length + a.validation.label.length).toBe(1000);
    expect(a.validation.label.length).toBeGreaterThan(150);
    expect(a.validation.label.length).toBeLessThan(250);
    expect(a.validation.columns[0]).toEqual(b.validation.columns[0]);
  });

  it('every candidate recovers the mean purchase curve on held-out customers and is deterministic for a seed', () => {
    const train = poissonData(4000, 2);
    const test = poissonData(2000, 3);
    for (const name of LEARNED_CANDIDATE_NAMES.filter((n) => n !== 'gbt-btyd')) { // gbt-btyd needs a BTYD column: below
      const fitted = fitLearnedCandidate(name, train, { featureNames: ['x1', 'x2'], seed: 9 });
      const predicted = predictLearnedCandidate(fitted, test.columns);
      let error = 0;
      for (let i = 0; i < predicted.length; i++) error += Math.abs(predicted[i]! - Math.exp(-1 + 1.5 * test.columns[0]![i]!));
      expect(error / predicted.length, name).toBeLessThan(name === 'linear-poisson' ? 0.05 : 0.12);
      expect(predictLearnedCandidate(fitLearnedCandidate(name, train, { featureNames: ['x1', 'x2'], seed: 9 }), test.columns), name).toEqual(predicted);
    }
  });

  it('the GLM scores out-of-range features at the edge of its training range instead of extrapolating', () => {
    const train = poissonData(3000, 4);
    const fitted = fitLearnedCandidate('linear-poisson', train, { featureNames: ['x1', 'x2'] });
    const [[low, high]] = computeFeatureRanges([train.columns[0]!]) as [[number, number]];
    const atEdge = predictLearnedCandidate(fitted, [Float64Array.of(high), Float64Array.of(0.5)]);
    const beyond = predictLearnedCandidate(fitted, [Float64Array.of(high + 10), Float64Array.of(0.5)]);
    expect(beyond[0]).toBe(atEdge[0]);
    expect(low).toBeGreaterThanOrEqual(0);
    expect(atEdge[0]).toBeCloseTo(Math.exp(0.5), 0);
  });
});

describe('gbt-btyd: boosting from the BTYD prediction', () => {
  /** x1, x2 and a "BTYD" column predicting half the true mean (right shape, total off by 2×). */
  const withBase = (n: number, seed: number) => {
    const d = poissonData(n, seed);
    return { columns: [...d.columns, d.columns[0]!.map((x) => 0.5 * Math.exp(-1 + 1.5 * x))], label: d.label };
  };
  const names = ['x1', 'x2', 'btyd_expected_purchases'];

  it('corrects a base prediction that is off by a constant factor and recovers the mean curve on held-out customers', () => {
    const fitted = fitLearnedCandidate('gbt-btyd', withBase(4000, 2), { featureNames: names, seed: 9 });
    expect(fitted.label).toBe('GBT on BTYD (Poisson)');
    expect(fitted.model.kind === 'gradient-boosted-trees' && fitted.model.usesOffset).toBe(true);
    // the constant on top of the offsets is log(Σy / Σ base) ≈ log 2
    expect(fitted.model.kind === 'gradient-boosted-trees' && fitted.model.initialScores[0]).toBeCloseTo(Math.log(2), 1);
    const test = withBase(2000, 3);
    const predicted = predictLearnedCandidate(fitted, test.columns);
    let error = 0;
    for (let i = 0; i < predicted.length; i++) error += Math.abs(predicted[i]! - Math.exp(-1 + 1.5 * test.columns[0]![i]!));
    expect(error / predicted.length).toBeLessThan(0.06);
  });

  it('refuses features without the BTYD column, with a hint', () => {
    expect(() => fitLearnedCandidate('gbt-btyd', poissonData(200, 1), { featureNames: ['x1', 'x2'] })).toThrow(/needs the feature btyd_expected_purchases/);
  });
});

describe('learned candidates: regression', () => {
  it('the GLM scores rows when a feature was missing for every training row (e.g. seasonality on less than a year)', () => {
    const train = poissonData(2000, 6);
    const allMissing = new Float64Array(2000).fill(NaN);
    const fitted = fitLearnedCandidate('linear-poisson', { columns: [train.columns[0]!, allMissing], label: train.label }, { featureNames: ['x1', 'season'] });
    const predicted = predictLearnedCandidate(fitted, [Float64Array.of(0.5, 0.5), Float64Array.of(NaN, 0.7)]);
    expect(Number.isFinite(predicted[0])).toBe(true);
    expect(predicted[1]).toBe(predicted[0]); // a feature never seen in training carries no weight
  });
});
