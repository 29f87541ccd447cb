import { describe, expect, it } from 'vitest';
import { computeHessianFromGradient } from '../../src/math/hessian.js';

describe('computeHessianFromGradient', () => {
  it('recovers the analytic Hessian of f(x, y, z) = e^x·y² + sin(z)·x + y·z³ (rel. error < 1e-7)', () => {
    const gradient = (v: Float64Array, g: Float64Array): void => {
      const [x, y, z] = v;
      g[0] = Math.exp(x) * y * y + Math.sin(z);
      g[1] = 2 * Math.exp(x) * y + z ** 3;
      g[2] = Math.cos(z) * x + 3 * y * z * z;
    };
    const [x, y, z] = [0.3, -1.2, 2.5];
    const exact = [
      [Math.exp(x) * y * y, 2 * Math.exp(x) * y, Math.cos(z)],
      [2 * Math.exp(x) * y, 2 * Math.exp(x), 3 * z * z],
      [Math.cos(z), 3 * z * z, -Math.sin(z) * x + 6 * y * z],
    ];
    const h = computeHessianFromGradient(gradient, [x, y, z]);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        expect(Math.abs(h[i][j] - exact[i][j]) / Math.max(1, Math.abs(exact[i][j])), `H[${i}][${j}] = ${h[i][j]} vs ${exact[i][j]}`).toBeLessThan(1e-7);
        expect(h[i][j]).toBe(h[j][i]);
      }
    }
  });

  it('with the gradient at x given: forward differences, n gradient evaluations, rel. error < 1e-4', () => {
    let calls = 0;
    const gradient = (v: Float64Array, g: Float64Array): void => {
      calls++;
      const [x, y, z] = v;
      g[0] = Math.exp(x) * y * y + Math.sin(z);
      g[1] = 2 * Math.exp(x) * y + z ** 3;
      g[2] = Math.cos(z) * x + 3 * y * z * z;
    };
    const at = Float64Array.of(0.3, -1.2, 2.5);
    const g0 = new Float64Array(3);
    gradient(at, g0);
    calls = 0;
    const [x, y, z] = at;
    const exact = [
      [Math.exp(x) * y * y, 2 * Math.exp(x) * y, Math.cos(z)],
      [2 * Math.exp(x) * y, 2 * Math.exp(x), 3 * z * z],
      [Math.cos(z), 3 * z * z, -Math.sin(z) * x + 6 * y * z],
    ];
    const h = computeHessianFromGradient(gradient, at, { gradientAtX: g0 });
    expect(calls).toBe(3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const error = Math.abs(h[i]![j]! - exact[i]![j]!) / Math.max(1, Math.abs(exact[i]![j]!));
        expect(error, `H[${i}][${j}] = ${h[i]![j]} vs ${exact[i]![j]}`).toBeLessThan(1e-4);
        expect(error).toBeGreaterThan(0); // not the central rule by accident
        expect(h[i]![j]).toBe(h[j]![i]);
      }
    }
  });

  it('leaves NaN where the gradient is not finite', () => {
    const h = computeHessianFromGradient((v, g) => {
      g[0] = v[0] > 1 ? NaN : 2 * v[0];
    }, [1]);
    expect(h[0][0]).toBeNaN();
  });
});
