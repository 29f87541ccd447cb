/**
 * The scorecard of a churn probability against what happened: ROC AUC and
 * PR-AUC (average precision) with percentile bootstrap intervals (Efron &
 * Tibshirani 1993, ch. 13: customers resampled with replacement, seeded),
 * the Brier score, the reliability curve, and the base rate (the share that
 * churned: PR-AUC is read against it, since classes are rarely balanced).
 *
 * Example: `evaluateChurnScores(Float64Array.of(1, 0, 1, 0), Float64Array.of(0.9, 0.2, 0.6, 0.4), { seed: 1 })`
 * → `{ auc: 1, prAuc: 1, brier: 0.0925, baseRate: 0.5, … }`
 */
import { UserError } from '../core/errors/user-error.js';
import { createRandom } from '../math/random.js';
import { computeBrierScore, computePrAuc, computeReliabilityCurve, computeRocAuc, type ReliabilityBin } from './classification-metrics.js';

export interface ChurnScorecard {
  readonly customers: number;
  /** share with outcome 1 */
  readonly baseRate: number;
  readonly auc: number;
  readonly aucInterval: readonly [number, number];
  readonly prAuc: number;
  readonly prAucInterval: readonly [number, number];
  readonly brier: number;
  readonly reliability: readonly ReliabilityBin[];
}

export interface ChurnScoreOptions {
  readonly seed: number;
  /** bootstrap resamples (default 200) */
  readonly draws?: number;
  /** interval level (default 0.95) */
  readonly level?: number;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (position - low) * (sorted[high]! - sorted[low]!);
}

/** Score `probability` (of outcome 1) against the 0/1 `outcome` (see the file header). */
export function evaluateChurnScores(outcome: Float64Array, probability: Float64Array, options: ChurnScoreOptions): ChurnScorecard {
  const n = outcome.length;
  if (probability.length !== n) throw new UserError(`churn scores: ${probability.length} probabilities for ${n} outcomes`, 'pass one probability per customer');
  const draws = options.draws ?? 200;
  const level = options.level ?? 0.95;
  const random = createRandom(options.seed);
  const aucs: number[] = [];
  const prAucs: number[] = [];
  const { groupOf, groups } = tieGroups(probability);
  const drawn = new Float64Array(groups);
  const drawnPositive = new Float64Array(groups);
  for (let d = 0; d < draws; d++) {
    drawn.fill(0);
    drawnPositive.fill(0);
    for (let i = 0; i < n; i++) {
      const k = random.integer(n);
      drawn[groupOf[k]!]++;
      if (outcome[k] === 1) drawnPositive[groupOf[k]!]++;
    }
    const { auc, prAuc } = resampleAreas(drawn, drawnPositive, n);
    if (Number.isFinite(auc)) aucs.push(auc);
    if (Number.isFinite(prAuc)) prAucs.push(prAuc);
  }
  aucs.sort((a, b) => a - b);
  prAucs.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += outcome[i]!;
  return {
    customers: n,
    baseRate: n === 0 ? NaN : positives / n,
    auc: computeRocAuc(outcome, probability),
    aucInterval: [quantile(aucs, tail), quantile(aucs, 1 - tail)],
    prAuc: computePrAuc(outcome, probability),
    prAucInterval: [quantile(prAucs, tail), quantile(prAucs, 1 - tail)],
    brier: computeBrierScore(outcome, probability),
    reliability: computeReliabilityCurve(outcome, probability),
  };
}

/** Each row's group of equal scores, the groups numbered from the highest score down. */
function tieGroups(score: Float64Array): { groupOf: Int32Array; groups: number } {
  const order = Array.from({ length: score.length }, (_, i) => i).sort((a, b) => score[b]! - score[a]!);
  const groupOf = new Int32Array(score.length);
  let groups = 0;
  for (let k = 0; k < order.length; k++) {
    if (k > 0 && score[order[k]!] !== score[order[k - 1]!]) groups++;
    groupOf[order[k]!] = groups;
  }
  return { groupOf, groups: order.length === 0 ? 0 : groups + 1 };
}

/**
 * ROC AUC and average precision of one bootstrap resample, from how many rows (and positives) it drew of each group
 * of equal scores: both depend on the resample only through those counts, so one pass over the groups replaces a sort
 * of the resample per draw. The same numbers as `computeRocAuc` and `computePrAuc` on the resampled rows, to the bit:
 * the Mann–Whitney count below equals their rank sum less P(P+1)/2 exactly (whole and half numbers), and the average
 * precision adds the same terms in the same order (groups the resample did not draw add none).
 */
function resampleAreas(drawn: Float64Array, drawnPositive: Float64Array, n: number): { auc: number; prAuc: number } {
  let positives = 0;
  for (let g = 0; g < drawn.length; g++) positives += drawnPositive[g]!;
  const negatives = n - positives;
  let auc = NaN;
  if (positives > 0 && negatives > 0) {
    // from the lowest score up: a positive outranks every negative below its group, and half of those tied with it
    let pairs = 0;
    let negativesBelow = 0;
    for (let g = drawn.length - 1; g >= 0; g--) {
      const groupNegatives = drawn[g]! - drawnPositive[g]!;
      pairs += drawnPositive[g]! * (negativesBelow + groupNegatives / 2);
      negativesBelow += groupNegatives;
    }
    auc = pairs / (positives * negatives);
  }
  let prAuc = NaN;
  if (positives > 0) {
    let truePositives = 0;
    let seen = 0;
    let previousRecall = 0;
    prAuc = 0;
    for (let g = 0; g < drawn.length; g++) {
      if (drawn[g] === 0) continue;
      truePositives += drawnPositive[g]!;
      seen += drawn[g]!;
      const recall = truePositives / positives;
      prAuc += (recall - previousRecall) * (truePositives / seen);
      previousRecall = recall;
    }
  }
  return { auc, prAuc };
}
