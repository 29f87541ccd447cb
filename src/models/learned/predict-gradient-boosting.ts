/**
 * Scoring with a fitted gradient-boosted model on raw feature columns
 * (Float64Array per feature, NaN = missing; the same columns, in the same
 * order, as in training).
 *
 * For speed the trees are first flattened into typed arrays (once per model,
 * cached beside it — the model itself stays a plain value). Trees of depth
 * ≤ MAX_COMPLETE_DEPTH are scored on complete-tree layouts
 * (complete-tree-scorer.ts: index arithmetic, missing values without a test
 * per node). Deeper models use the node walk below: rows are copied
 * BLOCK_ROWS at a time into a row-major block and every tree is walked over
 * the block level by level, each row taking exactly the tree's depth in steps
 * (leaves point at themselves) with no branch per node: the block stays in
 * cache and the walk has no unpredictable branches.
 *
 * Example: `predictGradientBoosting(model, [x1, x2])` → Float64Array of expected
 * counts (Poisson/Tweedie), probabilities (logistic) or expected values (ZILN).
 */
import { UserError } from '../../core/errors/user-error.js';
import { createBoostingLoss } from './create-boosting-loss.js';
import { layOutCompleteTrees, scoreCompleteTrees, type CompleteTrees } from './complete-tree-scorer.js';
import type { GradientBoostedModel } from './gradient-boosting.js';

interface CompiledTrees {
  /** per output: roots of its trees in the flat arrays */
  readonly roots: readonly Int32Array[];
  /** per output: depth of each tree (the steps every row takes; leaves point at themselves) */
  readonly depths: readonly Int32Array[];
  /** split feature per node (0 at a leaf, whose threshold +∞ keeps every row in place) */
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  /** 1 where a missing value goes right */
  readonly missingRight: Int32Array;
  /** children: child[2·node] left, child[2·node + 1] right; a leaf's are itself */
  readonly child: Int32Array;
  readonly value: Float64Array;
}

/** rows scored together (the block of 256 × features doubles fits in the L2 cache) */
const BLOCK_ROWS = 256;

const compiledCache = new WeakMap<GradientBoostedModel, CompiledTrees>();
/** the complete-tree layout of a model (null: a tree too deep for it, so the node walk scores) */
const completeCache = new WeakMap<GradientBoostedModel, CompleteTrees | null>();

function completeLayout(model: GradientBoostedModel): CompleteTrees | null {
  if (!completeCache.has(model)) completeCache.set(model, layOutCompleteTrees(model.trees, model.initialScores.length, model.featureNames.length));
  return completeCache.get(model)!;
}

function compile(model: GradientBoostedModel): CompiledTrees {
  const cached = compiledCache.get(model);
  if (cached !== undefined) return cached;
  const outputs = model.initialScores.length;
  let nodes = 0;
  for (const round of model.trees) for (const tree of round) nodes += tree.feature.length;
  const feature = new Int32Array(nodes), child = new Int32Array(2 * nodes), missingRight = new Int32Array(nodes);
  const threshold = new Float64Array(nodes), value = new Float64Array(nodes);
  const roots = Array.from({ length: outputs }, () => new Int32Array(model.trees.length));
  const depths = Array.from({ length: outputs }, () => new Int32Array(model.trees.length));
  let offset = 0;
  model.trees.forEach((round, r) => {
    round.forEach((tree, k) => {
      roots[k]![r] = offset;
      const depth = new Int32Array(tree.feature.length); // nodes are stored parents first
      let deepest = 0;
      for (let i = 0; i < tree.feature.length; i++) {
        const g = offset + i;
        if (tree.feature[i]! >= 0) {
          feature[g] = tree.feature[i]!;
          threshold[g] = tree.threshold[i]!;
          missingRight[g] = tree.missingLeft[i] ? 0 : 1;
          child[2 * g] = offset + tree.left[i]!;
          child[2 * g + 1] = offset + tree.right[i]!;
          depth[tree.left[i]!] = depth[i]! + 1;
          depth[tree.right[i]!] = depth[i]! + 1;
          deepest = Math.max(deepest, depth[i]! + 1);
        } else {
          threshold[g] = Infinity;
          child[2 * g] = g;
          child[2 * g + 1] = g;
          value[g] = tree.value[i]!;
        }
      }
      depths[k]![r] = deepest;
      offset += tree.feature.length;
    });
  });
  const compiled = { roots, depths, feature, threshold, missingRight, child, value };
  compiledCache.set(model, compiled);
  return compiled;
}

