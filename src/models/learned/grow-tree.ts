/**
 * Grow one regression tree on gradient histograms, best-first (leaf-wise:
 * Shi 2007, "Best-first decision tree learning"; LightGBM's growth policy):
 * the open leaf with the largest gain is split next, until `maxLeaves` leaves,
 * `maxDepth` levels or no split with gain > minSplitGain remains. Each split
 * builds the histogram of the smaller child and derives the larger one by
 * subtraction. Ties between leaves of equal gain go to the older leaf.
 *
 * The tree is a plain JSON value (parallel arrays indexed by node; node 0 is
 * the root). Every node, internal ones included, carries its output
 * −G/(H+λ)·η, which path attributions (tree-contributions.ts) need.
 */
import { MISSING_BIN } from './feature-bins.js';
import { buildHistogramFromPairs, computeLeafOutput, interleaveGradients, createHistogram, findBestSplit, subtractHistogram, type NodeStats, type SplitOptions, type SplitRule } from './histogram-split.js';

/** A fitted regression tree. feature[i] = −1 marks a leaf. */
export interface RegressionTree {
  readonly feature: readonly number[];
  /** raw-value rule: go left when value ≤ threshold (Number.MAX_VALUE: every non-missing value goes left) */
  readonly threshold: readonly number[];
  /** binned rule: go left when bin code ≤ bin */
  readonly bin: readonly number[];
  readonly missingLeft: readonly boolean[];
  readonly left: readonly number[];
  readonly right: readonly number[];
  /** node output (learning rate applied): the prediction at a leaf */
  readonly value: readonly number[];
  /** split gain (0 at leaves) */
  readonly gain: readonly number[];
  /** hessian sum of the node's training rows */
  readonly cover: readonly number[];
}

/** Whether `value` goes to the left child at split `node` of `tree`: at or below the threshold, or missing where missing values go left. */
export function goesLeftAt(tree: RegressionTree, node: number, value: number): boolean {
  return value <= tree.threshold[node]! || (value !== value && tree.missingLeft[node]!);
}

export interface GrowTreeOptions extends SplitOptions {
  readonly maxDepth: number;
  readonly maxLeaves: number;
  readonly learningRate: number;
}

/** The training matrix a tree is grown on. */
export interface BinnedMatrix {
  /** row-major bin codes: codes[row·features + feature] (histogram passes read a row's codes together) */
  readonly codes: Uint8Array;
  /** the same codes column-major, columnCodes[feature·rows + row] (the partition reads one feature of many rows); built from `codes` when absent */
  readonly columnCodes?: Uint8Array;
  readonly rows: number;
  readonly features: number;
  /** number of value bins per feature */
  readonly valueBins: readonly number[];
  /** upper bin edges per feature (to turn a bin rule into a raw threshold) */
  readonly edges: readonly Float64Array[];
}

interface OpenLeaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  /** null for a leaf that cannot be split (its histogram was never built) */
  histogram: Float64Array | null;
  split: SplitRule | null;
}

/**
 * Grow a tree on rows[0..rowCount) (the sampled rows; reordered in place) with
 * per-row gradient and hessian. `histogramPool` holds spare histogram buffers
 * (taken from and returned to it; pass the same array for every tree). With
 * `leafRanges`, every leaf is appended as (node, start, end): its rows are
 * rows[start..end) as the function leaves them. `pairBuffer` (2 numbers per row of `gradient`) holds the
 * interleaved gradients the histograms read; pass the same one for every tree of a fit to save an allocation.
 */
