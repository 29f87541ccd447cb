import { describe, expect, it } from 'vitest';
import { computeParetoNbdLogIntegral, createParetoNbdIntegralWorkspace } from '../../src/math/pareto-nbd-integral.js';

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('computeParetoNbdLogIntegral', () => {
  it('equals the closed form when the integrand is a single power (M = m)', () => {
    // ∫_{t0}^{t1} (m+τ)^{−(P+Q)} dτ = [(m+t0)^{1−P−Q} − (m+t1)^{1−P−Q}]/(P+Q−1)
    const g = new Float64Array(4);
    const [P, Q, m, t0, t1] = [2.5, 1.5, 4, 1, 9];
    const exact = (Math.pow(m + t0, 1 - P - Q) - Math.pow(m + t1, 1 - P - Q)) / (P + Q - 1);
    expect(relativeError(computeParetoNbdLogIntegral(P, Q, m, m, t0, t1, g), Math.log(exact))).toBeLessThan(1e-14);
  });

  it('is continuous across the near/far split and through integer Q (log case of the power integral)', () => {
    const g = new Float64Array(4);
    // split at u = Δ/2 = 499.5 − 1: t0 just below and just above it give nearly equal integrals
    const below = computeParetoNbdLogIntegral(1.5, 2, 1000, 1, 498.5 - 1e-7, 600, g);
    const above = computeParetoNbdLogIntegral(1.5, 2, 1000, 1, 498.5 + 1e-7, 600, g);
    expect(Math.abs(below - above)).toBeLessThan(1e-8);
    const atInteger = computeParetoNbdLogIntegral(0.5, 2, 1000, 1, 0, 50, g);
    const nearInteger = computeParetoNbdLogIntegral(0.5, 2 + 1e-9, 1000, 1, 0, 50, g);
    expect(Math.abs(atInteger - nearInteger)).toBeLessThan(1e-7);
    expect(computeParetoNbdLogIntegral(1, 1, 2, 1, 5, 5, g)).toBe(-Infinity);
  });
});

describe('computeParetoNbdLogIntegral keeps no state between calls', () => {
  it('gives the same value and gradient with a fresh, a shared or a reused workspace, in any call order', () => {
    const cases: [number, number, number, number, number, number][] = [
      [1.5, 2, 1000, 1, 0, 600],
      [3.2, 1.6, 20, 5, 0, 40],
      [0.5, 2, 1000, 1, 0, 50],
      [300, 1.5, 1000, 10, 20, Infinity],
    ];
    const fresh = cases.map(([P, Q, M, m, t0, t1]) => {
      const g = new Float64Array(4);
      return [computeParetoNbdLogIntegral(P, Q, M, m, t0, t1, g), ...g];
    });
    const shared = createParetoNbdIntegralWorkspace();
    for (const order of [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1, 2, 0]]) {
      for (const k of order) {
        const [P, Q, M, m, t0, t1] = cases[k]!;
        const g = new Float64Array(4);
        expect([computeParetoNbdLogIntegral(P, Q, M, m, t0, t1, g, shared), ...g]).toEqual(fresh[k]);
      }
    }
  });
});
