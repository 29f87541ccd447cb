import { describe, expect, it } from 'vitest';
import { simulateBgNbd } from '../../../src/models/bgnbd/simulate-bgnbd.js';
import { predictBgNbdExpectedPurchases, predictBgNbdPurchaseCountProbability } from '../../../src/models/bgnbd/bgnbd.js';

const PARAMS = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe('simulateBgNbd', () => {
  it('is reproducible per seed and returns valid RfmData with weight 1', () => {
    const a = simulateBgNbd(PARAMS, { customers: 1000, T: 39, seed: 7 });
    const b = simulateBgNbd(PARAMS, { customers: 1000, T: 39, seed: 7 });
    const c = simulateBgNbd(PARAMS, { customers: 1000, T: 39, seed: 8 });
    expect(Array.from(a.frequency)).toEqual(Array.from(b.frequency));
    expect(Array.from(a.recency)).toEqual(Array.from(b.recency));
    expect(Array.from(a.recency)).not.toEqual(Array.from(c.recency));
    for (let i = 0; i < 1000; i++) {
      expect(a.weight[i]).toBe(1);
      expect(a.T[i]).toBe(39);
      expect(a.recency[i] >= 0 && a.recency[i] <= 39).toBe(true);
      if (a.frequency[i] === 0) expect(a.recency[i]).toBe(0);
      else expect(a.recency[i]).toBeGreaterThan(0);
    }
  });

  it('matches the model: mean frequency ≈ E[X(T)] and share of zeros ≈ P(X(T) = 0) (within 4 standard errors, 50,000 customers)', () => {
    const n = 50_000;
    const data = simulateBgNbd(PARAMS, { customers: n, T: 39, seed: 11 });
    let sum = 0, sum2 = 0, zeros = 0;
    for (const x of data.frequency) {
      sum += x;
      sum2 += x * x;
      if (x === 0) zeros++;
    }
    const mean = sum / n;
    const sd = Math.sqrt(sum2 / n - mean * mean);
    const expectedMean = predictBgNbdExpectedPurchases(PARAMS, 39);
    expect(Math.abs(mean - expectedMean), `mean ${mean} vs E[X(39)] ${expectedMean}`).toBeLessThan((4 * sd) / Math.sqrt(n));
    const p0 = predictBgNbdPurchaseCountProbability(PARAMS, 39, 0);
    expect(Math.abs(zeros / n - p0), `zeros ${zeros / n} vs ${p0}`).toBeLessThan(4 * Math.sqrt((p0 * (1 - p0)) / n));
  });

  it('accepts one T per customer', () => {
    const T = Float64Array.of(1, 10, 100, 1000);
    const data = simulateBgNbd(PARAMS, { T, seed: 1 });
    expect(Array.from(data.T)).toEqual([1, 10, 100, 1000]);
    for (let i = 0; i < 4; i++) expect(data.recency[i]).toBeLessThanOrEqual(T[i]);
  });

  it('rejects invalid params and options with a UserError', () => {
    expect(() => simulateBgNbd({ ...PARAMS, a: 0 }, { customers: 10, T: 1, seed: 1 })).toThrow(/invalid params/);
    expect(() => simulateBgNbd(PARAMS, { customers: 0, T: 1, seed: 1 })).toThrow(/customers/);
    expect(() => simulateBgNbd(PARAMS, { customers: 2, T: -1, seed: 1 })).toThrow(/T must be/);
  });
});
