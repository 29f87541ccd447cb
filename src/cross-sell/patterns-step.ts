/**
 * The cross-sell step of `analyze`: baskets in SQL → FP-growth association
 * rules, PrefixSpan next-purchase rules, and per-customer recommendations
 * whose quality is measured on a time split against a popularity baseline
 * computed in the same run.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Warehouse } from '../engine/warehouse.js';
import { loadPurchaseData, type ItemLevel, type PurchaseData } from './load-purchase-data.js';
import { generateAssociationRules, type AssociationRule, type RuleRanking } from '../models/patterns/association-rules.js';
import type { Baskets } from '../models/patterns/baskets.js';
import { mineFrequentItemsets } from '../models/patterns/fp-growth.js';
import { generateNextPurchaseRules } from '../models/patterns/next-purchase-rules.js';
import { mineSequentialPatterns } from '../models/patterns/prefixspan.js';
import type { Sequences } from '../models/patterns/sequences.js';
import { evaluateRecommenders, type RecommenderEvaluation } from '../models/recommend/evaluate-recommenders.js';
import { recommendByItemSimilarity } from '../models/recommend/item-similarity-recommender.js';
import { summarizePurchaseHistory } from '../models/recommend/purchase-history.js';

export interface PatternOptions {
  readonly level?: ItemLevel;
  /** FP-growth minimum support, fraction of baskets (default 0.01) */
  readonly minSupport?: number;
  readonly minConfidence?: number;
  readonly maxLength?: number;
  readonly rankBy?: RuleRanking;
  /** rules kept in run.json (default 50) */
  readonly topRules?: number;
  /** PrefixSpan minimum support, fraction of customers (default 0.02) */
  readonly sequenceMinSupport?: number;
  /** recommendations per customer (default 10) */
  readonly topN?: number;
  /** first day of the recommender's test period (YYYY-MM-DD); no evaluation when absent */
  readonly evaluationCutoff?: string;
  /** write every customer's recommendations here (CSV) */
  readonly recommendationsCsv?: string;
}

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

export interface SequenceRuleRow {
  /** "after buying these" (earlier orders, in order) */
  readonly after: readonly (readonly string[])[];
  readonly afterLabels: readonly (readonly string[])[];
  /** "… they buy these next" */
  readonly next: readonly string[];
  readonly nextLabels: readonly string[];
  readonly support: number;
  readonly confidence: number;
  readonly lift: number;
  readonly count: number;
}

export interface PatternSummary {
  readonly level: ItemLevel;
  readonly baskets: number;
  readonly items: number;
  readonly customers: number;
  readonly minSupport: number;
  readonly minConfidence: number;
  readonly frequentItemsets: number;
  readonly rules: readonly RuleRow[];
  readonly sequenceMinSupport: number;
  readonly sequenceRules: readonly SequenceRuleRow[];
  readonly recommender: (RecommenderEvaluation & { readonly cutoff: string; readonly beatsBaseline: boolean }) | null;
  /** why there is no recommender evaluation, when there is none */
  readonly evaluationNote: string | null;
  /** `lines`: recommendation lines written to `csv` (0 without a file) */
  readonly recommendations: { readonly customers: number; readonly perCustomer: number; readonly csv: string | null; readonly lines: number };
}

const codes = (data: PurchaseData, ids: readonly number[]) => ids.map((i) => data.itemCodes[i]!);
const labels = (data: PurchaseData, ids: readonly number[]) => ids.map((i) => data.itemLabels[i]!);

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
    antecedent: codes(data, rule.antecedent),
    antecedentLabels: labels(data, rule.antecedent),
    consequent: codes(data, rule.consequent),
    consequentLabels: labels(data, rule.consequent),
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

/** Per-basket weights: the buyer's P(alive) from customer_scores, when that table exists. */
async function basketWeights(warehouse: Warehouse, data: PurchaseData): Promise<Float64Array | undefined> {
  const [exists] = await warehouse.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'customer_scores'");
  if (Number(exists!.n) === 0) return undefined;
  const rows = await warehouse.query('SELECT customer_id, p_alive FROM customer_scores');
  const pAlive = new Map(rows.map((r) => [String(r.customer_id), Number(r.p_alive)]));
  const weights = new Float64Array(data.basketCustomer.length);
  for (let b = 0; b < weights.length; b++) weights[b] = pAlive.get(data.customerIds[data.basketCustomer[b]!]!) ?? 0;
  return weights;
}

