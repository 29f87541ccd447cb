/**
 * The minimum-support convention shared by the pattern miners: a value in
 * (0, 1) is a fraction of the n rows (baskets or customers) and becomes the
 * count ⌈minSupport·n⌉ (a pattern is frequent when its count ≥ minSupport·n);
 * a value ≥ 1 is itself the count and must be an integer. So 1 means "at
 * least one row"; "every row" is spelled as the count n.
 */
import { UserError } from '../../core/errors/user-error.js';

export function resolveMinSupportCount(minSupport: number, n: number, what = 'minSupport'): number {
  if (typeof minSupport !== 'number' || !Number.isFinite(minSupport) || minSupport <= 0) {
    throw new UserError(`${what} must be a fraction in (0, 1) or a count ≥ 1, got ${minSupport}`, 'e.g. 0.005 for 0.5% of rows, or 50 for 50 rows');
  }
  if (minSupport < 1) {
    // the epsilon absorbs rounding in products such as 0.07·100 = 7.000000000000001
    return Math.max(1, Math.ceil(minSupport * n - 1e-9 * Math.max(1, n)));
  }
  if (!Number.isInteger(minSupport)) {
    throw new UserError(`${what} ≥ 1 is a count and must be an integer, got ${minSupport}`, 'use a fraction below 1 or a whole count');
  }
  return minSupport;
}

/** Validates an optional maximum pattern length (a positive integer or Infinity). */
export function resolveMaxLength(maxLength: number | undefined, what = 'maxLength'): number {
  if (maxLength === undefined) return Infinity;
  if (maxLength === Infinity) return Infinity;
  if (!Number.isInteger(maxLength) || maxLength < 1) {
    throw new UserError(`${what} must be a positive integer, got ${maxLength}`);
  }
  return maxLength;
}
