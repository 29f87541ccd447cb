/**
 * The churn early warning's horizon N — its label is "no purchase in the next
 * N days" — from the calibration window c (first purchase → calibration end C)
 * and the holdout h (C → holdout end or as-of date), in whole days: each the
 * difference of its two dates, so c is one less than the calendar days of the
 * calibration window and h is the calendar days of the holdout (C + 1 … end);
 * the texts say "c days from the first purchase to the calibration end".
 *
 * The classifier is trained on features as of C − N with the purchases of
 * (C − N, C] as its label, and checked against (C, C + N]. So N fits when the
 * outcome window lies in the holdout (N ≤ h) and the training cut-off leaves
 * the first third of the calibration window as history (N ≤ ⌊⅔·c⌋, the rule
 * of the honest tournament's label windows, plan-honest-windows.ts), and is
 * 14 days at least. The default is the holdout length whenever it fits, else
 * the longest N that does; `--churn-days` (`churnDays` of POST /api/runs) sets
 * N, and a value the windows cannot hold is refused.
 *
 * Example: CDNOW 39 + 39 weeks, `planChurnHorizon({ calibrationDays: 272, holdoutDays: 273 })` →
 * `{ days: 181, chosen: 'shortened', reason: 'shorter than the holdout (273 days): the 272 days from the first purchase to the calibration end leave 181 days after their first third, …' }`
 */
import { UserError } from '../core/errors/user-error.js';

/** The shortest churn horizon; a default below it skips the churn early warning, an asked one is refused. */
export const MIN_CHURN_HORIZON_DAYS = 14;

export interface ChurnWindowDays {
  /** first purchase → calibration end C */
  readonly calibrationDays: number;
  /** C → the holdout end (validate) or the as-of date (analyze) */
  readonly holdoutDays: number;
}

/** How a refusal names the setting: the flag (`--churn-days`, verb `pass`) or the API field (`churnDays`, verb `send`). */
export interface ChurnDaysWords {
  readonly give: string;
  readonly name: string;
}

export const CHURN_DAYS_FLAG: ChurnDaysWords = { give: 'pass', name: '--churn-days' };

/** How N was chosen: the holdout length, asked for (--churn-days, churnDays), or the longest the history holds. */
export type ChurnHorizonChoice = 'holdout' | 'asked' | 'shortened';

export interface ChurnHorizon {
  /** N */
  readonly days: number;
  readonly chosen: ChurnHorizonChoice;
  /**
   * how N was chosen, one plain clause in the run's words; when shortened, why and what the churn figures then
   * measure
   */
  readonly reason: string;
}

const days = (n: number) => `${n.toLocaleString('en-US')} day${n === 1 ? '' : 's'}`;

/** The longest N the calibration window holds: what is left after its first third, kept as history (⌊⅔·c⌋). */
const afterFirstThird = (calibrationDays: number) => Math.floor((2 * calibrationDays) / 3);

/** The longest N the windows hold: the outcome window in the holdout, a third of the calibration window kept as history. */
export function longestChurnDays({ calibrationDays, holdoutDays }: ChurnWindowDays): number {
  return Math.max(0, Math.min(holdoutDays, afterFirstThird(calibrationDays)));
}

/**
 * Why the default N is shorter than the holdout, and what the churn figures then mean.
 *
 * Example: `{ calibrationDays: 272, holdoutDays: 273 }`, N = 181 → "the 272 days from the first purchase to the
 * calibration end leave 181 days after their first third, which the classifier keeps as history before its training cut-off (a 273-day label needs 410
 * days of calibration data); the churn figures score no purchase in the first 181 days of the 273-day holdout"
 */
export function describeShortenedHorizon(window: ChurnWindowDays, n: number): string {
  const needed = Math.ceil((3 * window.holdoutDays) / 2);
  return `the ${days(window.calibrationDays)} from the first purchase to the calibration end leave ${days(n)} after their first third, which the classifier keeps as history before its training cut-off (a ${window.holdoutDays}-day label needs ${days(needed)} of calibration data); the churn figures score no purchase in the first ${days(n)} of the ${window.holdoutDays}-day holdout`;
}

/**
 * The churn horizon of these windows: `asked` (--churn-days, churnDays) when the windows hold it, else a UserError
 * with the range that fits in `words`; without `asked`, the holdout length when it fits, else the longest N that does
 * (`chosen` says which, `reason` how in one clause), or null when that is under 14 days (the churn early warning is
 * skipped).
 */
