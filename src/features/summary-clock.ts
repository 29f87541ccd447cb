import { UserError } from '../core/errors/user-error.js';
import { DAYS_PER_UNIT, type TimeUnit } from '../core/time-unit.js';
import { orderKeySql, type SqlDialect } from '../engine/sql-dialect.js';

/** What counts as one purchase occasion: a distinct purchase day (the BTYD literature's default) or a distinct order. */
export type PurchaseGrain = 'day' | 'order';

/**
 * How purchases are counted and times measured in a customer summary:
 * - `fractional` (default): occasions are distinct days (or orders); times
 *   are whole calendar days divided by the unit's days (weeks: days / 7,
 *   months: days / 30.4375), as `lifetimes` with `freq="D"` and
 *   `freq_multiplier=7`. With the `hour` unit: distinct clock hours and whole
 *   hours, as `lifetimes` with `freq="h"`.
 * - `calendar-week`: occasions are distinct calendar weeks (Monday–Sunday),
 *   times whole weeks between the weeks, as `lifetimes` with `freq="W"`
 *   (pandas' W-SUN periods).
 * - `calendar-month`: distinct calendar months, times whole months between
 *   the months, as pandas' `freq="M"` periods.
 */
export type SummaryPeriod = 'fractional' | 'calendar-week' | 'calendar-month';

export const SUMMARY_PERIODS: readonly SummaryPeriod[] = ['fractional', 'calendar-week', 'calendar-month'];

/** The SQL pieces one convention needs: the occasion of a purchase and the time between two instants in units. */
export interface SummaryClock {
  /** the occasion key of a purchase timestamp column (rows with the same key are one occasion) */
  occasion(ts: string): string;
  /** time from `start` to `end` (timestamp expressions) in the unit: whole periods, or days / unit days */
  span(start: string, end: string): string;
  /**
   * The instant that stands for the end of a window closing at the end of
   * `day` (YYYY-MM-DD): its last hour for the hour unit, the day itself
   * otherwise (T is measured to the day, week or month that holds it).
   */
  windowEnd(day: string): string;
}

/**
 * The clock of a summary. Throws a UserError for a unit the period cannot
 * be measured in (a calendar week is counted in weeks, a month in months)
 * and for orders as occasions with calendar periods (the period is the
 * occasion).
 *
 * Example: `summaryClock(duckdbDialect, 'week', 'calendar-week', 'day').span('a', 'b')`
 * → `(date_diff('day', CAST(CAST(date_trunc('week', a) AS DATE) AS DATE), …) / 7)`
 */
export function summaryClock(d: SqlDialect, timeUnit: TimeUnit, period: SummaryPeriod = 'fractional', grain: PurchaseGrain = 'day'): SummaryClock {
  const unitDays = DAYS_PER_UNIT[timeUnit];
  if (unitDays === undefined) throw new UserError(`time unit ${timeUnit} is not one of hour, day, week, month`, 'pass --time-unit hour|day|week|month');
  const endOfDay = (day: string) => d.timestamp(`${day}T23:00:00`);
  const startOfDay = (day: string) => d.timestamp(`${day}T00:00:00`);
  if (period === 'calendar-week' || period === 'calendar-month') {
    const unit = period === 'calendar-week' ? 'week' : 'month';
    if (timeUnit !== unit) throw new UserError(`--period ${period} counts whole ${unit}s, but the time unit is ${timeUnit}`, `pass --time-unit ${unit} with --period ${period}`);
    if (grain === 'order') throw new UserError(`--grain order does not go with --period ${period}`, `a calendar ${unit} with purchases is one occasion: leave --grain out`);
    if (unit === 'week') return { occasion: (ts) => d.weekOf(ts), span: (a, b) => `(${d.daysBetween(d.weekOf(a), d.weekOf(b))} / 7)`, windowEnd: startOfDay };
    return { occasion: (ts) => d.monthOf(ts), span: (a, b) => `CAST(${d.monthsBetween(a, b)} AS DOUBLE)`, windowEnd: startOfDay };
  }
  if (period !== 'fractional') throw new UserError(`--period ${String(period)} is not one of ${SUMMARY_PERIODS.join(', ')}`, 'pass --period calendar-week, calendar-month, or leave it out');
  if (timeUnit === 'hour') return { occasion: (ts) => (grain === 'order' ? orderKeySql(d) : d.hourOf(ts)), span: (a, b) => `CAST(${d.hoursBetween(a, b)} AS DOUBLE)`, windowEnd: endOfDay };
  return { occasion: (ts) => (grain === 'order' ? orderKeySql(d) : d.dayOf(ts)), span: (a, b) => `(${d.daysBetween(a, b)} / ${unitDays})`, windowEnd: startOfDay };
}
