/**
 * The cross-sell step of `analyze`: baskets in SQL → FP-growth association
 * rules, PrefixSpan next-purchase rules, and per-customer recommendations
 * whose quality is measured on a time split against a popularity baseline
 * computed in the same run.
 */
import { createWriteStream } from 'node:fs';
import { writeOwnerOnlyFile } from '../core/replace-file.js';
import { whileWritingRunFile } from '../privacy/warehouse/erase-from-run-files.js';
import { once } from 'node:events';
import { csvCell } from '../core/csv-cell.js';
import type { Warehouse } from '../engine/warehouse.js';
import { tableExists } from '../features/table-exists.js';
import { loadPurchaseData, type ItemLevel, type PurchaseData } from './load-purchase-data.js';
import { crossSellRulesOf, mineItemsets, minedRulesOf, minLiftOf, unweighted, type RuleRow } from './mine-rules.js';
import type { SequenceRuleRow, SequenceRules } from './mine-sequence-rules.js';
import { mineSequenceRulesAside } from './sequence-rules-thread.js';
import type { PatternOptions } from './pattern-options.js';
import { chooseRecommender, windowCounts, type RecommenderSelection } from './choose-recommender.js';
import { recommendWith, type RecommenderSpec } from './recommend-with.js';
import { summarizePurchaseHistory } from '../models/recommend/purchase-history.js';

export type { PatternOptions } from './pattern-options.js';
export type { GroupRules, RuleRow } from './mine-rules.js';
export type { SequenceRuleRow } from './mine-sequence-rules.js';

export interface PatternSummary {
  readonly level: ItemLevel;
  readonly baskets: number;
  readonly items: number;
  readonly customers: number;
  readonly minSupport: number;
  readonly minConfidence: number;
  /** association rules: the minimum lift applied (rules of lift 1 or less are never kept) */
  readonly minLift: number;
  readonly frequentItemsets: number;
  readonly rules: readonly RuleRow[];
  /** association rules that met support and confidence but had lower lift than `minLift`: left out, here and from the recommenders */
  readonly lowLiftRules: number;
  /** PrefixSpan's minimum support applied (raised above the requested one where too many patterns reach it) */
  readonly sequenceMinSupport: number;
  /** why sequenceMinSupport was raised, in one line; null when it was not */
  readonly sequenceMinSupportNote: string | null;
  readonly sequenceRules: readonly SequenceRuleRow[];
  /** the time-split evaluation: the recommender written (chosen on the training window, confirmed on the test window) against best-sellers */
  readonly recommender: (RecommenderSelection & { readonly cutoff: string; readonly beatsBaseline: boolean }) | null;
  /** why there is no recommender evaluation, when there is none */
  readonly evaluationNote: string | null;
  /** `lines`: recommendation lines written to `csv` (0 without a file) */
  readonly recommendations: { readonly customers: number; readonly perCustomer: number; readonly csv: string | null; readonly lines: number };
}

/** Per-basket weights: the buyer's P(alive) from customer_scores, when that table exists. */
async function basketWeights(warehouse: Warehouse, data: PurchaseData): Promise<Float64Array | undefined> {
  if (!(await tableExists(warehouse, 'customer_scores'))) return undefined;
  const rows = await warehouse.query('SELECT customer_id, p_alive FROM customer_scores');
  const pAlive = new Map(rows.map((r) => [String(r.customer_id), Number(r.p_alive)]));
  const weights = new Float64Array(data.basketCustomer.length);
  for (let b = 0; b < weights.length; b++) weights[b] = pAlive.get(data.customerIds[data.basketCustomer[b]!]!) ?? 0;
  return weights;
}

/** Run the whole step; writes recommendations.csv when asked. */
export async function runPatternsStep(warehouse: Warehouse, options: PatternOptions): Promise<PatternSummary> {
  const level = options.level ?? 'product';
  const data = await loadPurchaseData(warehouse, { level, ...(options.until ? { until: options.until } : {}) });
  // PrefixSpan on a thread of its own while the rest of the step runs here (the same rules as mined inline)
  const aside = mineSequenceRulesAside(data, options);
  try {
    return await runWithSequenceRules(warehouse, options, level, data, aside.result);
  } finally {
    aside.cancel(); // a no-op once it answered; stops it when the step failed first
  }
}

