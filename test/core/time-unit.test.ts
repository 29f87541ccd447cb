import { describe, expect, it } from 'vitest';
import { DAYS_PER_UNIT } from '../../src/core/time-unit.js';

describe('DAYS_PER_UNIT', () => {
  it('a week is 7 days and a month a twelfth of a Julian year', () => {
    expect(DAYS_PER_UNIT.day).toBe(1);
    expect(DAYS_PER_UNIT.week).toBe(7);
    expect(DAYS_PER_UNIT.month).toBe(30.4375);
  });
});
