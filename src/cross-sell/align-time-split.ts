import type { Baskets } from '../models/patterns/baskets.js';
import type { Sequences } from '../models/patterns/sequences.js';
import type { PurchaseData } from './load-purchase-data.js';

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
