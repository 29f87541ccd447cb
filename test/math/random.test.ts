import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/math/random.js';

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let sum = 0, sum2 = 0;
  for (let i = 0; i < n; i++) {
    const v = draw();
    sum += v;
    sum2 += v * v;
  }
  const mean = sum / n;
  return { mean, variance: sum2 / n - mean * mean };
}

/** |observed − expected| within 5 standard errors of the sample mean (fails ~1 in 3.5 million by chance; seeds are fixed anyway) */
function expectMean(label: string, observed: number, expected: number, sd: number, n: number): void {
  const bound = (5 * sd) / Math.sqrt(n);
  expect(Math.abs(observed - expected), `${label}: mean ${observed}, expected ${expected} ± ${bound}`).toBeLessThan(bound);
}

describe('createRandom', () => {
  it('is reproducible per seed and differs between seeds', () => {
    const a = createRandom(42), b = createRandom(42), c = createRandom(43);
    const xa = Array.from({ length: 5 }, () => a.uniform());
    const xb = Array.from({ length: 5 }, () => b.uniform());
    const xc = Array.from({ length: 5 }, () => c.uniform());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
    // seed 0 and huge seeds are valid
    expect(createRandom(0).uniform()).not.toBe(createRandom(2 ** 40).uniform());
    expect(() => createRandom(NaN)).toThrow(/seed/);
  });

  it('uniform: in [0, 1), mean 1/2, variance 1/12', () => {
    const r = createRandom(1);
    let min = 1, max = 0;
    const m = moments(() => {
      const u = r.uniform();
      min = Math.min(min, u);
      max = Math.max(max, u);
      return u;
    }, 200_000);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expectMean('uniform', m.mean, 0.5, Math.sqrt(1 / 12), 200_000);
    expect(Math.abs(m.variance - 1 / 12)).toBeLessThan(0.002);
  });

  it('normal: mean 0, variance 1', () => {
    const r = createRandom(2);
    const m = moments(() => r.normal(), 200_000);
    expectMean('normal', m.mean, 0, 1, 200_000);
    expect(Math.abs(m.variance - 1)).toBeLessThan(0.015);
  });

  it('gamma(shape, scale): mean shape·scale, variance shape·scale² for shapes 0.05, 0.7, 1, 4.5, 100', () => {
    const r = createRandom(3);
    for (const [shape, scale] of [[0.05, 2], [0.7, 1], [1, 0.5], [4.5, 3], [100, 0.01]] as const) {
      const m = moments(() => r.gamma(shape, scale), 100_000);
      const sd = Math.sqrt(shape) * scale;
      expectMean(`gamma(${shape}, ${scale})`, m.mean, shape * scale, sd, 100_000);
      expect(Math.abs(m.variance / (shape * scale * scale) - 1), `gamma(${shape},${scale}) variance ${m.variance}`).toBeLessThan(0.1);
    }
    expect(Number.isNaN(r.gamma(0, 1))).toBe(true);
    expect(Number.isNaN(r.gamma(1, -1))).toBe(true);
  });

  it('beta(a, b): mean a/(a+b) incl. tiny shapes, always in [0, 1]', () => {
    const r = createRandom(4);
    for (const [a, b] of [[0.01, 0.02], [0.8, 2.4], [5, 1], [50, 60]] as const) {
      let outside = 0;
      const m = moments(() => {
        const v = r.beta(a, b);
        if (!(v >= 0 && v <= 1)) outside++;
        return v;
      }, 100_000);
      const mean = a / (a + b);
      const sd = Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)));
      expect(outside).toBe(0);
      expectMean(`beta(${a}, ${b})`, m.mean, mean, sd, 100_000);
    }
  });

  it('poisson(mean): mean and variance for means 0.3, 7, 12, 250 (both algorithms); integer valued', () => {
    const r = createRandom(5);
    for (const mean of [0.3, 7, 12, 250]) {
      let nonInteger = 0;
      const m = moments(() => {
        const k = r.poisson(mean);
        if (!Number.isInteger(k) || k < 0) nonInteger++;
        return k;
      }, 100_000);
      expect(nonInteger).toBe(0);
      expectMean(`poisson(${mean})`, m.mean, mean, Math.sqrt(mean), 100_000);
      expect(Math.abs(m.variance / mean - 1), `poisson(${mean}) variance ${m.variance}`).toBeLessThan(0.05);
    }
    expect(r.poisson(0)).toBe(0);
    expect(Number.isNaN(r.poisson(-1))).toBe(true);
  });

  it('exponential(rate): mean 1/rate; integer(n) covers 0..n−1 uniformly', () => {
    const r = createRandom(6);
    const m = moments(() => r.exponential(4), 100_000);
    expectMean('exponential(4)', m.mean, 0.25, 0.25, 100_000);
    const counts = new Array(5).fill(0);
    for (let i = 0; i < 50_000; i++) counts[r.integer(5)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });
});
