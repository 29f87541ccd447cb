/**
 * The three readings of "looks like a date" side by side, each through the function that uses it: whether a first
 * line's field makes the line data (`firstLineIsData`'s `isDataValue`), whether a quarantined line's field is shown
 * unmasked (`maskRawField`), whether a value read where a date was expected is shown as read (`dateLikeOrMasked`).
 * They accept different strings on purpose (each says why beside its pattern); this table pins what each accepts,
 * so a change to one of them is a choice seen here, not a drift.
 */
import { describe, expect, it } from 'vitest';
import { firstLineIsData } from '../../../src/ingest/first-line-is-data.js';
import { dateLikeOrMasked, maskRawField } from '../../../src/privacy/access/raw-values.js';

// string → [a first line holding it is data (a date, or a long number: `isLongNumber`), shown unmasked in a quarantined line, shown as read by dateLikeOrMasked]
const TABLE: readonly (readonly [string, boolean, boolean, boolean])[] = [
  ['2023-01-05', true, true, true],
  ['2023/01/05', true, false, true],
  ['2023.01.05', true, false, true],
  ['2011-01-05 10:00:00', true, true, true],
  ['2023-01-05T10:00:00Z', true, false, true],
  ['2023-1-5 10:00:00+01:00', true, false, true],
  ['2023-01-05, 10:00', false, false, true],
  [' 2023-01-05 ', true, true, true],
  ['1/5/2011 8:26', true, true, true],
  ['12/01/2010 08:26', true, true, true],
  ['1/5/2011 8:26 PM', true, false, true],
  ['1-5-2011', true, false, true],
  ['05.01.23', true, true, true],
  ['31.13.2023', true, true, true],
  ['20230105', true, false, true],
  ['Jan 12, 2023', false, false, true],
  ['12 Jan 2023', false, false, true],
  ['2024-01-03 sales', false, false, false],
  ['06.12.34.56.78', true, false, false],
  ['0612.34.5678', true, false, false],
  ['0612345678', true, false, false],
  ['sales_20230101', false, false, false],
  ['April', false, false, false],
  // phone numbers whose last groups sit after blanks, as a date's time would (review, session 41): a time has a colon
  ['06.12.34 56 78', true, false, false],
  ['12.34.5678 90', true, false, false],
  ['01/02/03 04 05', true, false, false],
  ['2023-01-05 10', true, false, false],
  ['2011-01-05 10:00:00.123', true, true, true],
  ['05.01.23 10:30 Monday', false, false, true],
];

describe('what each date shape accepts', () => {
  it.each(TABLE)('%j: first line is data %s, unmasked in a quarantined line %s, shown by dateLikeOrMasked %s', (value, firstLine, unmasked, shown) => {
    // beside a header-like field, so that only the value's own shape can make the line data (not "numbers only")
    expect(firstLineIsData([value, 'order id'])).toBe(firstLine);
    expect(maskRawField(value) === value).toBe(unmasked);
    expect(dateLikeOrMasked(value) === value).toBe(shown);
  });
});
