/**
 * P(X(T, T+t] = n | history) of a purchase model from P(alive at T) and the
 * count distribution of a customer known to be alive at T:
 *   (1 − P(alive))·1{n = 0} + P(alive)·P(n | alive at T).
 * A dead customer buys nothing. For BG/NBD, MBG/NBD and Pareto/NBD the count
 * given alive is the unconditional P(X(t) = n) of a newly acquired customer
 * at the posterior parameters (the dropout process is memoryless between
 * purchases), so each model's conditional form is this function applied to
 * its own pieces. Clamped to [0, 1] against rounding.
 */
export function computeConditionalCountProbability(pAlive: number, n: number, countWhileAlive: number): number {
  if (Number.isNaN(pAlive) || Number.isNaN(countWhileAlive)) return NaN;
  const alive = pAlive === 0 ? 0 : pAlive * countWhileAlive;
  return Math.min(1, Math.max(0, n === 0 ? 1 - pAlive + alive : alive));
}
