import type { RuleRanking } from '../models/patterns/association-rules.js';
import type { ItemLevel } from './load-purchase-data.js';

/** Options of the cross-sell step and of the rule miners it calls. */
export interface PatternOptions {
  readonly level?: ItemLevel;
  /** FP-growth minimum support, fraction of baskets (default 0.01) */
  readonly minSupport?: number;
  readonly minConfidence?: number;
  /** association rules: minimum lift, at least 1; rules of lift 1 or less are never kept (default DEFAULT_MIN_LIFT, 1.2) */
  readonly minLift?: number;
  readonly maxLength?: number;
  readonly rankBy?: RuleRanking;
  /** rules kept in run.json (default 50) */
  readonly topRules?: number;
  /** PrefixSpan minimum support, fraction of customers (default 0.02) */
  readonly sequenceMinSupport?: number;
  /** most sequential patterns mined; the minimum support is raised where more reach it (default MAX_SEQUENTIAL_PATTERNS) */
  readonly maxSequentialPatterns?: number;
  /** recommendations per customer (default 10) */
  readonly topN?: number;
  /** only orders before this day (exclusive, YYYY-MM-DD): the day after an analysis's as-of date; default every order held */
  readonly until?: string;
  /** first day of the recommender's test period (YYYY-MM-DD); no evaluation when absent */
  readonly evaluationCutoff?: string;
  /** write every customer's recommendations here (CSV) */
  readonly recommendationsCsv?: string;
  /**
   * the original ids by token, where the run reveals them (admin --reveal-ids): recommendations.csv then has
   * `original_id` after `customer_id` and lists its customers by it (else by token, the only id published)
   */
  readonly originalIds?: ReadonlyMap<string, string>;
}

/**
 * The minimum lift of a cross-sell rule (default of `minLift`). Lift 1 is what the consequent's popularity alone
 * predicts: "buyers of anything also buy the best-seller" rules sit at 0.9–1.1, sampling noise included, and say
 * nothing about the antecedent. 1.2 (buyers of A take C at least 20% more often than all buyers) leaves them out.
 */
export const DEFAULT_MIN_LIFT = 1.2;

/** How the rules left out for low lift are described: "lift below 1.2", "lift 1 or less". */
export function lowLiftWords(minLift: number): string {
  return minLift > 1 ? `lift below ${minLift}` : 'lift 1 or less';
}
