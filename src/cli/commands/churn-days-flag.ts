import { UserError } from '../../core/errors/user-error.js';
import { MIN_CHURN_HORIZON_DAYS } from '../../pipeline/churn-horizon.js';

/**
 * --churn-days as a whole number of days, 14 at least (whether the windows hold it is checked once they are known).
 *
 * Example: `churnDaysFlag('90', '--churn-days')` → 90; `churnDaysFlag('9', '--churn-days')` throws "--churn-days 9 is
 * shorter than 14 days: …"
 */
export function churnDaysFlag(text: string, flag: string): number {
  if (!/^\s*\d+\s*$/.test(text)) throw new UserError(`${flag} ${text} is not a whole number of days`, `pass e.g. ${flag} 90 (no purchase in the next 90 days)`);
  const n = Number(text);
  if (n < MIN_CHURN_HORIZON_DAYS) throw new UserError(`${flag} ${text} is shorter than ${MIN_CHURN_HORIZON_DAYS} days: a shorter churn label says too little`, `pass ${flag} ${MIN_CHURN_HORIZON_DAYS} or more, e.g. ${flag} 90 (no purchase in the next 90 days)`);
  return n;
}
