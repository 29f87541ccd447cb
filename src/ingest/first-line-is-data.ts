import { basename } from 'node:path';
import { UserError } from '../core/errors/user-error.js';
import { isContactValue, isLongNumber, YEAR_FIRST_DATE, YEAR_LAST_DATE } from '../privacy/access/raw-values.js';

/**
 * Whether a field of a first line is a value no header names a column with: a contact detail (`isContactValue`), a
 * long number (`isLongNumber`: a phone number without its country code, an id) or a date (`2024-01-03`,
 * `03/01/2024 10:15`, `3.1.2024`). DuckDB's sniffer takes a first line for a header when one of its values does not fit
 * the type of the lines below (12.5 over whole amounts), or when every column is text: such a line is data.
 *
 * Example: `isDataValue('2024-01-03')` → true; `isDataValue('Order date')` → false
 */
function isDataValue(field: string): boolean {
  const value = field.trim();
  if (YEAR_FIRST_DATA.test(value) || YEAR_LAST_DATA.test(value)) return true;
  return isContactValue(value) || isLongNumber(value);
}

// The dates of `dateLikeOrMasked`'s DATE_SHAPE (raw-values.ts: the same YEAR_FIRST_DATE, YEAR_LAST_DATE), with only a
// time after them (a zone or Z after a year-first date, AM/PM after a year-last one), and without its month names and
// yyyymmdd: a header may name a month's column 'Jan 2024' (a bare '20240101' is a long number: data), and one field of this shape makes
// the whole line data. Wider than `maskRawField`'s isDate, which decides what is shown, not what is data (date-shapes-compared.test.ts).
const YEAR_FIRST_DATA = new RegExp(`^${YEAR_FIRST_DATE}([ T][0-9:.+Z -]*)?$`);
const YEAR_LAST_DATA = new RegExp(`^${YEAR_LAST_DATE}([ T][0-9:.APMapm +-]*)?$`);

/** Whether a first line is data: it holds a date, a contact detail or a long number, or numbers only (no header is all numbers). */
export function firstLineIsData(fields: readonly string[]): boolean {
  const filled = fields.map((f) => f.trim()).filter((f) => f !== '');
  if (filled.some(isDataValue)) return true;
  return filled.length > 0 && filled.every((f) => /^[-+]?[0-9]+([.,][0-9]+)?$/.test(f));
}

/** Whether the first line of a blank-separated file is a header: no number in it, and one at least in the second line. */
export function headerLooksPresent(firstFields: readonly string[], secondFields: readonly string[]): boolean {
  const numeric = (s: string) => /^[-+]?[$€£]?[0-9][0-9.,:/ -]*$/.test(s.trim());
  return firstFields.filter(numeric).length === 0 && secondFields.filter(numeric).length > 0;
}

/**
 * `--header` (or `header: true`) on a file whose first line holds an e-mail address or a +country-code phone number
 * (`isContactValue`): refused, as that line is data — read as the header, that customer's row was lost and their
 * contact details became column names, printed in the ingest report and stored in clear in `ingests.report`, where no
 * erasure reaches them. Without `--header` such a line is read as data (`firstLineIsData`); dates and numbers alone
 * are not refused here (a forced header may name columns by dates).
 */
export function assertForcedHeaderIsNotData(path: string, staged: { readonly hasHeader: boolean; readonly columns: readonly string[] }, header: boolean | undefined): void {
  if (header !== true || !staged.hasHeader || !staged.columns.some(isContactValue)) return;
  throw new UserError(
    `--header: the first line of ${basename(path)} holds an e-mail address or a phone number: it is data, not a header`,
    'leave --header out (the header is detected) or pass --no-header, and --map roles by position (--map customer_id=1); nothing was ingested',
  );
}
