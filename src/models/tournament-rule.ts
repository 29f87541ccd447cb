/**
 * The value-model tournament's tie rule (model-tournament.ts), shared with the words that explain a choice (the
 * report's model section): holdout errors (MAE) within this share of the best count as a tie, which the lowest BIC
 * breaks.
 */
export const MAE_TIE_SHARE = 0.01;

/**
 * The honest tournament's rules (pipeline/choose-honest-winner.ts), shared with the report's words that explain its
 * choice (report/sections/churn-section.ts): a challenger's inner total may be off by this share (or by the best BTYD
 * model's own inner total error when larger)…
 */
export const TOTAL_TOLERANCE = 0.05;

/**
 * …and it is judged only on an inner window of this many repeat purchases at least: the Poisson error of the window's
 * total, 1/√n, is at most TOTAL_TOLERANCE from 1/TOTAL_TOLERANCE² = 400 purchases on.
 */
export const MIN_INNER_PURCHASES = Math.round(1 / TOTAL_TOLERANCE ** 2);

/**
 * BICs this close (relative) are one: the same likelihood fitted two ways (MBG/CNBD-k at k = 1 is MBG/NBD) differs
 * by float noise only, and noise must not break a tie.
 */
const BIC_NOISE_SHARE = 1e-9;

/**
 * The one rule that picks the best of `pool` on a window's error — the BTYD tournament's choice
 * (model-tournament.ts: validate's "chosen on the holdout", analyze's model) and the honest tournament's "best on
 * the holdout in hindsight" (honest-tournament.ts), so that the two never name different models for one tie.
 *
 * Errors (MAE) within MAE_TIE_SHARE (1%) of the lowest tie. The tie goes to the lowest BIC (the simpler explanation;
 * BICs within float noise are equal), candidates without a likelihood (the learned models: no BIC) after those
 * with one; then to the earlier in `pool`, whose order is the candidates' fixed order, simplest first
 * (BG/NBD, MBG/NBD, Pareto/NBD, MBG/CNBD-k, then the learned models).
 *
 * Example: MBG/NBD MAE 0.46422509668961, MBG/CNBD-k (k = 1) 0.46422509668958, same BIC → MBG/NBD.
 * `tied`: the candidates within the tie, the winner first, in the rule's order. `pool` must not be empty; a candidate whose
 * error is not finite is left out, unless none is finite.
 */
export function chooseOnHoldoutError<T>(pool: readonly T[], mae: (candidate: T) => number, bic: (candidate: T) => number | undefined): { winner: T; tied: readonly T[] } {
  if (pool.length === 0) throw new Error('chooseOnHoldoutError: no candidate');
  const finite = pool.filter((c) => Number.isFinite(mae(c)));
  const best = finite.length > 0 ? Math.min(...finite.map(mae)) : Number.NaN;
  const bicOf = (c: T) => bic(c) ?? Number.NaN;
  const compareBic = (a: T, b: T) => {
    const [x, y] = [bicOf(a), bicOf(b)];
    if (!Number.isFinite(x) || !Number.isFinite(y)) return Number(!Number.isFinite(x)) - Number(!Number.isFinite(y));
    return Math.abs(x - y) <= BIC_NOISE_SHARE * Math.max(Math.abs(x), Math.abs(y)) ? 0 : x - y;
  };
  // a stable sort: equal BICs (and candidates without one) keep the pool's order
  const tied = (finite.length > 0 ? finite.filter((c) => mae(c) <= best * (1 + MAE_TIE_SHARE)) : [...pool]).sort(compareBic);
  return { winner: tied[0]!, tied };
}
