/** Shared test helpers: finite-difference gradient checks and tanh-sinh quadrature. */
import type { MaximumLikelihoodProblem } from '../../src/models/fit-maximum-likelihood.js';
import { betaln } from '../../src/math/special-functions.js';
import type { RfmData } from '../../src/models/model-types.js';
import type { BgNbdParams } from '../../src/models/bgnbd/bgnbd.js';

/**
 * Largest relative error between the analytic gradient of problem.logLikelihood
 * and 4th-order central finite differences (step 2e-3 on the log scale:
 * truncation O(h⁴) ≈ 1e-11, rounding ε·|logL|/h small even near the optimum
 * where the gradient is tiny compared with logL); the
 * denominator is max(|g_i|, 1e-3·‖g‖∞) so components near zero are compared
 * on the scale of the gradient.
 */
export function maxGradientError(problem: MaximumLikelihoodProblem, logParams: Float64Array): { error: number; analytic: Float64Array; numeric: Float64Array } {
  const k = logParams.length;
  const analytic = new Float64Array(k);
  problem.logLikelihood(logParams, analytic);
  const numeric = new Float64Array(k);
  const scratch = new Float64Array(k);
  const h = 2e-3;
  for (let i = 0; i < k; i++) {
    const plus = Float64Array.from(logParams);
    const minus = Float64Array.from(logParams);
    plus[i] += h;
    minus[i] -= h;
    const plus2 = Float64Array.from(logParams);
    const minus2 = Float64Array.from(logParams);
    plus2[i] += 2 * h;
    minus2[i] -= 2 * h;
    const fp = problem.logLikelihood(plus, scratch), fm = problem.logLikelihood(minus, scratch);
    const fp2 = problem.logLikelihood(plus2, scratch), fm2 = problem.logLikelihood(minus2, scratch);
    numeric[i] = (8 * (fp - fm) - (fp2 - fm2)) / (12 * h);
  }
  let scale = 0;
  for (let i = 0; i < k; i++) scale = Math.max(scale, Math.abs(analytic[i]));
  let error = 0;
  for (let i = 0; i < k; i++) {
    const denominator = Math.max(Math.abs(analytic[i]), 1e-3 * scale, 1e-300);
    error = Math.max(error, Math.abs(analytic[i] - numeric[i]) / denominator);
  }
  return { error, analytic, numeric };
}

/**
 * ∫₀¹ f(p) dp by tanh-sinh quadrature in the logistic form p = 1/(1+e^{−π sinh u}),
 * with f given p and 1−p separately (accurate near both endpoints) and the
 * Jacobian p(1−p)π cosh u; step 1/256 over u ∈ [−6, 6]. Handles integrable
 * endpoint singularities p^{a−1}, (1−p)^{b−1}.
 */
export function integrateUnitInterval(f: (p: number, oneMinusP: number) => number): number {
  const h = 1 / 256;
  let sum = 0;
  for (let u = -6; u <= 6 + 1e-12; u += h) {
    const v = Math.PI * Math.sinh(u);
    const p = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
    const q = v >= 0 ? Math.exp(-v) / (1 + Math.exp(-v)) : 1 / (1 + Math.exp(v));
    if (p === 0 || q === 0) continue;
    const value = f(p, q) * p * q * Math.PI * Math.cosh(u);
    if (Number.isFinite(value)) sum += value;
  }
  return sum * h;
}

/**
 * Independent check of E[purchases in t | alive] = E_p[(1 − (κ/(κ+pt))^s)/p]
 * with p ~ Beta(a, β), by quadrature over p.
 */
export function expectedWhileAliveByQuadrature(s: number, kappa: number, a: number, beta: number, t: number): number {
  const logNorm = betaln(a, beta);
  return integrateUnitInterval((p, q) => {
    const density = Math.exp((a - 2) * Math.log(p) + (beta - 1) * Math.log(q) - logNorm);
    return density * -Math.expm1(-s * Math.log1p((p * t) / kappa));
  });
}

/** Relative error |actual − expected| / |expected| (absolute when expected is 0). */
export function relativeError(actual: number, expected: number): number {
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}

/** Seven weighted rows with zero and repeat buyers, recency 0 and recency near T: the limits' gradient and likelihood checks. */
export const SMALL_RFM: RfmData = {
  frequency: Float64Array.of(0, 1, 2, 5, 12, 0, 3),
  recency: Float64Array.of(0, 4.5, 10, 30.25, 38, 0, 2),
  T: Float64Array.of(12, 20, 40, 40, 39, 3, 52),
  weight: Float64Array.of(3, 1, 2, 1, 1, 5, 0.5),
};

/** `n` customers (default 8,000) simulated by a BG/NBD-family simulator with `params`, T 30–60 time units, weights 1. */
export function simulatedRfm(simulate: (params: BgNbdParams, options: { T: Float64Array; seed: number }) => { frequency: Float64Array; recency: Float64Array; T: Float64Array }, params: BgNbdParams, seed: number, n = 8000): RfmData {
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) T[i] = 30 + (i % 31);
  const sim = simulate(params, { T, seed });
  return { frequency: sim.frequency, recency: sim.recency, T: sim.T, weight: new Float64Array(n).fill(1) };
}