export function planChurnHorizon(window: ChurnWindowDays, asked: number | undefined, words: ChurnDaysWords = CHURN_DAYS_FLAG): ChurnHorizon | null {
  const longest = longestChurnDays(window);
  const h = window.holdoutDays;
  if (asked !== undefined) {
    const refusal = churnDaysRefusal(window, asked, words);
    if (refusal) throw refusal;
    const part = asked < h ? `: the churn figures score no purchase in the first ${days(asked)} of the ${h}-day holdout` : ', the holdout\'s length';
    return { days: asked, chosen: 'asked', reason: `as ${words.name} ${asked} asked${part}` };
  }
  if (longest < MIN_CHURN_HORIZON_DAYS) return null;
  if (longest < h) return { days: longest, chosen: 'shortened', reason: `shorter than the holdout (${days(h)}): ${describeShortenedHorizon(window, longest)}` };
  return { days: longest, chosen: 'holdout', reason: `the holdout's length; ${words.name} sets a shorter one` };
}

/**
 * Why no default N fits (planChurnHorizon gave null), one clause naming the window that is too short: the holdout
 * (with the setting that lengthens it, `holdoutSetting`: "--holdout-days" or the API's "holdoutDays"), else the
 * history before the calibration end.
 *
 * Example: `{ calibrationDays: 535, holdoutDays: 10 }` → "the 10-day holdout after the value model’s calibration end is
 * shorter than the 14 days a churn label needs (--holdout-days 14 or more scores it)"
 */
export function churnHorizonSkipReason({ calibrationDays, holdoutDays }: ChurnWindowDays, holdoutSetting: string): string {
  const need = `the ${MIN_CHURN_HORIZON_DAYS} days a churn label needs`;
  if (holdoutDays < MIN_CHURN_HORIZON_DAYS) return `the ${holdoutDays}-day holdout after the value model’s calibration end is shorter than ${need} (${holdoutSetting} ${MIN_CHURN_HORIZON_DAYS} or more scores it)`;
  return `the ${days(calibrationDays)} from the first purchase to the value model’s calibration end leave ${days(afterFirstThird(calibrationDays))} after their first third (kept as history), fewer than ${need}`;
}

/**
 * What is wrong with an N whatever the windows (`given` names it as the run does: "--churn-days 9"), or null: not a
 * whole number of days, or shorter than 14 days.
 */
export function churnDaysUnfit(given: string, n: number): string | null {
  if (!Number.isInteger(n)) return `${given} is not a whole number of days`;
  return n < MIN_CHURN_HORIZON_DAYS ? `${given} is shorter than ${MIN_CHURN_HORIZON_DAYS} days: a shorter churn label says too little` : null;
}

/**
 * The error of an N the windows cannot hold (with the range that fits), or null when it fits.
 *
 * Example: N = 300, `{ calibrationDays: 272, holdoutDays: 273 }` → message "--churn-days 300 does not fit the windows:
 * the churn labels need N days after the first third of the 272 days from the first purchase to the calibration end
 * (at most 181) and N days of
 * the 273-day holdout to check them on", hint "pass --churn-days from 14 to 181"
 */
export function churnDaysRefusal(window: ChurnWindowDays, asked: number, words: ChurnDaysWords = CHURN_DAYS_FLAG): UserError | null {
  const longest = longestChurnDays(window);
  if (Number.isInteger(asked) && asked >= MIN_CHURN_HORIZON_DAYS && asked <= longest) return null;
  const given = `${words.name} ${asked}`;
  const unfit = churnDaysUnfit(given, asked);
  if (unfit) return new UserError(unfit, `${words.give} ${words.name} from ${MIN_CHURN_HORIZON_DAYS}${longest >= MIN_CHURN_HORIZON_DAYS ? ` to ${longest}` : ''}`);
  const why = `the churn labels need N days after the first third of the ${days(window.calibrationDays)} from the first purchase to the calibration end (at most ${afterFirstThird(window.calibrationDays)}) and N days of the ${window.holdoutDays}-day holdout to check them on`;
  const hint = longest >= MIN_CHURN_HORIZON_DAYS ? `${words.give} ${words.name} from ${MIN_CHURN_HORIZON_DAYS} to ${longest}, or leave it out for the longest that fits` : `the windows hold no churn label of ${MIN_CHURN_HORIZON_DAYS} days: use a longer history or a longer holdout`;
  return new UserError(`${given} does not fit the windows: ${why}`, hint);
}
