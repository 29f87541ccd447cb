/**
 * Σ weight·log L over rows, skipping rows of weight 0 (so an invalid row that
 * carries no weight cannot turn the total into NaN). Shared by every
 * purchase model's `compute…LogLikelihood`.
 *
 * Example: `weightedLogLikelihood(Float64Array.of(-1, NaN), Float64Array.of(2, 0))` → −2
 */
export function weightedLogLikelihood(logLikelihoods: Float64Array, weight: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < logLikelihoods.length; i++) if (weight[i] !== 0) total += weight[i]! * logLikelihoods[i]!;
  return total;
}

/** log(1 + eˣ) without overflow for large x or loss of precision for very negative x. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
