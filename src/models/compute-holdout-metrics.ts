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
  /** normalised Gini of the ranking by predicted purchases (or value when spend is given: `giniRankedBy`) against the actual */
  readonly gini: number;
  /** 'value' when the Gini ranks predicted value against holdout spend; absent: purchases against purchases */
  readonly giniRankedBy?: 'value';
  /** decile-level MAPE of the purchases (Wang, Liu & Miao 2019) */
  readonly decileMape: number;
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
    gini: valueRanking ? normalizedGini(valueRanking.actual, valueRanking.predicted) : normalizedGini(actual, predicted),
    ...(valueRanking ? { giniRankedBy: 'value' as const } : {}),
    decileMape: computeDecileMape(actual, predicted).mape,
  };
}
