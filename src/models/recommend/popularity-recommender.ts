/**
 * Popularity baseline: every customer gets the items bought by the most
 * customers in training (score = buyers / nCustomers; ties by lower id),
 * skipping items the customer already bought unless they are repeat-purchase
 * items (repeat-items.ts). Items nobody bought are never recommended.
 */
import type { PurchaseHistory } from './purchase-history.js';
import { type Recommendations, RecommendationsBuilder, checkListLength } from './recommendations.js';
import { type RepeatItemOptions, findRepeatItems } from './repeat-items.js';

export interface PopularityRecommenderOptions extends RepeatItemOptions {
  /** recommendations per customer */
  readonly n: number;
  /** per customer: 1 to recommend to; the others get an empty list (a backtest scores only customers with test items). Default all */
  readonly only?: Uint8Array;
}

/** Items with at least one buyer, most-bought first (ties by id). */
export function rankItemsByPopularity(history: PurchaseHistory): Uint32Array {
  const ranked: number[] = [];
  for (let i = 0; i < history.nItems; i++) if (history.buyerCounts[i] > 0) ranked.push(i);
  ranked.sort((a, b) => history.buyerCounts[b] - history.buyerCounts[a] || a - b);
  return Uint32Array.from(ranked);
}

export function recommendByPopularity(history: PurchaseHistory, options: PopularityRecommenderOptions): Recommendations {
  checkListLength(options.n);
  const repeat = findRepeatItems(history, options);
  const ranked = rankItemsByPopularity(history);
  const { customerItems, nCustomers } = history;
  const owned = new Int32Array(history.nItems).fill(-1);
  const builder = new RecommendationsBuilder(nCustomers, options.n);
  for (let c = 0; c < nCustomers; c++) {
    const start = customerItems.offsets[c];
    const end = customerItems.offsets[c + 1];
    if (start === end) builder.coldCustomers++;
    if (options.only && options.only[c] === 0) {
      builder.endCustomer();
      continue;
    }
    for (let k = start; k < end; k++) owned[customerItems.items[k]] = c;
    let filled = 0;
    for (let r = 0; r < ranked.length && filled < options.n; r++) {
      const item = ranked[r];
      if (owned[item] === c && repeat[item] === 0) continue;
      builder.push(item, history.buyerCounts[item] / nCustomers, false);
      filled++;
    }
    builder.endCustomer();
  }
  return builder.build();
}
