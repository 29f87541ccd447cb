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
 * The weights are first cut into limbs (`weightLimbs`, weight-limbs.ts) on
 * which every sum is exact, so a weight sum is the exact sum of its baskets'
 * weights rounded once: it does not depend on the order of the baskets, loses
 * no weight however small beside the largest, and does not overflow on the way.
 *
 * Output is complete and exact: every itemset with count ≥ the minimum count
 * and at most `maxLength` items, each exactly once, items ascending within an
 * itemset. Itemset order is unspecified (deterministic for a given input).
 */
import { UserError } from '../../core/errors/user-error.js';
import { type Baskets, countBaskets, validateBaskets } from './baskets.js';
import { FpTree } from './fp-tree.js';
import { limbSum, weightLimbs, type WeightLimbs } from './weight-limbs.js';
import { exactSum } from '../../core/exact-sum.js';
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
  const weights = options.weights && checkWeights(options.weights, nBaskets);
  const limbs = weights ? weightLimbs(weights) : null;
  const L = limbs ? limbs.count : 0;
  const limbValues = limbs ? limbs.values : null;
  const { offsets, items, nItems } = baskets;

  // pass 1: item counts
  const itemCounts = new Float64Array(nItems);
  const itemWeights = limbValues ? new Float64Array(nItems * L) : null;
  for (let b = 0; b < nBaskets; b++) {
    for (let k = offsets[b]; k < offsets[b + 1]; k++) {
      itemCounts[items[k]]++;
      if (itemWeights && limbValues) for (let j = 0; j < L; j++) itemWeights[items[k] * L + j] += limbValues[b * L + j];
    }
  }
  const frequent: number[] = [];
  for (let i = 0; i < nItems; i++) if (itemCounts[i] >= minCount) frequent.push(i);
  frequent.sort((a, b) => itemCounts[b] - itemCounts[a] || a - b);
  const nFrequent = frequent.length;
  const rankOf = new Int32Array(nItems).fill(-1);
  const localToGlobal = new Int32Array(nFrequent);
  const rootCounts = new Float64Array(nFrequent);
  const rootWeights = itemWeights ? new Float64Array(nFrequent * L) : null;
  let pathTotal = 0;
  for (let r = 0; r < nFrequent; r++) {
    const item = frequent[r];
    rankOf[item] = r;
    localToGlobal[r] = item;
    rootCounts[r] = itemCounts[item];
    if (rootWeights && itemWeights) rootWeights.set(itemWeights.subarray(item * L, item * L + L), r * L);
    pathTotal += itemCounts[item];
  }

  // pass 2: the FP-tree
  const tree = new FpTree(localToGlobal, rootCounts, rootWeights, Math.min(pathTotal, 1 << 20), L);
  const path = new Int32Array(Math.max(1, nFrequent));
  for (let b = 0; b < nBaskets; b++) {
    let len = 0;
    for (let k = offsets[b]; k < offsets[b + 1]; k++) {
      const r = rankOf[items[k]];
      if (r >= 0) path[len++] = r;
    }
    if (len === 0) continue;
    sortAscending(path, len);
    tree.insert(path, len, 1, limbValues, b * L);
  }

  const miner = new FpMiner(nFrequent, minCount, maxLength, L);
  if (nFrequent > 0) miner.mine(tree, 0);
  const out = miner.output;
  return {
    offsets: out.offsets.slice(0, out.count + 1),
    items: out.items.slice(0, out.itemsLength),
    supportCounts: out.counts.slice(0, out.count),
    ...(weights && limbs ? { weightSums: weightSumsOf(limbs, out.weights, out.count), totalWeight: exactSum(weights) } : {}),
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

/** Each itemset's weight sum from its limbs' sums (`limbSum`). */
function weightSumsOf(limbs: WeightLimbs, sums: Float64Array, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) out[k] = limbSum(limbs, sums, k * limbs.count);
  return out;
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
  weights: Float64Array;
  count = 0;
  itemsLength = 0;

  /** limbs per weight sum: itemset k's at weights[k · limbs …] */
  constructor(private readonly limbs: number) {
    this.weights = new Float64Array(1024 * limbs);
  }

  /** Adds an itemset; its weight sum's limbs from weights[at …] (none without weights). */
  push(suffix: Int32Array, len: number, supportCount: number, weights: Float64Array | null, at: number): void {
    if (this.count + 2 > this.offsets.length) {
      const size = this.offsets.length * 2;
      this.offsets = grow(new Uint32Array(size), this.offsets);
      this.counts = grow(new Float64Array(size), this.counts);
      this.weights = grow(new Float64Array(size * this.limbs), this.weights);
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
    if (weights) this.weights.set(weights.subarray(at, at + this.limbs), this.count * this.limbs);
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
  readonly output: ItemsetBuffer;
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
    /** limbs per weight (weight-limbs.ts), 0 without weights */
    private readonly limbs: number,
  ) {
    const size = Math.max(1, nFrequent);
    this.output = new ItemsetBuffer(limbs);
    this.suffix = new Int32Array(size + 1);
    this.condCount = new Float64Array(size);
    this.condWeight = new Float64Array(size * limbs);
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
      this.output.push(this.suffix, depth + 1, tree.itemCount[r], tree.itemWeight, r * this.limbs);
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
      this.output.push(this.suffix, len + 1, tree.nodeCount[node], tree.nodeWeight, node * this.limbs);
      this.minePath(tree, node + 1, len + 1);
    }
  }

  /** The conditional FP-tree of local item r, or null when no item in it is frequent. */
  private buildConditional(tree: FpTree, r: number): FpTree | null {
    const { nodeParent, nodeItem, nodeCount, nodeWeight, nodeNext } = tree;
    const { condCount, condWeight, touched, rankMap, pathBuffer } = this;
    const L = this.limbs;
    const weighted = nodeWeight !== null;
    let nTouched = 0;
    let nodesInChain = 0;
    for (let node = tree.head[r]; node !== -1; node = nodeNext[node]) {
      nodesInChain++;
      const c = nodeCount[node];
      for (let p = nodeParent[node]; p !== 0; p = nodeParent[p]) {
        const item = nodeItem[p];
        if (condCount[item] === 0) touched[nTouched++] = item;
        condCount[item] += c;
        if (weighted) for (let j = 0; j < L; j++) condWeight[item * L + j] += nodeWeight[node * L + j];
      }
    }
    if (nTouched === 0) return null;
    touched.subarray(0, nTouched).sort();
    let nLocal = 0;
    for (let k = 0; k < nTouched; k++) if (condCount[touched[k]] >= this.minCount) nLocal++;
    if (nLocal === 0) {
      for (let k = 0; k < nTouched; k++) {
        condCount[touched[k]] = 0;
        condWeight.fill(0, touched[k] * L, touched[k] * L + L);
      }
      return null;
    }
    const localToGlobal = new Int32Array(nLocal);
    const itemCount = new Float64Array(nLocal);
    const itemWeight = weighted ? new Float64Array(nLocal * L) : null;
    let next = 0;
    for (let k = 0; k < nTouched; k++) {
      const old = touched[k];
      if (condCount[old] >= this.minCount) {
        rankMap[old] = next;
        localToGlobal[next] = tree.localToGlobal[old];
        itemCount[next] = condCount[old];
        if (itemWeight) itemWeight.set(condWeight.subarray(old * L, old * L + L), next * L);
        next++;
      }
      condCount[old] = 0;
      condWeight.fill(0, old * L, old * L + L);
    }
    const conditional = new FpTree(localToGlobal, itemCount, itemWeight, Math.min(nodesInChain * 2, 1 << 16), L);
    for (let node = tree.head[r]; node !== -1; node = nodeNext[node]) {
      let len = 0;
      for (let p = nodeParent[node]; p !== 0; p = nodeParent[p]) {
        const mapped = rankMap[nodeItem[p]];
        if (mapped >= 0) pathBuffer[len++] = mapped;
      }
      if (len > 0) conditional.insertReversed(pathBuffer, len, nodeCount[node], nodeWeight, node * L);
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
