/**
 * Per-customer top-N recommendations from item-item similarity blended with
 * association-rule scores, with a popularity fallback.
 *
 * For customer c with training items H (distinct), every eligible candidate j
 * gets
 *   sim(j)  = Σ_{i ∈ H} s(i, j)        over the top-K neighbour lists of H
 *   rule(j) = max confidence of the rules A ⇒ C with A ⊆ H and j ∈ C; for a
 *             repeat item j ∈ H also at least its repeat share (the rule
 *             "bought j ⇒ buys j again" with confidence = share of repeat buyers)
 *   score(j) = (1 − α)·sim(j) / max_j' sim(j') + α·rule(j),   α = ruleWeight
 * Both terms lie in [0, 1]. Candidates with score > 0 are ranked (ties by lower
 * id). Eligible = not in H, or a repeat-purchase item (repeat-items.ts).
 * Remaining slots, and all slots of cold customers (empty H), are filled by
 * popularity (most buyers first), flagged in `fromFallback`, with score =
 * buyer share. Rules with a multi-item consequent credit each of its items
 * (conf(A ⇒ {x, y}) is a lower bound of conf(A ⇒ {x})).
 */
import { UserError } from '../../core/errors/user-error.js';
import { type ItemNeighbourOptions, type ItemNeighbours, computeItemNeighbours } from './item-neighbours.js';
import { rankItemsByPopularity } from './popularity-recommender.js';
import type { PurchaseHistory } from './purchase-history.js';
import { type Recommendations, RecommendationsBuilder, checkListLength } from './recommendations.js';
import { type RepeatItemOptions, computeRepeatShares, findRepeatItems } from './repeat-items.js';
import { TopN } from './top-n.js';

/** What the recommender needs from a rule (an `AssociationRule` fits). */
export interface CrossSellRule {
  readonly antecedent: readonly number[];
  readonly consequent: readonly number[];
  /** in [0, 1] */
  readonly confidence: number;
}

export interface ItemSimilarityRecommenderOptions extends RepeatItemOptions, ItemNeighbourOptions {
  /** recommendations per customer */
  readonly n: number;
  /** precomputed neighbours; otherwise computed from history.customerItems with topK/measure/minCooccurrence */
  readonly neighbours?: ItemNeighbours;
  /** cross-sell rules to blend in (default none) */
  readonly rules?: readonly CrossSellRule[];
  /** α in [0, 1]: weight of the rule score against normalised similarity (default 0.5) */
  readonly ruleWeight?: number;
  /** per customer: 1 to recommend to; the others get an empty list (a backtest scores only customers with test items). Default all */
  readonly only?: Uint8Array;
}