/** Mine association rules from the baskets. */
export function mineRules(data: PurchaseData, options: PatternOptions, weights?: Float64Array): { rules: RuleRow[]; itemsets: number } {
  const itemsets = mineFrequentItemsets(data.baskets, { minSupport: options.minSupport ?? 0.01, maxLength: options.maxLength ?? 3, ...(weights ? { weights } : {}) });
  const rules = generateAssociationRules(itemsets, {
    minConfidence: options.minConfidence ?? 0.3,
    maxConsequentLength: 1,
    rankBy: options.rankBy ?? 'lift',
    maxRules: options.topRules ?? 50,
  });
  const customersOf = ruleCustomerCounter(data);
  return { rules: rules.map((r) => ruleRow(data, r, customersOf)), itemsets: itemsets.count };
}

/** Rules mined within one group of customers (a segment, a stage, a tier …). */
export interface GroupRules {
  readonly group: string;
  readonly customers: number;
  readonly baskets: number;
  readonly rules: readonly RuleRow[];
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
    out.push({ group, customers: customers.size, baskets: baskets.length, rules: mineRules(subset, options).rules });
  }
  return out;
}

/** Mine "after A, customers buy B next" rules from customers' order sequences. */
export function mineSequenceRules(data: PurchaseData, options: PatternOptions): SequenceRuleRow[] {
  const patterns = mineSequentialPatterns(data.sequences, { minSupport: options.sequenceMinSupport ?? 0.02, maxLength: options.maxLength ?? 3 });
  return generateNextPurchaseRules(patterns, { minConfidence: 0, rankBy: 'lift', maxRules: options.topRules ?? 50 }).map((rule) => ({
    after: rule.antecedent.map((element) => codes(data, element)),
    afterLabels: rule.antecedent.map((element) => labels(data, element)),
    next: codes(data, rule.consequent),
    nextLabels: labels(data, rule.consequent),
    support: rule.support,
    confidence: rule.confidence,
    lift: rule.lift,
    count: rule.count,
  }));
}

/**
 * Align a training and a test period on one customer list (training
 * customers first, then customers new in the test period as cold rows):
 * training orders as sequences, test items as one basket per customer.
 */
export function alignTimeSplit(train: PurchaseData, test: PurchaseData): { train: Sequences; test: Baskets; customerIds: string[] } {
  const index = new Map(train.customerIds.map((id, i) => [id, i]));
  const customerIds = [...train.customerIds];
  for (const id of test.customerIds) if (!index.has(id)) index.set(id, customerIds.push(id) - 1);
  const n = customerIds.length;
  const sequenceOffsets = new Uint32Array(n + 1);
  sequenceOffsets.set(train.sequences.sequenceOffsets);
  for (let c = train.customerIds.length + 1; c <= n; c++) sequenceOffsets[c] = sequenceOffsets[c - 1]!;
  const perCustomer: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  const s = test.sequences;
  test.customerIds.forEach((id, c) => {
    const row = perCustomer[index.get(id)!]!;
    for (let t = s.sequenceOffsets[c]!; t < s.sequenceOffsets[c + 1]!; t++) {
      for (let k = s.itemsetOffsets[t]!; k < s.itemsetOffsets[t + 1]!; k++) row.add(s.items[k]!);
    }
  });
  const offsets = new Uint32Array(n + 1);
  const items: number[] = [];
  perCustomer.forEach((row, c) => {
    items.push(...[...row].sort((a, b) => a - b));
    offsets[c + 1] = items.length;
  });
  return { train: { ...train.sequences, sequenceOffsets }, test: { offsets, items: Uint32Array.from(items), nItems: train.itemCodes.length }, customerIds };
}

