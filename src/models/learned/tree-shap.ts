/**
 * Exact SHAP values of tree ensembles in polynomial time: TreeSHAP
 * (Lundberg, Erion & Lee 2018, "Consistent individualized feature attribution
 * for tree ensembles", arXiv:1802.03888, Algorithm 2; the path bookkeeping
 * follows the reference implementation, shap's tree_shap.h). The value of a
 * feature subset S is E[f(x) | x_S] with the expectation taken over the
 * training rows' path through each tree (node covers = hessian sums), so
 * features not in S are averaged by cover. Contributions of a row plus the
 * bias (initial score + each tree's cover-weighted mean output) add up exactly
 * to its raw score. Unlike path attributions (tree-contributions.ts) they are
 * consistent and do not depend on the order of the splits.
 *
 * Example: `computeTreeShap(model, columns).contributions[i·F + f]` is feature
 * f's Shapley value for row i on the link scale. With at least 2^depth rows,
 * trees up to depth 8 are evaluated from per-leaf tables (`leafTables`;
 * `{ leafTables: false }` walks every row through the recursion instead, as
 * deeper trees and few rows are).
 */
import { UserError } from '../../core/errors/user-error.js';
import type { GradientBoostedModel } from './gradient-boosting.js';
import { goesLeftAt, type RegressionTree } from './grow-tree.js';
import type { TreeContributions } from './tree-contributions.js';

/** The path of unique features from the root to the current node (shap's PathElement array). */
interface Path {
  readonly feature: Int32Array;
  readonly zero: Float64Array;
  readonly one: Float64Array;
  readonly weight: Float64Array;
}

function extendPath(p: Path, start: number, depth: number, zero: number, one: number, feature: number): void {
  const weight = p.weight;
  p.feature[start + depth] = feature;
  p.zero[start + depth] = zero;
  p.one[start + depth] = one;
  weight[start + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    const w = weight[start + i]!;
    weight[start + i + 1] += (one * w * (i + 1)) / (depth + 1);
    weight[start + i] = (zero * w * (depth - i)) / (depth + 1);
  }
}

function unwindPath(p: Path, start: number, depth: number, index: number): void {
  const one = p.one[start + index];
  const zero = p.zero[start + index];
  let next = p.weight[start + depth];
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = p.weight[start + i];
      p.weight[start + i] = (next * (depth + 1)) / ((i + 1) * one);
      next = tmp - (p.weight[start + i] * zero * (depth - i)) / (depth + 1);
    } else {
      p.weight[start + i] = (p.weight[start + i] * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    p.feature[start + i] = p.feature[start + i + 1];
    p.zero[start + i] = p.zero[start + i + 1];
    p.one[start + i] = p.one[start + i + 1];
  }
}

function unwoundPathSum(p: Path, start: number, depth: number, index: number): number {
  const weight = p.weight;
  const one = p.one[start + index]!;
  const zero = p.zero[start + index]!;
  let next = weight[start + depth]!;
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (next * (depth + 1)) / ((i + 1) * one);
      total += tmp;
      next = weight[start + i]! - tmp * zero * ((depth - i) / (depth + 1));
    } else if (zero !== 0) {
      total += weight[start + i]! / zero / ((depth - i) / (depth + 1));
    }
  }
  return total;
}

/** Copies `length` path elements (a tree's depth, a handful): a loop, as four `copyWithin` calls cost more than the copy. */
function copyPath(p: Path, from: number, to: number, length: number): void {
  const { feature, zero, one, weight } = p;
  for (let j = 0; j < length; j++) {
    feature[to + j] = feature[from + j]!;
    zero[to + j] = zero[from + j]!;
    one[to + j] = one[from + j]!;
    weight[to + j] = weight[from + j]!;
  }
}

function treeDepth(tree: RegressionTree, node = 0): number {
  return tree.feature[node] < 0 ? 0 : 1 + Math.max(treeDepth(tree, tree.left[node]), treeDepth(tree, tree.right[node]));
}

/** Cover-weighted mean output of a tree: the expected value of the tree over its training rows. */
export function computeTreeExpectedValue(tree: RegressionTree, node = 0): number {
  if (tree.feature[node] < 0) return tree.value[node];
  const l = tree.left[node], r = tree.right[node];
  const cover = tree.cover[l] + tree.cover[r];
  if (!(cover > 0)) return tree.value[node];
  return (tree.cover[l] * computeTreeExpectedValue(tree, l) + tree.cover[r] * computeTreeExpectedValue(tree, r)) / cover;
}

