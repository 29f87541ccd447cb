import { describe, expect, it } from 'vitest';
import { fitMaximumLikelihood, type MaximumLikelihoodProblem } from '../../src/models/fit-maximum-likelihood.js';

/** Two independent exponential samples summarised by (count, total): MLE λ = count/total, se(log λ) = 1/√count. */
function exponentialProblem(counts: [number, number], totals: [number, number]): MaximumLikelihoodProblem {
  return {
    model: 'two-exponentials',
    paramNames: ['lambda1', 'lambda2'],
    n: counts[0] + counts[1],
    starts: [Float64Array.of(0, 0), Float64Array.of(3, -3)],
    logLikelihood(z, g) {
      let ll = 0;
      for (let i = 0; i < 2; i++) {
        const lambda = Math.exp(z[i]);
        ll += counts[i] * z[i] - lambda * totals[i];
        g[i] = counts[i] - lambda * totals[i];
      }
      return ll;
    },
  };
}

/** ℓ(θ) = n·(c·θ − θ²), θ = e^z: its maximum is θ = c/2 when c > 0, the edge θ → 0 when c < 0. */
function quadraticProblem(c: number, start: number): MaximumLikelihoodProblem {
  const n = 1000;
  return {
    model: 'quadratic',
    paramNames: ['theta'],
    n,
    starts: [Float64Array.of(Math.log(start))],
    logLikelihood(z, g) {
      const theta = Math.exp(z[0]!);
      g[0] = n * theta * (c - 2 * theta);
      return n * (c * theta - theta * theta);
    },
  };
}

/**
 * ℓ(z) = n·(−z²/50 + height·e^{−(z − far)²}) on z = log θ: a broad hill topped at θ = 1 and, when height = 2, a
 * higher narrow peak near θ = 1e-4 (ℓ/n ≈ 0.31 against 0), which a start near θ = 1 never reaches.
 */
function hillAndPeakProblem(height: number, confined: { start: number; below: number }): MaximumLikelihoodProblem {
  const n = 100, far = Math.log(1e-4);
  return {
    model: 'hill-and-peak',
    paramNames: ['theta'],
    n,
    starts: [Float64Array.of(Math.log(2))],
    confinedStarts: [{ start: Float64Array.of(Math.log(confined.start)), region: `near theta = 0 (below ${confined.below})`, leaves: (z) => z[0]! > Math.log(confined.below) }],
    logLikelihood(z, g) {
      const d = z[0]! - far, peak = height * Math.exp(-d * d);
      g[0] = n * (-z[0]! / 25 - 2 * d * peak);
      return n * (-(z[0]! * z[0]!) / 50 + peak);
    },
  };
}

