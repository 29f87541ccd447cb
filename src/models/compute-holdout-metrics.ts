/**
 * The holdout scorecard of one purchase prediction, the same for every
 * candidate (BTYD or learned): totals, per-customer errors, ranking quality
 * and the decile MAPE of Wang, Liu & Miao (2019).
 *
 * Example: `computeHoldoutMetrics(Float64Array.of(0, 2), Float64Array.of(0.5, 1.5))`
 * → `{ predictedTotal: 2, actualTotal: 2, totalRelativeError: 0, mae: 0.5, … }`
 */
import { computeDecileMape } from './decile-mape.js';
import { meanAbsoluteError, normalizedGini, rootMeanSquaredError, spearmanCorrelation } from './holdout-metrics.js';

export interface HoldoutMetrics {
  readonly predictedTotal: number;
  readonly actualTotal: number;
  /** (predicted − actual) / actual */
  readonly totalRelativeError: number;
  readonly mae: number;
  readonly rmse: number;
  readonly spearman: number;
  /** why `spearman` is NaN (a constant side has no ranks): "all predictions equal" or "all holdout purchases equal"; absent when it is defined */
  readonly spearmanUndefined?: string;
  /** normalised Gini of the ranking by predicted purchases (or value when spend is given: `giniRankedBy`) against the actual */
  readonly gini: number;
  /** 'value' when the Gini ranks predicted value against holdout spend; absent: purchases against purchases */
  readonly giniRankedBy?: 'value';
  /** decile-level MAPE of the purchases (Wang, Liu & Miao 2019) */
  readonly decileMape: number;
}

const constant = (values: Float64Array) => values.every((v) => v === values[0]);

/** Why Spearman is undefined: a side whose values are all the same (predictions first), or nothing. */
function spearmanReason(actual: Float64Array, predicted: Float64Array): { spearmanUndefined?: string } {
  if (predicted.length > 0 && constant(predicted)) return { spearmanUndefined: 'all predictions equal' };
  if (actual.length > 0 && constant(actual)) return { spearmanUndefined: 'all holdout purchases equal' };
  return {};
}

/**
 * Score predicted against actual holdout purchases per customer. `valueRanking`
 * (actual spend, predicted value) replaces the purchases in the Gini.
 */
export function computeHoldoutMetrics(
  actual: Float64Array,
  predicted: Float64Array,
  valueRanking?: { readonly actual: Float64Array; readonly predicted: Float64Array },
): HoldoutMetrics {
  let predictedTotal = 0;
  let actualTotal = 0;
  for (let i = 0; i < predicted.length; i++) {
    predictedTotal += predicted[i]!;
    actualTotal += actual[i]!;
  }
  return {
    predictedTotal,
    actualTotal,
    totalRelativeError: actualTotal === 0 ? NaN : (predictedTotal - actualTotal) / actualTotal,
    mae: meanAbsoluteError(actual, predicted),
    rmse: rootMeanSquaredError(actual, predicted),
    spearman: spearmanCorrelation(actual, predicted),
    ...spearmanReason(actual, predicted),
    gini: valueRanking ? normalizedGini(valueRanking.actual, valueRanking.predicted) : normalizedGini(actual, predicted),
    ...(valueRanking ? { giniRankedBy: 'value' as const } : {}),
    decileMape: computeDecileMape(actual, predicted).mape,
  };
}
