/** Time unit of every recency/T/horizon number; never implied. */
export type TimeUnit = 'day' | 'week' | 'month';

/** Days per time unit; a month is a twelfth of a Julian year (365.25 days). */
export const DAYS_PER_UNIT: Readonly<Record<TimeUnit, number>> = { day: 1, week: 7, month: 365.25 / 12 };
