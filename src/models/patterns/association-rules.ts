/**
 * Association rules A ⇒ C from frequent itemsets (Agrawal & Srikant 1994,
 * "Fast algorithms for mining association rules", VLDB: ap-genrules).
 *
 * For every frequent itemset Z with |Z| ≥ 2 and every non-empty proper subset
 * C ⊂ Z, the rule (Z∖C) ⇒ C is scored from the counts n(Z∖C), n(C), n(Z) and n
 * (see rule-metrics.ts). Consequents grow level by level and only from
 * consequents that met `minConfidence`, which is exact because confidence can
 * only fall as C grows within Z (its antecedent shrinks, so n(A) rises).
 * `minLift` is a plain filter (lift is not monotone). All needed counts are
 * looked up among the itemsets, which FP-growth returns downward closed.
 *
 * Value weighting: when the itemsets were mined with per-basket weights (e.g.
 * margin × P(alive) of the buyer), each rule carries
 *   valueSum     = Σ weights of the baskets containing A ∪ C
 *   valueSupport = valueSum / Σ all weights  (NaN when that total is 0)
 * and `rankBy: 'value'` orders rules by valueSupport. Ties in any ranking are
 * broken by lift, confidence, count (all descending), then antecedent and
 * consequent ids (lexicographic), so the order is deterministic.
 */
import { UserError } from '../../core/errors/user-error.js';
import type { FrequentItemsets } from './fp-growth.js';
import { computeRuleMetrics, type RuleCounts } from './rule-metrics.js';

export type RuleRanking = 'lift' | 'confidence' | 'value';

export interface AssociationRuleOptions {
  /** keep rules with confidence ≥ this (default 0) */
  readonly minConfidence?: number;
  /** keep rules with lift ≥ this (default 0: no filter) */
  readonly minLift?: number;
  /** largest consequent size (default unlimited; 1 gives single-item cross-sell rules) */
  readonly maxConsequentLength?: number;
  /** sort key, descending (default 'lift'); 'value' needs itemsets mined with weights */
  readonly rankBy?: RuleRanking;
  /** keep only the first maxRules after ranking (default all) */
  readonly maxRules?: number;
}

/** A ⇒ C over baskets: the counts are baskets. */
export interface AssociationRule extends RuleCounts {
  /** item ids, ascending */
  readonly antecedent: number[];
  /** item ids, ascending, disjoint from the antecedent */
  readonly consequent: number[];
  /** Σ weights of baskets containing both (only with weights) */
  readonly valueSum?: number;
  /** valueSum / total weight (only with weights) */
  readonly valueSupport?: number;
}

