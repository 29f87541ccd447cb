/**
 * Frequent-itemset mining by FP-growth: Han, Pei & Yin (2000), "Mining
 * frequent patterns without candidate generation", SIGMOD.
 *
 * Method. Pass 1 counts items; items below the minimum count are dropped and
 * the rest ranked by descending count (ties by id). Pass 2 inserts each
 * basket's frequent items, in rank order, into a flat FP-tree (fp-tree.ts:
 * typed arrays, no per-node objects). Mining walks items from the least to the
 * most frequent: each item's support is the sum of its node counts; its
 * conditional pattern base (the ancestor paths of its nodes, weighted by the
 * node counts) is filtered to the items frequent within it and built into a
 * conditional FP-tree, which is mined recursively with the item appended to
 * the suffix. A tree that is one path is finished without recursion: every
 * subset of the path is frequent, with the count of its deepest node.
 * Conditional trees keep their parent's item order (a monotone relabelling), so
 * paths never need re-sorting.
 *
 * Optional per-basket weights (e.g. margin × P(alive) of the buyer) travel with
 * the counts through every tree, giving each itemset the weight sum of the
 * baskets that contain it alongside its count; the threshold stays on counts.
 * The weights are first put on a grid (`onWeightGrid`) on which every sum of
 * them is exact, so a weight sum does not depend on the order of the baskets.
 *
 * Output is complete and exact: every itemset with count ≥ the minimum count
 * and at most `maxLength` items, each exactly once, items ascending within an
 * itemset. Itemset order is unspecified (deterministic for a given input).
 */
import { UserError } from '../../core/errors/user-error.js';
import { type Baskets, countBaskets, validateBaskets } from './baskets.js';
import { FpTree } from './fp-tree.js';
import { resolveMaxLength, resolveMinSupportCount } from './min-support.js';

export interface FrequentItemsetOptions {
  /** a fraction in (0, 1) of the baskets, or a count ≥ 1 (see min-support.ts) */
  readonly minSupport: number;
  /** largest itemset size to report (default unlimited) */
  readonly maxLength?: number;
  /** per-basket weight, length nBaskets, finite; gives `weightSums` */
  readonly weights?: Float64Array;
}

/** Frequent itemsets in CSR layout: itemset k is `items[offsets[k] .. offsets[k+1])`. */
export interface FrequentItemsets {
  /** length count + 1 */
  readonly offsets: Uint32Array;
  /** item ids, ascending within each itemset */
  readonly items: Uint32Array;
  /** per itemset: number of baskets containing it */
  readonly supportCounts: Float64Array;
  /** per itemset: sum of the weights of the baskets containing it (only with weights) */
  readonly weightSums?: Float64Array;
  /** number of itemsets */
  readonly count: number;
  readonly nBaskets: number;
  /** sum of all basket weights (only with weights) */
  readonly totalWeight?: number;
  /** the count threshold that was applied */
  readonly minSupportCount: number;
  readonly maxLength: number;
  readonly nItems: number;
}

/** One itemset as plain values (see `listFrequentItemsets`). */
export interface FrequentItemset {
  readonly items: number[];
  readonly supportCount: number;
  /** supportCount / nBaskets */
  readonly support: number;
  readonly weightSum?: number;
}

/**
 * Mines all frequent itemsets. Throws `UserError` on malformed baskets, a bad
 * threshold, or weights of the wrong length / non-finite.
 */
export function mineFrequentItemsets(baskets: Baskets, options: FrequentItemsetOptions): FrequentItemsets {
  validateBaskets(baskets);
  const nBaskets = countBaskets(baskets);
  const minCount = resolveMinSupportCount(options.minSupport, nBaskets);
  const maxLength = resolveMaxLength(options.maxLength);
  const weights = options.weights && onWeightGrid(checkWeights(options.weights, nBaskets));
  const { offsets, items, nItems } = baskets;

  // pass 1: item counts
  const itemCounts = new Float64Array(nItems);
  const itemWeights = weights ? new Float64Array(nItems) : null;
  let totalWeight = 0;
  for (let b = 0; b < nBaskets; b++) {
    const w = weights ? weights[b] : 0;
    totalWeight += w;
    for (let k = offsets[b]; k < offsets[b + 1]; k++) {
      itemCounts[items[k]]++;
      if (itemWeights) itemWeights[items[k]] += w;
    }
  }
  const frequent: number[] = [];
  for (let i = 0; i < nItems; i++) if (itemCounts[i] >= minCount) frequent.push(i);
  frequent.sort((a, b) => itemCounts[b] - itemCounts[a] || a - b);
  const nFrequent = frequent.length;
  const rankOf = new Int32Array(nItems).fill(-1);
  const localToGlobal = new Int32Array(nFrequent);
  const rootCounts = new Float64Array(nFrequent);
  const rootWeights = itemWeights ? new Float64Array(nFrequent) : null;
  let pathTotal = 0;
  for (let r = 0; r < nFrequent; r++) {
    const item = frequent[r];
    rankOf[item] = r;
    localToGlobal[r] = item;
    rootCounts[r] = itemCounts[item];
    if (rootWeights && itemWeights) rootWeights[r] = itemWeights[item];
    pathTotal += itemCounts[item];
  }

  // pass 2: the FP-tree
  const tree = new FpTree(localToGlobal, rootCounts, rootWeights, Math.min(pathTotal, 1 << 20));
  const path = new Int32Array(Math.max(1, nFrequent));
  for (let b = 0; b < nBaskets; b++) {
    let len = 0;
    for (let k = offsets[b]; k < offsets[b + 1]; k++) {
      const r = rankOf[items[k]];
      if (r >= 0) path[len++] = r;
    }
    if (len === 0) continue;
    sortAscending(path, len);
    tree.insert(path, len, 1, weights ? weights[b] : 0);
  }

  const miner = new FpMiner(nFrequent, minCount, maxLength, weights !== undefined);
  if (nFrequent > 0) miner.mine(tree, 0);
  const out = miner.output;
  return {
    offsets: out.offsets.slice(0, out.count + 1),
    items: out.items.slice(0, out.itemsLength),
    supportCounts: out.counts.slice(0, out.count),
    ...(weights ? { weightSums: out.weights.slice(0, out.count), totalWeight } : {}),
    count: out.count,
    nBaskets,
    minSupportCount: minCount,
    maxLength,
    nItems,
  };
}

