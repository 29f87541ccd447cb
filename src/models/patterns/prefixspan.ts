/**
 * Sequential-pattern mining by PrefixSpan: Pei, Han, Mortazavi-Asl, Wang,
 * Pinto, Chen, Dayal & Hsu (2004), "Mining sequential patterns by
 * pattern-growth: the PrefixSpan approach", IEEE TKDE 16(11) (ICDE 2001).
 *
 * A pattern is a sequence of itemsets ⟨E1 E2 … Ek⟩. A customer sequence
 * ⟨S1 … Sm⟩ contains it when there are orders i1 < i2 < … < ik with Ej ⊆ S_ij;
 * its support is the number of customers (sequences) that contain it, counted
 * once per customer. Length = total number of items in the pattern.
 *
 * Pseudo-projection on indices (no copies of the data): the projected database
 * of a pattern P holds, per supporting sequence, the pair (sequence, last)
 * where `last` is the order at which the leftmost (greedy) embedding of P ends.
 * Greedy leftmost matching is optimal for subsequence containment, so with
 * `prev` the order where the greedy embedding of P minus its last element L
 * ends:
 *  - s-extension P·⟨{y}⟩ is contained iff y occurs in some order after `last`;
 *  - i-extension (y added to L, y > max L) is contained iff some order after
 *    `prev` contains L ∪ {y}; `last` is by definition the first order after
 *    `prev` containing L, so scanning from `last` is exact and `prev` need not
 *    be stored.
 * One pass over a projected database counts every extension item once per
 * sequence and records, at its first occurrence, the order where the extended
 * pattern's greedy embedding ends — which is that extension's projected
 * database, so no second scan is needed. Items below the minimum support on
 * their own are skipped throughout. Each pattern is generated once (elements
 * grow by increasing item ids), and extensions are only tried from frequent
 * patterns (support is anti-monotone).
 */
import { resolveMaxLength, resolveMinSupportCount } from './min-support.js';
import { LeafIndex, lowerBound } from './prefixspan-leaves.js';
import { type Sequences, countSequences, validateSequences } from './sequences.js';

export interface SequentialPatternOptions {
  /** a fraction in (0, 1) of the sequences (customers), or a count ≥ 1 */
  readonly minSupport: number;
  /** largest pattern length in items (default unlimited) */
  readonly maxLength?: number;
  /** largest number of elements (orders) in a pattern (default unlimited) */
  readonly maxElements?: number;
  /**
   * most patterns returned (default unlimited). When more patterns reach the
   * minimum support, it is raised to the smallest count that leaves at most
   * this many: the result is then exactly the patterns with support ≥ the
   * returned `minSupportCount` (ties are never cut arbitrarily). The search
   * raises it as it goes, so shops where everyone buys nearly everything
   * (daily buyers: ~500² frequent pairs, ~500³ triples) stay bounded.
   */
  readonly maxPatterns?: number;
}

export interface SequentialPattern {
  /** the pattern's itemsets in order; items ascending within each */
  readonly elements: number[][];
  /** number of sequences (customers) containing the pattern */
  readonly supportCount: number;
}

export interface SequentialPatterns {
  readonly patterns: SequentialPattern[];
  readonly nSequences: number;
  /** the minimum support count applied: the requested one, or higher when `maxPatterns` raised it */
  readonly minSupportCount: number;
}

