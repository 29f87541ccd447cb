/**
 * Baskets (transactions) in a CSR-like layout: basket b holds the items
 * `items[offsets[b] .. offsets[b+1])`, sorted ascending and distinct. Items are
 * dense integer ids 0..nItems−1 (the caller maps product codes to ids).
 *
 * The same layout also serves as "one row per customer" (a customer's distinct
 * items, or a customer's test-period items) in the recommender.
 */
import { UserError } from '../../core/errors/user-error.js';

export interface Baskets {
  /** length nBaskets + 1; offsets[0] = 0, non-decreasing, last = items.length */
  readonly offsets: Uint32Array;
  /** item ids, sorted ascending and distinct within each basket */
  readonly items: Uint32Array;
  /** number of item ids; every item is < nItems */
  readonly nItems: number;
}

/** Number of baskets (rows). */
export function countBaskets(baskets: Baskets): number {
  return baskets.offsets.length - 1;
}

/**
 * Builds `Baskets` from plain arrays (for tests and small inputs): each list is
 * sorted and de-duplicated. `nItems` defaults to 1 + the largest item id (0 when
 * there are no items).
 */
export function basketsFromArrays(list: readonly (readonly number[])[], nItems?: number): Baskets {
  const offsets = new Uint32Array(list.length + 1);
  const rows: number[][] = [];
  let total = 0;
  let maxItem = -1;
  for (let b = 0; b < list.length; b++) {
    const row = Array.from(new Set(list[b])).sort((x, y) => x - y);
    for (const item of row) {
      if (!Number.isInteger(item) || item < 0 || item > 0xffffffff) {
        throw new UserError(`basket ${b} has item id ${item}, which is not a non-negative integer`, 'map product codes to dense ids 0..nItems-1');
      }
      if (item > maxItem) maxItem = item;
    }
    rows.push(row);
    total += row.length;
    offsets[b + 1] = total;
  }
  const items = new Uint32Array(total);
  let at = 0;
  for (const row of rows) for (const item of row) items[at++] = item;
  const result: Baskets = { offsets, items, nItems: nItems ?? maxItem + 1 };
  validateBaskets(result);
  return result;
}

/** Rows of a `Baskets` as plain arrays (for tests and reports). */
export function basketsToArrays(baskets: Baskets): number[][] {
  const out: number[][] = [];
  for (let b = 0; b + 1 < baskets.offsets.length; b++) {
    out.push(Array.from(baskets.items.subarray(baskets.offsets[b], baskets.offsets[b + 1])));
  }
  return out;
}

/**
 * Checks the CSR invariants (offsets shape and monotonicity, items < nItems,
 * sorted and distinct within each basket). Throws `UserError` naming the first
 * violation. O(total items).
 */
export function validateBaskets(baskets: Baskets, what = 'baskets'): void {
  const { offsets, items, nItems } = baskets;
  if (!(offsets instanceof Uint32Array) || !(items instanceof Uint32Array)) {
    throw new UserError(`${what}: offsets and items must be Uint32Array`, 'build them with basketsFromArrays or from typed query results');
  }
  if (!Number.isInteger(nItems) || nItems < 0) throw new UserError(`${what}: nItems must be a non-negative integer, got ${nItems}`);
  if (offsets.length < 1 || offsets[0] !== 0) throw new UserError(`${what}: offsets must start with 0 and have length nBaskets + 1`);
  if (offsets[offsets.length - 1] !== items.length) {
    throw new UserError(`${what}: last offset ${offsets[offsets.length - 1]} differs from items.length ${items.length}`);
  }
  for (let b = 0; b + 1 < offsets.length; b++) {
    const start = offsets[b];
    const end = offsets[b + 1];
    if (end < start) throw new UserError(`${what}: offsets decrease at row ${b} (${start} > ${end})`);
    for (let k = start; k < end; k++) {
      if (items[k] >= nItems) throw new UserError(`${what}: row ${b} has item ${items[k]} ≥ nItems ${nItems}`);
      if (k > start && items[k] <= items[k - 1]) {
        throw new UserError(`${what}: row ${b} is not sorted and distinct (${items[k - 1]} then ${items[k]})`, 'sort each row ascending and drop duplicates');
      }
    }
  }
}
