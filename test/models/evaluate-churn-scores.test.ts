import { describe, expect, it } from 'vitest';
import { evaluateChurnScores } from '../../src/models/evaluate-churn-scores.js';
import { createRandom } from '../../src/math/random.js';

describe('evaluateChurnScores', () => {
  it('scores a hand-checked case: perfect ranking, Brier (0.01 + 0.04 + 0.16 + 0.16)/4', () => {
    const card = evaluateChurnScores(Float64Array.of(1, 0, 1, 0), Float64Array.of(0.9, 0.2, 0.6, 0.4), { seed: 1, draws: 50 });
    expect(card.auc).toBe(1);
    expect(card.prAuc).toBe(1);
    expect(card.brier).toBeCloseTo(0.0925, 12);
    expect(card.baseRate).toBe(0.5);
    expect(card.customers).toBe(4);
  });

  it('gives bootstrap intervals that hold the point estimate, narrow with more customers, and repeat for a seed', () => {
    const draw = (n: number) => {
      const random = createRandom(3);
      const outcome = new Float64Array(n);
      const probability = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        probability[i] = random.uniform();
        outcome[i] = random.uniform() < probability[i]! ? 1 : 0; // calibrated scores: AUC ≈ 0.83 in theory
      }
      return { outcome, probability };
    };
    const small = draw(400);
    const large = draw(4000);
    const a = evaluateChurnScores(small.outcome, small.probability, { seed: 7 });
    const b = evaluateChurnScores(large.outcome, large.probability, { seed: 7 });
    for (const card of [a, b]) {
      expect(card.aucInterval[0]).toBeLessThan(card.auc);
      expect(card.aucInterval[1]).toBeGreaterThan(card.auc);
      expect(card.prAucInterval[0]).toBeLessThan(card.prAuc);
      expect(card.prAucInterval[1]).toBeGreaterThan(card.prAuc);
    }
    expect(b.auc).toBeGreaterThan(0.8);
    expect(b.auc).toBeLessThan(0.86);
    expect(b.aucInterval[1] - b.aucInterval[0]).toBeLessThan((a.aucInterval[1] - a.aucInterval[0]) * 0.6);
    expect(evaluateChurnScores(small.outcome, small.probability, { seed: 7 })).toEqual(a);
  });

  it('refuses mismatched lengths with a UserError', () => {
    expect(() => evaluateChurnScores(Float64Array.of(1, 0), Float64Array.of(0.5), { seed: 1 })).toThrow(/1 probabilities for 2 outcomes/);
  });
});
