/**
 * Churn early warning: a logistic gradient-boosted classifier of "no
 * purchase in the next N days", trained on per-customer features as of a
 * cut-off with the window that follows as the outcome, early-stopped on a
 * seeded 20% of the training customers. Classes are left unweighted so that
 * the probabilities stay calibrated (imbalance is read off PR-AUC against the
 * base rate, evaluate-churn-scores.ts). Per-customer drivers are exact
 * TreeSHAP contributions on the log-odds scale (tree-shap.ts).
 *
 * Risk bands rank the customers of a run (churnRiskBands): high = the riskiest 20%, medium = the next 30%, low =
 * the other half — relative to the data, so that a shop where most customers churn still gets a band that sorts them.
 * Ties are not split, and the highest probability is always "high".
 *
 * Example: `const model = fitChurnClassifier({ columns, label: noPurchase }, { featureNames, seed: 1 })`,
 * then `predictGradientBoosting(model, scoringColumns)` → P(no purchase) per customer.
 */
import { CHURN_RISK_BANDS } from '../../core/describe-risk-bands.js';
import { fitGradientBoosting, type GradientBoostedModel } from './gradient-boosting.js';
import { LEARNED_TREE_SETTINGS, splitValidationRows } from './learned-candidates.js';
import type { LearnedData } from './learned-data.js';
import { computeTreeShap } from './tree-shap.js';
import { topDrivers } from './tree-contributions.js';

/** The churn risk bands, highest first (customer_churn.churn_risk_band). */
export const CHURN_RISK_BAND_NAMES = ['high', 'medium', 'low'] as const;

export type ChurnRiskBand = (typeof CHURN_RISK_BAND_NAMES)[number];

/** The bands' shares (core/describe-risk-bands.ts, where the CLI's words read them without loading the models). */
export { CHURN_RISK_BANDS } from '../../core/describe-risk-bands.js';
import { CHURN_PROBABILITY_DECIMALS } from '../../core/describe-risk-bands.js';

/** The lowest probability banded high and medium in a run (NaN when the band is empty). */
export interface ChurnRiskCutoffs {
  readonly high: number;
  readonly medium: number;
}

/** Fixed cut-offs for a probability banded alone, without a run's customers to rank it among (the bands before they followed the data). */
export const FIXED_CHURN_CUTOFFS: ChurnRiskCutoffs = { high: 0.6, medium: 0.3 };

/** The band of a probability given a run's cut-offs (churnRiskBands; without them the fixed 0.6 / 0.3); null without a probability. */
export function churnRiskBand(probability: number, cutoffs: ChurnRiskCutoffs = FIXED_CHURN_CUTOFFS): ChurnRiskBand | null {
  if (!Number.isFinite(probability)) return null;
  return probability >= cutoffs.high ? 'high' : probability >= cutoffs.medium ? 'medium' : 'low';
}

/**
 * Risk bands by rank within the run: a customer's position is the share of customers ranked above them, ties counted
 * half (mid-rank); high below 20%, medium to 50% (inclusive), low beyond. Tied probabilities share a band, and the tie
 * at the highest probability is high whatever its size (its mid-rank passes 20% when it holds more than 40% of the
 * customers: "high" then holds more than 20%). All equal, everybody is "medium" (the score ranks nobody). Customers
 * without a probability are unbanded (null) and not counted. The probabilities are ranked as customers.csv prints them
 * (`printed`: rounded to CHURN_PROBABILITY_DECIMALS), so that customers printed alike share a band and each cut-off is a
 * value printed (0.7000004 and 0.6999996 both print 0.700000: banded apart on the unrounded values, they read as one
 * probability in two bands).
 *
 * Example: 100 probabilities 0.60 … 0.99, evenly spaced → the 20 highest "high", the next 30 "medium", 50 "low";
 * 40 of 100 tied at the highest → those 40 "high", the next 10 "medium", 50 "low".
 */
export function churnRiskBands(unrounded: ArrayLike<number>): { bands: (ChurnRiskBand | null)[]; cutoffs: ChurnRiskCutoffs; printed: Float64Array } {
  const scale = 10 ** CHURN_PROBABILITY_DECIMALS;
  const probability = Float64Array.from(unrounded, (p) => (Number.isFinite(p) ? Math.round(p * scale) / scale : p));
  const rows = Array.from({ length: probability.length }, (_, i) => i).filter((i) => Number.isFinite(probability[i]));
  rows.sort((a, b) => probability[b]! - probability[a]!);
  const bands: (ChurnRiskBand | null)[] = new Array(probability.length).fill(null);
  const n = rows.length;
  let high = NaN;
  let medium = NaN;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end < n && probability[rows[end]!] === probability[rows[start]!]) end++;
    const position = (start + (end - start) / 2) / n; // mid-rank: the share ranked above, ties counted half
    const band: ChurnRiskBand = start === 0 && end === n ? 'medium' : start === 0 || position < CHURN_RISK_BANDS.highShare ? 'high' : position <= CHURN_RISK_BANDS.highShare + CHURN_RISK_BANDS.mediumShare ? 'medium' : 'low';
    const p = probability[rows[start]!]!;
    if (band === 'high') high = p;
    if (band === 'medium') medium = p;
    for (let k = start; k < end; k++) bands[rows[k]!] = band;
    start = end;
  }
  return { bands, cutoffs: { high, medium }, printed: probability };
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
