/**
 * The two mixing densities of the BTYD models, in logs then exponentiated:
 *   Gamma(x; shape k, rate θ) = θ^k x^{k−1} e^{−θx} / Γ(k),   x > 0,
 *   Beta(x; a, b)             = x^{a−1} (1−x)^{b−1} / B(a, b), 0 < x < 1.
 * Kernels: pure, no validation beyond returning NaN for invalid shapes and 0
 * outside the support; at the edges of the support they follow the limit
 * (+Infinity when the shape parameter is below 1, e.g. Gamma at 0 with k < 1).
 */
import { betaln, gammaln } from './special-functions.js';

/** Density of Gamma(shape, rate) at x (mean shape/rate). */
export function gammaDensity(x: number, shape: number, rate: number): number {
  if (!(shape > 0) || !(rate > 0) || Number.isNaN(x)) return NaN;
  if (x < 0) return 0;
  if (x === 0) return shape < 1 ? Infinity : shape === 1 ? rate : 0;
  return Math.exp(shape * Math.log(rate) + (shape - 1) * Math.log(x) - rate * x - gammaln(shape));
}

/** Density of Beta(a, b) at x (mean a/(a+b)). */
export function betaDensity(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || Number.isNaN(x)) return NaN;
  if (x < 0 || x > 1) return 0;
  if (x === 0) return a < 1 ? Infinity : a === 1 ? Math.exp(-betaln(a, b)) : 0;
  if (x === 1) return b < 1 ? Infinity : b === 1 ? Math.exp(-betaln(a, b)) : 0;
  return Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - betaln(a, b));
}
