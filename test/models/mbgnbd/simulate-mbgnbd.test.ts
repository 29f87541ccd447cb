import { describe, expect, it } from 'vitest';
import { simulateMbgNbd } from '../../../src/models/mbgnbd/simulate-mbgnbd.js';
import { predictMbgNbdExpectedPurchases, predictMbgNbdPurchaseCountProbability } from '../../../src/models/mbgnbd/mbgnbd.js';

const PARAMS = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };

describe('simulateMbgNbd', () => {
  it('is reproducible per seed', () => {
    const a = simulateMbgNbd(PARAMS, { customers: 500, T: 39, seed: 3 });
    const b = simulateMbgNbd(PARAMS, { customers: 500, T: 39, seed: 3 });
    expect(Array.from(a.recency)).toEqual(Array.from(b.recency));
  });

  it('matches the model: mean ≈ E[X(T)], zeros ≈ P(X(T) = 0), P(X(T) = 1) (within 4 standard errors, 50,000 customers)', () => {
    const n = 50_000;
    const data = simulateMbgNbd(PARAMS, { customers: n, T: 39, seed: 12 });
    let sum = 0, sum2 = 0;
    const counts = [0, 0];
    for (const x of data.frequency) {
      sum += x;
      sum2 += x * x;
      if (x < 2) counts[x]++;
    }
    const mean = sum / n;
    const sd = Math.sqrt(sum2 / n - mean * mean);
    expect(Math.abs(mean - predictMbgNbdExpectedPurchases(PARAMS, 39))).toBeLessThan((4 * sd) / Math.sqrt(n));
    for (const k of [0, 1]) {
      const p = predictMbgNbdPurchaseCountProbability(PARAMS, 39, k);
      expect(Math.abs(counts[k] / n - p), `P(X=${k}): ${counts[k] / n} vs ${p}`).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    }
  });
});
