/**
 * Time constants of the synthetic shop: milliseconds per minute, hour and
 * day (the core's `MS_PER_DAY`), and rounding to whole seconds (the files carry timestamps to the
 * second). Days per model time unit are the core's `DAYS_PER_UNIT`.
 */
import { MS_PER_DAY } from '../core/calendar-days.js';

export { DAYS_PER_UNIT } from '../core/time-unit.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = MS_PER_DAY;

export function roundToSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