export function recommendByItemSimilarity(history: PurchaseHistory, options: ItemSimilarityRecommenderOptions): Recommendations {
  checkListLength(options.n);
  const n = options.n;
  const ruleWeight = options.ruleWeight ?? 0.5;
  if (!(ruleWeight >= 0 && ruleWeight <= 1)) throw new UserError(`ruleWeight must be in [0, 1], got ${ruleWeight}`);
  const nItems = history.nItems;
  const neighbours = options.neighbours ?? computeItemNeighbours(history.customerItems, options);
  if (neighbours.nItems !== nItems) throw new UserError(`neighbours cover ${neighbours.nItems} items but the history has ${nItems}`, 'compute neighbours on the same item ids');
  const repeat = findRepeatItems(history, options);
  const repeatShares = computeRepeatShares(history);
  const ranked = rankItemsByPopularity(history);

  // rules indexed by their smallest antecedent item
  const rules = options.rules ?? [];
  const ruleCount = new Uint32Array(nItems + 1);
  for (let q = 0; q < rules.length; q++) {
    const rule = rules[q];
    if (rule.antecedent.length === 0 || rule.consequent.length === 0) throw new UserError(`rule ${q} has an empty antecedent or consequent`);
    if (!(rule.confidence >= 0 && rule.confidence <= 1)) throw new UserError(`rule ${q} has confidence ${rule.confidence}, outside [0, 1]`);
    for (const item of [...rule.antecedent, ...rule.consequent]) {
      if (!Number.isInteger(item) || item < 0 || item >= nItems) throw new UserError(`rule ${q} has item ${item} outside 0..${nItems - 1}`);
    }
    ruleCount[Math.min(...rule.antecedent) + 1]++;
  }
  for (let i = 0; i < nItems; i++) ruleCount[i + 1] += ruleCount[i];
  const rulesByItem = new Uint32Array(rules.length);
  const ruleFill = ruleCount.slice(0, nItems);
  for (let q = 0; q < rules.length; q++) rulesByItem[ruleFill[Math.min(...rules[q].antecedent)]++] = q;

  const { customerItems, nCustomers } = history;
  const owned = new Int32Array(nItems).fill(-1);
  const chosen = new Int32Array(nItems).fill(-1);
  const inTouched = new Int32Array(nItems).fill(-1);
  const simScore = new Float64Array(nItems);
  const ruleScore = new Float64Array(nItems);
  const touched = new Int32Array(nItems);
  const heap = new TopN(n);
  const topItems = new Int32Array(n);
  const topScores = new Float64Array(n);
  const builder = new RecommendationsBuilder(nCustomers, n);
  const { offsets: nOffsets, neighbours: nItemsList, similarities } = neighbours;
  const only = options.only;
  if (only && only.length !== nCustomers) throw new Error(`only has length ${only.length}, expected ${nCustomers}`);

  let nTouched = 0;
  let customer = -1;
  /** adds j to the current customer's candidates (once) */
  const touch = (j: number): void => {
    if (inTouched[j] !== customer) {
      inTouched[j] = customer;
      simScore[j] = 0;
      ruleScore[j] = 0;
      touched[nTouched++] = j;
    }
  };

  for (let c = 0; c < nCustomers; c++) {
    const start = customerItems.offsets[c];
    const end = customerItems.offsets[c + 1];
    let filled = 0;
    if (only && only[c] === 0) {
      // a list nobody reads: left empty (its items and scores would not depend on the other customers' lists)
      if (start === end) builder.coldCustomers++;
      builder.endCustomer();
      continue;
    }
    if (start === end) {
      builder.coldCustomers++;
    } else {
      for (let k = start; k < end; k++) owned[customerItems.items[k]] = c;
      nTouched = 0;
      customer = c;
      for (let k = start; k < end; k++) {
        const i = customerItems.items[k];
        for (let q = nOffsets[i]; q < nOffsets[i + 1]; q++) {
          const j = nItemsList[q];
          if (owned[j] === c && repeat[j] === 0) continue;
          touch(j);
          simScore[j] += similarities[q];
        }
        for (let q = ruleCount[i]; q < ruleCount[i + 1]; q++) {
          const rule = rules[rulesByItem[q]];
          let applies = true;
          for (const a of rule.antecedent) if (owned[a] !== c) { applies = false; break; }
          if (!applies) continue;
          for (const j of rule.consequent) {
            if (owned[j] === c && repeat[j] === 0) continue;
            touch(j);
            if (rule.confidence > ruleScore[j]) ruleScore[j] = rule.confidence;
          }
        }
        if (repeat[i] === 1) {
          touch(i);
          if (repeatShares[i] > ruleScore[i]) ruleScore[i] = repeatShares[i];
        }
      }
      let maxSim = 0;
      for (let t = 0; t < nTouched; t++) if (simScore[touched[t]] > maxSim) maxSim = simScore[touched[t]];
      for (let t = 0; t < nTouched; t++) {
        const j = touched[t];
        const score = (1 - ruleWeight) * (maxSim > 0 ? simScore[j] / maxSim : 0) + ruleWeight * ruleScore[j];
        if (score > 0) heap.offer(j, score);
      }
      filled = heap.drain(topItems, topScores);
      for (let k = 0; k < filled; k++) {
        builder.push(topItems[k], topScores[k], false);
        chosen[topItems[k]] = c;
      }
    }
    for (let r = 0; r < ranked.length && filled < n; r++) {
      const item = ranked[r];
      if (chosen[item] === c || (owned[item] === c && repeat[item] === 0)) continue;
      builder.push(item, history.buyerCounts[item] / nCustomers, true);
      filled++;
    }
    builder.endCustomer();
  }
  return builder.build();
}
