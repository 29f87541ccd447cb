/**
 * Calendar days in UTC: YYYY-MM-DD days given by users checked, arithmetic
 * on them, and day numbers (whole days since 1970-01-01) that typed arrays
 * can hold. Every segment, stage and cohort step counts time in whole
 * calendar days.
 */
import { UserError } from './errors/user-error.js';

/** Milliseconds in a UTC day. */
export const MS_PER_DAY = 86_400_000;

/** Parse and check a YYYY-MM-DD date given by a user. */
export function parseDay(value: string, flag: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  const date = match ? new Date(`${value.trim()}T00:00:00Z`) : null;
  if (!match || !date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value.trim()) {
    throw new UserError(`${flag} ${value} is not a date`, `write it as YYYY-MM-DD, e.g. ${flag} 2011-09-30`);
  }
  return value.trim();
}

/**
 * `parseDay` for a field of an HTTP request, its refusal in the API's words: the field as sent (`example`), not a
 * CLI flag. A day of the right shape that is not on the calendar (`2023-02-30`) is refused before anything is
 * drawn, started or written.
 *
 * Example: `parseRequestDay('2023-02-30', 'asOf', '"asOf": "2024-03-01"')` → UserError `asOf 2023-02-30 is not a date`
 */
export function parseRequestDay(value: string, field: string, example: string): string {
  try {
    return parseDay(value, field);
  } catch {
    throw new UserError(`${field} ${value} is not a date`, `send it as YYYY-MM-DD, e.g. ${example}`);
  }
}

/** Whole days since 1970-01-01 of a YYYY-MM-DD day. */
export function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / MS_PER_DAY);
}

/** The YYYY-MM-DD day of a day number. */
export function dayFromNumber(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

/** A day plus a whole number of days (negative to go back). */
export function addDays(day: string, days: number): string {
  return dayFromNumber(dayNumber(day) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** A day from a query result: a Date (DuckDB DATE/TIMESTAMP) or a text starting YYYY-MM-DD; null stays null. */
export function dayOfValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

/** Period lengths for snapshots, cohorts and series. */
export type CalendarPeriod = 'week' | 'month' | 'quarter';

/** Month index (year × 12 + month − 1) of a day: months since year 0, for month arithmetic. */
export function monthIndex(day: string): number {
  return Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
}

/** The first day of the month with index `index` (see `monthIndex`). */
export function monthStart(index: number): string {
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;
}

/** The label of a period starting on `start`: `2011-03` for a month, `2011-Q1` for a quarter, the start day for a week. */
export function periodLabel(start: string, period: CalendarPeriod): string {
  if (period === 'month') return start.slice(0, 7);
  if (period === 'quarter') return `${start.slice(0, 4)}-Q${Math.floor((Number(start.slice(5, 7)) - 1) / 3) + 1}`;
  return start;
}

/** The start of the period that contains `day`; weeks start on Monday (ISO). */
export function periodStart(day: string, period: CalendarPeriod): string {
  if (period === 'month') return `${day.slice(0, 7)}-01`;
  if (period === 'quarter') {
    const m = monthIndex(day);
    return monthStart(m - (m % 3));
  }
  const n = dayNumber(day);
  const weekday = (((n + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday: Monday → 0
  return dayFromNumber(n - weekday);
}

/** The first day of the period after the one starting on `start`. */
export function nextPeriodStart(start: string, period: CalendarPeriod): string {
  if (period === 'month') return monthStart(monthIndex(start) + 1);
  if (period === 'quarter') return monthStart(monthIndex(start) + 3);
  return addDays(start, 7);
}

/**
 * The periods that overlap [from, to], each as its first and last day, the
 * last one cut at `to` (a period that `to` ends early is partial).
 */
export function calendarPeriods(from: string, to: string, period: CalendarPeriod): { start: string; end: string; label: string; partial: boolean }[] {
  const out: { start: string; end: string; label: string; partial: boolean }[] = [];
  for (let start = periodStart(from, period); start <= to; start = nextPeriodStart(start, period)) {
    const fullEnd = addDays(nextPeriodStart(start, period), -1);
    const end = fullEnd <= to ? fullEnd : to;
    out.push({ start, end, label: periodLabel(start, period), partial: end !== fullEnd });
    if (out.length > 100_000) throw new UserError(`too many ${period}s from ${from} to ${to}`, 'choose a longer period or a shorter range');
  }
  return out;
}

/** Check a calendar period name given by a user. */
export function parseCalendarPeriod(value: string, flag: string): CalendarPeriod {
  if (value === 'week' || value === 'month' || value === 'quarter') return value;
  throw new UserError(`${flag} ${value} is not one of week, month, quarter`, `pass ${flag} month`);
}
