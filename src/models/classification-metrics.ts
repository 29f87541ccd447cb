/**
 * Metrics of a predicted probability against a 0/1 outcome (churn, "buys
 * again"): discrimination (ROC AUC, PR AUC) and calibration (Brier score,
 * reliability curve).
 */
import { averageRanks } from './holdout-metrics.js';

function countPositives(outcome: ArrayLike<number>): number {
  let positives = 0;
  for (let i = 0; i < outcome.length; i++) if (outcome[i] === 1) positives++;
  return positives;
}

/**
 * Area under the ROC curve by the rank-sum (Mann–Whitney U) identity:
 * AUC = (R₊ − n₊(n₊+1)/2) / (n₊·n₋), R₊ the sum of average ranks of the
 * positives (ties count ½). NaN when one class is absent.
 *
 * Example: `computeRocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])` → 0.75
 */
export function computeRocAuc(outcome: ArrayLike<number>, score: ArrayLike<number>): number {
  const positives = countPositives(outcome);
  const negatives = outcome.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  const ranks = averageRanks(score);
  let rankSum = 0;
  for (let i = 0; i < outcome.length; i++) if (outcome[i] === 1) rankSum += ranks[i];
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Area under the precision–recall curve as average precision,
 * AP = Σₖ (Rₖ − Rₖ₋₁)·Pₖ over the distinct score thresholds from the highest
 * down (tied scores enter together; scikit-learn's average_precision_score).
 * NaN without positives.
 *
 * Example: `computePrAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])` → (1 + 2/3)/2 = 0.8333…
 */
export function computePrAuc(outcome: ArrayLike<number>, score: ArrayLike<number>): number {
  const positives = countPositives(outcome);
  if (positives === 0) return NaN;
  const order = Array.from({ length: score.length }, (_, i) => i).sort((a, b) => score[b] - score[a]);
  let truePositives = 0;
  let seen = 0;
  let previousRecall = 0;
  let area = 0;
  for (let k = 0; k < order.length; ) {
    const value = score[order[k]];
    while (k < order.length && score[order[k]] === value) {
      if (outcome[order[k]] === 1) truePositives++;
      seen++;
      k++;
    }
    const recall = truePositives / positives;
    area += (recall - previousRecall) * (truePositives / seen);
    previousRecall = recall;
  }
  return area;
}

/** Brier score: mean of (p − y)². NaN for no rows. */
export function computeBrierScore(outcome: ArrayLike<number>, probability: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < outcome.length; i++) sum += (probability[i] - outcome[i]) ** 2;
  return outcome.length === 0 ? NaN : sum / outcome.length;
}

export interface ReliabilityBin {
  /** the bin covers [lower, upper) (the last bin includes 1) */
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** mean predicted probability in the bin (NaN when empty) */
  readonly meanPredicted: number;
  /** share of outcomes = 1 in the bin (NaN when empty) */
  readonly observedRate: number;
}

/**
 * Reliability (calibration) curve: predictions cut into `bins` equal-width
 * bins on [0, 1]; per bin the mean prediction and the observed rate. A
 * calibrated model has meanPredicted ≈ observedRate in every bin.
 */
export function computeReliabilityCurve(outcome: ArrayLike<number>, probability: ArrayLike<number>, bins = 10): ReliabilityBin[] {
  const count = new Float64Array(bins), predicted = new Float64Array(bins), observed = new Float64Array(bins);
  for (let i = 0; i < outcome.length; i++) {
    const p = probability[i];
    if (!(p >= 0 && p <= 1)) continue;
    const b = Math.min(bins - 1, Math.floor(p * bins));
    count[b]++;
    predicted[b] += p;
    observed[b] += outcome[i];
  }
  return Array.from({ length: bins }, (_, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: count[b],
    meanPredicted: count[b] === 0 ? NaN : predicted[b] / count[b],
    observedRate: count[b] === 0 ? NaN : observed[b] / count[b],
  }));
}