/** Run the whole step; writes recommendations.csv when asked. */
export async function runPatternsStep(warehouse: Warehouse, options: PatternOptions): Promise<PatternSummary> {
  const level = options.level ?? 'product';
  const data = await loadPurchaseData(warehouse, { level });
  const weights = await basketWeights(warehouse, data);
  const { rules, itemsets } = mineRules(data, options, weights);
  const sequenceRules = mineSequenceRules(data, options);
  const topN = options.topN ?? 10;

  let recommender: PatternSummary['recommender'] = null;
  let evaluationNote: string | null = null;
  const [sides] = options.evaluationCutoff
    ? await warehouse.query(
        `SELECT count(*) FILTER (WHERE ts < ${warehouse.dialect.timestamp(`${options.evaluationCutoff}T00:00:00`)}) AS train, count(*) FILTER (WHERE ts >= ${warehouse.dialect.timestamp(`${options.evaluationCutoff}T00:00:00`)}) AS test FROM transactions WHERE NOT is_return AND ${level === 'product' ? 'product_id' : 'category'} IS NOT NULL`,
      )
    : [];
  if (options.evaluationCutoff && (Number(sides!.train) === 0 || Number(sides!.test) === 0)) {
    evaluationNote = `no recommender evaluation: no orders ${Number(sides!.train) === 0 ? 'before' : 'from'} ${options.evaluationCutoff}`;
  } else if (options.evaluationCutoff) {
    const train = await loadPurchaseData(warehouse, { level, until: options.evaluationCutoff });
    const test = await loadPurchaseData(warehouse, { level, from: options.evaluationCutoff, itemCodes: train.itemCodes });
    const split = alignTimeSplit(train, test);
    const trainRules = mineRules(train, { ...options, topRules: 500 });
    const asIds = (codesList: readonly string[]) => codesList.map((code) => train.itemCodes.indexOf(code));
    const evaluation = evaluateRecommenders(split.train, split.test, {
      k: topN,
      model: { rules: trainRules.rules.map((r) => ({ antecedent: asIds(r.antecedent), consequent: asIds(r.consequent), confidence: r.confidence })) },
    });
    recommender = { ...evaluation, cutoff: options.evaluationCutoff, beatsBaseline: evaluation.model.mapAtK > evaluation.baseline.mapAtK && evaluation.model.hitRateAtK >= evaluation.baseline.hitRateAtK };
  }

  let csv: string | null = null;
  let written = 0;
  if (options.recommendationsCsv) {
    const history = summarizePurchaseHistory(data.sequences);
    const allRules = mineRules(data, { ...options, topRules: 500 });
    const idOf = new Map(data.itemCodes.map((code, i) => [code, i]));
    const recommendations = recommendByItemSimilarity(history, {
      n: topN,
      rules: allRules.rules.map((r) => ({ antecedent: r.antecedent.map((c) => idOf.get(c)!), consequent: r.consequent.map((c) => idOf.get(c)!), confidence: r.confidence })),
    });
    csv = options.recommendationsCsv;
    const out = createWriteStream(csv);
    const quote = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
    out.write(`customer_id,rank,${level === 'product' ? 'product_id' : 'category'},description,score,source\n`);
    for (let c = 0; c < recommendations.nCustomers; c++) {
      let lines = '';
      for (let k = recommendations.offsets[c]!, rank = 1; k < recommendations.offsets[c + 1]!; k++, rank++) {
        const item = recommendations.items[k]!;
        lines += `${quote(data.customerIds[c]!)},${rank},${quote(data.itemCodes[item]!)},${quote(data.itemLabels[item]!)},${recommendations.scores[k]!.toFixed(6)},${recommendations.fromFallback[k] ? 'popular' : 'model'}\n`;
      }
      if (!out.write(lines)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    written = recommendations.offsets[recommendations.nCustomers]!;
  }

  return {
    level,
    baskets: data.basketCustomer.length,
    items: data.itemCodes.length,
    customers: data.customerIds.length,
    minSupport: options.minSupport ?? 0.01,
    minConfidence: options.minConfidence ?? 0.3,
    frequentItemsets: itemsets,
    rules,
    sequenceMinSupport: options.sequenceMinSupport ?? 0.02,
    sequenceRules,
    recommender,
    evaluationNote,
    recommendations: { customers: data.customerIds.length, perCustomer: topN, csv, lines: written },
  };
}