export function generateAssociationRules(itemsets: FrequentItemsets, options: AssociationRuleOptions = {}): AssociationRule[] {
  const minConfidence = options.minConfidence ?? 0;
  const minLift = options.minLift ?? 0;
  const maxConsequentLength = options.maxConsequentLength ?? Infinity;
  const rankBy = options.rankBy ?? 'lift';
  const maxRules = options.maxRules ?? Infinity;
  if (!(minConfidence >= 0 && minConfidence <= 1)) throw new UserError(`minConfidence must be in [0, 1], got ${minConfidence}`);
  if (!(minLift >= 0)) throw new UserError(`minLift must be ≥ 0, got ${minLift}`);
  if (!(maxConsequentLength >= 1) || (maxConsequentLength !== Infinity && !Number.isInteger(maxConsequentLength))) {
    throw new UserError(`maxConsequentLength must be a positive integer, got ${maxConsequentLength}`);
  }
  if (!(maxRules >= 0) || (maxRules !== Infinity && !Number.isInteger(maxRules))) throw new UserError(`maxRules must be a non-negative integer, got ${maxRules}`);
  if (rankBy !== 'lift' && rankBy !== 'confidence' && rankBy !== 'value') {
    throw new UserError(`rankBy must be 'lift', 'confidence' or 'value', got ${String(rankBy)}`);
  }
  const weighted = itemsets.weightSums !== undefined;
  if (rankBy === 'value' && !weighted) {
    throw new UserError("rankBy 'value' needs itemsets mined with per-basket weights", 'pass weights to mineFrequentItemsets');
  }

  const { offsets, items, supportCounts, weightSums, nBaskets: n } = itemsets;
  const totalWeight = itemsets.totalWeight ?? NaN;
  const index = new Map<string, number>();
  for (let k = 0; k < itemsets.count; k++) index.set(keyOf(items, offsets[k], offsets[k + 1]), k);
  const countOf = (set: readonly number[]): number => {
    const k = index.get(set.join(','));
    if (k === undefined) throw new Error(`association rules: subset ${set.join(',')} missing from the itemsets (they must be downward closed)`);
    return supportCounts[k];
  };

  const rules: AssociationRule[] = [];
  for (let k = 0; k < itemsets.count; k++) {
    const size = offsets[k + 1] - offsets[k];
    if (size < 2) continue;
    const z = Array.from(items.subarray(offsets[k], offsets[k + 1]));
    const count = supportCounts[k];
    const valueSum = weighted && weightSums ? weightSums[k] : NaN;
    // level-wise consequents as ascending position lists into z
    let level: number[][] = z.map((_, p) => [p]);
    for (let m = 1; m < size && m <= maxConsequentLength && level.length > 0; m++) {
      const passing: number[][] = [];
      for (const positions of level) {
        const consequent = positions.map((p) => z[p]);
        const antecedent = z.filter((_, p) => !positions.includes(p));
        const antecedentCount = countOf(antecedent);
        const confidence = count / antecedentCount;
        if (!(confidence >= minConfidence)) continue;
        passing.push(positions);
        const consequentCount = countOf(consequent);
        const metrics = computeRuleMetrics(count, antecedentCount, consequentCount, n);
        if (!(metrics.lift >= minLift)) continue;
        const rule: AssociationRule = weighted
          ? { antecedent, consequent, antecedentCount, consequentCount, count, n, ...metrics, valueSum, valueSupport: totalWeight !== 0 ? valueSum / totalWeight : NaN }
          : { antecedent, consequent, antecedentCount, consequentCount, count, n, ...metrics };
        rules.push(rule);
      }
      level = m + 1 < size ? joinLevel(passing) : [];
    }
  }

  const primary = rankBy === 'value' ? (r: AssociationRule) => r.valueSupport ?? NaN : rankBy === 'confidence' ? (r: AssociationRule) => r.confidence : (r: AssociationRule) => r.lift;
  rules.sort((a, b) => descending(primary(a), primary(b)) || descending(a.lift, b.lift) || descending(a.confidence, b.confidence) || b.count - a.count || lexicographic(a.antecedent, b.antecedent) || lexicographic(a.consequent, b.consequent));
  return maxRules < rules.length ? rules.slice(0, maxRules) : rules;
}

function keyOf(items: Uint32Array, start: number, end: number): string {
  let key = '';
  for (let k = start; k < end; k++) key += k === start ? String(items[k]) : ',' + items[k];
  return key;
}

/** apriori-gen on position lists: join lists sharing all but the last position, prune by subsets. */
function joinLevel(passing: number[][]): number[][] {
  if (passing.length < 2) return [];
  const present = new Set(passing.map((p) => p.join(',')));
  const next: number[][] = [];
  for (let a = 0; a < passing.length; a++) {
    for (let b = a + 1; b < passing.length; b++) {
      const x = passing[a];
      const y = passing[b];
      const m = x.length;
      let samePrefix = true;
      for (let i = 0; i < m - 1; i++) if (x[i] !== y[i]) { samePrefix = false; break; }
      if (!samePrefix) continue;
      const candidate = x[m - 1] < y[m - 1] ? [...x, y[m - 1]] : [...y.slice(0, m - 1), y[m - 1], x[m - 1]];
      let ok = true;
      for (let drop = 0; drop < candidate.length && ok; drop++) {
        const subset = candidate.filter((_, i) => i !== drop);
        if (!present.has(subset.join(','))) ok = false;
      }
      if (ok) next.push(candidate);
    }
  }
  return next;
}

/** NaN sorts last. */
function descending(a: number, b: number): number {
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  if (aNaN || bNaN) return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
  return a === b ? 0 : a > b ? -1 : 1;
}

function lexicographic(a: readonly number[], b: readonly number[]): number {
  const len = Math.min(a.length, b.length);
  for (let i = 0; i < len; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
