/** Time unit of every recency/T/horizon number; never implied. */
export type TimeUnit = 'day' | 'week' | 'month';

/** Days in a Julian year, the year of every yearly rate and of the month. */
export const DAYS_PER_YEAR = 365.25;

/** Days per time unit; a month is a twelfth of a Julian year (30.4375 days). */
export const DAYS_PER_UNIT: Readonly<Record<TimeUnit, number>> = { day: 1, week: 7, month: DAYS_PER_YEAR / 12 };
