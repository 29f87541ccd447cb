/**
 * Which recommender writes recommendations.csv: chosen on the training
 * window only, confirmed on the test window.
 *
 * 1. Inner split: the training window (orders before the cut-off) is cut
 *    again, its last part (as long as the test window, at most half the
 *    training span) held out; every candidate (`RECOMMENDER_CANDIDATES`) is
 *    trained before the inner cut-off and scored (MAP@k) on what customers
 *    bought in the held-out part. The best wins; ties go to the simpler one
 *    (best-sellers first).
 * 2. Confirmation: every candidate is trained on the whole training window
 *    and scored on the test window. The winner is written unless it scores
 *    below best-sellers there; then best-sellers are written. So what is
 *    written is never worse than best-sellers on the evaluation.
 * Without an inner split (too little training data) the default, item
 * similarity + rules, is confirmed the same way.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { addDays, dayOfValue, daysBetween } from '../core/calendar-days.js';
import { summarizePurchaseHistory } from '../models/recommend/purchase-history.js';
import { computeRankingMetrics, type RankingMetrics } from '../models/recommend/ranking-metrics.js';
import { loadPurchaseData, type ItemLevel, type PurchaseData } from './load-purchase-data.js';
import { alignTimeSplit } from './align-time-split.js';
import { crossSellRulesOf, mineItemsets } from './mine-rules.js';
import type { PatternOptions } from './pattern-options.js';
import { describeRecommender, RECOMMENDER_CANDIDATES, recommendWith, type RecommenderInput, type RecommenderSpec } from './recommend-with.js';

/** Shortest held-out part of the inner split, in days. */
export const MIN_INNER_HOLDOUT_DAYS = 14;

export interface RecommenderCandidateScore {
  readonly recommender: string;
  /** MAP@k on the inner split of the training window (null without one) */
  readonly innerMapAtK: number | null;
  /** MAP@k on the test window */
  readonly testMapAtK: number;
}

export interface RecommenderChoice {
  /** the recommender written to recommendations.csv */
  readonly written: RecommenderSpec;
  readonly label: string;
  /** why, in one sentence */
  readonly reason: string;
  /** first day of the inner split's held-out part, null without an inner split */
  readonly innerCutoff: string | null;
  readonly candidates: readonly RecommenderCandidateScore[];
}

export interface RecommenderSelection {
  readonly k: number;
  /** the written recommender on the test window */
  readonly model: RankingMetrics;
  /** best-sellers on the test window */
  readonly baseline: RankingMetrics;
  readonly nEvaluated: number;
  readonly nColdEvaluated: number;
  readonly choice: RecommenderChoice;
}

interface Split {
  readonly input: RecommenderInput;
  readonly test: ReturnType<typeof alignTimeSplit>['test'];
  readonly train: PurchaseData;
}

async function loadSplit(warehouse: Warehouse, level: ItemLevel, options: PatternOptions, cutoff: string, until?: string): Promise<Split> {
  const train = await loadPurchaseData(warehouse, { level, until: cutoff });
  const test = await loadPurchaseData(warehouse, { level, from: cutoff, ...(until ? { until } : {}), itemCodes: train.itemCodes });
  const split = alignTimeSplit(train, test);
  const rules = crossSellRulesOf(mineItemsets(train, options), { ...options, topRules: 500 });
  // MAP@k reads the lists of customers with test items only: the others are not computed (a list depends on its customer alone)
  const only = new Uint8Array(split.customerIds.length);
  for (let c = 0; c < only.length; c++) only[c] = split.test.offsets[c + 1]! > split.test.offsets[c]! ? 1 : 0;
  return { input: { history: summarizePurchaseHistory(split.train), rules, only, lists: new Map() }, test: split.test, train };
}

function score(spec: RecommenderSpec, split: Split, k: number): RankingMetrics {
  return computeRankingMetrics(recommendWith(spec, split.input, k), split.test, { k });
}

/** Purchase lines with an item before and from a day (and up to an end day), and the first and last purchase day (before the end day). */
export async function windowCounts(warehouse: Warehouse, level: ItemLevel, cutoff: string, until?: string): Promise<{ before: number; after: number; first: string | null; last: string | null }> {
  const d = warehouse.dialect;
  const at = d.timestamp(`${cutoff}T00:00:00`);
  const end = until ? ` AND ts < ${d.timestamp(`${until}T00:00:00`)}` : '';
  const [row] = await warehouse.query(
    `SELECT count(*) FILTER (WHERE ts < ${at}) AS before, count(*) FILTER (WHERE ts >= ${at}) AS after, min(ts) AS first, max(ts) AS last FROM transactions WHERE NOT is_return AND ${level === 'product' ? 'product_id' : 'category'} IS NOT NULL${end}`,
  );
  return { before: Number(row!.before), after: Number(row!.after), first: dayOfValue(row!.first), last: dayOfValue(row!.last) };
}

