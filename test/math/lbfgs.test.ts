import { describe, expect, it } from 'vitest';
import { minimizeLbfgs } from '../../src/math/lbfgs.js';

function rosenbrock(x: Float64Array, g: Float64Array): number {
  let f = 0;
  g.fill(0);
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    f += 100 * a * a + b * b;
    g[i] += -400 * x[i] * a - 2 * b;
    g[i + 1] += 200 * a;
  }
  return f;
}

describe('minimizeLbfgs', () => {
  it('finds the Rosenbrock minimum (1, …, 1) in 2 and 10 dimensions from (−1.2, 1, …)', () => {
    for (const dim of [2, 10]) {
      const x0 = new Float64Array(dim).map((_, i) => (i % 2 === 0 ? -1.2 : 1));
      const result = minimizeLbfgs(rosenbrock, x0, { gradientTolerance: 1e-9 });
      expect(result.converged, result.message).toBe(true);
      for (let i = 0; i < dim; i++) expect(Math.abs(result.x[i] - 1), `dim ${dim} x[${i}] = ${result.x[i]}`).toBeLessThan(1e-7);
      expect(result.value).toBeLessThan(1e-14);
      expect(result.iterations).toBeLessThan(200);
    }
  });

  it('backtracks through non-finite values instead of aborting (barrier: NaN for x ≤ 0)', () => {
    // f(x) = x − log x, minimum at x = 1; undefined for x ≤ 0; start far right so the first step overshoots into x < 0
    const objective = (x: Float64Array, g: Float64Array): number => {
      if (x[0] <= 0) {
        g[0] = NaN;
        return NaN;
      }
      g[0] = 1 - 1 / x[0];
      return x[0] - Math.log(x[0]);
    };
    const result = minimizeLbfgs(objective, Float64Array.of(50), { gradientTolerance: 1e-10 });
    expect(result.converged, result.message).toBe(true);
    expect(Math.abs(result.x[0] - 1)).toBeLessThan(1e-9);
  });

  it('reports, not hides, an iteration cap', () => {
    const result = minimizeLbfgs(rosenbrock, Float64Array.of(-1.2, 1), { maxIterations: 3 });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(3);
    expect(result.message).toMatch(/iteration cap 3/);
  });

  it('reports a non-finite start', () => {
    const result = minimizeLbfgs((_x, g) => {
      g[0] = 0;
      return Infinity;
    }, Float64Array.of(0));
    expect(result.converged).toBe(false);
    expect(result.message).toMatch(/not finite at the starting point/);
  });

  it('reports an unbounded-below objective as not converged (f = −x never stops decreasing)', () => {
    const result = minimizeLbfgs((x, g) => {
      g[0] = -1;
      return -x[0];
    }, Float64Array.of(0), { maxIterations: 50 });
    expect(result.converged).toBe(false);
    expect(result.message).toMatch(/not converged/);
  });
});
