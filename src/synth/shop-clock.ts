/**
 * Time constants of the synthetic shop: milliseconds per minute, hour and
 * day, days per model time unit, and rounding to whole seconds (the files
 * carry timestamps to the second).
 */
import type { TimeUnit } from '../models/model-types.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Days in one model time unit (a month is a twelfth of a Julian year). */
export const DAYS_PER_UNIT: Readonly<Record<TimeUnit, number>> = { day: 1, week: 7, month: 365.25 / 12 };

export function roundToSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
