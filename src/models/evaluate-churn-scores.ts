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
  /** [NaN, NaN] (null in run.json) when it cannot be estimated: `aucIntervalSkipped` says why */
  readonly aucInterval: readonly [number, number];
  /** why the AUC interval cannot be estimated (too few of a class, or every resample gives the same AUC); absent when it can */
  readonly aucIntervalSkipped?: string;
  readonly prAuc: number;
  readonly prAucInterval: readonly [number, number];
  /** why the PR-AUC interval cannot be estimated; absent when it can */
  readonly prAucIntervalSkipped?: string;
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

/** Fewer customers than this of either class (churned, not churned): no bootstrap interval is estimated. */
export const MIN_CLASS_FOR_INTERVAL = 5;

/**
 * Why a percentile bootstrap interval of an area cannot be estimated, or undefined when it can: too few customers of a
 * class (resamples then often lack it, and the rest vary by one or two customers), or every resample gave the same
 * value — an interval [x, x] would present a degenerate bootstrap as certainty — or, for the PR-AUC, every customer got
 * the same score (the PR-AUC is then the base rate, and its resamples only re-measure that share).
 *
 * Example: 60 customers, 40 churned, every score 0.7 → "every customer got the same score, so every resample gives
 * AUC 0.500: the interval cannot be estimated"; its PR-AUC → "every customer got the same score, so its PR-AUC is the
 * share that churned (0.667), not a ranking: the interval cannot be estimated"
 */
export function intervalSkipped(metric: 'AUC' | 'PR-AUC', sortedDraws: readonly number[], customers: number, positives: number, scoreGroups: number): string | undefined {
  const none = 'the interval cannot be estimated';
  const negatives = customers - positives;
  if (positives < MIN_CLASS_FOR_INTERVAL) return `only ${positives} of the ${customers} customers churned (${MIN_CLASS_FOR_INTERVAL} of each class are needed): ${none}`;
  if (negatives < MIN_CLASS_FOR_INTERVAL) return `only ${negatives} of the ${customers} customers did not churn (${MIN_CLASS_FOR_INTERVAL} of each class are needed): ${none}`;
  if (sortedDraws.length === 0) return `no resample held both classes: ${none}`;
  // one score for all ranks nothing: its PR-AUC is the base rate, whose resamples vary with the share drawn, not the score
  if (scoreGroups === 1 && metric === 'PR-AUC') return `every customer got the same score, so its PR-AUC is the share that churned (${(positives / customers).toFixed(3)}), not a ranking: ${none}`;
  if (sortedDraws[0] !== sortedDraws[sortedDraws.length - 1]) return undefined;
  const value = sortedDraws[0]!.toFixed(3);
  return scoreGroups === 1 ? `every customer got the same score, so every resample gives ${metric} ${value}: ${none}` : `every resample gives ${metric} ${value}: ${none}`;
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
  const aucSkipped = intervalSkipped('AUC', aucs, n, positives, groups);
  const prAucSkipped = intervalSkipped('PR-AUC', prAucs, n, positives, groups);
  return {
    customers: n,
    baseRate: n === 0 ? NaN : positives / n,
    auc: whole.auc,
    aucInterval: aucSkipped ? [NaN, NaN] : [quantile(aucs, tail), quantile(aucs, 1 - tail)],
    ...(aucSkipped ? { aucIntervalSkipped: aucSkipped } : {}),
    prAuc: whole.prAuc,
    prAucInterval: prAucSkipped ? [NaN, NaN] : [quantile(prAucs, tail), quantile(prAucs, 1 - tail)],
    ...(prAucSkipped ? { prAucIntervalSkipped: prAucSkipped } : {}),
    brier: computeBrierScore(outcome, probability),
    reliability: computeReliabilityCurve(outcome, probability),
  };
}

