/**
 * The value step's holdout: the last days of the data, on which the purchase
 * models' tournament chooses (value-step.ts), and what the run says when it
 * leaves nothing before it to fit the models on.
 */
import { UserError } from '../core/errors/user-error.js';
import type { RunWords } from '../core/run-words.js';
import { addDays, daysBetween } from '../core/calendar-days.js';
import { plural } from '../core/plural.js';

/** The shortest default holdout (defaultValueHoldoutDays); a shorter one is warned about (shortHoldoutWarning). */
export const MIN_VALUE_HOLDOUT_DAYS = 28;

/**
 * The holdout when the user gives none: a third of the span from the first purchase to the as-of date, 28 to 365 days.
 *
 * Example: `defaultValueHoldoutDays(730)` → 243; `defaultValueHoldoutDays(28)` → 28
 */
export function defaultValueHoldoutDays(spanDays: number): number {
  return Math.max(MIN_VALUE_HOLDOUT_DAYS, Math.min(365, Math.round(spanDays / 3)));
}

/**
 * The error of a holdout that leaves no purchase before it to fit the value models on — `holdoutDays` at least the
 * data's span, the first purchase to the as-of date (the models then failed on an empty calibration window, as
 * "BG/NBD: no customers (total weight 0)") — in the run's `words`, or null. The default holdout (a third of the span,
 * 28 to 365 days) covers a span of 28 days or less; a holdout the user gave is named as they gave it.
 *
 * Example: one month of data (span 28 days), the default holdout of 28 → "the value models are chosen on a holdout of
 * the last 28 days (the default: a third of the span, 28 to 365 days), but the data span 28 days …" with the hint
 * "pass --holdout-days below 28 (e.g. --holdout-days 9), analyse a longer history or pass --skip-models to analyse without
 * the value models"
 */
export function holdoutCoversDataError(window: { readonly spanDays: number; readonly holdoutDays: number; readonly given: boolean; readonly defaultHoldoutDays: number; readonly asOf: string }, words: RunWords): UserError | null {
  const { spanDays, holdoutDays, given, defaultHoldoutDays, asOf } = window;
  if (holdoutDays < spanDays) return null;
  const { give, name, set } = words;
  const span = `${spanDays.toLocaleString('en-US')} day${spanDays === 1 ? '' : 's'} from the first purchase to the as-of date ${asOf}`;
  // a holdout of at least 1 day with at least 1 day of history before it
  const fits = spanDays >= 2;
  const example = set('holdoutDays', Math.max(1, Math.round(spanDays / 3)));
  // what else there is to do: more data, or (analyze only) no value models
  const otherwise = ['analyse a longer history', ...(words.api ? [] : ['pass --skip-models to analyse without the value models'])];
  const either = (choices: readonly string[]) => (choices.length === 1 ? choices[0]! : `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)!}`);
  const shorter = `${give} ${name('holdoutDays')} below ${spanDays} (e.g. ${example})`;
  const hint = fits ? either([shorter, ...otherwise]) : `the value models need purchases on two days at least: ${either(otherwise)}`;
  if (given) {
    return new UserError(
      `${name('holdoutDays')} ${holdoutDays} is not shorter than the data: ${span}, so nothing is left to fit the models on`,
      fits && defaultHoldoutDays < spanDays ? `${give} ${name('holdoutDays')} below ${spanDays}, or leave it out (the default here is ${defaultHoldoutDays}: a third of the span, 28 to 365 days)` : hint,
    );
  }
  return new UserError(`the value models are chosen on a holdout of the last ${holdoutDays} days (the default: a third of the span, 28 to 365 days), but the data span ${span}: no purchase is left before the holdout to fit them on`, hint);
}

/**
 * Whether a holdout of MIN_VALUE_HOLDOUT_DAYS leaves history before it, in data spanning `spanDays` from the first
 * purchase to the holdout's end (holdoutCoversDataError refuses one that does not): the short-holdout warning then
 * names the longer holdout, else a longer history. One test for analyze and validate.
 */
export function minimumHoldoutLeavesHistory(spanDays: number): boolean {
  return spanDays > MIN_VALUE_HOLDOUT_DAYS;
}

