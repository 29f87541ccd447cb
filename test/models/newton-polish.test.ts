import { describe, expect, it } from 'vitest';
import { acceptsPolishStep, KEEP_HESSIAN_STEP, polishByNewton, ROUNDING_ALLOWANCE, type HessianObjective } from '../../src/models/newton-polish.js';

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

describe('acceptsPolishStep: F’s rounding does not stop a polish whose gradients show the way', () => {
  // F 3e-10 too high where ‖∇F‖∞ < 1e-6 (F’s rounding in a long sum of large terms, against the decrease of ~1e-12 left
  // there), with the exact gradient and Hessian
  const noisy: HessianObjective = (z, g, h) => {
    const f = withHessian(z, g, h);
    return f + (Math.max(Math.abs(g[0]!), Math.abs(g[1]!)) < 1e-6 ? 3e-10 : 0);
  };

  it('polishByNewton reaches ‖∇F‖ ≤ 1e-12 where F’s rounding makes every point near the optimum look worse (comparing F alone stopped there)', () => {
    const result = polishByNewton(noisy, Float64Array.of(0.003, -0.002), 1e-12);
    const g = new Float64Array(2);
    value(result!.x, g);
    expect(Math.max(Math.abs(g[0]!), Math.abs(g[1]!))).toBeLessThanOrEqual(1e-12);
  });

  it('takes a step that halves ‖∇F‖ with F up by rounding only when the gradients say F fell; never one where F rose by more', () => {
    const x = Float64Array.of(0, 0), g = Float64Array.of(1e-5, -2e-5);
    const down = Float64Array.of(-1e-5, 2e-5), gDown = Float64Array.of(1e-11, 0);
    expect(acceptsPolishStep(x, -1.4, g, down, -1.4 + 3e-10, gDown)).toBe(true); // trapezoid: ½ (g + g′)·(x′ − x) < 0
    expect(acceptsPolishStep(x, -1.4, g, down, -1.4 + 3e-7, gDown)).toBe(false); // a rise past ROUNDING_ALLOWANCE is real
    expect(acceptsPolishStep(x, -1.4, g, Float64Array.of(1e-5, -2e-5), -1.4 + 3e-10, gDown)).toBe(false); // uphill along the gradients
    expect(acceptsPolishStep(x, -1.4, g, down, -1.4 + 3e-10, Float64Array.of(1.2e-5, 0))).toBe(false); // ‖∇F‖ 2e-5 → 1.2e-5: not halved
    expect(acceptsPolishStep(x, -1.4, g, down, -1.4 - 1e-12, Float64Array.of(3e-5, 0))).toBe(true); // F lower: taken as before
    expect(ROUNDING_ALLOWANCE).toBe(1e-8);
  });
});