function checkColumns(model: GradientBoostedModel, columns: readonly Float64Array[]): number {
  if (columns.length !== model.featureNames.length) {
    throw new UserError(`gradient boosting: ${columns.length} feature columns given, the model was trained on ${model.featureNames.length}`, `pass the columns ${model.featureNames.join(', ')} in that order`);
  }
  const rows = columns.length === 0 ? 0 : columns[0].length;
  for (const column of columns) if (column.length !== rows) throw new UserError('gradient boosting: feature columns of different lengths', 'pass columns of equal length');
  return rows;
}

/** Raw scores (link scale), output-major: out[k·rows + i]; `offset`: the per-row base margins of a model trained with them. */
export function predictGradientBoostingRaw(model: GradientBoostedModel, columns: readonly Float64Array[], offset?: Float64Array): Float64Array {
  const rows = checkColumns(model, columns);
  if (model.usesOffset === true && offset === undefined) throw new UserError('gradient boosting: the model was trained with per-row offsets and none were given', 'pass the offsets (the same base prediction as in training)');
  if (offset !== undefined && offset.length !== rows) throw new UserError(`gradient boosting: ${offset.length} offsets for ${rows} rows`, 'pass one offset per row');
  const complete = completeLayout(model);
  if (complete !== null) {
    const raw = new Float64Array(model.initialScores.length * rows);
    for (let k = 0; k < model.initialScores.length; k++) raw.fill(model.initialScores[k]!, k * rows, (k + 1) * rows);
    scoreCompleteTrees(complete, columns, rows, raw);
    if (model.usesOffset === true && offset !== undefined) for (let i = 0; i < rows; i++) raw[i] += offset[i];
    return raw;
  }
  const { roots, depths, feature, threshold, missingRight, child, value } = compile(model);
  const raw = new Float64Array(roots.length * rows);
  const features = columns.length;
  const block = new Float64Array(BLOCK_ROWS * features);
  const nodeOf = new Int32Array(BLOCK_ROWS);
  for (let k = 0; k < roots.length; k++) raw.fill(model.initialScores[k]!, k * rows, (k + 1) * rows);
  for (let start = 0; start < rows; start += BLOCK_ROWS) {
    const n = Math.min(BLOCK_ROWS, rows - start);
    for (let f = 0; f < features; f++) {
      const column = columns[f]!;
      for (let i = 0; i < n; i++) block[i * features + f] = column[start + i]!;
    }
    for (let k = 0; k < roots.length; k++) {
      const treeRoots = roots[k]!, treeDepths = depths[k]!;
      const out = k * rows + start;
      for (let t = 0; t < treeRoots.length; t++) {
        nodeOf.fill(treeRoots[t]!, 0, n);
        for (let step = treeDepths[t]!; step > 0; step--) {
          for (let i = 0; i < n; i++) {
            const node = nodeOf[i]!;
            const v = block[i * features + feature[node]!]!;
            // right when v > threshold, or v is missing and missing goes right: no branch per node
            nodeOf[i] = child[2 * node + (+(v > threshold[node]!) | (+(v !== v) & missingRight[node]!))]!;
          }
        }
        for (let i = 0; i < n; i++) raw[out + i]! += value[nodeOf[i]!]!;
      }
    }
  }
  if (model.usesOffset === true && offset !== undefined) for (let i = 0; i < rows; i++) raw[i] += offset[i];
  return raw;
}

/** Expected label per row: mean count or value, or the probability for the logistic loss. */
export function predictGradientBoosting(model: GradientBoostedModel, columns: readonly Float64Array[], offset?: Float64Array): Float64Array {
  const raw = predictGradientBoostingRaw(model, columns, offset);
  const rows = raw.length / model.initialScores.length;
  const out = new Float64Array(rows);
  createBoostingLoss(model.params.loss, model.params.tweediePower).computeMean(raw, rows, out);
  return out;
}
