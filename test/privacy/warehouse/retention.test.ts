import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors/user-error.js';
import { formatRetention, parseRetention, parseRetentionPolicy, retentionCutoff } from '../../../src/privacy/warehouse/retention.js';

describe('parseRetention', () => {
  it('parses short and long units, case and spaces ignored', () => {
    expect(parseRetention('180d')).toEqual({ amount: 180, unit: 'day' });
    expect(parseRetention('6w')).toEqual({ amount: 6, unit: 'week' });
    expect(parseRetention('12m')).toEqual({ amount: 12, unit: 'month' });
    expect(parseRetention('3y')).toEqual({ amount: 3, unit: 'year' });
    expect(parseRetention(' 3 Years ')).toEqual({ amount: 3, unit: 'year' });
    expect(parseRetention('1 month')).toEqual({ amount: 1, unit: 'month' });
    expect(parseRetention('100y')).toEqual({ amount: 100, unit: 'year' });
  });

  it('rejects bad input with a UserError and a hint', () => {
    const bad: Array<[string, RegExp]> = [
      ['', /no known unit/],
      ['180', /no known unit/],
      ['3 fortnights', /no known unit/],
      ['1.5y', /positive whole number/],
      ['-3y', /positive whole number/],
      ['+3y', /positive whole number/],
      ['1e3d', /positive whole number/],
      ['y', /positive whole number/],
      ['0d', /zero/],
      ['101y', /longer than 100 years/],
      ['40000d', /longer than 100 years/],
    ];
    for (const [text, message] of bad) {
      let error: unknown;
      try {
        parseRetention(text);
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(UserError);
      expect((error as Error).message, text).toMatch(message);
      expect((error as UserError).hint, text).toBeTruthy();
    }
  });
});

describe('retentionCutoff', () => {
  const now = new Date('2025-03-31T10:00:00Z');

  it('days and weeks are exact multiples of 24 h', () => {
    expect(retentionCutoff('180d', now).toISOString()).toBe('2024-10-02T10:00:00.000Z');
    expect(retentionCutoff('6w', now).toISOString()).toBe('2025-02-17T10:00:00.000Z');
  });

  it('months and years are calendar steps, clamped to the end of the month', () => {
    expect(retentionCutoff('12m', now).toISOString()).toBe('2024-03-31T10:00:00.000Z');
    expect(retentionCutoff('1m', now).toISOString()).toBe('2025-02-28T10:00:00.000Z');
    expect(retentionCutoff('13m', now).toISOString()).toBe('2024-02-29T10:00:00.000Z');
    expect(retentionCutoff('3y', now).toISOString()).toBe('2022-03-31T10:00:00.000Z');
    expect(retentionCutoff('1y', new Date('2024-02-29T00:00:00Z')).toISOString()).toBe('2023-02-28T00:00:00.000Z');
    expect(retentionCutoff('4y', new Date('2024-02-29T00:00:00Z')).toISOString()).toBe('2020-02-29T00:00:00.000Z');
    expect(retentionCutoff({ amount: 2, unit: 'month' }, new Date('2025-01-15T00:00:00Z')).toISOString()).toBe('2024-11-15T00:00:00.000Z');
  });

  it('rejects an invalid now', () => {
    expect(() => retentionCutoff('3y', new Date('nope'))).toThrow(UserError);
  });
});

describe('parseRetentionPolicy / formatRetention', () => {
  it('parses table=period lists', () => {
    expect(parseRetentionPolicy('events=180d, quarantine=90d transactions=7y')).toEqual({
      events: { amount: 180, unit: 'day' },
      quarantine: { amount: 90, unit: 'day' },
      transactions: { amount: 7, unit: 'year' },
    });
  });

  it('rejects malformed entries, duplicates and empty policies', () => {
    expect(() => parseRetentionPolicy('events')).toThrow('retention entry "events" is not table=period');
    expect(() => parseRetentionPolicy('events=1d,events=2d')).toThrow('table events appears twice in the retention policy');
    expect(() => parseRetentionPolicy('events=soon')).toThrow(UserError);
    expect(() => parseRetentionPolicy(' ')).toThrow('retention policy is empty');
  });

  it('formats periods in words', () => {
    expect(formatRetention({ amount: 3, unit: 'year' })).toBe('3 years');
    expect(formatRetention({ amount: 1, unit: 'day' })).toBe('1 day');
  });
});