describe('fitMaximumLikelihood', () => {
  it('runs a confined start after the ordinary ones: it finds the optimum in its region they do not reach, and is dropped (changing nothing) once its path leaves the region', () => {
    const found = fitMaximumLikelihood<{ theta: number }>(hillAndPeakProblem(2, { start: 3e-4, below: 0.01 }));
    const ordinary = fitMaximumLikelihood<{ theta: number }>({ ...hillAndPeakProblem(2, { start: 3e-4, below: 0.01 }), confinedStarts: [] });
    expect(ordinary.params.theta).toBeCloseTo(1, 6);
    expect(found.params.theta).toBeGreaterThan(1e-4);
    expect(found.params.theta).toBeLessThan(1.2e-4);
    expect(found.logLikelihood).toBeGreaterThan(ordinary.logLikelihood + 30);
    expect(found.fit.converged, found.fit.message).toBe(true);
    expect(found.fit.starts).toBe(2);
    expect(found.fit.message).toMatch(/^converged: .*\(best of 2 starts, 2 converged; /);
    // without the peak the path from 0.005 climbs the hill towards θ = 1, leaves θ < 0.01 and is dropped
    const left = fitMaximumLikelihood<{ theta: number }>(hillAndPeakProblem(0, { start: 0.005, below: 0.01 }));
    expect(left.params).toEqual(fitMaximumLikelihood<{ theta: number }>({ ...hillAndPeakProblem(0, { start: 0.005, below: 0.01 }), confinedStarts: [] }).params);
    expect(left.fit.starts).toBe(2);
    expect(left.fit.startsConverged).toBe(1);
    expect(left.fit.message).toMatch(/^converged: .*\(best of 2 starts, 1 converged, 1 dropped on leaving the region near theta = 0 \(below 0\.01\); /);
  });

  it('does not call a start near 0 converged where the likelihood still rises into the interior (the log scale hides that slope: ∂ℓ/∂log θ = θ·∂ℓ/∂θ)', () => {
    // at θ = 1e-6 the gradient on the log scale is 5e-7 per observation, below the tolerance 1e-6: the optimiser does not move
    const stuck = fitMaximumLikelihood<{ theta: number }>(quadraticProblem(0.5, 1e-6));
    expect(stuck.params.theta).toBeLessThan(1e-5);
    expect(stuck.fit.converged).toBe(false);
    expect(stuck.fit.message).toMatch(/^not converged: stopped near 0 where the likelihood still rises into the interior: theta = 0\.000001 \(the log-likelihood rises by 0\.5 per observation/);
    // from an interior start the same problem converges to θ = c/2
    const interior = fitMaximumLikelihood<{ theta: number }>(quadraticProblem(0.5, 1));
    expect(interior.fit.converged, interior.fit.message).toBe(true);
    expect(interior.params.theta).toBeCloseTo(0.25, 8);
    // where the likelihood falls into the interior the edge is the optimum: no such complaint
    const edge = fitMaximumLikelihood<{ theta: number }>(quadraticProblem(-0.5, 1e-6));
    expect(edge.fit.message).not.toMatch(/rises into the interior/);
  });

  it('recovers closed-form MLEs, standard errors, intervals, AIC and BIC (two exponential rates)', () => {
    const fitted = fitMaximumLikelihood<{ lambda1: number; lambda2: number }>(exponentialProblem([400, 100], [200, 1000]));
    expect(fitted.fit.converged, fitted.fit.message).toBe(true);
    expect(fitted.fit.starts).toBe(2);
    expect(fitted.fit.startsConverged).toBe(2);
    // λ̂ = 2, 0.1 exactly; se_log = 1/√n_i; se_nat = λ/√n_i
    expect(Math.abs(fitted.params.lambda1 / 2 - 1)).toBeLessThan(1e-9);
    expect(Math.abs(fitted.params.lambda2 / 0.1 - 1)).toBeLessThan(1e-9);
    expect(Math.abs(fitted.stdErrors.lambda1 / (2 / 20) - 1)).toBeLessThan(1e-6);
    expect(Math.abs(fitted.stdErrors.lambda2 / (0.1 / 10) - 1)).toBeLessThan(1e-6);
    expect(Math.abs(fitted.covarianceLog[0][0] / (1 / 400) - 1)).toBeLessThan(1e-6);
    expect(Math.abs(fitted.covarianceLog[0][1])).toBeLessThan(1e-9);
    const [lo, hi] = fitted.intervals95.lambda1;
    expect(Math.abs(lo / (2 * Math.exp(-1.959963984540054 / 20)) - 1)).toBeLessThan(1e-6);
    expect(Math.abs(hi / (2 * Math.exp(1.959963984540054 / 20)) - 1)).toBeLessThan(1e-6);
    const ll = 400 * Math.log(2) - 400 + 100 * Math.log(0.1) - 100;
    expect(fitted.logLikelihood).toBeCloseTo(ll, 9);
    expect(fitted.aic).toBeCloseTo(4 - 2 * ll, 9);
    expect(fitted.bic).toBeCloseTo(2 * Math.log(500) - 2 * ll, 9);
    expect(fitted.n).toBe(500);
    expect(fitted.penalty).toBe(0);
  });

  it('applies the penalty to the mean negative log-likelihood (lifetimes penalizer_coef)', () => {
    // one rate: minimise −(n log λ − λS)/n + c λ²  ⇒  2cλ² + (S/n)λ − 1 = 0
    const n = 50, S = 100, c = 0.3;
    const problem: MaximumLikelihoodProblem = {
      model: 'exp', paramNames: ['lambda'], n, starts: [Float64Array.of(0)],
      logLikelihood(z, g) {
        const lambda = Math.exp(z[0]);
        g[0] = n - lambda * S;
        return n * z[0] - lambda * S;
      },
    };
    const fitted = fitMaximumLikelihood<{ lambda: number }>(problem, { penalty: c });
    const expected = (-(S / n) + Math.sqrt((S / n) ** 2 + 8 * c)) / (4 * c);
    expect(fitted.fit.converged, fitted.fit.message).toBe(true);
    expect(Math.abs(fitted.params.lambda / expected - 1)).toBeLessThan(1e-9);
    expect(fitted.penalty).toBe(c);
  });

  it('reports a singular observed information with NaN standard errors instead of crashing (only θ1·θ2 identified)', () => {
    const problem: MaximumLikelihoodProblem = {
      model: 'product', paramNames: ['u', 'v'], n: 100, starts: [Float64Array.of(0.3, -0.1)],
      logLikelihood(z, g) {
        // exponential likelihood in λ = u·v: 100 log λ − 50 λ
        const s = z[0] + z[1];
        const lambda = Math.exp(s);
        g[0] = g[1] = 100 - 50 * lambda;
        return 100 * s - 50 * lambda;
      },
    };
    const fitted = fitMaximumLikelihood<{ u: number; v: number }>(problem);
    expect(Math.abs(fitted.params.u * fitted.params.v - 2)).toBeLessThan(1e-8);
    expect(Number.isNaN(fitted.stdErrors.u)).toBe(true);
    expect(Number.isNaN(fitted.intervals95.v[0])).toBe(true);
    expect(Number.isNaN(fitted.covarianceLog[0][0])).toBe(true);
    expect(fitted.fit.message).toMatch(/singular or not positive definite/);
  });

  it('is loud when the optimum runs off to the boundary (likelihood increasing in θ forever)', () => {
    const problem: MaximumLikelihoodProblem = {
      model: 'unbounded', paramNames: ['theta'], n: 10, starts: [Float64Array.of(0)],
      logLikelihood(z, g) {
        // logL = −10·exp(−z): increases towards 0 as θ → ∞
        g[0] = 10 * Math.exp(-z[0]);
        return -10 * Math.exp(-z[0]);
      },
    };
    const fitted = fitMaximumLikelihood<{ theta: number }>(problem, { maxIterations: 200 });
    expect(fitted.fit.converged).toBe(false);
    expect(fitted.fit.message).toMatch(/not converged/);
  });

  it('is loud when the iteration cap is hit', () => {
    const fitted = fitMaximumLikelihood(exponentialProblem([400, 100], [200, 1000]), { maxIterations: 1, gradientTolerance: 1e-300 });
    expect(fitted.fit.converged).toBe(false);
    expect(fitted.fit.startsConverged).toBe(0);
    expect(fitted.fit.message).toMatch(/not converged/);
  });

  it('returns a NaN model with a message when the likelihood is never finite', () => {
    const problem: MaximumLikelihoodProblem = {
      model: 'broken', paramNames: ['a'], n: 3, starts: [Float64Array.of(0), Float64Array.of(1)],
      logLikelihood(_z, g) {
        g[0] = NaN;
        return NaN;
      },
    };
    const fitted = fitMaximumLikelihood(problem);
    expect(fitted.fit.converged).toBe(false);
    expect(Number.isNaN(fitted.params.a)).toBe(true);
    expect(fitted.fit.message).toMatch(/not finite at any of 2 starting points/);
  });

  it('rejects a negative penalty with a UserError', () => {
    expect(() => fitMaximumLikelihood(exponentialProblem([1, 1], [1, 1]), { penalty: -1 })).toThrow(/penalty/);
  });
});

describe('fit budgets (a fit that cannot converge stops instead of running for minutes)', () => {
  it('stops at the evaluation budget and says so, not converged', async () => {
    const { fitBgNbd } = await import('../../src/models/bgnbd/bgnbd.js');
    const data = { frequency: Float64Array.of(0, 1, 2, 5), recency: Float64Array.of(0, 3, 10, 30), T: Float64Array.of(40, 40, 40, 40), weight: Float64Array.of(10, 5, 3, 1) };
    const fitted = fitBgNbd(data, { maxEvaluations: 5 });
    expect(fitted.fit.converged).toBe(false);
    expect(fitted.fit.message).toMatch(/not converged: the budget of 5 likelihood evaluations was used up/);
    const unbounded = fitBgNbd(data);
    expect(unbounded.fit.message).not.toMatch(/budget/);
  });
});
