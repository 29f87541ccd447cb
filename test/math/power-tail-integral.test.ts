import { describe, expect, it } from 'vitest';
import { computeLogPowerTailIntegral } from '../../src/math/power-tail-integral.js';
import { computeParetoNbdLogIntegral } from '../../src/models/paretonbd/paretonbd.js';

const EPS = 2.220446049250313e-16;

describe('computeLogPowerTailIntegral (Gauss–Laguerre)', () => {
  // (P, Q, M, m, t): large P where the series is long but still summable, and small P
  const cases: [number, number, number, number, number][] = [
    [300, 1.5, 1000, 10, 20],
    [3000, 1.2, 1e5, 50, 5],
    [1000, 40, 1e4, 30, 60],
    [200, 0.5, 500, 2, 10],
    [5000, 3, 1e6, 400, 52],
    [2, 1.5, 10, 5, 3],
    [150, 150, 100, 1, 2],
  ];
  it.each(cases)('agrees with the hypergeometric series: P=%d Q=%d M=%d m=%d t=%d', (P, Q, M, m, t) => {
    const series = new Float64Array(4), quadrature = new Float64Array(4);
    const expected = computeParetoNbdLogIntegral(P, Q, M, m, t, Infinity, series);
    const value = computeLogPowerTailIntegral(P, Q, M + t, m + t, quadrature);
    expect(Math.abs(value - expected)).toBeLessThanOrEqual(200 * EPS * Math.abs(expected));
    for (let i = 0; i < 4; i++) expect(Math.abs(quadrature[i]! - series[i]!)).toBeLessThanOrEqual(1e-10 * Math.abs(series[i]!));
  });

  it('closed form at Q = 0: ∫_t^∞ (M+τ)^{−P} dτ = (M+t)^{1−P}/(P−1)', () => {
    const g = new Float64Array(4);
    for (const P of [1.5, 40, 4.7e9]) {
      const value = computeLogPowerTailIntegral(P, 0, 3.4e10, 7, g);
      const expected = (1 - P) * Math.log(3.4e10) - Math.log(P - 1);
      expect(Math.abs(value - expected)).toBeLessThanOrEqual(1e-13 * Math.abs(expected));
      // ∂/∂P = −ln(M+t) − 1/(P−1)
      expect(g[0]).toBeCloseTo(-Math.log(3.4e10) - 1 / (P - 1), 10);
    }
  });

  it('finite value and gradient at the runaway estimates r + x = 4.7e9, α = 3.4e10', () => {
    const g = new Float64Array(4);
    const value = computeLogPowerTailIntegral(4.7e9, 1.000001, 3.4e10, 50, g);
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeLessThan(-1e11);
    expect(g.every(Number.isFinite)).toBe(true);
  });

  it('with an exponential factor e^{−λ(τ−t)}: ∫_0^∞ e^{−λu} du = 1/λ, and the limit of (1 + u/A)^{−P} as P, A → ∞ with P/A = λ', () => {
    const g = new Float64Array(5);
    const value = computeLogPowerTailIntegral(0, 0, 10, 10, g, 0, 0.25);
    expect(value).toBeCloseTo(Math.log(4), 13);
    expect(g[4]).toBeCloseTo(-4, 12); // d/dλ log(1/λ) = −1/λ
    // (1 + u/A)^{−P} → e^{−λu}: the two forms of the same integral agree as P grows
    const h = new Float64Array(5);
    const withRate = computeLogPowerTailIntegral(2.5, 0, 30, 30, h, 0, 0.4); // −2.5 ln 30 + ln ∫ e^{−0.4u}(1+u/30)^{−2.5} du
    const asPower = computeLogPowerTailIntegral(2.5, 4e8, 30, 1e9, g); // −2.5 ln 30 − 4e8 ln 1e9 + ln ∫ (1+u/30)^{−2.5}(1+u/1e9)^{−4e8} du
    // the two integrals differ by O(P u²/B²) ≈ 1e-8 relative; the prefactor 4e8·ln 1e9 ≈ 8e9 costs ~1e-6 in rounding
    expect(Math.abs(asPower + 4e8 * Math.log(1e9) - withRate)).toBeLessThan(1e-5);
    expect(h[4]).toBeCloseTo(-(1 / (0.4 + 2.5 / 30)), 1); // −⟨u⟩ ≈ −1/(λ + P/A) for a near-exponential integrand
  });

  it('NaN for invalid input', () => {
    const g = new Float64Array(4);
    expect(computeLogPowerTailIntegral(0.5, 0.4, 10, 1, g)).toBeNaN();
    expect(computeLogPowerTailIntegral(2, 1, -1, 1, g)).toBeNaN();
  });
});
