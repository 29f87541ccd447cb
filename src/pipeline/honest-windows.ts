/**
 * Whether the honest tournament (honest-tournament.ts) can split its windows,
 * and what lengthens them, in the words of the command that runs it. Its
 * choice is made on an inner window of min(h, ⌊c/3⌋) days — h the holdout, c
 * the calibration window from the first purchase to the calibration end — and
 * needs 14 days at least: 42 days of calibration data and a holdout of 14.
 * `validate` sets the windows with --calibration-end and --holdout-end;
 * `analyze` (and a run through the API) with the holdout days, the
 * calibration window being the data before the holdout.
 */
import { UserError } from '../core/errors/user-error.js';
import type { RunWords } from '../core/run-words.js';
import { innerHorizonDays } from '../models/learned/plan-honest-windows.js';

/** The shortest inner horizon worth choosing on. */
export const MIN_INNER_HORIZON_DAYS = 14;

/** The shortest calibration window the inner split fits in (the inner window is a third of it at most). */
export const MIN_CALIBRATION_DAYS = 3 * MIN_INNER_HORIZON_DAYS;

/** The tournament's windows in whole days: calibration (first purchase → calibration end) and holdout (after it). */
export interface HonestWindowDays {
  readonly calibrationDays: number;
  readonly holdoutDays: number;
}

/** What lengthens the windows when they are too short, in the words of the command that runs the tournament. */
export type HonestWindowWords = (window: HonestWindowDays) => string;

const days = (n: number) => `${n.toLocaleString('en-US')} day${n === 1 ? '' : 's'}`;

/**
 * Why the tournament cannot split these windows (its inner window under 14 days), or null when it can.
 *
 * Example: `honestSplitShortfall({ calibrationDays: 31, holdoutDays: 28 })` → "the calibration window is too short for
 * the honest tournament: its 31 days give an inner window of 10 days, and the tournament chooses on 14 at least (42
 * days of calibration data)"
 */
export function honestSplitShortfall({ calibrationDays, holdoutDays }: HonestWindowDays): string | null {
  const innerDays = Math.max(0, innerHorizonDays(calibrationDays, holdoutDays));
  if (innerDays >= MIN_INNER_HORIZON_DAYS) return null;
  const inner = `an inner window of ${days(innerDays)}, and the tournament chooses on ${MIN_INNER_HORIZON_DAYS} at least`;
  const shortCalibration = calibrationDays < MIN_CALIBRATION_DAYS;
  const shortHoldout = holdoutDays < MIN_INNER_HORIZON_DAYS;
  if (shortCalibration && shortHoldout) return `the calibration window (${days(calibrationDays)}) and the holdout (${days(holdoutDays)}) are too short for the honest tournament: they give ${inner} (${MIN_CALIBRATION_DAYS} days of calibration data, a holdout of ${MIN_INNER_HORIZON_DAYS})`;
  if (shortCalibration) return `the calibration window is too short for the honest tournament: its ${days(calibrationDays)} give ${inner} (${MIN_CALIBRATION_DAYS} days of calibration data)`;
  return `the holdout is too short for the honest tournament: its ${days(holdoutDays)} give ${inner} (the inner window is no longer than the holdout)`;
}

/**
 * The error of windows too short for the tournament, with the hint of `words`, or null when they fit.
 *
 * Example: `honestSplitError({ calibrationDays: 31, holdoutDays: 28 }, analyzeWindowWords(runWords(true)))!.hint` →
 * "send holdoutDays from 14 to 17 (the calibration window is the data before the holdout: …)"
 */
export function honestSplitError(window: HonestWindowDays, words: HonestWindowWords): UserError | null {
  const shortfall = honestSplitShortfall(window);
  return shortfall === null ? null : new UserError(shortfall, words(window));
}

/**
 * `validate`'s words: its calibration window runs from the first purchase to --calibration-end, its holdout from
 * there to --holdout-end (the last purchase when not given).
 */
export const VALIDATE_WINDOW_WORDS: HonestWindowWords = ({ calibrationDays, holdoutDays }) => {
  const needs = `the tournament needs ${MIN_CALIBRATION_DAYS} days from the first purchase to --calibration-end and ${MIN_INNER_HORIZON_DAYS} from there to --holdout-end (the last purchase when not given)`;
  if (calibrationDays + holdoutDays < MIN_CALIBRATION_DAYS + MIN_INNER_HORIZON_DAYS) return `${needs}; the data span ${days(calibrationDays + holdoutDays)}: use a longer history`;
  if (calibrationDays < MIN_CALIBRATION_DAYS) return `use a later --calibration-end: ${needs}`;
  return `use an earlier --calibration-end or a later --holdout-end: ${needs}`;
};

/**
 * The words of `analyze` and of a run through the API (`words`): the calibration window is the data before the
 * holdout, so the holdout days (`--holdout-days`, `holdoutDays`) move the split, and a span too short for both
 * windows needs a longer history.
 *
 * Example: 31 calibration days before a 28-day holdout (59 days of data), CLI → "pass --holdout-days from 14 to 17 (the
 * calibration window is the data before the holdout: the tournament needs 42 days of it and a holdout of 14)"
 */
export function analyzeWindowWords(words: RunWords): HonestWindowWords {
  return ({ calibrationDays, holdoutDays }) => {
    const span = calibrationDays + holdoutDays;
    const longest = span - MIN_CALIBRATION_DAYS;
    if (longest < MIN_INNER_HORIZON_DAYS) {
      return `analyse a longer history: the tournament needs ${MIN_CALIBRATION_DAYS + MIN_INNER_HORIZON_DAYS} days from the first purchase to the as-of date (${MIN_CALIBRATION_DAYS} days of calibration data, then a holdout of ${MIN_INNER_HORIZON_DAYS}), and the data span ${days(span)}`;
    }
    const range = longest === MIN_INNER_HORIZON_DAYS ? words.set('holdoutDays', longest) : `${words.name('holdoutDays')} from ${MIN_INNER_HORIZON_DAYS} to ${longest}`;
    return `${words.give} ${range} (the calibration window is the data before the holdout: the tournament needs ${MIN_CALIBRATION_DAYS} days of it and a holdout of ${MIN_INNER_HORIZON_DAYS})`;
  };
}
