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
 * f's Shapley value for row i on the link scale.
 */
import { UserError } from '../../core/errors/user-error.js';
import type { GradientBoostedModel } from './gradient-boosting.js';
import type { RegressionTree } from './grow-tree.js';
import type { TreeContributions } from './tree-contributions.js';

/** The path of unique features from the root to the current node (shap's PathElement array). */
interface Path {
  readonly feature: Int32Array;
  readonly zero: Float64Array;
  readonly one: Float64Array;
  readonly weight: Float64Array;
}

function extendPath(p: Path, start: number, depth: number, zero: number, one: number, feature: number): void {
  p.feature[start + depth] = feature;
  p.zero[start + depth] = zero;
  p.one[start + depth] = one;
  p.weight[start + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    p.weight[start + i + 1] += (one * p.weight[start + i] * (i + 1)) / (depth + 1);
    p.weight[start + i] = (zero * p.weight[start + i] * (depth - i)) / (depth + 1);
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
  const one = p.one[start + index];
  const zero = p.zero[start + index];
  let next = p.weight[start + depth];
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (next * (depth + 1)) / ((i + 1) * one);
      total += tmp;
      next = p.weight[start + i] - tmp * zero * ((depth - i) / (depth + 1));
    } else if (zero !== 0) {
      total += p.weight[start + i] / zero / ((depth - i) / (depth + 1));
    }
  }
  return total;
}

function copyPath(p: Path, from: number, to: number, length: number): void {
  p.feature.copyWithin(to, from, from + length);
  p.zero.copyWithin(to, from, from + length);
  p.one.copyWithin(to, from, from + length);
  p.weight.copyWithin(to, from, from + length);
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
export function computeTreeShap(model: GradientBoostedModel, columns: readonly Float64Array[], output = 0): TreeContributions {
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

  for (const round of model.trees) {
    const tree = round[output];
    let i = 0;
    let base = 0;
    const recurse = (node: number, parentStart: number, depth: number, zero: number, one: number, feature: number): void => {
      // this level's path starts after the parent's (its depth + 1 elements), as in shap's tree_shap.h
      const start = parentStart + depth + 1;
      if (depth > 0) copyPath(path, parentStart, start, depth);
      extendPath(path, start, depth, zero, one, feature);
      const split = tree.feature[node];
      if (split < 0) {
        for (let k = 1; k <= depth; k++) {
          const w = unwoundPathSum(path, start, depth, k);
          contributions[base + path.feature[start + k]] += w * (path.one[start + k] - path.zero[start + k]) * tree.value[node];
        }
        return;
      }
      const v = columns[split][i];
      const goesLeft = v <= tree.threshold[node] || (v !== v && tree.missingLeft[node]);
      const hot = goesLeft ? tree.left[node] : tree.right[node];
      const cold = goesLeft ? tree.right[node] : tree.left[node];
      const cover = tree.cover[node];
      let incomingZero = 1, incomingOne = 1;
      let nextDepth = depth;
      let k = 1;
      while (k <= depth && path.feature[start + k] !== split) k++;
      if (k <= depth) {
        incomingZero = path.zero[start + k];
        incomingOne = path.one[start + k];
        unwindPath(path, start, depth, k);
        nextDepth--;
      }
      recurse(hot, start, nextDepth + 1, (tree.cover[hot] / cover) * incomingZero, incomingOne, split);
      recurse(cold, start, nextDepth + 1, (tree.cover[cold] / cover) * incomingZero, 0, split);
    };
    for (i = 0; i < rows; i++) {
      base = i * features;
      recurse(0, -1, 0, 1, 1, -1);
    }
  }
  return { bias, contributions, features };
}
