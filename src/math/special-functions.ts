/**
 * Special functions used by the value models, in log space where values
 * overflow. `gammaln`, `digamma` and `betaln` are the stdlib implementations
 * (Cephes/Boost lineage, ~1e-15 relative accuracy; checked against mpmath
 * golden values in test/math/special-functions.test.ts); the helpers here add
 * stable log-sum-exp forms and the regularized incomplete beta function.
 */
import gammalnStdlib from '@stdlib/math-base-special-gammaln';
import digammaStdlib from '@stdlib/math-base-special-digamma';
import betalnStdlib from '@stdlib/math-base-special-betaln';

/** log Γ(x) (log |Γ(x)| for negative non-integers); +Infinity at poles. */
export const gammaln: (x: number) => number = gammalnStdlib;
/** ψ(x) = d/dx log Γ(x). */
export const digamma: (x: number) => number = digammaStdlib;
/** log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a+b), accurate when one argument is large. */
export const betaln: (a: number, b: number) => number = betalnStdlib;

/**
 * ψ₁(x) = d²/dx² log Γ(x), the trigamma function, for x > 0 (NaN otherwise;
 * +Infinity at 0). Method: the recurrence ψ₁(x) = ψ₁(x+1) + 1/x² up to x ≥ 10,
 * then the asymptotic series ψ₁(x) ~ 1/x + 1/(2x²) + Σ B₂ₖ/x^{2k+1}
 * (Abramowitz & Stegun 6.4.12) through B₁₆, whose first omitted term is below
 * 1e-17 relative there. Accuracy ~1e-15 relative (checked against mpmath in
 * test/math/special-functions.test.ts). Used by exact Hessians of the
 * likelihoods (the second derivatives of log Γ).
 */
export function trigamma(x: number): number {
  if (!(x >= 0)) return NaN;
  if (x === 0) return Infinity;
  if (x === Infinity) return 0;
  let shift = 0;
  while (x < 10) {
    shift += 1 / (x * x);
    x += 1;
  }
  const inverse = 1 / x;
  const inverse2 = inverse * inverse;
  // B₂/x³ + B₄/x⁵ + … + B₁₆/x¹⁷, Bernoulli numbers 1/6, −1/30, 1/42, −1/30, 5/66, −691/2730, 7/6, −3617/510
  const series = inverse2 * (1 / 6 + inverse2 * (-1 / 30 + inverse2 * (1 / 42 + inverse2 * (-1 / 30 + inverse2 * (5 / 66 + inverse2 * (-691 / 2730 + inverse2 * (7 / 6 + inverse2 * (-3617 / 510))))))));
  return shift + inverse * (1 + inverse * 0.5 + series);
}

/** log(exp(a) + exp(b)) without overflow; −Infinity + −Infinity = −Infinity. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** log(exp(a) − exp(b)) for a ≥ b; NaN when a < b, −Infinity when a = b. */
export function logSubExp(a: number, b: number): number {
  if (b === -Infinity) return a;
  if (a < b) return NaN;
  if (a === b) return -Infinity;
  return a + log1mExp(b - a);
}

/**
 * log(1 − exp(x)) for x ≤ 0, accurate over the whole range (Mächler 2012,
 * "Accurately computing log(1 − exp(−|a|))", Rmpfr vignette): uses
 * log(−expm1(x)) for x > −ln 2 and log1p(−exp(x)) otherwise. NaN for x > 0.
 */
export function log1mExp(x: number): number {
  if (x > 0) return NaN;
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/** log(1 + exp(x)) without overflow. */
export function log1pExp(x: number): number {
  if (x <= -37) return Math.exp(x);
  if (x <= 18) return Math.log1p(Math.exp(x));
  if (x <= 33.3) return x + Math.exp(-x);
  return x;
}

/** log of the sum of exp(values) (−Infinity for an empty list). */
export function logSumExp(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  if (max === -Infinity || max === Infinity || Number.isNaN(max)) {
    for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) return NaN;
    return max;
  }
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i] - max);
  return max + Math.log(sum);
}

/**
 * Regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b).
 *
 * Method: Lentz's continued fraction (Numerical Recipes 3rd ed. §6.4, `betacf`)
 * on whichever of I_x(a, b) and 1 − I_{1−x}(b, a) converges fast
 * (x < (a+1)/(a+b+2)), with the prefactor x^a (1−x)^b / (a B(a, b)) in logs.
 * `oneMinusX` may be given when 1 − x is known more accurately than by
 * subtraction (e.g. α/(α+t) next to t/(α+t)).
 *
 * Returns NaN for a ≤ 0, b ≤ 0 or x outside [0, 1]; I_0 = 0, I_1 = 1.
 * Accuracy ~1e-14 relative for moderate a, b; the continued fraction needs
 * O(√max(a, b)) terms (capped at 10,000, after which NaN is returned).
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number, oneMinusX: number = 1 - x): number {
  if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1) || Number.isNaN(oneMinusX)) return NaN;
  if (x === 0) return 0;
  if (oneMinusX === 0 || x === 1) return 1;
  const logFront = a * Math.log(x) + b * Math.log(oneMinusX) - betaln(a, b);
  if (x < (a + 1) / (a + b + 2)) {
    const cf = betaContinuedFraction(x, a, b);
    return Math.exp(logFront - Math.log(a)) * cf;
  }
  const cf = betaContinuedFraction(oneMinusX, b, a);
  return 1 - Math.exp(logFront - Math.log(b)) * cf;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const eps = 1e-16;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) <= eps) return h;
  }
  return NaN;
}
