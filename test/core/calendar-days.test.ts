import { describe, expect, it } from 'vitest';
import { addDays, calendarPeriods, dayFromNumber, dayNumber, daysBetween, parseDay, periodStart } from '../../src/core/calendar-days.js';
import { UserError } from '../../src/core/errors/user-error.js';

describe('calendar days', () => {
  it('parseDay accepts a real YYYY-MM-DD day (trimmed) and refuses anything else with a UserError that says how to write it', () => {
    expect(parseDay(' 2024-02-29 ', '--as-of')).toBe('2024-02-29');
    for (const bad of ['2023-02-29', '2024-13-01', '24-01-01', '2024/01/01', '']) {
      expect(() => parseDay(bad, '--as-of')).toThrow(UserError);
    }
    expect(() => parseDay('2023-02-29', '--as-of')).toThrow('--as-of 2023-02-29 is not a date');
  });

  it('counts whole days across month, year and leap-day boundaries', () => {
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(dayFromNumber(dayNumber('2024-02-29'))).toBe('2024-02-29');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(daysBetween('2023-01-05', '2023-03-15')).toBe(69);
  });

  it('finds period starts (ISO weeks start on Monday) and cuts the last period at the end day', () => {
    expect(periodStart('2023-04-01', 'week')).toBe('2023-03-27'); // a Saturday
    expect(periodStart('2023-03-27', 'week')).toBe('2023-03-27');
    expect(periodStart('2023-08-15', 'quarter')).toBe('2023-07-01');
    expect(calendarPeriods('2023-11-15', '2024-02-10', 'month').map((p) => [p.label, p.start, p.end, p.partial])).toEqual([
      ['2023-11', '2023-11-01', '2023-11-30', false],
      ['2023-12', '2023-12-01', '2023-12-31', false],
      ['2024-01', '2024-01-01', '2024-01-31', false],
      ['2024-02', '2024-02-01', '2024-02-10', true],
    ]);
    expect(calendarPeriods('2023-02-01', '2023-09-30', 'quarter').map((p) => p.label)).toEqual(['2023-Q1', '2023-Q2', '2023-Q3']);
  });
});
