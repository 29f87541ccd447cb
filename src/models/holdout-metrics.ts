/**
 * Metrics that compare predictions with what happened in a holdout window.
 * Value-ranking metrics follow Wang, Liu & Miao (2019), arXiv:1912.07753.
 */

/** Mean absolute error. */
export function meanAbsoluteError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs(actual[i]! - predicted[i]!);
  return actual.length === 0 ? NaN : sum / actual.length;
}

/** Root mean squared error. */
export function rootMeanSquaredError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += (actual[i]! - predicted[i]!) ** 2;
  return actual.length === 0 ? NaN : Math.sqrt(sum / actual.length);
}

/** Ranks 1..n with ties given their average rank. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end]!] === values[order[start]!]) end++;
    const rank = (start + end + 1) / 2;
    for (let k = start; k < end; k++) ranks[order[k]!] = rank;
    start = end;
  }
  return ranks;
}

function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}

/** Spearman rank correlation (Pearson correlation of average ranks); NaN when either side is constant. */
export function spearmanCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearson(averageRanks(x), averageRanks(y));
}

/** Gini of values already in rank order (highest first). */
function giniOfRanked(values: ArrayLike<number>): number {
  const n = values.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += values[i]!;
  if (total === 0) return NaN;
  let cumulative = 0;
  let area = 0;
  for (let i = 0; i < n; i++) {
    cumulative += values[i]!;
    area += cumulative / total;
  }
  return area / n - (n + 1) / (2 * n);
}

/** Indices by prediction, highest first (ties by index: `rankedWithTiesAveraged` makes their order irrelevant). */
export function orderByPrediction(predicted: ArrayLike<number>): number[] {
  return Array.from({ length: predicted.length }, (_, i) => i).sort((a, b) => predicted[b]! - predicted[a]! || a - b);
}

/**
 * `actual` in `order` (by prediction), every run of equal predictions given its mean: the expected value of any
 * measure linear in the ranked values over every order of the tied customers. A ranking metric then does not depend
 * on how tied customers happen to be ordered — validate's customers are sorted by their holdout outcome within equal
 * inputs, so breaking ties by position leaked the outcome into the ranking.
 */
export function rankedWithTiesAveraged(actual: ArrayLike<number>, predicted: ArrayLike<number>, order: readonly number[]): Float64Array {
  const ranked = new Float64Array(order.length);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    let sum = actual[order[start]!]!;
    while (end < order.length && predicted[order[end]!] === predicted[order[start]!]) sum += actual[order[end++]!]!;
    ranked.fill(sum / (end - start), start, end);
    start = end;
  }
  return ranked;
}

/**
 * Normalised Gini of a ranking: the Gini of the actual values when customers
 * are ordered by prediction (descending), divided by the Gini of the perfect
 * order. 1 = ranks exactly as well as knowing the outcome, 0 = no better than
 * random. Customers with equal predictions count as one block (their mean
 * outcome at each of their places: the expectation over their orders).
 */
export function normalizedGini(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const ranked = rankedWithTiesAveraged(actual, predicted, orderByPrediction(predicted));
  const perfect = Float64Array.from(actual).sort().reverse();
  return giniOfRanked(ranked) / giniOfRanked(perfect);
}
