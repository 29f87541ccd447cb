/**
 * The value step's holdout: the last days of the data, on which the purchase
 * models' tournament chooses (value-step.ts), and what the run says when it
 * leaves nothing before it to fit the models on.
 */
import { UserError } from '../core/errors/user-error.js';
import type { RunWords } from '../core/run-words.js';

/**
 * The holdout when the user gives none: a third of the span from the first purchase to the as-of date, 28 to 365 days.
 *
 * Example: `defaultValueHoldoutDays(730)` → 243; `defaultValueHoldoutDays(28)` → 28
 */
export function defaultValueHoldoutDays(spanDays: number): number {
  return Math.max(28, Math.min(365, Math.round(spanDays / 3)));
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