/** SHAP values of every row for one loss output (see the file header). */
export function computeTreeShap(model: GradientBoostedModel, columns: readonly Float64Array[], output = 0, options: { /** true: leaf tables whatever the number of rows (trees up to depth 8); false: the recursion; default: tables when there are at least 2^depth rows */ readonly leafTables?: boolean } = {}): TreeContributions {
  const features = model.featureNames.length;
  if (columns.length !== features) throw new UserError(`TreeSHAP: ${columns.length} feature columns given, the model has ${features}`, 'pass the training columns in order');
  if (!(output >= 0 && output < model.initialScores.length)) throw new UserError(`TreeSHAP: no output ${output}`, `the model has ${model.initialScores.length} output(s)`);
  const rows = features === 0 ? 0 : columns[0].length;
  const contributions = new Float64Array(rows * features);
  let bias = model.initialScores[output];
  let maxDepth = 0;
  for (const round of model.trees) {
    bias += computeTreeExpectedValue(round[output]);
    maxDepth = Math.max(maxDepth, treeDepth(round[output]));
  }
  const size = ((maxDepth + 3) * (maxDepth + 4)) / 2;
  const path: Path = { feature: new Int32Array(size), zero: new Float64Array(size), one: new Float64Array(size), weight: new Float64Array(size) };

  const walk: Walk = { tree: model.trees[0]?.[output] as RegressionTree, columns, contributions, path, row: 0, base: 0 };
  const masks = new Int32Array(Math.max(0, ...model.trees.map((round) => round[output].feature.length)));
  // a leaf's table costs about 2^m·m² steps, the recursion m² per row: tables when there are rows enough to pay
  const useTables = maxDepth <= MAX_TABLE_DEPTH && (options.leafTables ?? rows >= 1 << maxDepth);
  for (const round of model.trees) {
    const tree = round[output];
    const leaves = useTables ? leafTables(tree, path) : null;
    if (leaves === null) {
      walk.tree = tree;
      for (let i = 0; i < rows; i++) {
        walk.row = i;
        walk.base = i * features;
        recurse(walk, 0, -1, 0, 1, 1, -1);
      }
      continue;
    }
    const { leaves: leafList, order, slotOf } = leaves;
    for (let i = 0; i < rows; i++) {
      // which path features the row follows, node by node from the root (parents before children): a bit per feature
      masks[0] = -1;
      for (let o = 0; o < order.length; o++) {
        const node = order[o]!;
        const split = tree.feature[node]!;
        const v = columns[split]![i]!;
        const left = goesLeftAt(tree, node, v);
        const off = ~(1 << slotOf[node]!);
        masks[tree.left[node]!] = left ? masks[node]! : masks[node]! & off;
        masks[tree.right[node]!] = left ? masks[node]! & off : masks[node]!;
      }
      const base = i * features;
      for (const leaf of leafList) {
        const m = leaf.features.length;
        const row = (masks[leaf.node]! & ((1 << m) - 1)) * m;
        for (let j = 0; j < m; j++) contributions[base + leaf.features[j]!] += leaf.table[row + j]!;
      }
    }
  }
  return { bias, contributions, features };
}

/**
 * Trees up to this depth may be walked by leaf tables: 2^depth × depth numbers a leaf, so at most 2,048 (16 KiB) a
 * leaf and 4 MiB for a full tree of 256 leaves, held for one tree at a time; deeper ones by the recursion.
 */
const MAX_TABLE_DEPTH = 8;

/**
 * A leaf's share of every row's SHAP values, by which of its path's features the row follows. A leaf adds to the
 * features split on along its path only, and how much depends on the row through one bit per such feature: whether
 * the row takes the path's side at every split on it (the path element's "one" fraction, 1 or 0; the "zero" fraction
 * is the product of the cover shares and does not depend on the row). So the leaf's contributions are tabulated once
 * for each of the 2^m patterns — the same path arithmetic as the recursion's at a leaf — and a row looks its pattern
 * up (the tabulation of "Fast TreeSHAP", Yang 2021, arXiv:2109.09847, §3.2): per row and leaf O(depth) instead of
 * O(depth²), and no walk of the cold branches.
 */
