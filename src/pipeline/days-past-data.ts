/**
 * A window chosen to end after the data does (analyze --as-of, validate --holdout-end): the days past the last
 * purchase hold no purchases, so every customer looks inactive there and the models are scored against nothing.
 * A week past is normal (nobody bought in the last days); more is warned about.
 */
import { daysBetween } from '../core/calendar-days.js';

/** Days from the last purchase to a chosen end day past it; null within a week (nobody bought in the last days: normal). */
export function daysPastData(end: string, lastPurchase: string): number | null {
  const days = daysBetween(lastPurchase, end);
  return days > DAYS_PAST_DATA_ALLOWED ? days : null;
}

/** A chosen end (--as-of, --holdout-end) this many days past the last purchase is taken as meant; more is warned about. */
export const DAYS_PAST_DATA_ALLOWED = 7;