function checkWeights(weights: Float64Array, nBaskets: number): Float64Array {
  if (!(weights instanceof Float64Array) || weights.length !== nBaskets) {
    throw new UserError(`weights must be a Float64Array of length nBaskets = ${nBaskets}`, 'one weight per basket, in basket order');
  }
  for (let b = 0; b < nBaskets; b++) {
    if (!Number.isFinite(weights[b])) throw new UserError(`weight of basket ${b} is ${weights[b]}, not finite`);
  }
  return weights;
}

/**
 * The weights rounded to multiples of one power of two q, chosen so that every sum of them (at most n·max|w| ≤ 2^e in
 * size) is a multiple of q below 2⁵³·q: exactly representable, so every weight sum the trees add up is exact and the
 * same whatever order the baskets come in (they come in the order of the customers' tokens, which the key sets; a
 * plain sum's last digits followed it). q = 2^(e − 52): each weight moves by at most q/2 ≤ n·max|w|·2⁻⁵², far below
 * any digit a report shows.
 */
function onWeightGrid(weights: Float64Array): Float64Array {
  let max = 0;
  for (let b = 0; b < weights.length; b++) max = Math.max(max, Math.abs(weights[b]));
  if (max === 0) return weights;
  const e = Math.ceil(Math.log2(weights.length * max)) + 1; // + 1: the rounded product and the moved weights stay below 2^e
  const q = Math.max(2 ** (e - 52), Number.MIN_VALUE);
  return weights.map((w) => Math.round(w / q) * q);
}

/** The itemsets as plain objects (convenient for tests, reports and small results). */
export function listFrequentItemsets(itemsets: FrequentItemsets): FrequentItemset[] {
  const list: FrequentItemset[] = [];
  for (let k = 0; k < itemsets.count; k++) {
    const items = Array.from(itemsets.items.subarray(itemsets.offsets[k], itemsets.offsets[k + 1]));
    const supportCount = itemsets.supportCounts[k];
    const support = supportCount / itemsets.nBaskets;
    list.push(itemsets.weightSums ? { items, supportCount, support, weightSum: itemsets.weightSums[k] } : { items, supportCount, support });
  }
  return list;
}

/** Growable output buffers. */
class ItemsetBuffer {
  offsets = new Uint32Array(1024);
  items = new Uint32Array(4096);
  counts = new Float64Array(1024);
  weights = new Float64Array(1024);
  count = 0;
  itemsLength = 0;

  push(suffix: Int32Array, len: number, supportCount: number, weightSum: number): void {
    if (this.count + 2 > this.offsets.length) {
      const size = this.offsets.length * 2;
      this.offsets = grow(new Uint32Array(size), this.offsets);
      this.counts = grow(new Float64Array(size), this.counts);
      this.weights = grow(new Float64Array(size), this.weights);
    }
    if (this.itemsLength + len > this.items.length) {
      let size = this.items.length * 2;
      while (size < this.itemsLength + len) size *= 2;
      this.items = grow(new Uint32Array(size), this.items);
    }
    const start = this.itemsLength;
    for (let k = 0; k < len; k++) {
      // insertion into sorted position (itemsets are short)
      const value = suffix[k];
      let at = start + k;
      while (at > start && this.items[at - 1] > value) {
        this.items[at] = this.items[at - 1];
        at--;
      }
      this.items[at] = value;
    }
    this.itemsLength += len;
    this.counts[this.count] = supportCount;
    this.weights[this.count] = weightSum;
    this.count++;
    this.offsets[this.count] = this.itemsLength;
  }
}

function grow<T extends Uint32Array | Float64Array>(target: T, source: T): T {
  target.set(source as never);
  return target;
}

