/**
 * Customer order sequences in a two-level CSR layout: sequence s (a customer)
 * is the ordered list of itemsets (orders) `sequenceOffsets[s] ..
 * sequenceOffsets[s+1]`, and itemset t holds the items
 * `items[itemsetOffsets[t] .. itemsetOffsets[t+1])`, sorted ascending and
 * distinct. Orders are in time order; a sequence may be empty (a customer with
 * no orders in the period) and so may an itemset (kept only for alignment).
 */
import { UserError } from '../../core/errors/user-error.js';

export interface Sequences {
  /** length nSequences + 1, indexes itemsets */
  readonly sequenceOffsets: Uint32Array;
  /** length nItemsets + 1, indexes items */
  readonly itemsetOffsets: Uint32Array;
  /** item ids, sorted ascending and distinct within each itemset */
  readonly items: Uint32Array;
  readonly nItems: number;
}

/** Number of sequences (customers). */
export function countSequences(sequences: Sequences): number {
  return sequences.sequenceOffsets.length - 1;
}

/**
 * Builds `Sequences` from nested arrays: `list[customer][order] = items`. Each
 * itemset is sorted and de-duplicated. `nItems` defaults to 1 + the largest id.
 */
export function sequencesFromArrays(list: readonly (readonly (readonly number[])[])[], nItems?: number): Sequences {
  const sequenceOffsets = new Uint32Array(list.length + 1);
  const itemsets: number[][] = [];
  let maxItem = -1;
  for (let s = 0; s < list.length; s++) {
    for (const order of list[s]) {
      const row = Array.from(new Set(order)).sort((x, y) => x - y);
      for (const item of row) {
        if (!Number.isInteger(item) || item < 0 || item > 0xffffffff) {
          throw new UserError(`sequence ${s} has item id ${item}, which is not a non-negative integer`, 'map product codes to dense ids 0..nItems-1');
        }
        if (item > maxItem) maxItem = item;
      }
      itemsets.push(row);
    }
    sequenceOffsets[s + 1] = itemsets.length;
  }
  const itemsetOffsets = new Uint32Array(itemsets.length + 1);
  let total = 0;
  for (let t = 0; t < itemsets.length; t++) {
    total += itemsets[t].length;
    itemsetOffsets[t + 1] = total;
  }
  const items = new Uint32Array(total);
  let at = 0;
  for (const row of itemsets) for (const item of row) items[at++] = item;
  const result: Sequences = { sequenceOffsets, itemsetOffsets, items, nItems: nItems ?? maxItem + 1 };
  validateSequences(result);
  return result;
}

/** Sequences as nested plain arrays (for tests and reports). */
export function sequencesToArrays(sequences: Sequences): number[][][] {
  const { sequenceOffsets, itemsetOffsets, items } = sequences;
  const out: number[][][] = [];
  for (let s = 0; s + 1 < sequenceOffsets.length; s++) {
    const orders: number[][] = [];
    for (let t = sequenceOffsets[s]; t < sequenceOffsets[s + 1]; t++) {
      orders.push(Array.from(items.subarray(itemsetOffsets[t], itemsetOffsets[t + 1])));
    }
    out.push(orders);
  }
  return out;
}

/** Checks the two-level CSR invariants; throws `UserError` naming the first violation. */
export function validateSequences(sequences: Sequences, what = 'sequences'): void {
  const { sequenceOffsets, itemsetOffsets, items, nItems } = sequences;
  if (!(sequenceOffsets instanceof Uint32Array) || !(itemsetOffsets instanceof Uint32Array) || !(items instanceof Uint32Array)) {
    throw new UserError(`${what}: sequenceOffsets, itemsetOffsets and items must be Uint32Array`, 'build them with sequencesFromArrays or from typed query results');
  }
  if (!Number.isInteger(nItems) || nItems < 0) throw new UserError(`${what}: nItems must be a non-negative integer, got ${nItems}`);
  if (sequenceOffsets.length < 1 || sequenceOffsets[0] !== 0) throw new UserError(`${what}: sequenceOffsets must start with 0`);
  if (itemsetOffsets.length < 1 || itemsetOffsets[0] !== 0) throw new UserError(`${what}: itemsetOffsets must start with 0`);
  const nItemsets = itemsetOffsets.length - 1;
  if (sequenceOffsets[sequenceOffsets.length - 1] !== nItemsets) {
    throw new UserError(`${what}: last sequence offset ${sequenceOffsets[sequenceOffsets.length - 1]} differs from the number of itemsets ${nItemsets}`);
  }
  if (itemsetOffsets[nItemsets] !== items.length) {
    throw new UserError(`${what}: last itemset offset ${itemsetOffsets[nItemsets]} differs from items.length ${items.length}`);
  }
  for (let s = 0; s + 1 < sequenceOffsets.length; s++) {
    if (sequenceOffsets[s + 1] < sequenceOffsets[s]) throw new UserError(`${what}: sequenceOffsets decrease at sequence ${s}`);
  }
  for (let t = 0; t < nItemsets; t++) {
    const start = itemsetOffsets[t];
    const end = itemsetOffsets[t + 1];
    if (end < start) throw new UserError(`${what}: itemsetOffsets decrease at itemset ${t}`);
    for (let k = start; k < end; k++) {
      if (items[k] >= nItems) throw new UserError(`${what}: itemset ${t} has item ${items[k]} ≥ nItems ${nItems}`);
      if (k > start && items[k] <= items[k - 1]) {
        throw new UserError(`${what}: itemset ${t} is not sorted and distinct (${items[k - 1]} then ${items[k]})`, 'sort each order ascending and drop duplicates');
      }
    }
  }
}
