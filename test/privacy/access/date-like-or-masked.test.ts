/**
 * Regression (session 40's review, L3): `dateLikeOrMasked` shows a value read where a date was expected only when it
 * looks like a date, so that an error's example tells `--date-format` without printing personal data. It let through
 * a phone number written with dots (`06.12.34.56.78`, `0612.34.5678`: a date's shape was found inside them) and a month
 * that is also a first name (`April`, `May`, `June`). A date is now three numbers at the start (one year of four digits
 * at most), eight digits, or a month's name beside a number.
 */
import { describe, expect, it } from 'vitest';
import { dateLikeOrMasked } from '../../../src/privacy/access/raw-values.js';

describe('dateLikeOrMasked', () => {
  it.each(['06.12.34.56.78', '0612.34.5678', 'April', 'May', 'June', '+33 6 12 34 56 78', 'ana@example.com', 'someday'])('masks %s', (value) => {
    expect(dateLikeOrMasked(value)).toBe(`${value[0]}***`);
  });

  it.each(['2023-01-05', '2023-01-05T10:00:00Z', '2011-01-05 10:00:00', '1/5/2011 8:26', '12/01/2010 08:26', '05.01.23', '1.5.2011', '31.13.2023', '20230105', 'Jan 12, 2023 10:00 AM', '12 Jan 2023', 'Tuesday, March 5, 2024'])('shows %s as read', (value) => {
    expect(dateLikeOrMasked(value)).toBe(value);
  });
});