interface LeafTable {
  /** the leaf's node */
  readonly node: number;
  /** the unique features split on along the path, in path order (m of them) */
  readonly features: Int32Array;
  /** [pattern · m + j]: the leaf's contribution to features[j] when bit k of the pattern says the row follows the path on features[k] */
  readonly table: Float64Array;
}

/** A tree's leaf tables, its split nodes in an order that visits parents first, and each split's feature's place in its path. */
interface TreeTables {
  readonly leaves: readonly LeafTable[];
  readonly order: Int32Array;
  readonly slotOf: Int32Array;
}

function leafTables(tree: RegressionTree, path: Path): TreeTables {
  const tables: LeafTable[] = [];
  const order: number[] = [];
  const slotOf = new Int32Array(tree.feature.length);
  const walkDown = (node: number, features: number[], zeros: number[]): void => {
    const split = tree.feature[node]!;
    if (split < 0) {
      const m = features.length;
      const table = new Float64Array((1 << m) * m);
      for (let pattern = 0; pattern < 1 << m; pattern++) {
        extendPath(path, 0, 0, 1, 1, -1);
        for (let j = 0; j < m; j++) extendPath(path, 0, j + 1, zeros[j]!, (pattern >> j) & 1, features[j]!);
        for (let k = 1; k <= m; k++) table[pattern * m + k - 1] = unwoundPathSum(path, 0, m, k) * (path.one[k]! - path.zero[k]!) * tree.value[node]!;
      }
      tables.push({ node, features: Int32Array.from(features), table });
      return;
    }
    const cover = tree.cover[node]!;
    const seen = features.indexOf(split);
    order.push(node);
    slotOf[node] = seen >= 0 ? seen : features.length;
    for (const child of [tree.left[node]!, tree.right[node]!]) {
      const share = tree.cover[child]! / cover;
      const nextFeatures = seen >= 0 ? features : [...features, split];
      const nextZeros = seen >= 0 ? zeros.map((z, j) => (j === seen ? z * share : z)) : [...zeros, share];
      walkDown(child, nextFeatures, nextZeros);
    }
  };
  walkDown(0, [], []);
  return { leaves: tables, order: Int32Array.from(order), slotOf };
}

/** What one row's walk through one tree reads and writes (a plain object: a closure per tree cost a context load per access). */
interface Walk {
  tree: RegressionTree;
  readonly columns: readonly Float64Array[];
  readonly contributions: Float64Array;
  readonly path: Path;
  row: number;
  base: number;
}

function recurse(w: Walk, node: number, parentStart: number, depth: number, zero: number, one: number, feature: number): void {
  const { tree, path } = w;
  // this level's path starts after the parent's (its depth + 1 elements), as in shap's tree_shap.h
  const start = parentStart + depth + 1;
  if (depth > 0) copyPath(path, parentStart, start, depth);
  extendPath(path, start, depth, zero, one, feature);
  const split = tree.feature[node]!;
  if (split < 0) {
    const value = tree.value[node]!;
    for (let k = 1; k <= depth; k++) {
      const s = unwoundPathSum(path, start, depth, k);
      w.contributions[w.base + path.feature[start + k]!] += s * (path.one[start + k]! - path.zero[start + k]!) * value;
    }
    return;
  }
  const v = w.columns[split]![w.row]!;
  const goesLeft = goesLeftAt(tree, node, v);
  const hot = goesLeft ? tree.left[node]! : tree.right[node]!;
  const cold = goesLeft ? tree.right[node]! : tree.left[node]!;
  const cover = tree.cover[node]!;
  let incomingZero = 1, incomingOne = 1;
  let nextDepth = depth;
  let k = 1;
  while (k <= depth && path.feature[start + k] !== split) k++;
  if (k <= depth) {
    incomingZero = path.zero[start + k]!;
    incomingOne = path.one[start + k]!;
    unwindPath(path, start, depth, k);
    nextDepth--;
  }
  recurse(w, hot, start, nextDepth + 1, (tree.cover[hot]! / cover) * incomingZero, incomingOne, split);
  recurse(w, cold, start, nextDepth + 1, (tree.cover[cold]! / cover) * incomingZero, 0, split);
}