export function mineSequentialPatterns(sequences: Sequences, options: SequentialPatternOptions): SequentialPatterns {
  validateSequences(sequences);
  const nSequences = countSequences(sequences);
  let minCount = resolveMinSupportCount(options.minSupport, nSequences);
  const maxLength = resolveMaxLength(options.maxLength);
  const maxElements = resolveMaxLength(options.maxElements, 'maxElements');
  const maxPatterns = resolveMaxLength(options.maxPatterns, 'maxPatterns');
  const { sequenceOffsets, itemsetOffsets, items, nItems } = sequences;
  let patterns: SequentialPattern[] = [];
  // the support count in force: minCount, raised while more than maxPatterns patterns reach it
  let threshold = minCount;
  const atSupport = new Float64Array(nSequences + 2); // emitted patterns per support count
  let atOrAbove = 0; // emitted patterns with support ≥ threshold
  let depth = maxLength; // the longest pattern of the current search
  let stopWhenRaised = false; // a first search under the cap gives up as soon as the cap raises the support

  // pass 1: distinct sequences per item, then the first order containing each item per sequence
  const seenStamp = new Float64Array(nItems).fill(-1);
  const itemSupport = new Uint32Array(nItems);
  for (let s = 0; s < nSequences; s++) {
    for (let k = itemsetOffsets[sequenceOffsets[s]]; k < itemsetOffsets[sequenceOffsets[s + 1]]; k++) {
      const item = items[k];
      if (seenStamp[item] !== s) {
        seenStamp[item] = s;
        itemSupport[item]++;
      }
    }
  }
  const frequentItem = new Uint8Array(nItems);
  const frequentItems: number[] = [];
  for (let i = 0; i < nItems; i++) if (itemSupport[i] >= minCount) frequentItem[i] = 1;
  for (let i = 0; i < nItems; i++) if (frequentItem[i] === 1) frequentItems.push(i);
  let leafIndex: LeafIndex | undefined; // built at the first pattern whose extensions are leaves
  const start = new Uint32Array(nItems + 1);
  for (let i = 0; i < nItems; i++) start[i + 1] = start[i] + (itemSupport[i] >= minCount ? itemSupport[i] : 0);
  const firstSeq = new Int32Array(start[nItems]);
  const firstOrder = new Int32Array(start[nItems]);
  const fill = start.slice(0, nItems);
  seenStamp.fill(-1);
  for (let s = 0; s < nSequences; s++) {
    for (let t = sequenceOffsets[s]; t < sequenceOffsets[s + 1]; t++) {
      for (let k = itemsetOffsets[t]; k < itemsetOffsets[t + 1]; k++) {
        const item = items[k];
        if (itemSupport[item] < minCount || seenStamp[item] === s) continue;
        seenStamp[item] = s;
        firstSeq[fill[item]] = s;
        firstOrder[fill[item]] = t;
        fill[item]++;
      }
    }
  }

  // shared scratch for counting extensions
  const sCount = new Uint32Array(nItems);
  const iCount = new Uint32Array(nItems);
  const sStamp = new Float64Array(nItems).fill(-1);
  const iStamp = new Float64Array(nItems).fill(-1);
  const slot = new Int32Array(nItems).fill(-1);
  let stamp = 0;
  const pattern: number[] = []; // items of the pattern
  const elementStarts: number[] = []; // index in `pattern` where each element starts

  const emit = (supportCount: number): void => {
    if (supportCount < threshold) return;
    atSupport[supportCount]++;
    atOrAbove++;
    while (atOrAbove > maxPatterns) atOrAbove -= atSupport[threshold++];
    if (stopWhenRaised && threshold > minCount) threshold = nSequences + 1; // nothing more is frequent: the search unwinds
    if (supportCount < threshold) return;
    if (patterns.length >= 2 * maxPatterns) patterns = patterns.filter((p) => p.supportCount >= threshold);
    const elements: number[][] = [];
    for (let e = 0; e < elementStarts.length; e++) {
      elements.push(pattern.slice(elementStarts[e], e + 1 < elementStarts.length ? elementStarts[e + 1] : pattern.length));
    }
    patterns.push({ elements, supportCount });
  };

  const grow = (seqs: Int32Array, lasts: Int32Array, size: number): void => {
    emit(size);
    if (pattern.length >= depth || size < threshold) return;
    const lastFrom = elementStarts[elementStarts.length - 1];
    const maxLast = pattern[pattern.length - 1];
    const allowS = elementStarts.length < maxElements;
    const patternLength = pattern.length;
    const leaves = patternLength + 1 >= depth; // extensions are counted, not projected
    // every (sequence, extension item) pair is recorded at its first occurrence,
    // which is exactly where the extended pattern's greedy embedding ends
    let sPairs = new PairBuffer();
    let iPairs = new PairBuffer();
    const sTouched: number[] = [];
    const iTouched: number[] = [];
    if (leaves) {
      // the extensions are leaves: their supports are the counts, no projection needed (same order as below)
      leafIndex ??= new LeafIndex(sequences, itemSupport, frequentItems);
      leafIndex.count(seqs, lasts, size, pattern.slice(lastFrom), allowS, frequentItem, sCount, sTouched, iCount, iTouched);
      emitLeaves(iTouched, iCount, false);
      emitLeaves(sTouched, sCount, true);
      return;
    }
    for (let e = 0; e < size; e++) {
      stamp++;
      const s = seqs[e];
      const end = sequenceOffsets[s + 1];
      const last = lasts[e];
      // the order where P's embedding ends: items above max L are i-extensions
      for (let k = lowerBound(items, itemsetOffsets[last], itemsetOffsets[last + 1], maxLast + 1); k < itemsetOffsets[last + 1]; k++) {
        const y = items[k];
        if (frequentItem[y] === 0) continue;
        if (iStamp[y] !== stamp) {
          iStamp[y] = stamp;
          if (iCount[y]++ === 0) iTouched.push(y);
          iPairs.push(y, s, last);
        }
      }
      // later orders: every item is an s-extension; once all of L is matched
      // (a merge walk, both sorted) the remaining items are i-extensions
      for (let t = last + 1; t < end; t++) {
        let matched = lastFrom;
        for (let k = itemsetOffsets[t]; k < itemsetOffsets[t + 1]; k++) {
          const y = items[k];
          if (frequentItem[y] === 0) continue; // never an extension, never in L
          if (allowS && sStamp[y] !== stamp) {
            sStamp[y] = stamp;
            if (sCount[y]++ === 0) sTouched.push(y);
            sPairs.push(y, s, t);
          }
          if (matched === patternLength) {
            if (iStamp[y] !== stamp) {
              iStamp[y] = stamp;
              if (iCount[y]++ === 0) iTouched.push(y);
              iPairs.push(y, s, t);
            }
          } else if (y === pattern[matched]) {
            matched++;
          }
        }
      }
    }
    const iProjections = groupPairs(iPairs, iTouched, iCount, threshold, slot);
    const sProjections = groupPairs(sPairs, sTouched, sCount, threshold, slot);
    sPairs = iPairs = EMPTY_PAIRS; // let the recorded pairs go before recursing

    // i-extensions: y joins the last element
    for (const projection of iProjections) {
      pattern.push(projection.item);
      grow(projection.seqs, projection.lasts, projection.seqs.length);
      pattern.pop();
    }
    // s-extensions: y starts a new element
    for (const projection of sProjections) {
      elementStarts.push(pattern.length);
      pattern.push(projection.item);
      grow(projection.seqs, projection.lasts, projection.seqs.length);
      pattern.pop();
      elementStarts.pop();
    }
  };

  /** emits the one-item extensions of the pattern with their counts (ascending items), then resets the counts */
  const emitLeaves = (touched: number[], counts: Uint32Array, newElement: boolean): void => {
    touched.sort((a, b) => a - b);
    for (const y of touched) {
      const count = counts[y];
      counts[y] = 0;
      if (count < threshold) continue;
      if (newElement) elementStarts.push(pattern.length);
      pattern.push(y);
      emit(count);
      pattern.pop();
      if (newElement) elementStarts.pop();
    }
  };

  /** one depth-first search for patterns of at most `searchDepth` items, from the support count `from` */
  const search = (from: number, searchDepth: number, probe = false): SequentialPatterns => {
    stopWhenRaised = probe;
    patterns = [];
    threshold = from;
    atSupport.fill(0);
    atOrAbove = 0;
    depth = searchDepth;
    for (let y = 0; y < nItems; y++) {
      const size = start[y + 1] - start[y];
      if (size === 0 || size < threshold) continue;
      const seqs = firstSeq.slice(start[y], start[y + 1]);
      const lasts = firstOrder.slice(start[y], start[y + 1]);
      elementStarts.push(0);
      pattern.push(y);
      grow(seqs, lasts, size);
      pattern.pop();
      elementStarts.pop();
    }
    return { patterns: patterns.filter((p) => p.supportCount >= threshold), nSequences, minSupportCount: threshold };
  };

  // one search, unless the cap is reached (then it stops at once)
  const whole = search(minCount, maxLength, maxPatterns !== Infinity);
  if (whole.minSupportCount === minCount) return whole;
  // The cap raises the support: deepen one item at a time. The count reached for patterns of ≤ L items is a lower
  // bound of the count for longer ones (more patterns can only raise it), so each search starts where the last one
  // ended and expands at most maxPatterns patterns of its second-to-last length instead of every frequent one.
  for (let searchDepth = 1; ; searchDepth++) {
    const found = search(minCount, searchDepth);
    const longest = found.patterns.reduce((most, p) => Math.max(most, p.elements.reduce((n, e) => n + e.length, 0)), 0);
    if (searchDepth >= maxLength || longest < searchDepth) return found;
    minCount = found.minSupportCount;
  }
}

