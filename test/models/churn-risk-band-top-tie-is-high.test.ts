/**
 * Regression: the risk bands followed mid-rank, so when 40% of customers shared the highest churn_probability their
 * mid-rank (20%) was past the high band's 20% and "high" was empty — the riskiest customers were "medium". The tie at
 * the highest probability is now high whole; every other tie keeps its mid-rank. (A rule that banded every tie by where
 * it starts, tried first, made the least risky 90% "high" when they tied below 10 distinct probabilities: review.)
 */
import { describe, expect, it } from 'vitest';
import { churnRiskBands } from '../../src/models/learned/churn-classifier.js';

const count = (bands: readonly (string | null)[], band: string) => bands.filter((b) => b === band).length;

describe('churnRiskBands with a large tie', () => {
  it('bands 40 of 100 customers tied at the highest probability "high", whole', () => {
    // 40 at 0.95 (the highest), then 60 distinct, falling from 0.9
    const probability = Float64Array.from({ length: 100 }, (_, i) => (i < 40 ? 0.95 : 0.9 - (i - 40) / 100));
    const { bands, cutoffs } = churnRiskBands(probability);
    expect(bands.slice(0, 40).every((b) => b === 'high')).toBe(true);
    // the next customers start at 40% (past the high 20%, within the next 30%: medium up to 50%), then low
    expect([count(bands, 'high'), count(bands, 'medium'), count(bands, 'low')]).toEqual([40, 10, 50]);
    expect(cutoffs.high).toBe(0.95);
    expect(cutoffs.medium).toBeCloseTo(0.81, 12);
  });

  it('bands the other ties by their mid-rank, never split: a tie of 60 from 30% to 90% is low whole', () => {
    // 30 distinct at the top (20 high, 10 medium), then a tie of 60 whose mid-rank is 60%: low whole, as the 10 after it
    const probability = Float64Array.from({ length: 100 }, (_, i) => (i < 30 ? 0.99 - i / 100 : i < 90 ? 0.5 : 0.1));
    const { bands } = churnRiskBands(probability);
    expect([count(bands, 'high'), count(bands, 'medium'), count(bands, 'low')]).toEqual([20, 10, 70]);
  });

  it('keeps a large tie at the bottom low: 10 distinct probabilities above 90 tied at 0.1 are the only high ones', () => {
    const probability = Float64Array.from({ length: 100 }, (_, i) => (i < 10 ? 0.9 - i / 100 : 0.1));
    const { bands, cutoffs } = churnRiskBands(probability);
    expect([count(bands, 'high'), count(bands, 'medium'), count(bands, 'low')]).toEqual([10, 0, 90]);
    expect(cutoffs.high).toBeCloseTo(0.81, 12);
  });
});
