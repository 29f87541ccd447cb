import { Z95 } from './z95.js';

/**
 * The Wilson score interval for a binomial proportion (Wilson 1927; Brown,
 * Cai & DasGupta 2001, eq. 4): centre (p̂ + z²/2n)/(1 + z²/n), half-width
 * z·√(p̂(1−p̂)/n + z²/4n²)/(1 + z²/n). Unlike p̂ ± z·se it stays inside
 * [0, 1] and is usable for small n and for p̂ = 0 or 1. n = 0 gives NaNs.
 * At p̂ = 0 the lower bound is 0 and at p̂ = 1 the upper bound is 1 exactly
 * (centre − half-width is 0 there in exact arithmetic; in floating point it
 * came out as 5.6e-17, and 1 − 1.1e-16 at the top, leaving p̂ outside).
 *
 * Example: `wilsonInterval(0, 10)` → `{ low: 0, high: 0.2775 }` (z = 1.96)
 */
export function wilsonInterval(successes: number, trials: number, z = Z95): { readonly low: number; readonly high: number } {
  if (!(trials > 0)) return { low: Number.NaN, high: Number.NaN };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return {
    low: successes <= 0 ? 0 : Math.max(0, centre - half),
    high: successes >= trials ? 1 : Math.min(1, centre + half),
  };
}
