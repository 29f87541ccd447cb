import { maskPartial } from './mask.js';

const MONTHS_AND_DAYS =
  'jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|oct|october|nov|november|dec|december|mon|monday|tue|tues|tuesday|wed|wednesday|thu|thur|thurs|thursday|fri|friday|sat|saturday|sun|sunday';
/** Only what a date is written with: digits, separators, an ISO T or Z, AM/PM, English month and weekday names. */
const DATE_CHARACTERS = new RegExp(`^(?:[\\d\\s/.:,+\\-TZ]|[AaPp][Mm]\\b|(?:${MONTHS_AND_DAYS})\\b)*$`, 'i');
/**
 * A date written as three numbers with separators (- / .), its year of four digits first (2023-01-05, 2023/1/5), or
 * of two to four digits last (5/1/2011, 05.01.23): the start of a date to `DATE_SHAPE` and to first-line-is-data's
 * `isDataValue`, each with its own tail. Regular expression source, no anchors.
 */
export const YEAR_FIRST_DATE = String.raw`\d{4}[-/.]\d{1,2}[-/.]\d{1,2}`;
/** See `YEAR_FIRST_DATE`. */
export const YEAR_LAST_DATE = String.raw`\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}`;

/**
 * The shape of a date: three numbers with separators at the start — one year of four digits at most, first or last
 * (2023-01-05, 5/1/2011, 05.01.23), then a time (h:mm), a word or nothing: a phone number's five groups
 * (06.12.34.56.78, or 06.12.34 56 78 with its last groups after blanks) or two of four digits (0612.34.5678) are not
 * one — eight digits (yyyymmdd), or a month's name beside a number (a name alone, April,
 * May, is a first name as well).
 *
 * The widest of three date shapes (date-shapes-compared.test.ts pins what each accepts): a value that could not be read
 * as a date is shown so that its reader can choose --date-format, so every written form counts (month names, yyyymmdd,
 * a time or words after the date: `DATE_CHARACTERS` keeps out what no date is written with). First-line-is-data's `isDataValue`
 * starts with the same numeric dates but takes only a time after them, and neither month names nor yyyymmdd (a header
 * may name a month's or a day's column 'Jan 2024' or '20240101'); `maskRawField`'s `isDate` is the narrowest (below).
 */
const DATE_SHAPE = new RegExp(`^\\s*(?:${YEAR_FIRST_DATE}|${YEAR_LAST_DATE})(?:[\\sT,]+(?:\\d{1,2}:\\d{2}|[A-Za-z]).*)?\\s*$|^\\s*\\d{8}\\s*$|^(?=.*\\d).*\\b(?:${MONTHS_AND_DAYS.split('|').filter((w) => !['mon', 'tue', 'tues', 'wed', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun'].includes(w) && !w.endsWith('day')).join('|')})\\b`, 'i');

/**
 * A value read where a date was expected, as an error or a report may show it to any role: as read when it looks like
 * a date (only digits, separators, AM/PM, month and weekday names, and a date's shape — what a reader needs to choose
 * `--date-format`), else masked (`maskPartial`: its first character): an e-mail address, a name or a phone number in a
 * column mapped as a date is personal data.
 *
 * Example: `dateLikeOrMasked('Jan 12, 2023 10:00 AM')` → `'Jan 12, 2023 10:00 AM'`; `dateLikeOrMasked('ana@example.com')` → `'a***'`
 */
export function dateLikeOrMasked(text: string): string {
  return DATE_CHARACTERS.test(text) && DATE_SHAPE.test(text) ? text : maskPartial(text);
}

/**
 * One field of a raw line (a quarantined row, a data row read as a header) as any role may see it: dates, decimals
 * and small whole numbers (quantities, prices) readable; everything else — text, long digit runs such as customer or
 * phone numbers, e-mail addresses — only its first character.
 *
 * Example: `maskRawField('2011-01-05 10:00:00')` → unchanged; `maskRawField('12346')` → `'1***'`
 */
export function maskRawField(field: string): string {
  const text = field.trim();
  if (text === '') return field;
  // The narrowest of three date shapes (date-shapes-compared.test.ts): only yyyy-mm-dd and d/m/y or d.m.y, with a time
  // of digits and colons (a colon after its hour: 12.34.5678 90 is a phone number). `DATE_SHAPE` (dateLikeOrMasked) and first-line-is-data's `isDataValue` take more (/ and . in a
  // year-first date, - in a year-last one, time zones, AM/PM): kept apart, as what this lets through is shown to every
  // role beside a quarantined line's other fields — widening it is a choice about what is shown, not a tidy-up.
  const isDate = /^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:[\d:.]+)?$/.test(text) || /^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}( \d{1,2}:[\d:]+)?$/.test(text);
  const isDecimal = /^[-+]?\d{0,6}[.,]\d+$/.test(text);
  const isSmallWhole = /^[-+]?\d{1,3}$/.test(text);
  return isDate || isDecimal || isSmallWhole ? field : maskPartial(text);
}

/**
 * True when the names a reader took from a file's first line look like a data row, not a header: one is contact data
 * (an e-mail address, a phone number with its +country code), or a long number (`isLongNumber`), or several are values (numbers, dates, digits among
 * blanks) and they are at least half of the names. Such names are personal data and are listed masked (`columnsFound`
 * in ingest). A name that merely holds digits (`sales_20230101`, `store_10001`) is a header's.
 *
 * Example: `namesLookLikeData(['customer_id', 'date', 'sales_20230101'])` → false; `namesLookLikeData(['c42', 'ana@example.com'])` → true
 */
export function namesLookLikeData(names: readonly string[]): boolean {
  if (names.some((name) => isContactValue(name) || isLongNumber(name))) return true;
  const values = names.filter((name) => /^[-+]?[\d.,:/\s-]+$/.test(name.trim()) && /\d/.test(name)).length;
  return values >= 2 && values * 2 >= names.length;
}

/**
 * Whether a field of a first line is a contact detail, which no header names a column with: an e-mail address, or
 * a phone number written with its country code (`+44 7700 900123`: a `+`, then 7 or more digits among blanks, ( ) . / -).
 *
 * Example: `isContactValue('chiara@example.org')` → true; `isContactValue('E-mail address')` → false
 */
export function isContactValue(field: string): boolean {
  const value = field.trim();
  if (/^[^\s@,;"'<>()]+@[^\s@,;"'<>()]+\.[A-Za-z]{2,}$/.test(value)) return true;
  return /^\+[0-9 ().\/-]+$/.test(value) && (value.match(/[0-9]/g) ?? []).length >= 7;
}

/**
 * Whether a field is a long number, which no header names a column with: six or more digits among blanks and
 * ( ) . / - and no letter — a phone number written without its country code (`0612345678`, `(555) 123-4567`), a
 * customer or order id. A name that holds digits among letters (`sales_20230101`) is not one.
 *
 * Example: `isLongNumber('06 12 34 56 78')` → true; `isLongNumber('store_10001')` → false
 */
export function isLongNumber(field: string): boolean {
  const value = field.trim();
  return /^[+(]?[0-9][0-9 ().\/-]*$/.test(value) && (value.match(/[0-9]/g) ?? []).length >= 6;
}
