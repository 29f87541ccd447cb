/**
 * Churn early warning: a logistic gradient-boosted classifier of "no
 * purchase in the next N days", trained on per-customer features as of a
 * cut-off with the window that follows as the outcome, early-stopped on a
 * seeded 20% of the training customers. Classes are left unweighted so that
 * the probabilities stay calibrated (imbalance is read off PR-AUC against the
 * base rate, evaluate-churn-scores.ts). Per-customer drivers are exact
 * TreeSHAP contributions on the log-odds scale (tree-shap.ts).
 *
 * Risk bands on the probability: high ≥ 0.6, medium ≥ 0.3, low below.
 *
 * Example: `const model = fitChurnClassifier({ columns, label: noPurchase }, { featureNames, seed: 1 })`,
 * then `predictGradientBoosting(model, scoringColumns)` → P(no purchase) per customer.
 */
import { fitGradientBoosting, type GradientBoostedModel } from './gradient-boosting.js';
import { LEARNED_TREE_SETTINGS, splitValidationRows } from './learned-candidates.js';
import type { LearnedData } from './learned-data.js';
import { computeTreeShap } from './tree-shap.js';
import { topDrivers } from './tree-contributions.js';

/** The churn risk bands, highest first (customer_churn.churn_risk_band). */
export const CHURN_RISK_BAND_NAMES = ['high', 'medium', 'low'] as const;

export type ChurnRiskBand = (typeof CHURN_RISK_BAND_NAMES)[number];

/** Lower probability bounds of the bands (high, medium). */
export const CHURN_RISK_BANDS = { high: 0.6, medium: 0.3 } as const;

export function churnRiskBand(probability: number): ChurnRiskBand | null {
  if (!Number.isFinite(probability)) return null;
  return probability >= CHURN_RISK_BANDS.high ? 'high' : probability >= CHURN_RISK_BANDS.medium ? 'medium' : 'low';
}

/** 1 where no purchase happened in the label window (the label counts purchases), else 0. */
export function noPurchaseOutcome(purchases: Float64Array): Float64Array {
  return purchases.map((v) => (v === 0 ? 1 : 0));
}

export interface ChurnClassifierOptions {
  readonly featureNames: readonly string[];
  readonly seed: number;
}

/** Fit the churn classifier on features and 0/1 outcomes (1 = churned). */
export function fitChurnClassifier(data: LearnedData, options: ChurnClassifierOptions): GradientBoostedModel {
  const { train, validation } = splitValidationRows(data, 0.2, options.seed);
  return fitGradientBoosting(train, { ...LEARNED_TREE_SETTINGS, loss: 'logistic', seed: options.seed, featureNames: options.featureNames, validation });
}

export interface ChurnDrivers {
  /** per row: the `count` largest contributions by absolute value, as `feature ±value` text joined by '; ' */
  readonly perRow: readonly string[];
  /** mean |contribution| per feature over all rows, largest first */
  readonly meanAbsolute: readonly { readonly feature: string; readonly value: number }[];
}

/** TreeSHAP drivers of every row's churn log-odds: the top `count` per row, and the global mean |contribution|. */
export function describeChurnDrivers(model: GradientBoostedModel, columns: readonly Float64Array[], count = 3): ChurnDrivers {
  const shap = computeTreeShap(model, columns);
  const rows = columns[0]?.length ?? 0;
  const perRow: string[] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    perRow[i] = topDrivers(model, shap, i, count)
      .map((d) => `${d.feature} ${d.contribution >= 0 ? '+' : '−'}${Math.abs(d.contribution).toFixed(3)}`)
      .join('; ');
  }
  const features = model.featureNames.length;
  const totals = new Float64Array(features);
  for (let i = 0; i < rows; i++) for (let f = 0; f < features; f++) totals[f] += Math.abs(shap.contributions[i * features + f]!);
  const meanAbsolute = model.featureNames.map((feature, f) => ({ feature, value: rows === 0 ? 0 : totals[f]! / rows })).sort((a, b) => b.value - a.value);
  return { perRow, meanAbsolute };
}
