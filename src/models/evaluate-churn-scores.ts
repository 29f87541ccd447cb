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
import { areasFromScoreGroups, computeAreas, computeBrierScore, computeReliabilityCurve, scoreGroups, type ReliabilityBin } from './classification-metrics.js';

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
  const { groupOf, groups } = scoreGroups(probability);
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
    // a resample's areas depend only on how many rows and positives it drew of each group of equal scores
    const { auc, prAuc } = areasFromScoreGroups(drawn, drawnPositive);
    if (Number.isFinite(auc)) aucs.push(auc);
    if (Number.isFinite(prAuc)) prAucs.push(prAuc);
  }
  aucs.sort((a, b) => a - b);
  prAucs.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += outcome[i]!;
  const whole = computeAreas(outcome, probability);
  return {
    customers: n,
    baseRate: n === 0 ? NaN : positives / n,
    auc: whole.auc,
    aucInterval: [quantile(aucs, tail), quantile(aucs, 1 - tail)],
    prAuc: whole.prAuc,
    prAucInterval: [quantile(prAucs, tail), quantile(prAucs, 1 - tail)],
    brier: computeBrierScore(outcome, probability),
    reliability: computeReliabilityCurve(outcome, probability),
  };
}

