/**
 * The honest tournament's choice (honest-tournament.ts), on the inner window
 * only: the best BTYD model (chosen by its own rule, model-tournament.ts)
 * stays unless another candidate predicts the inner window with an MAE more
 * than 1% lower and its inner total within TOTAL_TOLERANCE (or within the
 * BTYD model's own total error when that is larger) — MAE alone rewards
 * predicting too little.
 *
 * Convergence, one rule for every candidate: a candidate whose inner or final
 * fit did not converge (`fitIssue`: the optimiser stopped short of the
 * gradient tolerance, an estimate ran off to a boundary, or MBG/CNBD-k's k
 * search stopped at its limit with the likelihood still improving) is passed
 * over while any candidate's fits converged (the learned models have no
 * likelihood to converge: theirs always count as converged), and the reason
 * names it and why. When no candidate's fits converged, convergence cannot
 * decide: the rule is applied to all of them and the reason says so. The best
 * BTYD model is the default: when it stays without converging (no converged
 * challenger beat it), the reason says that too.
 */
import type { HoldoutMetrics } from '../models/compute-holdout-metrics.js';

/** A challenger's inner total may be off by this share, or by the best BTYD model's own inner total error when larger. */
export const TOTAL_TOLERANCE = 0.05;

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
}

/**
 * Choose among `candidates`; `btydBest` is the BTYD model the BTYD models' own tournament chose on the inner window, `btydReason` its reason.
 *
 * Example: BG/NBD inner MAE 0.50, GBT (Poisson) 0.40 with its total 2% off → `{ winner: <GBT (Poisson)>, reason: 'GBT (Poisson) predicts the inner window … more than 1% below …' }`
 */
export function chooseHonestWinner<C extends ChoiceCandidate>(candidates: readonly C[], btydBest: C, btydReason: string, window: ChoiceWindow): { winner: C; reason: string } {
  const totalTolerance = Math.max(TOTAL_TOLERANCE, Math.abs(btydBest.inner.totalRelativeError));
  const noneConverged = candidates.every((c) => c.fitIssue !== undefined);
  const finite = candidates.filter((c) => c.family !== 'btyd' && Number.isFinite(c.inner.mae)).sort((a, b) => a.inner.mae - b.inner.mae);
  const unconverged = noneConverged ? [] : finite.filter((c) => c.fitIssue !== undefined);
  const others = finite.filter((c) => !unconverged.includes(c));
  const challengers = others.filter((c) => Math.abs(c.inner.totalRelativeError) <= totalTolerance);
  const offTotal = others.filter((c) => !challengers.includes(c) && c.inner.mae < btydBest.inner.mae * 0.99);
  const challenger = challengers[0];
  const challengerWins = challenger !== undefined && challenger.inner.mae < btydBest.inner.mae * 0.99;
  const winner = challengerWins ? challenger : btydBest;
  const excluded = offTotal.length > 0
    ? `; not eligible for missing the inner total by more than ${(100 * totalTolerance).toFixed(1)}%: ${offTotal.map((c) => `${c.label} (MAE ${c.inner.mae.toFixed(4)}, total ${(100 * c.inner.totalRelativeError).toFixed(1)}%)`).join(', ')}`
    : '';
  const convergence = noneConverged
    ? `; no candidate's fits converged (${candidates.map((c) => c.label).join(', ')}: each one's fit issue says why), so the rule was applied to all`
    : unconverged.length > 0 ? `; passed over for fits that did not converge: ${unconverged.map((c) => `${c.label} (MAE ${c.inner.mae.toFixed(4)}; ${c.fitIssue})`).join(', ')}` : '';
  const fallback = !challengerWins && !noneConverged && btydBest.fitIssue !== undefined
    ? `; ${btydBest.label}'s fits did not converge (${btydBest.fitIssue}): it stays as the default because no challenger whose fits converged beat it`
    : '';
  const reason = (challengerWins
    ? `${winner.label} predicts the inner window (${window.innerCutoff} → ${window.calibrationEnd}, ${window.innerDays} days) with MAE ${winner.inner.mae.toFixed(4)}, more than 1% below the best BTYD model ${btydBest.label} (${btydBest.inner.mae.toFixed(4)}), and its total within ${(100 * totalTolerance).toFixed(1)}%`
    : `${btydBest.label} stays: ${challenger ? `the best other eligible candidate, ${challenger.label}, has inner MAE ${challenger.inner.mae.toFixed(4)} against ${btydBest.inner.mae.toFixed(4)} (it must be more than 1% lower)` : 'no other candidate is eligible'}; among the BTYD models: ${btydReason}`) + fallback + excluded + convergence;
  return { winner, reason };
}
