/**
 * Regression: the risk bands followed mid-rank, so when 40% of customers shared the highest churn_probability their
 * mid-rank (20%) was past the high band's 20% and "high" was empty — the riskiest customers were "medium". A tie is
 * banded by where it starts (the customers ranked strictly above it): it is never split, and a tie that starts
 * within the riskiest 20% is high whole.
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

  it('never splits a tie that starts within the medium band: it is medium whole, the customers after it low', () => {
    // 30 distinct at the top (20 high, 10 medium), then a tie of 60 starting at 30%: medium whole (it starts within
    // the next 30%, though it reaches 90%), the 10 after it low
    const probability = Float64Array.from({ length: 100 }, (_, i) => (i < 30 ? 0.99 - i / 100 : i < 90 ? 0.5 : 0.1));
    const { bands } = churnRiskBands(probability);
    expect([count(bands, 'high'), count(bands, 'medium'), count(bands, 'low')]).toEqual([20, 70, 10]);
  });
});
