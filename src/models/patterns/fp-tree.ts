/**
 * A flat FP-tree (Han, Pei & Yin 2000): every node lives in parallel typed
 * arrays (item, parent, count, optional weight, next node of the same item),
 * children are found through an open-addressing hash table keyed by
 * (parent, item), and each item's nodes are chained from `head`. No object is
 * allocated per node. Node 0 is the root. A weight is `limbs` whole numbers
 * (weight-limbs.ts), node n's at nodeWeight[n · limbs …]: their sums are exact.
 *
 * Items inside a tree are local ranks 0..nLocal−1; a path is always inserted in
 * ascending rank order, so ancestors have smaller ranks than descendants.
 * Internal to fp-growth.ts.
 */
export class FpTree {
  nodeItem: Int32Array;
  nodeParent: Int32Array;
  nodeCount: Float64Array;
  nodeWeight: Float64Array | null;
  nodeNext: Int32Array;
  nodeHasChild: Uint8Array;
  /** number of nodes including the root */
  size = 1;
  /** true while no node has two children: then the tree is one path */
  singlePath = true;
  /** per local item: first node of its chain, −1 if none */
  readonly head: Int32Array;
  private table: Int32Array;
  private mask: number;
  private filled = 0;

  constructor(
    /** per local rank: the global item id */
    readonly localToGlobal: Int32Array,
    /** per local rank: support count in this (conditional) database */
    readonly itemCount: Float64Array,
    /** per local rank r: its weight sum's limbs at r · limbs, or null without weights */
    readonly itemWeight: Float64Array | null,
    initialNodes: number,
    /** limbs per weight (0 without weights) */
    readonly limbs = 0,
  ) {
    const capacity = Math.max(16, initialNodes + 1);
    this.nodeItem = new Int32Array(capacity);
    this.nodeParent = new Int32Array(capacity);
    this.nodeCount = new Float64Array(capacity);
    this.nodeWeight = itemWeight ? new Float64Array(capacity * limbs) : null;
    this.nodeNext = new Int32Array(capacity);
    this.nodeHasChild = new Uint8Array(capacity);
    this.nodeItem[0] = -1;
    this.nodeParent[0] = -1;
    this.head = new Int32Array(localToGlobal.length).fill(-1);
    let tableSize = 16;
    while (tableSize < capacity * 2) tableSize *= 2;
    this.table = new Int32Array(tableSize).fill(-1);
    this.mask = tableSize - 1;
  }

  get nLocal(): number {
    return this.localToGlobal.length;
  }

  /**
   * Inserts path[len−1], path[len−2], …, path[0] (i.e. `path` holds the ranks in
   * descending order, as collected when walking up a tree) with the given count
   * and weight (its limbs at weights[at …], ignored without weights).
   */
  insertReversed(path: Int32Array, len: number, count: number, weights: Float64Array | null, at: number): void {
    let node = 0;
    for (let k = len - 1; k >= 0; k--) node = this.step(node, path[k], count, weights, at);
  }

  /** Inserts path[0..len) (ascending ranks). */
  insert(path: Int32Array, len: number, count: number, weights: Float64Array | null, at: number): void {
    let node = 0;
    for (let k = 0; k < len; k++) node = this.step(node, path[k], count, weights, at);
  }

  private step(parent: number, item: number, count: number, weights: Float64Array | null, at: number): number {
    let h = hashPair(parent, item) & this.mask;
    const table = this.table;
    for (;;) {
      const child = table[h];
      if (child === -1) break;
      if (this.nodeParent[child] === parent && this.nodeItem[child] === item) {
        this.nodeCount[child] += count;
        if (this.nodeWeight && weights) for (let j = 0, to = child * this.limbs; j < this.limbs; j++) this.nodeWeight[to + j] += weights[at + j];
        return child;
      }
      h = (h + 1) & this.mask;
    }
    if (this.size === this.nodeItem.length) this.growNodes();
    const node = this.size++;
    this.nodeItem[node] = item;
    this.nodeParent[node] = parent;
    this.nodeCount[node] = count;
    if (this.nodeWeight && weights) for (let j = 0, to = node * this.limbs; j < this.limbs; j++) this.nodeWeight[to + j] = weights[at + j];
    this.nodeNext[node] = this.head[item];
    this.head[item] = node;
    if (this.nodeHasChild[parent] === 1) this.singlePath = false;
    else this.nodeHasChild[parent] = 1;
    table[h] = node;
    this.filled++;
    if (this.filled * 2 > table.length) this.rehash();
    return node;
  }

  private growNodes(): void {
    const capacity = this.nodeItem.length * 2;
    this.nodeItem = copyInto(new Int32Array(capacity), this.nodeItem);
    this.nodeParent = copyInto(new Int32Array(capacity), this.nodeParent);
    this.nodeCount = copyInto(new Float64Array(capacity), this.nodeCount);
    if (this.nodeWeight) this.nodeWeight = copyInto(new Float64Array(capacity * this.limbs), this.nodeWeight);
    this.nodeNext = copyInto(new Int32Array(capacity), this.nodeNext);
    this.nodeHasChild = copyInto(new Uint8Array(capacity), this.nodeHasChild);
  }

  private rehash(): void {
    const size = this.table.length * 2;
    const table = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let node = 1; node < this.size; node++) {
      let h = hashPair(this.nodeParent[node], this.nodeItem[node]) & mask;
      while (table[h] !== -1) h = (h + 1) & mask;
      table[h] = node;
    }
    this.table = table;
    this.mask = mask;
  }
}

function copyInto<T extends Int32Array | Float64Array | Uint8Array>(target: T, source: T): T {
  target.set(source as never);
  return target;
}

/** 32-bit mix of (parent, item); the caller masks it to the table size. */
function hashPair(parent: number, item: number): number {
  let h = Math.imul(parent, 0x9e3779b1) ^ Math.imul(item + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}
