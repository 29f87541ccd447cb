/**
 * Next-purchase rules "after A, customers buy B" from sequential patterns
 * (prefixspan.ts). For every frequent pattern P = ⟨A1 … Aj B⟩ with j ≥ 1 (and
 * j ≤ maxAntecedentElements), the rule ⟨A1 … Aj⟩ ⇒ B reads "customers who
 * bought A1, then …, then Aj, later buy all of B together in one order". Later
 * means in some subsequent order, not necessarily the very next one. Counts are
 * customers (sequences):
 *   count           = customers containing ⟨A1 … Aj B⟩
 *   antecedentCount = customers containing ⟨A1 … Aj⟩
 *   consequentCount = customers with B in some order (the pattern ⟨B⟩)
 *   n               = all customers
 * and support, confidence, lift, leverage, conviction follow rule-metrics.ts.
 * Lift compares P(B later | A) with the share of customers who ever buy B, the
 * usual sequential-rule baseline; it is conservative for customers who make
 * few orders. All counts come from the patterns, which are closed under
 * sub-patterns, so no data pass is needed.
 */
import { UserError } from '../../core/errors/user-error.js';
import type { SequentialPatterns } from './prefixspan.js';
import { computeRuleMetrics, type RuleCounts } from './rule-metrics.js';

export interface NextPurchaseRuleOptions {
  /** keep rules with confidence ≥ this (default 0) */
  readonly minConfidence?: number;
  /** keep rules with lift ≥ this (default 0: no filter) */
  readonly minLift?: number;
  /** largest number of orders in the antecedent (default 1: "after buying A") */
  readonly maxAntecedentElements?: number;
  /** sort key, descending (default 'lift'); ties by confidence, count, then ids */
  readonly rankBy?: 'lift' | 'confidence';
  /** keep only the first maxRules after ranking (default all) */
  readonly maxRules?: number;
}

/** "after A, later C" over customers: the counts are customers. */
export interface NextPurchaseRule extends RuleCounts {
  /** the earlier orders' itemsets, in order */
  readonly antecedent: number[][];
  /** the itemset bought together in a later order */
  readonly consequent: number[];
}

export function generateNextPurchaseRules(patterns: SequentialPatterns, options: NextPurchaseRuleOptions = {}): NextPurchaseRule[] {
  const minConfidence = options.minConfidence ?? 0;
  const minLift = options.minLift ?? 0;
  const maxAntecedentElements = options.maxAntecedentElements ?? 1;
  const rankBy = options.rankBy ?? 'lift';
  const maxRules = options.maxRules ?? Infinity;
  if (!(minConfidence >= 0 && minConfidence <= 1)) throw new UserError(`minConfidence must be in [0, 1], got ${minConfidence}`);
  if (!(minLift >= 0)) throw new UserError(`minLift must be ≥ 0, got ${minLift}`);
  if (!(maxAntecedentElements >= 1) || (maxAntecedentElements !== Infinity && !Number.isInteger(maxAntecedentElements))) {
    throw new UserError(`maxAntecedentElements must be a positive integer, got ${maxAntecedentElements}`);
  }
  if (rankBy !== 'lift' && rankBy !== 'confidence') throw new UserError(`rankBy must be 'lift' or 'confidence', got ${String(rankBy)}`);
  if (!(maxRules >= 0) || (maxRules !== Infinity && !Number.isInteger(maxRules))) throw new UserError(`maxRules must be a non-negative integer, got ${maxRules}`);

  const support = new Map<string, number>();
  for (const p of patterns.patterns) support.set(patternKey(p.elements), p.supportCount);
  const countOf = (elements: readonly (readonly number[])[]): number => {
    const c = support.get(patternKey(elements));
    if (c === undefined) throw new Error(`next-purchase rules: sub-pattern ${patternKey(elements)} missing (patterns must be closed under sub-patterns)`);
    return c;
  };

  const n = patterns.nSequences;
  const rules: NextPurchaseRule[] = [];
  for (const p of patterns.patterns) {
    const k = p.elements.length;
    if (k < 2 || k - 1 > maxAntecedentElements) continue;
    const antecedent = p.elements.slice(0, k - 1).map((e) => e.slice());
    const consequent = p.elements[k - 1].slice();
    const antecedentCount = countOf(antecedent);
    const consequentCount = countOf([consequent]);
    const metrics = computeRuleMetrics(p.supportCount, antecedentCount, consequentCount, n);
    if (!(metrics.confidence >= minConfidence) || !(metrics.lift >= minLift)) continue;
    rules.push({ antecedent, consequent, antecedentCount, consequentCount, count: p.supportCount, n, ...metrics });
  }
  const primary = rankBy === 'confidence' ? (r: NextPurchaseRule) => r.confidence : (r: NextPurchaseRule) => r.lift;
  const secondary = rankBy === 'confidence' ? (r: NextPurchaseRule) => r.lift : (r: NextPurchaseRule) => r.confidence;
  rules.sort((a, b) => primary(b) - primary(a) || secondary(b) - secondary(a) || b.count - a.count || patternKey(a.antecedent).localeCompare(patternKey(b.antecedent)) || a.consequent.join(',').localeCompare(b.consequent.join(',')));
  return maxRules < rules.length ? rules.slice(0, maxRules) : rules;
}

function patternKey(elements: readonly (readonly number[])[]): string {
  return elements.map((e) => e.join(',')).join('|');
}
