import { describe, expect, it } from 'vitest';
import { DAYS_PER_UNIT, DAYS_PER_YEAR } from '../../src/core/time-unit.js';
import { YEARS_PER_TIME_UNIT } from '../../src/models/clv.js';

describe('DAYS_PER_UNIT', () => {
  it('an hour is a 24th of a day, a week 7 days and a month a twelfth of a Julian year', () => {
    expect(DAYS_PER_UNIT.hour).toBe(1 / 24);
    expect(DAYS_PER_UNIT.day).toBe(1);
    expect(DAYS_PER_UNIT.week).toBe(7);
    expect(DAYS_PER_UNIT.month).toBe(30.4375);
  });

  it('the CLV schedule derives its years per unit from them, bit for bit as before', () => {
    expect(DAYS_PER_YEAR).toBe(365.25);
    expect(YEARS_PER_TIME_UNIT).toEqual({ hour: 1 / 24 / 365.25, day: 1 / 365.25, week: 7 / 365.25, month: 1 / 12 });
  });
});
