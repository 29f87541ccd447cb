/**
 * Two independent binomial proportions x₁/n₁ against x₂/n₂ (treated against
 * control buyers): Fisher's exact test, the Newcombe hybrid score interval
 * for the difference and the MOVER-R Wilson interval for the ratio. All three
 * stay honest at small counts and at 0 or n successes, where p̂ ± z·se treats
 * a group without successes as known exactly.
 *
 * Hypergeometric probabilities are taken in logs from the stdlib `betaln`
 * (log C(n, k) = −log(n+1) − log B(n−k+1, k+1), accurate for large n).
 *
 * References: Fisher's exact test as R's `fisher.test` computes it two-sided
 * (tables no more probable than the one observed, within a relative 1e-7);
 * Newcombe (1998), "Interval estimation for the difference between
 * independent proportions: comparison of eleven methods", Statistics in
 * Medicine 17, method 10; Donner & Zou (2012) / Fagerland, Lydersen & Laake
 * (2015, 2017, "Statistical Analysis of Contingency Tables", ch. 4) for the
 * MOVER-R Wilson ratio interval.
 */
import { betaln } from './special-functions.js';
import { wilsonInterval } from './wilson-interval.js';
import { Z95 } from './z95.js';

/** log C(n, k) for integers 0 ≤ k ≤ n; −Infinity outside. */
export function logChoose(n: number, k: number): number {
  if (!(k >= 0 && k <= n)) return -Infinity;
  if (k === 0 || k === n) return 0;
  return -Math.log(n + 1) - betaln(n - k + 1, k + 1);
}

/**
 * log P(X = x) for X ~ Hypergeometric: x successes in a draw of `draw` from
 * `population` items of which `successes` are successes.
 */
export function hypergeometricLogPmf(x: number, population: number, successes: number, draw: number): number {
  return logChoose(successes, x) + logChoose(population - successes, draw - x) - logChoose(population, draw);
}

/**
 * Two-sided p-value of Fisher's exact test of x₁/n₁ against x₂/n₂ (R's
 * `fisher.test`): conditional on the x₁ + x₂ successes, the probability of a
 * table no more probable than the one observed (relative tolerance 1e-7, so
 * that tables of equal probability count whatever the rounding).
 *
 * Example: `fisherExactTwoSided(15, 259, 0, 29)` → 0.3776; `fisherExactTwoSided(3, 4, 1, 4)` → 0.4857 (the tea-tasting table)
 */
export function fisherExactTwoSided(x1: number, n1: number, x2: number, n2: number): number {
  const successes = x1 + x2;
  const population = n1 + n2;
  const low = Math.max(0, successes - n2);
  const high = Math.min(successes, n1);
  if (high <= low) return 1;
  const observed = hypergeometricLogPmf(x1, population, successes, n1);
  const cut = observed + Math.log1p(1e-7);
  let p = 0;
  for (let x = low; x <= high; x++) {
    const logP = hypergeometricLogPmf(x, population, successes, n1);
    if (logP <= cut) p += Math.exp(logP);
  }
  return Math.min(1, p);
}

/**
 * Newcombe's hybrid score interval for p₁ − p₂ (his method 10): from the
 * Wilson intervals [l₁, u₁], [l₂, u₂] of each proportion,
 * [d − √((p₁−l₁)² + (u₂−p₂)²), d + √((u₁−p₁)² + (p₂−l₂)²)], clipped to [−1, 1].
 * Groups without successes (or all successes) keep their Wilson width.
 *
 * Example: `newcombeInterval(7, 34, 1, 34)` → [0.0189, 0.3404] (Fagerland et al. 2017, Perondi et al. 2004)
 */
export function newcombeInterval(x1: number, n1: number, x2: number, n2: number, z = Z95): [number, number] {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const w1 = wilsonInterval(x1, n1, z);
  const w2 = wilsonInterval(x2, n2, z);
  const d = p1 - p2;
  return [Math.max(-1, d - Math.hypot(p1 - w1.low, w2.high - p2)), Math.min(1, d + Math.hypot(w1.high - p1, p2 - w2.low))];
}

/**
 * The MOVER-R Wilson interval for the ratio p₁/p₂ (Donner & Zou's method of
 * variance estimates recovery on the Wilson intervals of each proportion);
 * null when p₂ = 0 (no ratio). A lower limit that the quadratic does not give
 * is 0; an upper limit it does not give is null (unbounded).
 *
 * Example: `moverRatioInterval(7, 34, 1, 34)` → [1.1537, 41.9763] (Fagerland et al. 2017)
 */
export function moverRatioInterval(x1: number, n1: number, x2: number, n2: number, z = Z95): [number, number | null] | null {
  if (!(x2 > 0)) return null;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const w1 = wilsonInterval(x1, n1, z);
  const w2 = wilsonInterval(x2, n2, z);
  const product = p1 * p2;
  const lower = (product - Math.sqrt(product * product - w1.low * w2.high * (2 * p1 - w1.low) * (2 * p2 - w2.high))) / (w2.high * (2 * p2 - w2.high));
  const upper = (product + Math.sqrt(product * product - w1.high * w2.low * (2 * p1 - w1.high) * (2 * p2 - w2.low))) / (w2.low * (2 * p2 - w2.low));
  return [Number.isFinite(lower) ? Math.max(0, lower) : 0, Number.isFinite(upper) && upper >= 0 ? upper : null];
}

/**
 * P(none of `draw` items is a success) when `draw` are taken at random from
 * `population` holding `successes`: the chance that a control group of
 * `draw` customers has no buyer when the campaign did nothing and the
 * audience's `successes` buyers fell where they may.
 *
 * Example: `probabilityOfNone(288, 15, 29)` → 0.195
 */
export function probabilityOfNone(population: number, successes: number, draw: number): number {
  return Math.exp(hypergeometricLogPmf(0, population, successes, draw));
}
