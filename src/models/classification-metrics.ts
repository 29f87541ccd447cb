/**
 * Metrics of a predicted probability against a 0/1 outcome (churn, "buys
 * again"): discrimination (ROC AUC, PR AUC) and calibration (Brier score,
 * reliability curve).
 */
import { orderByPrediction } from './holdout-metrics.js';

function countPositives(outcome: ArrayLike<number>): number {
  let positives = 0;
  for (let i = 0; i < outcome.length; i++) if (outcome[i] === 1) positives++;
  return positives;
}

/**
 * Rows grouped by equal score: each row's group, the groups numbered from the
 * highest score down, and how many there are.
 */
export function scoreGroups(score: ArrayLike<number>): { groupOf: Int32Array; groups: number } {
  const order = orderByPrediction(score);
  const groupOf = new Int32Array(score.length);
  let groups = 0;
  for (let k = 0; k < order.length; k++) {
    if (k > 0 && score[order[k]!] !== score[order[k - 1]!]) groups++;
    groupOf[order[k]!] = groups;
  }
  return { groupOf, groups: order.length === 0 ? 0 : groups + 1 };
}

/**
 * ROC AUC and average precision from how many rows, and how many positives,
 * each group of equal scores holds (`scoreGroups`: one per row of a sample,
 * or a bootstrap resample's draws): both depend on the rows only through
 * those counts, so one pass over the groups gives them.
 *
 * The AUC is the Mann–Whitney count: a positive outranks every negative
 * below its group and half of those tied with it, over n₊·n₋ — the rank-sum
 * identity (R₊ − n₊(n₊+1)/2) / (n₊·n₋), to the bit (whole and half numbers).
 * NaN when one class is absent. Average precision is
 * AP = Σₖ (Rₖ − Rₖ₋₁)·Pₖ over the distinct scores from the highest down
 * (tied scores enter together; scikit-learn's average_precision_score); NaN
 * without positives. Groups with no rows add nothing.
 */
export function areasFromScoreGroups(rows: ArrayLike<number>, positives: ArrayLike<number>): { auc: number; prAuc: number } {
  let n = 0;
  let allPositives = 0;
  for (let g = 0; g < rows.length; g++) {
    n += rows[g]!;
    allPositives += positives[g]!;
  }
  const negatives = n - allPositives;
  let auc = NaN;
  if (allPositives > 0 && negatives > 0) {
    let pairs = 0;
    let negativesBelow = 0;
    for (let g = rows.length - 1; g >= 0; g--) {
      const groupNegatives = rows[g]! - positives[g]!;
      pairs += positives[g]! * (negativesBelow + groupNegatives / 2);
      negativesBelow += groupNegatives;
    }
    auc = pairs / (allPositives * negatives);
  }
  let prAuc = NaN;
  if (allPositives > 0) {
    let truePositives = 0;
    let seen = 0;
    let previousRecall = 0;
    prAuc = 0;
    for (let g = 0; g < rows.length; g++) {
      if (rows[g] === 0) continue;
      truePositives += positives[g]!;
      seen += rows[g]!;
      const recall = truePositives / allPositives;
      prAuc += (recall - previousRecall) * (truePositives / seen);
      previousRecall = recall;
    }
  }
  return { auc, prAuc };
}

/** ROC AUC and average precision of a sample (`areasFromScoreGroups`, one count per row). */
export function computeAreas(outcome: ArrayLike<number>, score: ArrayLike<number>): { auc: number; prAuc: number } {
  const { groupOf, groups } = scoreGroups(score);
  const rows = new Float64Array(groups);
  const positives = new Float64Array(groups);
  for (let i = 0; i < outcome.length; i++) {
    rows[groupOf[i]!]++;
    if (outcome[i] === 1) positives[groupOf[i]!]++;
  }
  return areasFromScoreGroups(rows, positives);
}

/**
 * Area under the ROC curve (`areasFromScoreGroups`: ties count ½). NaN when one class is absent.
 *
 * Example: `computeRocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])` → 0.75
 */
export function computeRocAuc(outcome: ArrayLike<number>, score: ArrayLike<number>): number {
  return computeAreas(outcome, score).auc;
}

/**
 * Area under the precision–recall curve as average precision (`areasFromScoreGroups`). NaN without positives.
 *
 * Example: `computePrAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])` → (1 + 2/3)/2 = 0.8333…
 */
export function computePrAuc(outcome: ArrayLike<number>, score: ArrayLike<number>): number {
  return computeAreas(outcome, score).prAuc;
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
