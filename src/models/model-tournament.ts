/**
 * Which purchase model to trust: fit every candidate on the calibration
 * window, predict the holdout window, and choose the one with the smallest
 * per-customer holdout error. The result carries what a model card needs:
 * parameters with intervals, fit reports, information criteria, holdout
 * metrics, and the data of the standard diagnostic plots (Fader, Hardie &
 * Lee 2005: calibration histogram, tracking, conditional expectations,
 * frequency × recency matrices).
 */
import { compressRfm, withPositiveAge } from './compress-rfm.js';
import { computeHoldoutMetrics, type HoldoutMetrics } from './compute-holdout-metrics.js';
import type { FitOptions } from './fit-maximum-likelihood.js';
import { reachedOptimum } from './fit-boundary.js';
import type { FittedModel, RfmData } from './model-types.js';
import { PURCHASE_MODEL_NAMES, type PurchaseModel, type PurchaseModelName } from './btyd/purchase-models.js';
import { getPurchaseModel } from './model-registry.js';
import { chooseOnHoldoutError, MAE_TIE_SHARE } from './tournament-rule.js';

export interface TournamentInput {
  /** calibration (x, t_x, T) per customer, weight 1 */
  readonly calibration: RfmData;
  /** purchase occasions per customer in the holdout window */
  readonly holdoutPurchases: Float64Array;
  /** length of the holdout window, in the time unit of the data */
  readonly holdoutDuration: number;
  /** actual holdout spend per customer, for the value-ranking Gini (optional) */
  readonly holdoutSpend?: Float64Array;
  /** expected spend per purchase per customer (e.g. Gamma-Gamma), to rank by predicted value (optional) */
  readonly spendPerPurchase?: Float64Array;
  readonly models?: readonly PurchaseModelName[];
  readonly fitOptions?: FitOptions;
  /** what the reason calls the predicted window (default 'holdout'; the honest tournament's inner split: 'inner-window') */
  readonly windowName?: string;
}

export type { HoldoutMetrics };

export interface ModelEvaluation {
  readonly model: PurchaseModelName;
  readonly label: string;
  readonly citation: string;
  readonly fitted: FittedModel;
  readonly holdout: HoldoutMetrics;
}

export interface TournamentResult {
  readonly evaluations: readonly ModelEvaluation[];
  readonly chosen: PurchaseModelName;
  /** why the chosen model won, in words */
  readonly reason: string;
  /** unique calibration tuples the models were fitted on */
  readonly tuples: number;
  readonly customers: number;
}

/** Fit on unique tuples, predict the holdout per customer, score. */
function evaluateModel(model: PurchaseModel, input: TournamentInput, compressed: ReturnType<typeof compressRfm>): ModelEvaluation {
  const fitted = model.fit(withPositiveAge(compressed.tuples), input.fitOptions);
  const perTuple = model.conditionalPurchasesAll(fitted, input.holdoutDuration, compressed.tuples);
  const predicted = new Float64Array(compressed.tupleOf.length);
  for (let i = 0; i < predicted.length; i++) predicted[i] = perTuple[compressed.tupleOf[i]!]!;
  const valueRanking = input.holdoutSpend && input.spendPerPurchase
    ? { actual: input.holdoutSpend, predicted: predicted.map((p, i) => p * input.spendPerPurchase![i]!) }
    : undefined;
  return {
    model: model.name,
    label: model.label,
    citation: model.citation,
    fitted,
    holdout: computeHoldoutMetrics(input.holdoutPurchases, predicted, valueRanking),
  };
}

/** What tournamentPool decides on: an evaluation, or a model card's entry (its fit and standard errors) put in its shape. */
export interface PoolCandidate {
  readonly fitted: { readonly fit: FittedModel['fit']; readonly stdErrors: FittedModel['stdErrors'] };
  readonly holdout: { readonly mae: number };
}

/**
 * Why a fit outside tournamentPool's pool could not be chosen, as the tournament's reason says it ("not eligible: …").
 *
 * Example: Pareto/NBD on the boundary → "on the boundary: no heterogeneity in dropout: …"
 */
export function ineligibleReason(fitted: PoolCandidate['fitted']): string {
  return fitted.fit.boundary ? `on the boundary: ${fitted.fit.boundary.meaning}` : !reachedOptimum(fitted.fit) ? 'did not converge' : 'standard errors not finite';
}