/** Recursive FP-growth over flat trees, with scratch arrays shared by all levels. */
class FpMiner {
  readonly output = new ItemsetBuffer();
  private readonly suffix: Int32Array;
  private readonly condCount: Float64Array;
  private readonly condWeight: Float64Array;
  private readonly rankMap: Int32Array;
  private readonly touched: Int32Array;
  private readonly pathBuffer: Int32Array;

  constructor(
    nFrequent: number,
    private readonly minCount: number,
    private readonly maxLength: number,
    private readonly weighted: boolean,
  ) {
    const size = Math.max(1, nFrequent);
    this.suffix = new Int32Array(size + 1);
    this.condCount = new Float64Array(size);
    this.condWeight = new Float64Array(size);
    this.rankMap = new Int32Array(size).fill(-1);
    this.touched = new Int32Array(size);
    this.pathBuffer = new Int32Array(size);
  }

  /** Emits every frequent itemset (suffix[0..depth) ∪ X) for X from `tree`. */
  mine(tree: FpTree, depth: number): void {
    if (tree.singlePath) {
      this.minePath(tree, 1, depth);
      return;
    }
    for (let r = tree.nLocal - 1; r >= 0; r--) {
      this.suffix[depth] = tree.localToGlobal[r];
      this.output.push(this.suffix, depth + 1, tree.itemCount[r], tree.itemWeight ? tree.itemWeight[r] : 0);
      if (depth + 1 < this.maxLength) {
        const conditional = this.buildConditional(tree, r);
        if (conditional) this.mine(conditional, depth + 1);
      }
    }
  }

  /**
   * Single-path tree (nodes 1..size−1, each the child of the previous): emits
   * suffix ∪ S for every non-empty subset S of path nodes from `from` on; the
   * support of S is the count of its deepest node.
   */
  private minePath(tree: FpTree, from: number, len: number): void {
    if (len >= this.maxLength) return;
    for (let node = from; node < tree.size; node++) {
      this.suffix[len] = tree.localToGlobal[tree.nodeItem[node]];
      this.output.push(this.suffix, len + 1, tree.nodeCount[node], tree.nodeWeight ? tree.nodeWeight[node] : 0);
      this.minePath(tree, node + 1, len + 1);
    }
  }

  /** The conditional FP-tree of local item r, or null when no item in it is frequent. */
  private buildConditional(tree: FpTree, r: number): FpTree | null {
    const { nodeParent, nodeItem, nodeCount, nodeWeight, nodeNext } = tree;
    const { condCount, condWeight, touched, rankMap, pathBuffer } = this;
    const weighted = this.weighted && nodeWeight !== null;
    let nTouched = 0;
    let nodesInChain = 0;
    for (let node = tree.head[r]; node !== -1; node = nodeNext[node]) {
      nodesInChain++;
      const c = nodeCount[node];
      const w = weighted ? (nodeWeight as Float64Array)[node] : 0;
      for (let p = nodeParent[node]; p !== 0; p = nodeParent[p]) {
        const item = nodeItem[p];
        if (condCount[item] === 0) touched[nTouched++] = item;
        condCount[item] += c;
        if (weighted) condWeight[item] += w;
      }
    }
    if (nTouched === 0) return null;
    touched.subarray(0, nTouched).sort();
    let nLocal = 0;
    for (let k = 0; k < nTouched; k++) if (condCount[touched[k]] >= this.minCount) nLocal++;
    if (nLocal === 0) {
      for (let k = 0; k < nTouched; k++) {
        condCount[touched[k]] = 0;
        condWeight[touched[k]] = 0;
      }
      return null;
    }
    const localToGlobal = new Int32Array(nLocal);
    const itemCount = new Float64Array(nLocal);
    const itemWeight = weighted ? new Float64Array(nLocal) : null;
    let next = 0;
    for (let k = 0; k < nTouched; k++) {
      const old = touched[k];
      if (condCount[old] >= this.minCount) {
        rankMap[old] = next;
        localToGlobal[next] = tree.localToGlobal[old];
        itemCount[next] = condCount[old];
        if (itemWeight) itemWeight[next] = condWeight[old];
        next++;
      }
      condCount[old] = 0;
      condWeight[old] = 0;
    }
    const conditional = new FpTree(localToGlobal, itemCount, itemWeight, Math.min(nodesInChain * 2, 1 << 16));
    for (let node = tree.head[r]; node !== -1; node = nodeNext[node]) {
      let len = 0;
      for (let p = nodeParent[node]; p !== 0; p = nodeParent[p]) {
        const mapped = rankMap[nodeItem[p]];
        if (mapped >= 0) pathBuffer[len++] = mapped;
      }
      if (len > 0) conditional.insertReversed(pathBuffer, len, nodeCount[node], weighted ? (nodeWeight as Float64Array)[node] : 0);
    }
    for (let k = 0; k < nTouched; k++) rankMap[touched[k]] = -1;
    return conditional;
  }
}

/** Sorts a[0..len) ascending: insertion sort for short runs, native sort otherwise. */
function sortAscending(a: Int32Array, len: number): void {
  if (len > 24) {
    a.subarray(0, len).sort();
    return;
  }
  for (let i = 1; i < len; i++) {
    const value = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > value) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = value;
  }
}