async function runWithSequenceRules(warehouse: Warehouse, options: PatternOptions, level: ItemLevel, data: PurchaseData, sequenceRules: Promise<SequenceRules>): Promise<PatternSummary> {
  const weights = await basketWeights(warehouse, data);
  const itemsets = mineItemsets(data, options, weights);
  const { rules, lowLift } = minedRulesOf(data, itemsets, options);
  const topN = options.topN ?? 10;

  let recommender: PatternSummary['recommender'] = null;
  let evaluationNote: string | null = null;
  let spec: RecommenderSpec = { name: 'item-similarity' };
  if (options.evaluationCutoff) {
    const selection = await chooseRecommender(warehouse, { ...options, level, k: topN, cutoff: options.evaluationCutoff });
    if (selection) {
      recommender = { ...selection, cutoff: options.evaluationCutoff, beatsBaseline: selection.model.mapAtK > selection.baseline.mapAtK && selection.model.hitRateAtK >= selection.baseline.hitRateAtK };
      spec = selection.choice.written;
    } else evaluationNote = await noEvaluationNote(warehouse, level, options.evaluationCutoff, options.until);
  }

  let csv: string | null = null;
  let written = 0;
  if (options.recommendationsCsv) {
    // the itemsets mined above (their counts do not depend on the weights), ranked without them
    const allRules = spec.name === 'best-sellers' ? [] : crossSellRulesOf(unweighted(itemsets), { ...options, topRules: 500 });
    const recommendations = recommendWith(spec, { history: summarizePurchaseHistory(data.sequences), rules: allRules }, topN);
    const path = options.recommendationsCsv;
    csv = path;
    const originalIds = options.originalIds;
    const header = `customer_id,${originalIds ? 'original_id,' : ''}rank,${level === 'product' ? 'product_id' : 'category'},description,score,source\n`;
    const write = (file: string) =>
      writeLines(file, originalIds ? 0o600 : 0o666, header, function* () {
        for (const c of recommendationsOrder(data.customerIds, originalIds)) {
          const id = `${csvCell(data.customerIds[c]!)},${originalIds ? `${csvCell(originalIds.get(data.customerIds[c]!) ?? null)},` : ''}`;
          let lines = '';
          for (let k = recommendations.offsets[c]!, rank = 1; k < recommendations.offsets[c + 1]!; k++, rank++) {
            const item = recommendations.items[k]!;
            lines += `${id}${rank},${csvCell(data.itemCodes[item]!)},${csvCell(data.itemLabels[item]!)},${recommendations.scores[k]!.toFixed(6)},${recommendations.fromFallback[k] || spec.name === 'best-sellers' ? 'popular' : 'model'}\n`;
          }
          yield lines;
        }
      });
    // original ids: readable by the owner only from the moment the file is at its path, as customers.csv with them —
    // written 0600 in a 0700 scratch folder beside it and renamed into place (an older file at the path kept its mode
    // while the new lines went in, and the chmod after the write came too late). An erasure beside the run (a server's
    // run files) waits until the file is whole (erase-from-run-files.ts)
    await whileWritingRunFile(path, () => (originalIds ? writeOwnerOnlyFile(path, write) : write(path)));
    written = recommendations.offsets[recommendations.nCustomers]!;
  }

  const sequences = await sequenceRules;
  return {
    level,
    baskets: data.basketCustomer.length,
    items: data.itemCodes.length,
    customers: data.customerIds.length,
    minSupport: options.minSupport ?? 0.01,
    minConfidence: options.minConfidence ?? 0.3,
    minLift: minLiftOf(options),
    frequentItemsets: itemsets.count,
    rules,
    lowLiftRules: lowLift,
    sequenceMinSupport: sequences.minSupport,
    sequenceMinSupportNote: sequences.minSupportNote,
    sequenceRules: sequences.rules,
    recommender,
    evaluationNote,
    recommendations: { customers: data.customerIds.length, perCustomer: topN, csv, lines: written },
  };
}

/** Writes `header` then each chunk of `chunks` to a new `file` (made with `mode`); a failed write is stopped and its stream closed before this throws. */
async function writeLines(file: string, mode: number, header: string, chunks: () => Iterable<string>): Promise<void> {
  const out = createWriteStream(file, { mode });
  try {
    out.write(header);
    for (const chunk of chunks()) if (!out.write(chunk)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
  } catch (error) {
    if (!out.closed) {
      out.destroy();
      await once(out, 'close'); // the file may still be opening: its folder is removed only once the stream is done with it
    }
    throw error;
  }
}

/**
 * The order of recommendations.csv's customers (then each one's lines by rank): by the original id where the run
 * reveals them (as text, code unit by code unit; a customer without one last), the same under every key; else by
 * token — the file publishes no other id, and an order taken from the original ids would give away their order.
 *
 * Example: `recommendationsOrder(['t1', 't2'], new Map([['t1', 'B'], ['t2', 'A']]))` → `[1, 0]`
 */
export function recommendationsOrder(tokens: readonly string[], originalIds: ReadonlyMap<string, string> | undefined): number[] {
  const order = tokens.map((_, c) => c);
  if (!originalIds) return order;
  const keyOf = (c: number) => originalIds.get(tokens[c]!);
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return order.sort((a, b) => {
    const [x, y] = [keyOf(a), keyOf(b)];
    if (x === undefined || y === undefined) return x === y ? byText(tokens[a]!, tokens[b]!) : x === undefined ? 1 : -1;
    return byText(x, y) || byText(tokens[a]!, tokens[b]!);
  });
}

/**
 * Why the recommender could not be scored on the split at `cutoff` (the first day held out): which side is empty. On
 * a one-day shop the cutoff falls before every order, and "no orders on one side of 2021-12-05" read as a date error.
 */
async function noEvaluationNote(warehouse: Warehouse, level: ItemLevel, cutoff: string, until?: string): Promise<string> {
  // the split's own counts (chooseRecommender's): lines with an item, up to `until`
  const { before } = await windowCounts(warehouse, level, cutoff, until);
  const side = before === 0 ? `every order falls on or after ${cutoff}, the first day held out to score it, so none is left to learn from` : `no order falls on or after ${cutoff}, the first day held out to score it`;
  return `no recommender evaluation: ${side}; item similarity + rules written unchecked`;
}
