/**
 * The honest tournament's choice (honest-tournament.ts), on the inner window
 * only: the best BTYD model (chosen by its own rule, model-tournament.ts,
 * among those the value step left eligible on their calibration-window fits:
 * chooseHonestDefault)
 * stays unless another candidate predicts the inner window with an MAE more
 * than 1% lower and its inner total within TOTAL_TOLERANCE (or within the
 * BTYD model's own total error when that is larger) — MAE alone rewards
 * predicting too little.
 *
 * Evidence, before any of that: a challenger is judged only on an inner window
 * holding MIN_INNER_PURCHASES repeat purchases at least. The window's actual
 * total of n purchases is itself uncertain by 1/√n (Poisson) — 6.5% at 234 —
 * and below 400 that exceeds TOTAL_TOLERANCE: the total check can no longer
 * tell a challenger that predicts too little (what MAE rewards on a short
 * window where most customers buy nothing) from one that does not. The best
 * BTYD model then stays, whatever the figures, and the reason says so with
 * the window's days and purchases. (Regression: a 75-day synthetic shop, 15-day
 * inner window of 234 purchases, BG/NBD +24.5% on it; GBT on BTYD took over at
 * −5.8% inside the ±24.5% allowance and predicted a 12-month CLV 10% short of
 * BG/NBD's, which matched the truth; GBT (Tweedie) on a 14-day window, −27%.)
 *
 * Convergence, one rule for every candidate: a model whose fits did not
 * converge never replaces one whose fits converged. A candidate's `fitIssue`
 * says why its inner or final fit did not converge (the optimiser stopped
 * short of the gradient tolerance, an estimate ran off to a boundary, or
 * MBG/CNBD-k's k search stopped at its limit with the likelihood still
 * improving); the learned models have no likelihood to converge and count as
 * converged. So a challenger with a fit issue is passed over when the BTYD
 * default converged, and behind any converged challenger that qualifies; it
 * may replace the default only when the default's own fits did not converge
 * either — between two models that did not converge the better prediction
 * wins, and the reason names both issues. A default that stays without
 * converging is named as such. The reason names every challenger passed over
 * for its fits, and why.
 */
import type { HoldoutMetrics } from '../models/compute-holdout-metrics.js';
import { chooseOnHoldoutError, MIN_INNER_PURCHASES, TOTAL_TOLERANCE } from '../models/tournament-rule.js';
import { ineligibleReason, tournamentPool, whyChosen, type PoolCandidate, type TournamentResult } from '../models/model-tournament.js';
import type { PurchaseModelName } from '../models/btyd/purchase-models.js';


// the tolerance and the floor, shared with the report's explanation of the choice
export { MIN_INNER_PURCHASES, TOTAL_TOLERANCE } from '../models/tournament-rule.js';