export function growRegressionTree(
  matrix: BinnedMatrix,
  rows: Uint32Array,
  rowCount: number,
  gradient: Float64Array,
  hessian: Float64Array,
  options: GrowTreeOptions,
  histogramPool: Float64Array[] = [],
  leafRanges?: number[],
  pairBuffer?: Float64Array,
): RegressionTree {
  const { codes, features, valueBins, edges } = matrix;
  const columnCodes = matrix.columnCodes ?? transposeCodes(codes, matrix.rows, features);
  const scratch = new Uint32Array(rowCount);
  const feature: number[] = [], threshold: number[] = [], bin: number[] = [], missingLeft: boolean[] = [];
  const left: number[] = [], right: number[] = [], value: number[] = [], gain: number[] = [], cover: number[] = [];
  const addNode = (stats: NodeStats): number => {
    feature.push(-1);
    threshold.push(0);
    bin.push(0);
    missingLeft.push(false);
    left.push(-1);
    right.push(-1);
    value.push(computeLeafOutput(stats.gradient, stats.hessian, options.l2) * options.learningRate);
    gain.push(0);
    cover.push(stats.hessian);
    return value.length - 1;
  };
  const splitOf = (histogram: Float64Array, stats: NodeStats, depth: number): SplitRule | null =>
    depth < options.maxDepth ? findBestSplit(histogram, valueBins, stats, options) : null;

  let g = 0, h = 0;
  for (let k = 0; k < rowCount; k++) {
    g += gradient[rows[k]];
    h += hessian[rows[k]];
  }
  const rootStats = { gradient: g, hessian: h, count: rowCount };
  const pairs = interleaveGradients(gradient, hessian, pairBuffer !== undefined && pairBuffer.length === 2 * gradient.length ? pairBuffer : undefined);
  // histograms are large (features × 256 × 3 numbers): reuse the caller's spare ones
  const takeHistogram = () => histogramPool.pop() ?? createHistogram(features);
  const rootHistogram = takeHistogram();
  buildHistogramFromPairs(codes, features, rows, 0, rowCount, pairs, rootHistogram);
  const open: OpenLeaf[] = [{ node: addNode(rootStats), start: 0, end: rowCount, depth: 0, histogram: rootHistogram, split: splitOf(rootHistogram, rootStats, 0) }];
  let leaves = 1;
  while (leaves < options.maxLeaves) {
    let pick = -1;
    for (let i = 0; i < open.length; i++) {
      const s = open[i].split;
      if (s !== null && (pick < 0 || s.gain > open[pick].split!.gain)) pick = i;
    }
    if (pick < 0) break;
    const leaf = open[pick];
    open.splice(pick, 1);
    const split = leaf.split!;
    // stable partition of rows[start..end), left rows first: each node keeps its rows in increasing
    // order, so histogram passes read the code matrix front to back
    // branchless: every row is written to both sides and only the side it belongs to advances
    // (rows[middle] is written at or behind the read position k)
    const f = split.feature;
    const column = columnCodes.subarray(f * matrix.rows, (f + 1) * matrix.rows);
    const splitBin = split.bin, missingLeftBit = split.missingLeft ? 1 : 0;
    let middle = leaf.start;
    let spilled = 0;
    for (let k = leaf.start; k < leaf.end; k++) {
      const row = rows[k];
      const code = column[row]!;
      const goesLeft = +(code <= splitBin) | (+(code === MISSING_BIN) & missingLeftBit);
      rows[middle] = row;
      scratch[spilled] = row;
      middle += goesLeft;
      spilled += 1 - goesLeft;
    }
    rows.set(scratch.subarray(0, spilled), middle);
    const node = leaf.node;
    feature[node] = f;
    bin[node] = split.bin;
    threshold[node] = split.bin < edges[f].length ? edges[f][split.bin] : Number.MAX_VALUE;
    missingLeft[node] = split.missingLeft;
    gain[node] = split.gain;
    const leftNode = addNode(split.left);
    const rightNode = addNode(split.right);
    left[node] = leftNode;
    right[node] = rightNode;
    leaves++;
    const depth = leaf.depth + 1;
    const leftStats = split.left, rightStats = split.right;
    // a child that can never be split needs no histogram: too deep, too few rows, or no leaf left to grow
    const splittable = (stats: NodeStats) => depth < options.maxDepth && stats.count >= 2 * options.minChildRows && leaves < options.maxLeaves;
    let leftHistogram: Float64Array | null = null;
    let rightHistogram: Float64Array | null = null;
    if (splittable(leftStats) || splittable(rightStats)) {
      // build the smaller child, subtract for the larger (reusing the parent's buffer)
      const leftIsSmaller = middle - leaf.start <= leaf.end - middle;
      const small = takeHistogram();
      if (leftIsSmaller) buildHistogramFromPairs(codes, features, rows, leaf.start, middle, pairs, small);
      else buildHistogramFromPairs(codes, features, rows, middle, leaf.end, pairs, small);
      subtractHistogram(leaf.histogram!, small, leaf.histogram!);
      leftHistogram = leftIsSmaller ? small : leaf.histogram;
      rightHistogram = leftIsSmaller ? leaf.histogram : small;
    } else {
      histogramPool.push(leaf.histogram!);
    }
    const child = (node: number, start: number, end: number, histogram: Float64Array | null, stats: NodeStats): OpenLeaf => ({
      node,
      start,
      end,
      depth,
      histogram,
      split: histogram !== null && splittable(stats) ? splitOf(histogram, stats, depth) : null,
    });
    open.push(child(leftNode, leaf.start, middle, leftHistogram, leftStats), child(rightNode, middle, leaf.end, rightHistogram, rightStats));
  }
  for (const leaf of open) {
    if (leaf.histogram !== null) histogramPool.push(leaf.histogram);
    leafRanges?.push(leaf.node, leaf.start, leaf.end);
  }
  return { feature, threshold, bin, missingLeft, left, right, value, gain, cover };
}

/** rows transposed together (their codes, rows × features bytes, stay in cache) */
const TRANSPOSE_BLOCK_ROWS = 4096;

/** Column-major copy of a row-major code matrix: out[feature·rows + row] = codes[row·features + feature]. */
export function transposeCodes(codes: Uint8Array, rows: number, features: number): Uint8Array {
  const out = new Uint8Array(rows * features);
  for (let start = 0; start < rows; start += TRANSPOSE_BLOCK_ROWS) {
    const end = Math.min(rows, start + TRANSPOSE_BLOCK_ROWS);
    for (let f = 0; f < features; f++) {
      for (let i = start, at = start * features + f, to = f * rows + start; i < end; i++, at += features, to++) out[to] = codes[at]!;
    }
  }
  return out;
}

/** The leaf a row of the binned matrix falls in. */
export function findBinnedLeaf(tree: RegressionTree, codes: Uint8Array, rowBase: number): number {
  let node = 0;
  while (tree.feature[node] >= 0) {
    const code = codes[rowBase + tree.feature[node]];
    const goesLeft = code === MISSING_BIN ? tree.missingLeft[node] : code <= tree.bin[node];
    node = goesLeft ? tree.left[node] : tree.right[node];
  }
  return node;
}
