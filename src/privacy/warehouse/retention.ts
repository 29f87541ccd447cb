import { MS_PER_DAY } from '../../core/calendar-days.js';
import { UserError } from '../../core/errors/user-error.js';

export type RetentionUnit = 'day' | 'week' | 'month' | 'year';

/** How long data is kept: a positive whole number of calendar units. */
export interface RetentionPeriod {
  readonly amount: number;
  readonly unit: RetentionUnit;
}

const UNITS: Readonly<Record<string, RetentionUnit>> = {
  d: 'day', day: 'day', days: 'day',
  w: 'week', week: 'week', weeks: 'week',
  m: 'month', mo: 'month', month: 'month', months: 'month',
  y: 'year', year: 'year', years: 'year',
};
/** Longest period accepted per unit (about 100 years). */
const MAX_AMOUNT: Readonly<Record<RetentionUnit, number>> = { day: 36_525, week: 5_218, month: 1_200, year: 100 };
const HINT = 'write a whole number and a unit: 180d, 6w, 12m (months) or 3y';

/**
 * Parses a retention period: a positive whole number and a unit, `d`, `w`,
 * `m` (months — never minutes), `y`, or the words `days`, `weeks`, `months`,
 * `years`; case and spaces between are ignored. Zero, negative, fractional,
 * over ~100 years or unit-less values throw `UserError` — a purge that
 * deletes more than meant cannot be undone.
 *
 * Example: `parseRetention('180d')` → `{ amount: 180, unit: 'day' }`
 */
export function parseRetention(text: string): RetentionPeriod {
  const match = /^\s*(\S*?)\s*([a-z]+)\s*$/i.exec(String(text));
  const amountText = match?.[1] ?? '';
  const unit = match ? UNITS[match[2].toLowerCase()] : undefined;
  if (!match || !unit) throw new UserError(`retention period ${JSON.stringify(text)} has no known unit`, HINT);
  if (!/^\d+$/.test(amountText)) throw new UserError(`retention period ${JSON.stringify(text)} needs a positive whole number`, HINT);
  const amount = Number(amountText);
  if (amount === 0) throw new UserError(`retention period ${JSON.stringify(text)} is zero: it would purge everything`, 'use a positive period, or erase data explicitly');
  if (amount > MAX_AMOUNT[unit]) throw new UserError(`retention period ${JSON.stringify(text)} is longer than 100 years`, HINT);
  return { amount, unit };
}

/**
 * The moment before which data is past retention: `now` minus the period.
 * Days and weeks are exact multiples of 24 h; months and years are calendar
 * steps in UTC, clamped to the month's last day (31 Mar − 1m → 28/29 Feb;
 * 29 Feb − 1y → 28 Feb). Rows with a timestamp strictly before the cutoff are
 * purged.
 *
 * Example: `retentionCutoff('12m', new Date('2025-03-31T10:00:00Z'))` → `2024-03-31T10:00:00.000Z`
 */
export function retentionCutoff(period: RetentionPeriod | string, now: Date): Date {
  const p = typeof period === 'string' ? parseRetention(period) : period;
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new UserError('"now" is not a valid date', 'pass a valid Date');
  switch (p.unit) {
    case 'day':
      return new Date(now.getTime() - p.amount * MS_PER_DAY);
    case 'week':
      return new Date(now.getTime() - p.amount * 7 * MS_PER_DAY);
    case 'month':
      return subtractMonths(now, p.amount);
    case 'year':
      return subtractMonths(now, 12 * p.amount);
  }
}

/** `{ amount: 3, unit: 'year' }` → `'3 years'`. */
export function formatRetention(period: RetentionPeriod): string {
  return `${period.amount} ${period.unit}${period.amount === 1 ? '' : 's'}`;
}

/**
 * Parses a per-table policy such as `events=180d,quarantine=90d` (commas or
 * spaces between entries). Throws `UserError` on a malformed entry or a table
 * named twice.
 *
 * Example: `parseRetentionPolicy('events=180d, quarantine=90d')` → `{ events: { amount: 180, unit: 'day' }, quarantine: { amount: 90, unit: 'day' } }`
 */
export function parseRetentionPolicy(text: string): Record<string, RetentionPeriod> {
  const policy: Record<string, RetentionPeriod> = {};
  const entries = String(text).split(/[\s,]+/).filter((e) => e !== '');
  if (entries.length === 0) throw new UserError('retention policy is empty', 'write table=period pairs, e.g. events=180d,quarantine=90d');
  for (const entry of entries) {
    const match = /^([a-z_][a-z0-9_]*)=(.+)$/i.exec(entry);
    if (!match) throw new UserError(`retention entry ${JSON.stringify(entry)} is not table=period`, 'e.g. events=180d,quarantine=90d');
    if (Object.hasOwn(policy, match[1])) throw new UserError(`table ${match[1]} appears twice in the retention policy`, 'give each table one period');
    policy[match[1]] = parseRetention(match[2]);
  }
  return policy;
}

function subtractMonths(now: Date, months: number): Date {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() - months;
  const targetYear = year + Math.floor(month / 12);
  const targetMonth = ((month % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const result = new Date(now.getTime());
  result.setUTCFullYear(targetYear, targetMonth, Math.min(now.getUTCDate(), lastDay));
  return result;
}
