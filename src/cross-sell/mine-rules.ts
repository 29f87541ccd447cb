/**
 * Association rules from the baskets (FP-growth), with product codes and
 * labels, overall and per group of customers.
 */
import { UserError } from '../core/errors/user-error.js';
import { generateAssociationRules, type AssociationRule } from '../models/patterns/association-rules.js';
import { mineFrequentItemsets, type FrequentItemsets } from '../models/patterns/fp-growth.js';
import type { CrossSellRule } from '../models/recommend/item-similarity-recommender.js';
import { itemCodesOf, itemLabelsOf, type PurchaseData } from './load-purchase-data.js';
import { DEFAULT_MIN_LIFT, type PatternOptions } from './pattern-options.js';

/** A rule with product codes and labels instead of ids. */
export interface RuleRow {
  readonly antecedent: readonly string[];
  readonly antecedentLabels: readonly string[];
  readonly consequent: readonly string[];
  readonly consequentLabels: readonly string[];
  readonly support: number;
  readonly confidence: number;
  readonly lift: number;
  readonly leverage: number;
  readonly conviction: number;
  readonly count: number;
  readonly antecedentCount: number;
  readonly consequentCount: number;
  readonly n: number;
  /** distinct customers with a basket holding antecedent and consequent (a customer can repeat a combination in many baskets) */
  readonly customers: number;
  /** share of value-weighted baskets (weight: buyer's P(alive)) that contain the rule, when weights were used */
  readonly valueSupport?: number;
}

/**
 * Counts the distinct customers who bought a set of items together in one
 * basket: the baskets of the set's rarest item (posting lists, built on
 * first use), each checked for the other items by binary search (basket
 * items are sorted).
 */
export function ruleCustomerCounter(data: PurchaseData): (items: readonly number[]) => number {
  let postings: number[][] | null = null;
  const { offsets, items: basketItems } = data.baskets;
  const holds = (b: number, item: number) => {
    let lo = offsets[b]!;
    let hi = offsets[b + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (basketItems[mid]! < item) lo = mid + 1;
      else hi = mid;
    }
    return lo < offsets[b + 1]! && basketItems[lo] === item;
  };
  return (items) => {
    if (items.length === 0) return 0;
    if (!postings) {
      const lists: number[][] = Array.from({ length: data.baskets.nItems }, () => []);
      for (let b = 0; b + 1 < offsets.length; b++) for (let k = offsets[b]!; k < offsets[b + 1]!; k++) lists[basketItems[k]!]!.push(b);
      postings = lists;
    }
    const lists = postings;
    const rarest = items.reduce((best, item) => ((lists[item]?.length ?? 0) < (lists[best]?.length ?? 0) ? item : best), items[0]!);
    const customers = new Set<number>();
    for (const b of lists[rarest] ?? []) {
      const customer = data.basketCustomer[b]!;
      if (!customers.has(customer) && items.every((item) => holds(b, item))) customers.add(customer);
    }
    return customers.size;
  };
}

function ruleRow(data: PurchaseData, rule: AssociationRule, customersOf: (items: readonly number[]) => number): RuleRow {
  return {
    antecedent: itemCodesOf(data, rule.antecedent),
    antecedentLabels: itemLabelsOf(data, rule.antecedent),
    consequent: itemCodesOf(data, rule.consequent),
    consequentLabels: itemLabelsOf(data, rule.consequent),
    support: rule.support,
    confidence: rule.confidence,
    lift: rule.lift,
    leverage: rule.leverage,
    conviction: rule.conviction,
    count: rule.count,
    antecedentCount: rule.antecedentCount,
    consequentCount: rule.consequentCount,
    n: rule.n,
    customers: customersOf([...rule.antecedent, ...rule.consequent]),
    ...(rule.valueSupport !== undefined ? { valueSupport: rule.valueSupport } : {}),
  };
}

/** Mine association rules from the baskets; `lowLift`: rules that met support and confidence but not the minimum lift. */
export function mineRules(data: PurchaseData, options: PatternOptions, weights?: Float64Array): { rules: RuleRow[]; itemsets: number; lowLift: number } {
  const itemsets = mineItemsets(data, options, weights);
  const { rules, lowLift } = minedRulesOf(data, itemsets, options);
  return { rules, itemsets: itemsets.count, lowLift };
}

/** The baskets' frequent itemsets at the options' support and length (with each itemset's weight sum when weighted). */
export function mineItemsets(data: PurchaseData, options: PatternOptions, weights?: Float64Array): FrequentItemsets {
  return mineFrequentItemsets(data.baskets, { minSupport: options.minSupport ?? 0.01, maxLength: options.maxLength ?? 3, ...(weights ? { weights } : {}) });
}

