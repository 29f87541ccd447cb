/**
 * Predictions of a fit that is its limit. Where a purchase model's estimates run off to a limit of its parameter space
 * and the limiting model is fitted in its place (fit-boundary.ts), the fit is that model: the parameters it is written
 * back as in the full model (β = 1e-300 and a small s for the Pareto/NBD's one-time buyers, r = 1e8 for the Poisson)
 * are for showing and for the log-likelihood, and the full model's formulas reach the limit at them only approximately
 * — the Pareto/NBD nears s, β → 0 like 1/ln(1/β), and at the smallest β a double holds its P(alive | x = 3, t_x = 1,
 * T = 52) is 0.42 where the zero-inflated NBD's is 1. So a limit whose predictions have closed forms records its own
 * parameters in `boundary.limitParams`, and every prediction of the fit is that model's (`limitPredictions`): one
 * table by `boundary.limitModel` for all the purchase models, which predict through it (btyd/purchase-models.ts).
 *
 * The limits in the table: the models without dropout (nbd/no-dropout-predictions.ts) — the NBD and the Poisson that
 * BG/NBD, MBG/NBD and Pareto/NBD reach without dropout, and the zero-inflated NBD and Poisson of the MBG/NBD's
 * a, b → 0 and the Pareto/NBD's s, β → 0 — and the BG/NBD's a, b → 0, the NBD with a share who buy once more
 * (repeatOncePredictions), and its a/b → ∞, where that share is everyone (π = 1). The other limits that keep dropout (one dropout probability or rate, one purchase
 * rate with dropout) have no closed forms here: their predictions are the full model's at the large shapes they are
 * written with (S = 3·10⁴ to 10⁸), whose spread moves them by the order of 1/S (relative).
 */
import type { FitBoundary } from '../fit-boundary.js';
import { NO_DROPOUT_MODEL, noDropoutPredictions, repeatOncePredictions, type NoDropoutPredictions } from '../nbd/no-dropout-predictions.js';
import { BG_EVERYONE_REPEATS_ONCE_MODEL, BG_REPEAT_ONCE_MODEL } from '../bgnbd/repeat-once-limit.js';

/** What a purchase model predicts from: a fit's parameters and its boundary, if any (a `FittedModel` is one; `{ params }` for parameters alone). */
export interface PurchaseFit {
  readonly params: Readonly<Record<string, number>>;
  readonly fit?: { readonly boundary?: FitBoundary };
}

/** A limit's predictions, one customer at a time. */
export type LimitPredictions = NoDropoutPredictions;

type Params = Readonly<Record<string, number>>;

/** The limiting models with closed forms, by `limitModel`: their predictions at `limitParams` (null when those are not theirs). */
const LIMIT_MODELS: Readonly<Record<string, (p: Params) => LimitPredictions | null>> = {
  [NO_DROPOUT_MODEL.nbd]: (p) => noDropoutPredictions({ r: p.r!, alpha: p.alpha!, pi: 0 }),
  [NO_DROPOUT_MODEL.poisson]: (p) => noDropoutPredictions({ lambda: p.lambda!, pi: 0 }),
  [NO_DROPOUT_MODEL.zeroInflatedNbd]: (p) => noDropoutPredictions({ r: p.r!, alpha: p.alpha!, pi: p.pi! }),
  [NO_DROPOUT_MODEL.zeroInflatedPoisson]: (p) => noDropoutPredictions({ lambda: p.lambda!, pi: p.pi! }),
  [BG_REPEAT_ONCE_MODEL]: (p) => repeatOncePredictions({ r: p.r!, alpha: p.alpha!, pi: p.pi! }),
  [BG_EVERYONE_REPEATS_ONCE_MODEL]: (p) => repeatOncePredictions({ r: p.r!, alpha: p.alpha!, pi: 1 }),
};

/**
 * The predictions of the limiting model a fit is, when its boundary names one with closed forms and its parameters
 * (`limitModel`, `limitParams`); null otherwise — an interior fit, or a limit without closed forms — where the full
 * model's formulas at `fit.params` are its predictions. The limit's own fit need not have converged: converged or not,
 * the parameters written back are that model's.
 *
 * Example: the Pareto/NBD on 3,000 customers, 20% of them one-time buyers and the rest never dropping out →
 * boundary { limitModel: 'zero-inflated NBD', limitParams: { r: 6.62, alpha: 63.3, pi: 0.233 } } → its closed forms.
 */
export function limitPredictions(fit: PurchaseFit): LimitPredictions | null {
  const boundary = fit.fit?.boundary;
  if (boundary?.limitModel === undefined || boundary.limitParams === undefined) return null;
  return Object.hasOwn(LIMIT_MODELS, boundary.limitModel) ? LIMIT_MODELS[boundary.limitModel]!(boundary.limitParams) : null;
}
