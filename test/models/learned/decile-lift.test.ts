import { describe, expect, it } from 'vitest';
import { computeDecileLift } from '../../../src/models/learned/decile-lift.js';

describe('computeDecileLift', () => {
  it('cuts 20 customers into ten pairs by score and computes lift and cumulative gain by hand', () => {
    // scores 20..1; outcomes: the top pair bought 3 and 1, the second pair 2 and 0, the rest 0 except one at the bottom (2)
    const score = Array.from({ length: 20 }, (_, i) => 20 - i);
    const outcome = [3, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
    const rows = computeDecileLift(outcome, score);
    expect(rows).toHaveLength(10);
    // total 8, mean 0.4 per customer; decile 1 holds 4 (mean 2 → lift 5, gain 0.5), decile 2 holds 2 (mean 1 → lift 2.5, gain 0.75)
    expect(rows[0]).toEqual({ decile: 1, customers: 2, meanScore: 19.5, meanOutcome: 2, lift: 5, cumulativeGain: 0.5 });
    expect(rows[1]).toEqual({ decile: 2, customers: 2, meanScore: 17.5, meanOutcome: 1, lift: 2.5, cumulativeGain: 0.75 });
    expect(rows[5]!.cumulativeGain).toBe(0.75);
    expect(rows[9]).toMatchObject({ decile: 10, meanOutcome: 1, lift: 2.5, cumulativeGain: 1 });
  });

  it('orders by score whatever the input order, skips NaN rows, and leaves lift NaN when nothing happened', () => {
    const rows = computeDecileLift([0, 1, NaN, 0], [0.1, 0.9, 0.5, NaN]);
    expect(rows.map((r) => [r.customers, r.meanOutcome, r.lift])).toEqual([[1, 1, 2], [1, 0, 0]]);
    const none = computeDecileLift([0, 0, 0], [1, 2, 3]);
    expect(none.every((r) => Number.isNaN(r.lift) && Number.isNaN(r.cumulativeGain))).toBe(true);
  });

  it('a tied score carries no order: a constant score gives lift 1 in every decile whatever the row order (AUC 0.5 agrees)', () => {
    // 1 − P(alive) of a model without dropout is 0 for everyone; rows in an order that matches the outcome
    const outcome = Array.from({ length: 100 }, (_, i) => (i < 40 ? 1 : 0));
    const rows = computeDecileLift(outcome, new Array(100).fill(0));
    for (const r of rows) {
      expect(r.meanOutcome).toBeCloseTo(0.4, 12);
      expect(r.lift).toBeCloseTo(1, 12);
      expect(r.cumulativeGain).toBeCloseTo(r.decile / 10, 12);
    }
    // a tie spanning two deciles shares its mean outcome between them; untied rows keep theirs
    const split = computeDecileLift([1, 1, 0, 0, 0, 0, 0, 0, 0, 0], [0.9, 0.5, 0.5, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
    expect(split.slice(0, 3).map((r) => r.meanOutcome)).toEqual([1, 0.5, 0.5]);
  });
});
