/**
 * Counting the one-item extensions of a PrefixSpan pattern whose extensions
 * are leaves (the search depth is reached), without walking every order after
 * each sequence's `last`. That walk is what costs on long sequences (daily
 * buyers: ~290 orders a customer, ~500 item occurrences after `last`, per
 * pattern expanded). Two indexes over the data, built once:
 *  - per sequence, its distinct items by ascending last occurrence: y occurs
 *    after `last` iff its last occurrence is > `last`, so the s-extension
 *    count of y is its support minus the sequences that miss it — those outside
 *    the projection holding y, and those inside whose last y is ≤ `last` — and
 *    whichever side is cheaper (direct, or that complement) is walked;
 *  - per item, the orders holding it: an i-extension needs an order from
 *    `last` on holding all of L, so only the orders holding L's first item are
 *    visited.
 * The counts are exactly those of the walk (tested against it).
 */
import type { Sequences } from './sequences.js';

export class LeafIndex {
  /** per sequence s, its distinct items in [byLastStart[s], byLastStart[s+1]) by ascending last order */
  private readonly byLastStart: Uint32Array;
  private readonly byLastItem: Uint32Array;
  private readonly byLastOrder: Uint32Array;
  /** per item y, the orders holding it, ascending, in [occStart[y], occStart[y+1]) */
  private readonly occStart: Uint32Array;
  private readonly occOrder: Uint32Array;
  private readonly inProjection: Uint8Array;
  /** per item: the sequences outside the projection, or inside it without the item after `last` (zero between calls) */
  private readonly removed: Uint32Array;
  /** per item: 1 + the projected sequence it was last counted for as an i-extension (zero between calls) */
  private readonly iSeen: Uint32Array;

  constructor(
    private readonly sequences: Sequences,
    private readonly itemSupport: Uint32Array,
    private readonly frequentItems: readonly number[],
  ) {
    const { sequenceOffsets, itemsetOffsets, items, nItems } = sequences;
    const nSequences = sequenceOffsets.length - 1;
    const occStart = new Uint32Array(nItems + 1);
    for (let k = 0; k < items.length; k++) occStart[items[k] + 1]++;
    for (let y = 0; y < nItems; y++) occStart[y + 1] += occStart[y];
    const occOrder = new Uint32Array(items.length);
    const fill = occStart.slice(0, nItems);
    const nOrders = itemsetOffsets.length - 1;
    for (let t = 0; t < nOrders; t++) for (let k = itemsetOffsets[t]; k < itemsetOffsets[t + 1]; k++) occOrder[fill[items[k]]++] = t;
    this.occStart = occStart;
    this.occOrder = occOrder;
    // last order of each item per sequence, then the sequence's items sorted by it
    const lastOf = new Int32Array(nItems).fill(-1);
    const byLastStart = new Uint32Array(nSequences + 1);
    const byLastItem: number[] = [];
    const byLastOrder: number[] = [];
    for (let s = 0; s < nSequences; s++) {
      const distinct: number[] = [];
      for (let t = sequenceOffsets[s]; t < sequenceOffsets[s + 1]; t++) {
        for (let k = itemsetOffsets[t]; k < itemsetOffsets[t + 1]; k++) {
          if (lastOf[items[k]] === -1) distinct.push(items[k]);
          lastOf[items[k]] = t;
        }
      }
      distinct.sort((a, b) => lastOf[a] - lastOf[b]);
      for (const y of distinct) {
        byLastItem.push(y);
        byLastOrder.push(lastOf[y]);
        lastOf[y] = -1;
      }
      byLastStart[s + 1] = byLastItem.length;
    }
    this.byLastStart = byLastStart;
    this.byLastItem = Uint32Array.from(byLastItem);
    this.byLastOrder = Uint32Array.from(byLastOrder);
    this.inProjection = new Uint8Array(nSequences);
    this.removed = new Uint32Array(nItems);
    this.iSeen = new Uint32Array(nItems);
  }

