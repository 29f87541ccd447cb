/**
 * A file already held is not read again (ingest-bookkeeping.ts, `identifyFile`): which of the reading options given
 * now differ from those it was read with, by the report its ingest recorded. Only those are named in the report of
 * the file held ("--map, --date-format and the other reading options do not read a file already held again" was said
 * to every re-ingest, also one with the very options the file had been read with).
 */
import type { CleaningRules } from './cleaning-rules.js';
import { KIND_ROLES, type IngestFileReport } from './ingest-report.js';

/** The reading options of an ingest (`IngestOptions`, the event and profile reader's options), as given. */
export interface ReadingOptions {
  readonly map?: Readonly<Partial<Record<string, string>>>;
  readonly dateFormats?: readonly string[];
  readonly timezone?: string;
  readonly decimalSeparator?: '.' | ',';
  readonly delimiter?: string;
  readonly header?: boolean;
  readonly rules?: Readonly<Partial<CleaningRules>>;
  readonly duplicateText?: 'text' | 'reference';
}

/** The roles whose columns hold numbers (read with the decimal separator). */
const NUMBER_ROLES = ['quantity', 'unit_price', 'amount', 'cost', 'discount', 'acquisition_cost'];

/**
 * The reading options of `options` that differ from those `held` (the recorded report of the file's ingest) was
 * read with, each as its flag with what was read then: `--map customer_id=client (read then: customer_id=customer_id)`.
 * Empty when every option given was the one it was read with (or does not apply to the file: a role of another kind,
 * a rule that quarantined nothing then). `columns`: the file's column names in order, to compare a `--map` by
 * position (unknown: a position is taken as different).
 *
 * Example: `readingOptionsNotApplied(held, { dateFormats: ['%d/%m/%Y'] }, columns)` → `['--date-format %d/%m/%Y (read then: %m/%d/%Y)']` for a file read month-first
 */
export function readingOptionsNotApplied(held: Partial<IngestFileReport>, options: ReadingOptions, columns: readonly string[]): string[] {
  const kind = held.kind ?? 'transactions';
  const mapping = (held.mapping ?? {}) as Readonly<Partial<Record<string, string>>>;
  const differs: string[] = [];
  for (const [role, wanted] of Object.entries(options.map ?? {})) {
    if (wanted === undefined || !KIND_ROLES[kind].includes(role)) continue; // a role of another kind of file: not this file's
    const then = mapping[role];
    const column = /^\d+$/.test(wanted) ? (held.hasHeader === false ? headerlessColumn(held, Number(wanted)) : columns[Number(wanted) - 1]) : wanted;
    if (column === undefined || then === undefined || column.toLowerCase() !== then.toLowerCase()) differs.push(`--map ${role}=${wanted} (read then: ${then === undefined ? `no ${role} column` : `${role}=${then}`})`);
  }
  const dates = options.dateFormats ?? [];
  const datesThen = held.dateFormats ?? [];
  if (dates.length > 0 && dates.join('\n') !== datesThen.join('\n')) {
    differs.push(`${dates.map((format) => `--date-format ${format}`).join(' ')} (read then: ${datesThen.length > 0 ? datesThen.join(' | ') : 'no date format'})`);
  }
  if (options.timezone !== undefined && options.timezone !== held.timezone) differs.push(`--timezone ${options.timezone} (read then: ${held.timezone ?? 'no UTC offset in its dates, none given'})`);
  const numbers = NUMBER_ROLES.some((role) => mapping[role] !== undefined);
  if (options.decimalSeparator !== undefined && numbers && options.decimalSeparator !== held.decimalSeparator) {
    differs.push(`--decimal-separator ${options.decimalSeparator} (read then: ${held.decimalSeparator === undefined ? 'none decided' : `${held.decimalSeparator}`})`);
  }
  // the delimiter and header of a delimited file (and a worksheet's header): Parquet and JSON Lines have neither
  const delimited = held.delimiter !== undefined && held.delimiter !== null;
  if (options.delimiter !== undefined && delimited) {
    const given = options.delimiter === '\\t' ? '\t' : options.delimiter;
    if (given !== held.delimiter) differs.push(`--delimiter ${JSON.stringify(options.delimiter)} (read then: ${JSON.stringify(held.delimiter)})`);
  }
  if (options.header !== undefined && (delimited || held.format === 'xlsx') && options.header !== held.hasHeader) {
    differs.push(`${options.header ? '--header' : '--no-header'} (read then: ${held.hasHeader ? 'a header' : 'no header'})`);
  }
  // the rules: what they did then is in its counts (a rule that quarantined nothing would do nothing switched off)
  const quarantined = held.rules ?? {};
  const duplicates = (quarantined as Partial<Record<string, number>>).duplicate ?? 0;
  if (options.rules?.duplicate === false && duplicates > 0) differs.push(`--keep-duplicates (read then: ${duplicates.toLocaleString('en-US')} quarantined as duplicate)`);
  if (options.duplicateText === 'text' && kind === 'transactions' && duplicates > 0) differs.push(`--keep-duplicate-text (read then: the text of its ${duplicates.toLocaleString('en-US')} duplicates not kept)`);
  if (kind === 'transactions') {
    const nonProducts = (quarantined as Partial<Record<string, number>>).non_product ?? 0;
    if (options.rules?.nonProduct === false && nonProducts > 0) differs.push(`--keep-non-products (read then: ${nonProducts.toLocaleString('en-US')} quarantined as non_product)`);
    if (options.rules?.nonProductCodes !== undefined && options.rules.nonProduct !== false) differs.push(`--non-product-codes ${options.rules.nonProductCodes.join(',')} (the codes it was read with are not recorded)`);
  }
  return differs;
}

/**
 * The name of the column at 1-based `position` of a file without a header, as its ingest named it: column1, … — or
 * column0, … in a report recorded before headerless columns were counted from 1 (one naming a column0).
 */
function headerlessColumn(held: Partial<IngestFileReport>, position: number): string {
  const names = [...Object.values((held.mapping ?? {}) as Record<string, string>), ...(held.unreadColumns ?? [])];
  return `column${names.includes('column0') ? position - 1 : position}`;
}