/**
 * Choose the recommender on the training window and confirm it on the test
 * window (orders from `cutoff`); null when either side of the split is empty.
 */
export async function chooseRecommender(warehouse: Warehouse, options: PatternOptions & { readonly level: ItemLevel; readonly k: number; readonly cutoff: string }): Promise<RecommenderSelection | null> {
  const { level, k, cutoff } = options;
  const outer = await windowCounts(warehouse, level, cutoff, options.until);
  if (outer.before === 0 || outer.after === 0) return null;
  const testDays = daysBetween(cutoff, outer.last!) + 1;
  const innerDays = Math.min(testDays, Math.floor(daysBetween(outer.first!, cutoff) / 2));
  const innerCutoff = addDays(cutoff, -innerDays);
  const inner = innerDays >= MIN_INNER_HOLDOUT_DAYS ? await windowCounts(warehouse, level, innerCutoff, cutoff) : null;
  const innerSplit = inner && inner.before > 0 && inner.after > 0 ? await loadSplit(warehouse, level, options, innerCutoff, cutoff) : null;
  const testSplit = await loadSplit(warehouse, level, options, cutoff, options.until);

  const innerScores = innerSplit ? RECOMMENDER_CANDIDATES.map((spec) => score(spec, innerSplit, k).mapAtK) : null;
  const testScores = RECOMMENDER_CANDIDATES.map((spec) => score(spec, testSplit, k));
  const bestSellers = RECOMMENDER_CANDIDATES.findIndex((s) => s.name === 'best-sellers');
  const fallback = RECOMMENDER_CANDIDATES.findIndex((s) => s.name === 'item-similarity');
  // strictly better to win: ties keep the earlier, simpler candidate
  const winner = innerScores ? innerScores.reduce((best, map, i) => (map > innerScores[best]! + 1e-12 ? i : best), 0) : fallback;
  const label = (i: number) => describeRecommender(RECOMMENDER_CANDIDATES[i]!);
  const map = (m: number) => m.toFixed(3);
  const confirmed = testScores[winner]!.mapAtK >= testScores[bestSellers]!.mapAtK;
  const written = confirmed ? winner : bestSellers;
  const chosenHow = innerScores
    ? `${label(winner)} had the best MAP@${k} on the training window's own split (${map(innerScores[winner]!)} on orders from ${innerCutoff}; best-sellers ${map(innerScores[bestSellers]!)})`
    : `the training window is too short to split (held-out part under ${MIN_INNER_HOLDOUT_DAYS} days), so the default ${label(winner)} was tried`;
  const reason =
    written === winner
      ? winner === bestSellers
        ? `${chosenHow}; on the test window they score ${map(testScores[bestSellers]!.mapAtK)} (${label(fallback)} ${map(testScores[fallback]!.mapAtK)})`
        : `${chosenHow} and is confirmed on the test window (${map(testScores[winner]!.mapAtK)} vs best-sellers ${map(testScores[bestSellers]!.mapAtK)})`
      : `${chosenHow} but scored below best-sellers on the test window (${map(testScores[winner]!.mapAtK)} vs ${map(testScores[bestSellers]!.mapAtK)}), so best-sellers are written`;

  const history = testSplit.input.history;
  let nColdEvaluated = 0;
  for (let c = 0; c < history.nCustomers; c++) {
    const cold = history.customerItems.offsets[c] === history.customerItems.offsets[c + 1];
    if (cold && testSplit.test.offsets[c + 1]! > testSplit.test.offsets[c]!) nColdEvaluated++;
  }
  return {
    k,
    model: testScores[written]!,
    baseline: testScores[bestSellers]!,
    nEvaluated: testScores[written]!.nCustomers,
    nColdEvaluated,
    choice: {
      written: RECOMMENDER_CANDIDATES[written]!,
      label: label(written),
      reason,
      innerCutoff: innerSplit ? innerCutoff : null,
      candidates: RECOMMENDER_CANDIDATES.map((_, i) => ({ recommender: label(i), innerMapAtK: innerScores ? innerScores[i]! : null, testMapAtK: testScores[i]!.mapAtK })),
    },
  };
}