  /**
   * Adds to `sCount` (when `allowS`) and `iCount` the number of projected
   * sequences supporting each frequent one-item s- and i-extension of a pattern
   * whose last element is `last` (items ascending), pushing each item counted
   * for the first time to `sTouched` / `iTouched`. `frequentItem` flags items
   * that may extend.
   */
  count(
    seqs: Int32Array,
    lasts: Int32Array,
    size: number,
    lastElement: readonly number[],
    allowS: boolean,
    frequentItem: Uint8Array,
    sCount: Uint32Array,
    sTouched: number[],
    iCount: Uint32Array,
    iTouched: number[],
  ): void {
    const { sequenceOffsets, itemsetOffsets, items } = this.sequences;
    const first = lastElement[0];
    const { occStart, occOrder } = this;
    // i-extensions: orders from `last` on that hold all of L, items above max L
    const seen = this.iSeen;
    for (let e = 0; e < size; e++) {
      const s = seqs[e];
      const end = sequenceOffsets[s + 1];
      let q = lowerBound(occOrder, occStart[first], occStart[first + 1], lasts[e]);
      const stampValue = e + 1;
      for (; q < occStart[first + 1] && occOrder[q] < end; q++) {
        const t = occOrder[q];
        const to = itemsetOffsets[t + 1];
        let k = itemsetOffsets[t];
        let matched = 0;
        for (; k < to && matched < lastElement.length; k++) if (items[k] === lastElement[matched]) matched++;
        if (matched < lastElement.length) continue;
        for (; k < to; k++) {
          const y = items[k];
          if (frequentItem[y] === 0 || seen[y] === stampValue) continue;
          seen[y] = stampValue;
          if (iCount[y]++ === 0) iTouched.push(y);
        }
      }
    }
    for (const y of this.frequentItems) seen[y] = 0;
    if (!allowS) return;
    // s-extensions: y occurs after `last` iff its last order in the sequence is > `last`
    const { byLastStart, byLastItem, byLastOrder, inProjection, removed, itemSupport } = this;
    const nSequences = sequenceOffsets.length - 1;
    let direct = 0;
    let missing = 0; // inside the projection, items whose last order is ≤ `last`
    const cut = new Uint32Array(size);
    for (let e = 0; e < size; e++) {
      const s = seqs[e];
      inProjection[s] = 1;
      const at = upperBound(byLastOrder, byLastStart[s], byLastStart[s + 1], lasts[e]);
      cut[e] = at;
      direct += byLastStart[s + 1] - at;
      missing += at - byLastStart[s];
    }
    const outside = byLastItem.length - direct - missing; // distinct items of the sequences outside the projection
    if (direct <= outside + missing) {
      for (let e = 0; e < size; e++) {
        for (let k = cut[e]; k < byLastStart[seqs[e] + 1]; k++) {
          const y = byLastItem[k];
          if (frequentItem[y] !== 0 && sCount[y]++ === 0) sTouched.push(y);
        }
      }
    } else {
      for (let e = 0; e < size; e++) for (let k = byLastStart[seqs[e]]; k < cut[e]; k++) removed[byLastItem[k]]++;
      for (let s = 0; s < nSequences; s++) {
        if (inProjection[s] === 0) for (let k = byLastStart[s]; k < byLastStart[s + 1]; k++) removed[byLastItem[k]]++;
      }
      for (const y of this.frequentItems) {
        const n = itemSupport[y] - removed[y];
        removed[y] = 0;
        if (n > 0) {
          sCount[y] = n;
          sTouched.push(y);
        }
      }
      removed.fill(0);
    }
    for (let e = 0; e < size; e++) inProjection[seqs[e]] = 0;
  }
}

/** first index in [lo, hi) with a[index] ≥ value (hi when none) */
export function lowerBound(a: Uint32Array, lo: number, hi: number, value: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** first index in [lo, hi) with a[index] > value (hi when none) */
function upperBound(a: Uint32Array, lo: number, hi: number, value: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
