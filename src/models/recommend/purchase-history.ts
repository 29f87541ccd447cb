/**
 * Per-customer purchase summary that every recommender here starts from,
 * built from training-period orders (`Sequences`: customer → ordered orders):
 * the distinct items each customer bought, how many customers bought each
 * item, and how many bought it in two or more distinct orders (repeat buyers).
 */
import type { Baskets } from '../patterns/baskets.js';
import { type Sequences, countSequences, validateSequences } from '../patterns/sequences.js';

export interface PurchaseHistory {
  /** one row per customer: the distinct items bought (empty row = cold customer) */
  readonly customerItems: Baskets;
  /** per item: number of distinct customers who bought it */
  readonly buyerCounts: Uint32Array;
  /** per item: number of customers who bought it in ≥ 2 distinct orders */
  readonly repeatBuyerCounts: Uint32Array;
  readonly nCustomers: number;
  readonly nItems: number;
}

export function summarizePurchaseHistory(orders: Sequences): PurchaseHistory {
  validateSequences(orders, 'training orders');
  const { sequenceOffsets, itemsetOffsets, items, nItems } = orders;
  const nCustomers = countSequences(orders);
  const orderCount = new Uint32Array(nItems);
  const buyerCounts = new Uint32Array(nItems);
  const repeatBuyerCounts = new Uint32Array(nItems);
  const offsets = new Uint32Array(nCustomers + 1);
  let rowItems = new Uint32Array(Math.max(16, items.length));
  let total = 0;
  const touched: number[] = [];
  for (let c = 0; c < nCustomers; c++) {
    touched.length = 0;
    for (let k = itemsetOffsets[sequenceOffsets[c]]; k < itemsetOffsets[sequenceOffsets[c + 1]]; k++) {
      const item = items[k];
      if (orderCount[item]++ === 0) touched.push(item);
    }
    touched.sort((a, b) => a - b);
    if (total + touched.length > rowItems.length) {
      const grown = new Uint32Array(Math.max(rowItems.length * 2, total + touched.length));
      grown.set(rowItems);
      rowItems = grown;
    }
    for (const item of touched) {
      rowItems[total++] = item;
      buyerCounts[item]++;
      if (orderCount[item] >= 2) repeatBuyerCounts[item]++;
      orderCount[item] = 0;
    }
    offsets[c + 1] = total;
  }
  return {
    customerItems: { offsets, items: rowItems.slice(0, total), nItems },
    buyerCounts,
    repeatBuyerCounts,
    nCustomers,
    nItems,
  };
}