/**
 * The warning of a holdout shorter than MIN_VALUE_HOLDOUT_DAYS (28, the shortest default): the tournament chooses the
 * model on the holdout's MAEs, and a few days hold too few purchases for their differences to mean anything. The
 * criterion is the length (what --help documents); the warning gives the purchases the holdout holds, to show why.
 * `subject`: what is chosen ("the value model is", "the model is"); `lengthen`: the setting that lengthens the holdout,
 * as a clause ("--holdout-days 28 or more (…)"). Null for 28 days or more.
 *
 * Example: analyze --holdout-days 3 on the CDNOW sample → "the value model is chosen on a 3-day holdout (1998-06-28 →
 * 1998-06-30) holding 8 purchases, 0.003 per customer: its holdout MAEs (0.0110 to 0.0112) rest on too few purchases
 * to tell the models apart, so the choice is weak; --holdout-days 28 or more (the shortest default holdout) gives it
 * more to go on"
 */
export function shortHoldoutWarning(
  selection: { readonly calibrationEnd: string; readonly holdoutEnd: string; readonly calibrationCustomers: number; readonly comparison: readonly { readonly holdout: { readonly mae: number; readonly actualTotal: number } }[] },
  words: { readonly subject: string; readonly lengthen: string },
): string | null {
  const days = daysBetween(selection.calibrationEnd, selection.holdoutEnd);
  if (days >= MIN_VALUE_HOLDOUT_DAYS || selection.comparison.length === 0) return null;
  const purchases = selection.comparison[0]!.holdout.actualTotal;
  const maes = selection.comparison.map((c) => c.holdout.mae).filter((v) => Number.isFinite(v));
  const perCustomer = selection.calibrationCustomers > 0 ? `, ${(purchases / selection.calibrationCustomers).toFixed(3)} per customer` : '';
  const range = maes.length === 0 ? '' : ` (${Math.min(...maes).toFixed(4)}${maes.length > 1 ? ` to ${Math.max(...maes).toFixed(4)}` : ''})`;
  return `${words.subject} chosen on a ${days}-day holdout (${addDays(selection.calibrationEnd, 1)} → ${selection.holdoutEnd}) holding ${purchases.toLocaleString('en-US')} purchase${purchases === 1 ? '' : 's'}${perCustomer}: its holdout MAEs${range} rest on too few purchases to tell the models apart, so the choice is weak; ${words.lengthen} gives it more to go on`;
}

/**
 * The longest holdout that a calibration window at least as long can precede, in data spanning `spanDays` from the
 * first purchase to the holdout's end (the calibration window counts both its first and its last day, the holdout the
 * days after the calibration end): what shortCalibrationWarning names. One rule for analyze and validate.
 *
 * Example: `longestBalancedHoldoutDays(44)` → 22 (23 days of calibration before it); `(545)` → 273 (CDNOW 39 + 39 weeks)
 */
export function longestBalancedHoldoutDays(spanDays: number): number {
  return Math.max(1, Math.floor((spanDays + 1) / 2));
}

/**
 * The warning of a calibration window shorter than the holdout it must predict: the purchase models learn how long
 * customers keep buying from the silences the window shows, at most its length; asked to carry them over a longer
 * holdout (and the CLV horizon past it), a customer who has not bought again yet cannot be told from one who left, so
 * P(alive) and the predicted purchases run wherever the fit's boundary takes them. The criterion is the two windows'
 * lengths (a typical inter-purchase time would be cut short by the very window it judges): the calibration window runs
 * from the first purchase to the calibration end, both counted (`calibrationDays` + 1), the holdout from the day after.
 * `subject`: whose fits ("the value model", "the model"); `lengthen`: what to change, as a clause. Null when the
 * calibration window is at least as long as the holdout (CDNOW's standard 39 + 39 weeks: 273 days each).
 *
 * Example: synth --customers 500 --days 45, analyze → "the value model rests on a 17-day calibration window
 * (2022-01-01 → 2022-01-17), shorter than the 28-day holdout it must predict: …; a longer history (…), or
 * --holdout-days 22 or less (…), gives the models a calibration window at least as long as the holdout"
 */
export function shortCalibrationWarning(
  window: { readonly calibrationDays: number; readonly calibrationEnd: string; readonly holdoutDays: number },
  words: { readonly subject: string; readonly lengthen: string },
): string | null {
  const days = window.calibrationDays + 1;
  if (days >= window.holdoutDays) return null;
  const first = addDays(window.calibrationEnd, -window.calibrationDays);
  const n = (v: number) => v.toLocaleString('en-US');
  return `${words.subject} rests on a ${n(days)}-day calibration window (${first} → ${window.calibrationEnd}), shorter than the ${n(window.holdoutDays)}-day holdout it must predict: the models learn how long customers keep buying from at most ${plural(days, 'day')} of history, so a customer who has not bought again yet cannot be told from one who has left, and P(alive), the predicted purchases and the CLV built on them are carried well past anything the window shows — they may be far off; ${words.lengthen} gives the models a calibration window at least as long as the holdout`;
}
