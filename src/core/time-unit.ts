/** Time unit of every recency/T/horizon number; never implied. */
export type TimeUnit = 'hour' | 'day' | 'week' | 'month';

/** Days in a Julian year, the year of every yearly rate and of the month. */
export const DAYS_PER_YEAR = 365.25;

/** Days per time unit; a month is a twelfth of a Julian year (30.4375 days). */
export const DAYS_PER_UNIT: Readonly<Record<TimeUnit, number>> = { hour: 1 / 24, day: 1, week: 7, month: DAYS_PER_YEAR / 12 };

/** The time units, shortest first (CLI choices, messages). */
export const TIME_UNITS: readonly TimeUnit[] = ['hour', 'day', 'week', 'month'];
