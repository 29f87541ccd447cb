import { describe, expect, it } from 'vitest';
import { KEEP_HESSIAN_STEP, polishByNewton, type HessianObjective } from '../../src/models/newton-polish.js';

// F(z) = Σ c_i (e^{z_i} − z_i) + ½ s (z_0 − z_1)²: smooth, strictly convex, minimum where c_i (e^{z_i} − 1) = ∓ s (z_0 − z_1)
const c = [2, 0.5];
const s = 0.3;
const evaluations = { hessian: 0, gradient: 0 };
function value(z: Float64Array, g: Float64Array): number {
  const d = z[0]! - z[1]!;
  g[0] = c[0]! * (Math.exp(z[0]!) - 1) + s * d;
  g[1] = c[1]! * (Math.exp(z[1]!) - 1) - s * d;
  return c[0]! * (Math.exp(z[0]!) - z[0]!) + c[1]! * (Math.exp(z[1]!) - z[1]!) + 0.5 * s * d * d;
}
const withHessian: HessianObjective = (z, g, h) => {
  evaluations.hessian++;
  h[0] = c[0]! * Math.exp(z[0]!) + s;
  h[1] = h[2] = -s;
  h[3] = c[1]! * Math.exp(z[1]!) + s;
  return value(z, g);
};
const gradientOnly = (z: Float64Array, g: Float64Array) => (evaluations.gradient++, value(z, g));

describe('polishByNewton', () => {
  it('converges quadratically from near the minimum (‖∇F‖ 1e-2 → ≤ 1e-13 in ≤ 4 steps) and returns the Hessian there', () => {
    evaluations.hessian = evaluations.gradient = 0;
    const result = polishByNewton(withHessian, Float64Array.of(0.05, -0.04), 1e-13);
    expect(result).not.toBeNull();
    const g = new Float64Array(2);
    value(result!.x, g);
    expect(Math.max(Math.abs(g[0]!), Math.abs(g[1]!))).toBeLessThanOrEqual(1e-13);
    // the minimum is (0, 0): e^0 − 1 = 0 and z_0 = z_1
    expect(Math.abs(result!.x[0]!)).toBeLessThan(1e-13);
    expect(Math.abs(result!.x[1]!)).toBeLessThan(1e-13);
    expect(result!.steps).toBeLessThanOrEqual(4);
    expect(result!.hessian[0]![0]).toBeCloseTo(c[0]! + s, 10);
    expect(result!.hessian[0]![1]).toBeCloseTo(-s, 12);
    expect(evaluations.hessian).toBe(result!.steps + 1);
  });

  it('takes a step of at most KEEP_HESSIAN_STEP with the gradient only, keeping the last Hessian', () => {
    evaluations.hessian = evaluations.gradient = 0;
    const start = Float64Array.of(KEEP_HESSIAN_STEP / 10, -KEEP_HESSIAN_STEP / 20);
    const result = polishByNewton(withHessian, start, 1e-15, 8, gradientOnly);
    expect(result).not.toBeNull();
    expect(evaluations.hessian).toBe(1); // at the start only
    expect(evaluations.gradient).toBeGreaterThanOrEqual(1);
    expect(Math.abs(result!.x[0]!)).toBeLessThan(1e-14);
  });

  it('gives up (null) when the objective cannot be evaluated at the start, and stops where the Hessian is not positive definite', () => {
    expect(polishByNewton(() => NaN, Float64Array.of(0), 1e-6)).toBeNull();
    // F = −z²: a maximum, the Hessian −2 is not positive definite: no step, the start is returned
    const concave: HessianObjective = (z, g, h) => ((g[0] = -2 * z[0]!), (h[0] = -2), -z[0]! * z[0]!);
    const result = polishByNewton(concave, Float64Array.of(0.5), 1e-6);
    expect(result!.steps).toBe(0);
    expect(result!.x[0]).toBe(0.5);
  });
});