/** A relative error as a signed percentage, one decimal: 0.012 → "+1.2%", -0.031 → "-3.1%". */
const signedPercent = (x: number): string => `${x > 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;

/** What the choice reads of a candidate. */
export interface ChoiceCandidate {
  readonly name: string;
  readonly label: string;
  readonly family: 'btyd' | 'regularity' | 'learned';
  /** metrics on the inner window: what the choice is made on */
  readonly inner: HoldoutMetrics;
  /** why its inner or final fit did not converge (absent: both converged, or a learned model) */
  readonly fitIssue?: string;
}

export interface ChoiceWindow {
  readonly innerCutoff: string;
  readonly calibrationEnd: string;
  readonly innerDays: number;
  /** the repeat purchases the inner window holds (its actual total): the evidence a challenger is judged on */
  readonly innerPurchases: number;
}

/**
 * Choose among `candidates`; `btydBest` is the BTYD model the BTYD models' own tournament chose on the inner window, `btydReason` its reason.
 *
 * Example: BG/NBD inner MAE 0.50, GBT (Poisson) 0.40 with its total 2% off → `{ winner: <GBT (Poisson)>, reason: 'GBT (Poisson) predicts the inner window … more than 1% below …, and its inner total off by +2.0%, within the ±5.0% allowed' }`
 */
export function chooseHonestWinner<C extends ChoiceCandidate>(candidates: readonly C[], btydBest: C, btydReason: string, window: ChoiceWindow): { winner: C; reason: string } {
  const totalTolerance = Math.max(TOTAL_TOLERANCE, Math.abs(btydBest.inner.totalRelativeError));
  const beatsDefault = (c: C) => c.inner.mae < btydBest.inner.mae * 0.99;
  const others = candidates.filter((c) => c.family !== 'btyd' && Number.isFinite(c.inner.mae)).sort((a, b) => a.inner.mae - b.inner.mae);
  const onTotal = others.filter((c) => Math.abs(c.inner.totalRelativeError) <= totalTolerance);
  const offTotal = others.filter((c) => !onTotal.includes(c) && beatsDefault(c));
  const qualifying = onTotal.filter(beatsDefault);
  // too few purchases in the inner window to judge a challenger's total: the best BTYD model stays
  const tooFew = !(window.innerPurchases >= MIN_INNER_PURCHASES);
  // else a converged challenger first; one with a fit issue only in place of a default with one too
  const winner = tooFew ? btydBest : qualifying.find((c) => c.fitIssue === undefined) ?? (btydBest.fitIssue !== undefined ? qualifying[0] : undefined) ?? btydBest;
  const passedOver = qualifying.filter((c) => c.fitIssue !== undefined && c !== winner && c.inner.mae < winner.inner.mae);
  const challenger = onTotal.find((c) => !passedOver.includes(c));
  const excluded = offTotal.length > 0
    ? `; not eligible for missing the inner total by more than ${(100 * totalTolerance).toFixed(1)}%: ${offTotal.map((c) => `${c.label} (MAE ${c.inner.mae.toFixed(4)}, total ${(100 * c.inner.totalRelativeError).toFixed(1)}%)`).join(', ')}`
    : '';
  const issues = winner.fitIssue === undefined ? '' : winner === btydBest
    ? `; ${btydBest.label}'s fits did not converge (${btydBest.fitIssue}): it stays as the default because ${tooFew ? 'no challenger can be judged on this window' : 'no challenger beat it'}`
    : `; its fits did not converge (${winner.fitIssue}), nor did ${btydBest.label}'s (${btydBest.fitIssue}): a challenger that did not converge may replace a default that did not converge either, and no converged challenger beat the default`;
  const passed = passedOver.length > 0 ? `; passed over for fits that did not converge: ${passedOver.map((c) => `${c.label} (MAE ${c.inner.mae.toFixed(4)}; ${c.fitIssue})`).join(', ')}` : '';
  const bestOnMae = others[0];
  const evidence = tooFew
    ? `the inner window (${window.innerCutoff} → ${window.calibrationEnd}, ${window.innerDays} days, ${window.innerPurchases.toLocaleString('en-US')} repeat purchases) holds too few purchases to judge a challenger: its total is uncertain by ±${(100 / Math.sqrt(window.innerPurchases)).toFixed(1)}% (1/√${window.innerPurchases}) alone, more than the ±${(100 * TOTAL_TOLERANCE).toFixed(1)}% a challenger’s total is judged within (${MIN_INNER_PURCHASES} purchases at least)${bestOnMae ? `; the best challenger on MAE, ${bestOnMae.label}, has inner MAE ${bestOnMae.inner.mae.toFixed(4)} against ${btydBest.inner.mae.toFixed(4)} and its inner total off by ${signedPercent(bestOnMae.inner.totalRelativeError)}` : ''}`
    : undefined;
  const reason = evidence !== undefined
    ? `${btydBest.label} stays: ${evidence}; among the BTYD models: ${btydReason}${issues}`
    : (winner !== btydBest
    ? `${winner.label} predicts the inner window (${window.innerCutoff} → ${window.calibrationEnd}, ${window.innerDays} days) with MAE ${winner.inner.mae.toFixed(4)}, more than 1% below the best BTYD model ${btydBest.label} (${btydBest.inner.mae.toFixed(4)}), and its inner total off by ${signedPercent(winner.inner.totalRelativeError)}, within the ±${(100 * totalTolerance).toFixed(1)}% allowed${totalTolerance > TOTAL_TOLERANCE ? ` (${btydBest.label}'s own inner total error)` : ''}`
    : `${btydBest.label} stays: ${challenger ? `the best other eligible candidate, ${challenger.label}, has inner MAE ${challenger.inner.mae.toFixed(4)} against ${btydBest.inner.mae.toFixed(4)} (it must be more than 1% lower)` : 'no other candidate is eligible'}; among the BTYD models: ${btydReason}`) + issues + excluded + passed;
  return { winner, reason };
}

