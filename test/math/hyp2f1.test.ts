import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { logHyp2f1 } from '../../src/math/hyp2f1.js';

type Row = [number, number, number, number, number | null, number];
const reference = JSON.parse(
  readFileSync(new URL('../fixtures/special-functions/mpmath-reference.json', import.meta.url), 'utf8'),
) as Record<'pnbd' | 'bgnbd' | 'edge', Row[]>;

/** error of the log: relative when |log| ≥ 1, absolute below */
function logError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
}

describe('logHyp2f1 against mpmath (40 digits)', () => {
  // Tolerance 1e-10 on the log for every row (relative, or absolute when |log| < 1).
  // Measured worst cases: pnbd 3.7e-12 (b = 0.01…0.1, z = 0.99999: cancellation
  // between the two terms of the 1−z transformation), bgnbd 5e-15, edge 2e-16.
  for (const family of ['pnbd', 'bgnbd', 'edge'] as const) {
    it(`matches every ${family} row (${reference[family].length} rows) to 1e-10 in the log`, () => {
      const failures: string[] = [];
      let worst = 0;
      for (const [a, b, c, z, value, log] of reference[family]) {
        const got = logHyp2f1(a, b, c, z);
        const err = logError(got.logAbs, log);
        const expectedSign = value === null ? 1 : Math.sign(value);
        worst = Math.max(worst, Number.isNaN(err) ? Infinity : err);
        if (!(err <= 1e-10) || got.sign !== expectedSign) {
          failures.push(`2F1(${a}, ${b}; ${c}; ${z}): expected log ${log} sign ${expectedSign}, got ${got.logAbs} sign ${got.sign} (err ${err})`);
        }
      }
      expect(failures, failures.join('\n')).toEqual([]);
      expect(reference[family].length).toBeGreaterThan(5);
      expect(worst).toBeLessThan(1e-10);
    });
  }
});

describe('logHyp2f1 closed forms outside the fixture ranges', () => {
  const cases: Array<[string, number, number, number, number, number]> = [];
  // 2F1(1, 1; 2; z) = −ln(1 − z)/z
  for (const z of [-1e6, -50, -1, -1e-3, 0.3, 0.75, 0.999, 1 - 1e-9]) {
    cases.push(['-log1p(-z)/z', 1, 1, 2, z, Math.log(-Math.log1p(-z) / z)]);
  }
  // 2F1(a, b; b; z) = (1 − z)^(−a), with a large (a term grows like (a z)^n/n! before decaying)
  for (const [a, b, z] of [[1000.5, 3.25, 0.9], [250, 7.5, -20], [0.3, 12.5, 0.99999]]) {
    cases.push(['(1-z)^-a', a, b, b, z, -a * Math.log1p(-z)]);
  }
  // 2F1(1/2, 1/2; 3/2; x²) = arcsin(x)/x
  for (const x of [0.1, 0.9, 0.999999]) cases.push(['asin(x)/x', 0.5, 0.5, 1.5, x * x, Math.log(Math.asin(x) / x)]);
  // 2F1(a, 1; a+1; z) at z = 0.5 for a = 1: 2 ln 2
  cases.push(['2 ln 2', 1, 1, 2, 0.5, Math.log(2 * Math.LN2)]);
  for (const [name, a, b, c, z, expected] of cases) {
    it(`${name} at a=${a}, b=${b}, c=${c}, z=${z}`, () => {
      const got = logHyp2f1(a, b, c, z);
      const err = logError(got.logAbs, expected);
      expect(err, `expected ${expected}, got ${got.logAbs}`).toBeLessThan(1e-12);
      expect(got.sign).toBe(1);
    });
  }

  it('sums terminating series and reports negative values with sign −1', () => {
    // 2F1(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1))
    const [b, c, z] = [3, 0.5, 0.4];
    const exact = 1 - (2 * b * z) / c + (b * (b + 1) * z * z) / (c * (c + 1));
    const got = logHyp2f1(-2, b, c, z);
    expect(exact).toBeLessThan(0);
    expect(got.sign).toBe(-1);
    expect(Math.abs(got.logAbs - Math.log(-exact))).toBeLessThan(1e-14);
  });

  it('uses Gauss’s theorem at z = 1 and returns +Infinity when c − a − b ≤ 0', () => {
    // 2F1(1, 1; 3; 1) = Γ(3)Γ(1)/(Γ(2)Γ(2)) = 2
    expect(Math.abs(logHyp2f1(1, 1, 3, 1).logAbs - Math.LN2)).toBeLessThan(1e-13);
    expect(logHyp2f1(1, 1, 2, 1).logAbs).toBe(Infinity);
  });

  it('has trivial values at z = 0, a = 0 and b = 0', () => {
    expect(logHyp2f1(3, 4, 5, 0)).toEqual({ logAbs: 0, sign: 1 });
    expect(logHyp2f1(0, 4, 5, 0.9)).toEqual({ logAbs: 0, sign: 1 });
    expect(logHyp2f1(3, 0, 5, -7)).toEqual({ logAbs: 0, sign: 1 });
  });

  it('returns NaN outside its domain and when it cannot reach 1e-6 accuracy', () => {
    expect(logHyp2f1(1, 1, 2, 1.5).logAbs).toBeNaN();
    expect(logHyp2f1(1, 1, -3, 0.5).logAbs).toBeNaN(); // c a non-positive integer
    expect(logHyp2f1(Number.NaN, 1, 2, 0.5).logAbs).toBeNaN();
    // mpmath: log|2F1| = 6.521696264286495; terms are ~e^40 larger than the value
    expect(logHyp2f1(39.844783385955665, 23.590301499712304, -13.912101189370993, -0.6596563200312503).logAbs).toBeNaN();
  });
});