/** Growable (item, sequence, order) triples. */
class PairBuffer {
  item = new Int32Array(64);
  seq = new Int32Array(64);
  order = new Int32Array(64);
  length = 0;

  push(item: number, seq: number, order: number): void {
    if (this.length === this.item.length) {
      const size = this.length * 2;
      const item = new Int32Array(size);
      item.set(this.item);
      this.item = item;
      const seqs = new Int32Array(size);
      seqs.set(this.seq);
      this.seq = seqs;
      const orders = new Int32Array(size);
      orders.set(this.order);
      this.order = orders;
    }
    this.item[this.length] = item;
    this.seq[this.length] = seq;
    this.order[this.length] = order;
    this.length++;
  }
}

interface Projection {
  readonly item: number;
  readonly seqs: Int32Array;
  readonly lasts: Int32Array;
}

/**
 * Splits the recorded pairs into one projected database per frequent item
 * (count ≥ minCount), items ascending; resets `counts` for all touched items.
 * `slot` is scratch of length nItems filled with −1, restored on return.
 */
function groupPairs(pairs: PairBuffer, touched: number[], counts: Uint32Array, minCount: number, slot: Int32Array): Projection[] {
  const frequent = touched.filter((y) => counts[y] >= minCount).sort((a, b) => a - b);
  const projections: Projection[] = frequent.map((item, k) => {
    slot[item] = k;
    return { item, seqs: new Int32Array(counts[item]), lasts: new Int32Array(counts[item]) };
  });
  const fill = new Int32Array(frequent.length);
  for (let q = 0; q < pairs.length; q++) {
    const k = slot[pairs.item[q]];
    if (k < 0) continue;
    const projection = projections[k];
    projection.seqs[fill[k]] = pairs.seq[q];
    projection.lasts[fill[k]] = pairs.order[q];
    fill[k]++;
  }
  for (const y of frequent) slot[y] = -1;
  for (const y of touched) counts[y] = 0;
  return projections;
}

const EMPTY_PAIRS = new PairBuffer();
