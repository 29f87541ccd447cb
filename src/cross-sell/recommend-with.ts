import { recommendByItemSimilarity, type CrossSellRule } from '../models/recommend/item-similarity-recommender.js';
import { computeItemNeighbours, type ItemNeighbours } from '../models/recommend/item-neighbours.js';
import { recommendByPopularity } from '../models/recommend/popularity-recommender.js';
import type { PurchaseHistory } from '../models/recommend/purchase-history.js';
import type { Recommendations } from '../models/recommend/recommendations.js';
import { blendRecommendations } from './blend-recommendations.js';

/**
 * The recommenders the time-split evaluation chooses from:
 * - `item-similarity`: item-item cosine similarity blended with the rules (rule weight 0.5);
 * - `rules`: the association rules (and repeat purchases) alone, best-sellers filling the list;
 * - `best-sellers`: the items most customers bought;
 * - `blend`: item similarity and best-sellers by normalised rank, weight `blendWeight` on similarity.
 */
export type RecommenderName = 'item-similarity' | 'rules' | 'best-sellers' | 'blend';

export interface RecommenderSpec {
  readonly name: RecommenderName;
  /** blend only: weight of the item-similarity list, in (0, 1) */
  readonly blendWeight?: number;
}

/** Every candidate, simplest first (ties go to the earlier one). */
export const RECOMMENDER_CANDIDATES: readonly RecommenderSpec[] = [
  { name: 'best-sellers' },
  { name: 'item-similarity' },
  { name: 'rules' },
  { name: 'blend', blendWeight: 0.25 },
  { name: 'blend', blendWeight: 0.5 },
  { name: 'blend', blendWeight: 0.75 },
];

/** A candidate in words, e.g. `blend (item similarity 0.25, best-sellers 0.75)`. */
export function describeRecommender(spec: RecommenderSpec): string {
  switch (spec.name) {
    case 'item-similarity':
      return 'item similarity + rules';
    case 'rules':
      return 'rules';
    case 'best-sellers':
      return 'best-sellers';
    case 'blend':
      return `blend (item similarity ${spec.blendWeight}, best-sellers ${Number((1 - spec.blendWeight!).toFixed(6))})`;
  }
}

/** What a recommender is trained on: one period's purchase history and its rules (item ids of that history). */
export interface RecommenderInput {
  readonly history: PurchaseHistory;
  readonly rules: readonly CrossSellRule[];
  /** computed once per history and shared by the candidates */
  neighbours?: ItemNeighbours;
  /** per customer: 1 when their list is needed (a backtest: customers with test items); the others' lists are left empty. Default all */
  readonly only?: Uint8Array;
  /** lists already computed for this history, by recommender and n (a blend reuses the similarity and best-seller lists) */
  readonly lists?: Map<string, Recommendations>;
}

/** n recommendations per customer of the history from one candidate. */
export function recommendWith(spec: RecommenderSpec, input: RecommenderInput, n: number): Recommendations {
  const key = `${spec.name}:${spec.blendWeight ?? ''}:${n}`;
  const cached = input.lists?.get(key);
  if (cached) return cached;
  const { history, rules, only } = input;
  let list: Recommendations;
  if (spec.name === 'best-sellers') list = recommendByPopularity(history, { n, ...(only ? { only } : {}) });
  else if (spec.name === 'blend') list = blendRecommendations(recommendWith({ name: 'item-similarity' }, input, n), recommendWith({ name: 'best-sellers' }, input, n), spec.blendWeight!, n);
  else {
    input.neighbours ??= computeItemNeighbours(history.customerItems);
    list = recommendByItemSimilarity(history, { n, rules, neighbours: input.neighbours, ruleWeight: spec.name === 'rules' ? 1 : 0.5, ...(only ? { only } : {}) });
  }
  input.lists?.set(key, list);
  return list;
}
