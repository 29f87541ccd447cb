/**
 * Per-prediction feature contributions of a gradient-boosted model by path
 * attribution (Saabas 2014, "Interpreting random forests"; the "approximate"
 * contributions of XGBoost's predict(pred_contribs, approx_contribs)): along
 * a row's path in each tree, the change of the node output from a node to the
 * child it takes is credited to the node's split feature. The contributions
 * of a row plus the bias (initial score + root outputs) add up exactly to its
 * raw score; they explain the link scale (log mean, logit).
 *
 * Example: `computeTreeContributions(model, columns, 0).contributions[i·F + f]`
 * is feature f's share of row i's raw score for output 0.
 */
import { UserError } from '../../core/errors/user-error.js';
import type { GradientBoostedModel } from './gradient-boosting.js';
import { goesLeftAt } from './grow-tree.js';

export interface TreeContributions {
  /** bias per row (the same for every row): initial score + Σ root outputs */
  readonly bias: number;
  /** row-major: contributions[row·features + feature] */
  readonly contributions: Float64Array;
  readonly features: number;
}

/** Path attributions of every row for one loss output (0 for single-output losses). */
export function computeTreeContributions(model: GradientBoostedModel, columns: readonly Float64Array[], output = 0): TreeContributions {
  const features = model.featureNames.length;
  if (columns.length !== features) throw new UserError(`tree contributions: ${columns.length} feature columns given, the model has ${features}`, 'pass the training columns in order');
  if (!(output >= 0 && output < model.initialScores.length)) throw new UserError(`tree contributions: no output ${output}`, `the model has ${model.initialScores.length} output(s)`);
  const rows = features === 0 ? 0 : columns[0].length;
  const contributions = new Float64Array(rows * features);
  let bias = model.initialScores[output];
  for (const round of model.trees) {
    const tree = round[output];
    bias += tree.value[0];
    for (let i = 0; i < rows; i++) {
      let node = 0;
      while (tree.feature[node] >= 0) {
        const f = tree.feature[node];
        const v = columns[f][i];
        const next = goesLeftAt(tree, node, v) ? tree.left[node] : tree.right[node];
        contributions[i * features + f] += tree.value[next] - tree.value[node];
        node = next;
      }
    }
  }
  return { bias, contributions, features };
}

/** The `count` features with the largest absolute contribution for one row, largest first (ties by feature order). */
export function topDrivers(model: GradientBoostedModel, result: TreeContributions, row: number, count = 3): { feature: string; contribution: number }[] {
  const base = row * result.features;
  const order = Array.from({ length: result.features }, (_, f) => f).sort(
    (a, b) => Math.abs(result.contributions[base + b]) - Math.abs(result.contributions[base + a]) || a - b,
  );
  return order.slice(0, count).map((f) => ({ feature: model.featureNames[f], contribution: result.contributions[base + f] }));
}