/** The options' minimum lift, checked: below 1 it would keep rules that say nothing beyond popularity. */
export function minLiftOf(options: Pick<PatternOptions, 'minLift'>): number {
  const minLift = options.minLift ?? DEFAULT_MIN_LIFT;
  if (!(minLift >= 1) || !Number.isFinite(minLift)) {
    throw new UserError(`the minimum lift must be at least 1, got ${minLift}`, 'a rule of lift 1 or less says nothing beyond the popularity of what it recommends');
  }
  return minLift;
}

/** The association rules of mined itemsets, as rows (the options' confidence, lift, ranking and number of rules). */
export function rulesOf(data: PurchaseData, itemsets: FrequentItemsets, options: PatternOptions): RuleRow[] {
  return minedRulesOf(data, itemsets, options).rules;
}

/**
 * The rules of `rulesOf` and how many met support and confidence but not the minimum lift (all such rules, not only
 * those that would have ranked among the first `topRules`). A rule is kept when its lift is at least the minimum and
 * above 1.
 */
export function minedRulesOf(data: PurchaseData, itemsets: FrequentItemsets, options: PatternOptions): { rules: RuleRow[]; lowLift: number } {
  const { top, lowLift } = topRulesOf(itemsets, options);
  const customersOf = ruleCustomerCounter(data);
  return { rules: top.map((r) => ruleRow(data, r, customersOf)), lowLift };
}

/** The options' first `topRules` rules of the itemsets (item ids), and how many fell below the minimum lift. */
function topRulesOf(itemsets: FrequentItemsets, options: PatternOptions): { top: AssociationRule[]; lowLift: number } {
  const minLift = minLiftOf(options);
  const all = generateAssociationRules(itemsets, {
    minConfidence: options.minConfidence ?? 0.3,
    maxConsequentLength: 1,
    rankBy: options.rankBy ?? 'lift',
  });
  const kept = all.filter((r) => r.lift >= minLift && r.lift > 1);
  return { top: kept.slice(0, options.topRules ?? 50), lowLift: all.length - kept.length };
}

/**
 * The rules of `rulesOf` as the recommenders take them (item ids, confidence): without the rows' labels and customer
 * counts, which the recommenders do not read.
 */
export function crossSellRulesOf(itemsets: FrequentItemsets, options: PatternOptions): CrossSellRule[] {
  return topRulesOf(itemsets, options).top.map((r) => ({ antecedent: r.antecedent, consequent: r.consequent, confidence: r.confidence }));
}

/**
 * The itemsets as mined without weights: weights add each itemset's weight sum, while which itemsets are frequent and
 * their counts depend on the baskets alone (the support threshold is a count).
 */
export function unweighted(itemsets: FrequentItemsets): FrequentItemsets {
  const { weightSums: _weightSums, totalWeight: _totalWeight, ...counts } = itemsets;
  return counts;
}

/** Rules mined within one group of customers (a segment, a stage, a tier …). */
export interface GroupRules {
  readonly group: string;
  readonly customers: number;
  readonly baskets: number;
  readonly rules: readonly RuleRow[];
  /** rules of the group that met support and confidence but not the minimum lift */
  readonly lowLiftRules: number;
}

/**
 * Association rules per group of customers: the baskets of each group's
 * customers are mined on their own (support relative to the group's baskets).
 * Groups with fewer than `minBaskets` baskets are left out (too few to mine).
 */
export function mineRulesByGroup(data: PurchaseData, groupOf: ReadonlyMap<string, string>, options: PatternOptions, minBaskets = 50): GroupRules[] {
  const members = new Map<string, number[]>();
  for (let b = 0; b < data.basketCustomer.length; b++) {
    const group = groupOf.get(data.customerIds[data.basketCustomer[b]!]!);
    if (group === undefined) continue;
    let list = members.get(group);
    if (!list) members.set(group, (list = []));
    list.push(b);
  }
  const out: GroupRules[] = [];
  for (const [group, baskets] of [...members].sort((x, y) => x[0].localeCompare(y[0]))) {
    if (baskets.length < minBaskets) continue;
    const offsets = new Uint32Array(baskets.length + 1);
    const items: number[] = [];
    const customers = new Set<number>();
    baskets.forEach((b, i) => {
      for (let k = data.baskets.offsets[b]!; k < data.baskets.offsets[b + 1]!; k++) items.push(data.baskets.items[k]!);
      offsets[i + 1] = items.length;
      customers.add(data.basketCustomer[b]!);
    });
    const subset: PurchaseData = { ...data, baskets: { offsets, items: Uint32Array.from(items), nItems: data.baskets.nItems }, basketCustomer: Uint32Array.from(baskets, (b) => data.basketCustomer[b]!) };
    const mined = mineRules(subset, options);
    out.push({ group, customers: customers.size, baskets: baskets.length, rules: mined.rules, lowLiftRules: mined.lowLift });
  }
  return out;
}
