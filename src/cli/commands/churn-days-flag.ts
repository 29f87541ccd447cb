import { UserError } from '../../core/errors/user-error.js';
import { churnDaysUnfit, MIN_CHURN_HORIZON_DAYS } from '../../pipeline/churn-horizon.js';

/**
 * --churn-days as a whole number of days, 14 at least (whether the windows hold it is checked once they are known).
 *
 * Example: `churnDaysFlag('90', '--churn-days')` → 90; `churnDaysFlag('9', '--churn-days')` throws "--churn-days 9 is
 * shorter than 14 days: …"
 */
export function churnDaysFlag(text: string, flag: string): number {
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  const unfit = churnDaysUnfit(`${flag} ${text}`, n);
  if (unfit) throw new UserError(unfit, `pass ${Number.isNaN(n) ? 'e.g.' : `${flag} ${MIN_CHURN_HORIZON_DAYS} or more, e.g.`} ${flag} 90 (no purchase in the next 90 days)`);
  return n;
}