/** What the default's choice reads of a BTYD model's evaluation on a window: its name, its fit (with its BIC) and its error. */
export interface DefaultCandidate extends PoolCandidate {
  readonly model: PurchaseModelName;
  readonly label: string;
  readonly fitted: PoolCandidate['fitted'] & { readonly bic: number };
}

/**
 * The BTYD default the challengers are compared with (chooseHonestWinner's `btydBest`): the inner window's BTYD
 * tournament's choice (`inner`) when the value step left it eligible on its calibration-window fit (`calibration`:
 * the BTYD models fitted up to the calibration end, the value step's fits; eligible = model-tournament.ts's
 * tournamentPool, what its reason calls "not eligible" left out). Otherwise the best on the inner window among the
 * eligible ones, by the same rule (tournamentPool, then chooseOnHoldoutError), and the reason says which model was
 * ruled out and why — the tournament must not name as its choice a model the value step rejected.
 *
 * Example: Pareto/NBD best on the inner window but without finite standard errors on the calibration window →
 * `{ model: 'bgnbd', reason: 'BG/NBD has the smallest per-customer inner-window error … among the BTYD models the value
 * step left eligible (MAE 0.1780; MBG/NBD 0.1781): the inner window’s best, Pareto/NBD (MAE 0.1775), was ruled out by the
 * value step on its calibration-window fit (standard errors not finite)' }`
 */
export function chooseHonestDefault(inner: Pick<TournamentResult, 'chosen' | 'reason'> & { readonly evaluations: readonly DefaultCandidate[] }, calibration: readonly DefaultCandidate[]): { model: PurchaseModelName; reason: string } {
  const eligible = new Set(tournamentPool(calibration).pool.map((e) => e.model));
  const candidates = inner.evaluations.filter((e) => eligible.has(e.model));
  if (eligible.has(inner.chosen) || candidates.length === 0) return { model: inner.chosen, reason: inner.reason };
  const { pool } = tournamentPool(candidates);
  const { winner, tied } = chooseOnHoldoutError(candidates.filter((e) => pool.includes(e)), (e) => e.holdout.mae, (e) => e.fitted.bic);
  const runnerUp = pool.find((e) => e !== winner);
  const best = inner.evaluations.find((e) => e.model === inner.chosen)!;
  const ruledOut = (e: DefaultCandidate) => ineligibleReason(calibration.find((c) => c.model === e.model)!.fitted);
  const others = calibration.filter((e) => !eligible.has(e.model) && e.model !== inner.chosen);
  return {
    model: winner.model,
    reason: `${winner.label} has ${whyChosen(tied.length, winner.holdout.mae <= pool[0]!.holdout.mae, 'inner-window')} among the BTYD models the value step left eligible (MAE ${winner.holdout.mae.toFixed(4)}${runnerUp ? `; ${runnerUp.label} ${runnerUp.holdout.mae.toFixed(4)}` : ''}): ` +
      `the inner window’s best, ${best.label} (MAE ${best.holdout.mae.toFixed(4)}), was ruled out by the value step on its calibration-window fit (${ruledOut(best)})` +
      (others.length > 0 ? `; also ruled out there: ${others.map((e) => `${e.label} (${ruledOut(e)})`).join(', ')}` : ''),
  };
}
