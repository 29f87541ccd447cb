import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors/user-error.js';
import { fitBgBb, predictBgBbTransactionCountProbability, type BgBbParams } from '../../../src/models/bgbb/bgbb.js';
import { simulateBgBb } from '../../../src/models/bgbb/simulate-bgbb.js';

const TRUTH: BgBbParams = { alpha: 1.2, beta: 0.75, gamma: 0.66, delta: 2.8 };
const KEYS = ['alpha', 'beta', 'gamma', 'delta'] as const;

describe('simulateBgBb', () => {
  it('is reproducible for a seed and gives valid tuples', () => {
    const a = simulateBgBb(TRUTH, { customers: 200, periods: 6, seed: 3 });
    const b = simulateBgBb(TRUTH, { customers: 200, periods: 6, seed: 3 });
    const c = simulateBgBb(TRUTH, { customers: 200, periods: 6, seed: 4 });
    expect(Array.from(a.frequency)).toEqual(Array.from(b.frequency));
    expect(Array.from(a.recency)).toEqual(Array.from(b.recency));
    expect(Array.from(a.recency)).not.toEqual(Array.from(c.recency));
    for (let i = 0; i < 200; i++) {
      const x = a.frequency[i], tx = a.recency[i];
      expect(Number.isInteger(x) && x <= tx && tx <= 6 && (x === 0) === (tx === 0)).toBe(true);
    }
    expect(() => simulateBgBb(TRUTH, { customers: 5, periods: 0, seed: 1 })).toThrow(UserError);
    expect(() => simulateBgBb({ ...TRUTH, gamma: 0 }, { customers: 5, periods: 6, seed: 1 })).toThrow(UserError);
  });

  it('draws counts with the model distribution P(X(n) = x)', () => {
    const customers = 100_000;
    const data = simulateBgBb(TRUTH, { customers, periods: 6, seed: 5 });
    const counts = new Float64Array(7);
    for (let i = 0; i < customers; i++) counts[data.frequency[i]]++;
    for (let x = 0; x <= 6; x++) {
      const p = predictBgBbTransactionCountProbability(TRUTH, 6, x);
      const se = Math.sqrt((p * (1 - p)) / customers);
      expect(Math.abs(counts[x] / customers - p), `x=${x}: simulated ${counts[x] / customers}, model ${p}`).toBeLessThan(4 * se);
    }
  });

  it('fits recover the true parameters: each inside its 95% interval for ≥ 8 of 10 seeds', () => {
    // measured with seeds 1–10 (3,000 customers, 6 opportunities): α, β inside 9/10, γ, δ 8/10;
    // over 40 other seeds the per-parameter coverage was 92.5%
    const inside = { alpha: 0, beta: 0, gamma: 0, delta: 0 };
    for (let seed = 1; seed <= 10; seed++) {
      const fit = fitBgBb(simulateBgBb(TRUTH, { customers: 3000, periods: 6, seed }));
      expect(fit.fit.converged, fit.fit.message).toBe(true);
      for (const key of KEYS) {
        const [lo, hi] = fit.intervals95[key];
        if (lo <= TRUTH[key] && TRUTH[key] <= hi) inside[key]++;
      }
    }
    for (const key of KEYS) expect(inside[key], `${key} inside for ${inside[key]} of 10 seeds`).toBeGreaterThanOrEqual(8);
  });
});