/**
 * The evaluations the choice is made among, by holdout error (lowest first): settled fits — interior optima, and
 * boundaries whose limiting model converged (fit-boundary.ts) — those with finite standard errors first; every
 * evaluation when none settled. Shared with the honest tournament's best in hindsight (honest-tournament.ts).
 */
export function tournamentPool<E extends PoolCandidate = ModelEvaluation>(evaluations: readonly E[]): { pool: readonly E[]; converged: readonly E[]; identified: readonly E[] } {
  const byError = [...evaluations].sort((a, b) => a.holdout.mae - b.holdout.mae);
  const finiteErrors = (e: E) => Object.values(e.fitted.stdErrors).every((v) => Number.isFinite(v));
  const converged = byError.filter((e) => reachedOptimum(e.fitted.fit) && Number.isFinite(e.holdout.mae));
  const identified = converged.filter(finiteErrors);
  return { pool: identified.length > 0 ? identified : converged.length > 0 ? converged : byError, converged, identified };
}

/**
 * Why the winner won, after "<model> has": the smallest error alone; with others within MAE_TIE_SHARE of the best,
 * the lowest BIC among them — said as the smallest error too when the winner has it (a QA pass read "a holdout error
 * within 1% of the best" of the model whose error was the best).
 *
 * Example: `whyChosen(3, true, 'holdout')` → "the smallest per-customer holdout error and the lowest BIC of the 3
 * models within 1% of it"
 */
export function whyChosen(tied: number, hasBestError: boolean, windowName: string): string {
  if (tied <= 1) return `the smallest per-customer ${windowName} error`;
  if (hasBestError) return `the smallest per-customer ${windowName} error and the lowest BIC of the ${tied} models within ${100 * MAE_TIE_SHARE}% of it`;
  return `${/^[aeiou]/i.test(windowName) ? 'an' : 'a'} ${windowName} error within ${100 * MAE_TIE_SHARE}% of the best and the lowest BIC among those`;
}

/**
 * Run the tournament. Models whose fit did not settle can only win when no
 * model's fit did, and the reason then says so; a fit on a boundary whose
 * limiting model converged (BG/NBD's NBD when nobody drops out) settled, but
 * gives way to interior fits with finite standard errors.
 */
export function runModelTournament(input: TournamentInput): TournamentResult {
  const compressed = compressRfm(input.calibration);
  const names = input.models ?? PURCHASE_MODEL_NAMES;
  const evaluations = names.map((name) => evaluateModel(getPurchaseModel(name), input, compressed));
  const { pool, converged, identified } = tournamentPool(evaluations);
  // Holdout errors within 1% (MAE_TIE_SHARE) of the best are a tie: the simpler explanation (lower BIC) wins, then the list order
  // (tournament-rule.ts: the same rule names the honest tournament's best in hindsight)
  const { winner, tied } = chooseOnHoldoutError(evaluations.filter((e) => pool.includes(e)), (e) => e.holdout.mae, (e) => e.fitted.bic);
  const runnerUp = pool.find((e) => e !== winner);
  const caveats: string[] = [];
  if (converged.length === 0) {
    const edge = winner.fitted.fit.boundary;
    caveats.push(edge ? `no model converged: the estimates run off to a boundary of the parameter space — the data show ${edge.meaning}` : 'no model converged: treat the predictions with care');
  }
  else if (identified.length === 0) {
    const edge = winner.fitted.fit.boundary;
    caveats.push(edge
      ? `every fit that settled sits on a boundary of the parameter space, with its limiting model fitted in its place (no standard errors) — the data show ${edge.meaning}`
      : 'no calibration fit has finite standard errors (estimates at a boundary of the parameter space)');
  }
  const excluded = evaluations.filter((e) => !pool.includes(e)).map((e) => `${e.label} (${ineligibleReason(e.fitted)})`);
  if (excluded.length > 0) caveats.push(`not eligible: ${excluded.join(', ')}`);
  const windowName = input.windowName ?? 'holdout';
  const reason = [
    `${winner.label} has ${whyChosen(tied.length, winner.holdout.mae <= pool[0]!.holdout.mae, windowName)} (MAE ${winner.holdout.mae.toFixed(4)}${runnerUp ? `; ${runnerUp.label} ${runnerUp.holdout.mae.toFixed(4)}` : ''})`,
    ...caveats,
  ].join('; ');
  return { evaluations, chosen: winner.model, reason, tuples: compressed.tuples.frequency.length, customers: compressed.tupleOf.length };
}
