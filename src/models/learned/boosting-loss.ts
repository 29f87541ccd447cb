/**
 * The loss a gradient-boosted model minimises, as the second-order boosting
 * step needs it (Chen & Guestrin 2016, "XGBoost", eq. 3): per row and output,
 * the gradient g and hessian h of the loss with respect to the raw score.
 *
 * Raw scores are laid out output-major: raw[k·n + i] is output k of row i
 * (one output for Poisson, Tweedie and logistic; three for ZILN).
 * Losses are negative log-likelihoods per row; weights multiply g, h and the loss.
 */
export interface BoostingLoss {
  readonly name: 'poisson' | 'tweedie' | 'logistic' | 'ziln';
  /** raw outputs per row */
  readonly outputs: number;
  /** the constant raw scores that minimise the loss (length `outputs`) */
  initialScores(label: Float64Array, weight: Float64Array | undefined): Float64Array;
  /** writes g and h (each outputs·n, output-major) at raw scores `raw` */
  computeGradients(label: Float64Array, raw: Float64Array, weight: Float64Array | undefined, gradient: Float64Array, hessian: Float64Array): void;
  /** weighted mean loss */
  computeLoss(label: Float64Array, raw: Float64Array, weight: Float64Array | undefined): number;
  /** expected value of the label per row (the mean, or the probability for logistic) */
  computeMean(raw: Float64Array, rows: number, out: Float64Array): void;
}

/** Weighted mean of per-row values produced by `term(i)`. */
export function weightedMean(rows: number, weight: Float64Array | undefined, term: (i: number) => number): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const w = weight === undefined ? 1 : weight[i];
    if (w === 0) continue;
    sum += w * term(i);
    total += w;
  }
  return total === 0 ? NaN : sum / total;
}

/**
 * The two pieces every log-link loss (Poisson, Tweedie) shares: the initial
 * raw score is the log of the weighted mean label (floored at 1e-12 so an
 * all-zero label stays finite), and the mean is e^raw.
 */
export const LOG_LINK: Pick<BoostingLoss, 'initialScores' | 'computeMean'> = {
  initialScores(label, weight) {
    const mean = weightedMean(label.length, weight, (i) => label[i]);
    return Float64Array.of(Math.log(Math.max(mean, 1e-12)));
  },
  computeMean(raw, rows, out) {
    for (let i = 0; i < rows; i++) out[i] = Math.exp(raw[i]);
  },
};
