/**
 * Time-split evaluation of the item-similarity recommender against the
 * popularity baseline in one call: both are fitted on the training orders,
 * asked for k items per customer, and scored with the same ranking metrics
 * (ranking-metrics.ts) on the test-period items. Both use the same
 * repeat-purchase policy, so the comparison is like for like.
 */
import { UserError } from '../../core/errors/user-error.js';
import type { Baskets } from '../patterns/baskets.js';
import type { Sequences } from '../patterns/sequences.js';
import { type ItemSimilarityRecommenderOptions, recommendByItemSimilarity } from './item-similarity-recommender.js';
import { recommendByPopularity } from './popularity-recommender.js';
import { summarizePurchaseHistory } from './purchase-history.js';
import { type RankingMetrics, computeRankingMetrics } from './ranking-metrics.js';

export interface RecommenderEvaluationOptions {
  /** cut-off k; each recommender produces k items per customer */
  readonly k: number;
  /** options of the item-similarity model (its `n` is set to k) */
  readonly model?: Omit<ItemSimilarityRecommenderOptions, 'n'>;
  /** evaluate only customers with training history (default false: cold customers count too) */
  readonly excludeColdCustomers?: boolean;
}

export interface RecommenderEvaluation {
  readonly k: number;
  readonly model: RankingMetrics;
  readonly baseline: RankingMetrics;
  /** customers evaluated (non-empty test set, and warm when excludeColdCustomers) */
  readonly nEvaluated: number;
  /** of those, customers without training history */
  readonly nColdEvaluated: number;
}

/**
 * @param train per customer, the training-period orders (customer index = row)
 * @param test  per customer (same rows), the items bought in the test period
 */
export function evaluateRecommenders(train: Sequences, test: Baskets, options: RecommenderEvaluationOptions): RecommenderEvaluation {
  const k = options.k;
  if (!Number.isInteger(k) || k < 1) throw new UserError(`k must be a positive integer, got ${k}`);
  const history = summarizePurchaseHistory(train);
  if (test.nItems > history.nItems) throw new UserError(`test items use ${test.nItems} item ids but training only ${history.nItems}`, 'map both periods with the same item ids and nItems');
  const model = recommendByItemSimilarity(history, { ...options.model, n: k });
  const baseline = recommendByPopularity(history, { repeatShare: options.model?.repeatShare, minRepeatBuyers: options.model?.minRepeatBuyers, n: k });
  const include = new Uint8Array(history.nCustomers).fill(1);
  let nColdEvaluated = 0;
  for (let c = 0; c < history.nCustomers; c++) {
    const cold = history.customerItems.offsets[c] === history.customerItems.offsets[c + 1];
    if (cold && options.excludeColdCustomers) include[c] = 0;
    else if (cold && c < test.offsets.length - 1 && test.offsets[c + 1] > test.offsets[c]) nColdEvaluated++;
  }
  const modelMetrics = computeRankingMetrics(model, test, { k, include });
  const baselineMetrics = computeRankingMetrics(baseline, test, { k, include });
  return { k, model: modelMetrics, baseline: baselineMetrics, nEvaluated: modelMetrics.nCustomers, nColdEvaluated };
}
