/**
 * Decile-level mean absolute percentage error (Wang, Liu & Miao 2019,
 * arXiv:1912.07753, §4.3): customers are ordered by prediction (descending;
 * customers with equal predictions count by their mean outcome, whatever
 * their order) and cut into `groups` groups of equal size (the first
 * n mod groups groups one larger); per group the mean prediction is compared
 * with the mean actual, and the error is the mean over groups of
 * |predicted − actual| / actual. Groups whose actual mean is 0 have no
 * percentage error and are left out (`groupsUsed` says how many counted).
 *
 * Example: `computeDecileMape([4, 2], [3, 1], 2)` → { mape: (1/4 + 1/2)/2 = 0.375, … }
 */
import { orderByPrediction, rankedWithTiesAveraged } from './holdout-metrics.js';

export interface DecileMape {
  readonly mape: number;
  readonly groupsUsed: number;
  /** per group, in the order of the predictions (highest first) */
  readonly groups: readonly { readonly count: number; readonly meanPredicted: number; readonly meanActual: number }[];
}

export function computeDecileMape(actual: ArrayLike<number>, predicted: ArrayLike<number>, groups = 10): DecileMape {
  const n = actual.length;
  const order = orderByPrediction(predicted);
  // tied customers straddling a decile boundary count by their mean outcome, not by how they happen to be ordered
  const ranked = rankedWithTiesAveraged(actual, predicted, order);
  const size = Math.floor(n / groups);
  const extra = n % groups;
  const result: { count: number; meanPredicted: number; meanActual: number }[] = [];
  let start = 0;
  let sum = 0;
  let used = 0;
  for (let g = 0; g < groups && start < n; g++) {
    const count = size + (g < extra ? 1 : 0);
    if (count === 0) continue;
    let p = 0, a = 0;
    for (let k = start; k < start + count; k++) {
      p += predicted[order[k]];
      a += ranked[k]!;
    }
    start += count;
    const group = { count, meanPredicted: p / count, meanActual: a / count };
    result.push(group);
    if (group.meanActual !== 0) {
      sum += Math.abs(group.meanPredicted - group.meanActual) / Math.abs(group.meanActual);
      used++;
    }
  }
  return { mape: used === 0 ? NaN : sum / used, groupsUsed: used, groups: result };
}
