/**
 * Scoring with a fitted gradient-boosted model on raw feature columns
 * (Float64Array per feature, NaN = missing; the same columns, in the same
 * order, as in training).
 *
 * For speed the trees are first flattened into typed arrays (once per model,
 * cached beside it — the model itself stays a plain value) and scored tree by
 * tree over all rows, so a tree's nodes stay in cache.
 *
 * Example: `predictGradientBoosting(model, [x1, x2])` → Float64Array of expected
 * counts (Poisson/Tweedie), probabilities (logistic) or expected values (ZILN).
 */
import { UserError } from '../../core/errors/user-error.js';
import { createBoostingLoss } from './create-boosting-loss.js';
import type { GradientBoostedModel } from './gradient-boosting.js';

interface CompiledTrees {
  /** per output: roots of its trees in the flat arrays */
  readonly roots: readonly Int32Array[];
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly missingLeft: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
}

const compiledCache = new WeakMap<GradientBoostedModel, CompiledTrees>();

function compile(model: GradientBoostedModel): CompiledTrees {
  const cached = compiledCache.get(model);
  if (cached !== undefined) return cached;
  const outputs = model.initialScores.length;
  let nodes = 0;
  for (const round of model.trees) for (const tree of round) nodes += tree.feature.length;
  const feature = new Int32Array(nodes), left = new Int32Array(nodes), right = new Int32Array(nodes);
  const threshold = new Float64Array(nodes), value = new Float64Array(nodes), missingLeft = new Uint8Array(nodes);
  const roots = Array.from({ length: outputs }, () => new Int32Array(model.trees.length));
  let offset = 0;
  model.trees.forEach((round, r) => {
    round.forEach((tree, k) => {
      roots[k][r] = offset;
      for (let i = 0; i < tree.feature.length; i++) {
        feature[offset + i] = tree.feature[i];
        threshold[offset + i] = tree.threshold[i];
        missingLeft[offset + i] = tree.missingLeft[i] ? 1 : 0;
        left[offset + i] = offset + tree.left[i];
        right[offset + i] = offset + tree.right[i];
        value[offset + i] = tree.value[i];
      }
      offset += tree.feature.length;
    });
  });
  const compiled = { roots, feature, threshold, missingLeft, left, right, value };
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
  const { roots, feature, threshold, missingLeft, left, right, value } = compile(model);
  const raw = new Float64Array(roots.length * rows);
  for (let k = 0; k < roots.length; k++) {
    const out = raw.subarray(k * rows, (k + 1) * rows);
    out.fill(model.initialScores[k]);
    for (const root of roots[k]) {
      for (let i = 0; i < rows; i++) {
        let node = root;
        let f = feature[node];
        while (f >= 0) {
          const v = columns[f][i];
          node = v <= threshold[node] ? left[node] : v !== v && missingLeft[node] === 1 ? left[node] : right[node];
          f = feature[node];
        }
        out[i] += value[node];
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
