import { basename } from 'node:path';
import { UserError } from '../core/errors/user-error.js';
import { QUARANTINE_REASONS, type QuarantineReason } from './cleaning-rules.js';
import type { ColumnMapping } from './column-roles.js';

/** The reasons that say a reading option or a --map is wrong when no row of a file could be accepted. */
const READING_REASONS = ['malformed_row', 'missing_customer_id', 'missing_date', 'bad_date', 'future_date', 'bad_number'] as const satisfies readonly QuarantineReason[];
type ReadingReason = (typeof READING_REASONS)[number];
const isReading = (reason: QuarantineReason): reason is ReadingReason => (READING_REASONS as readonly QuarantineReason[]).includes(reason);

/**
 * The refusal of a transaction file none of whose rows could be accepted, whatever the reasons (dates or numbers that
 * could not be read, empty customer ids, dates in the future, …), or undefined when a row was accepted — or when the
 * file shows it was read before (a row repeats one already held) or that rows of erased customers were left out on
 * purpose. Refused before anything is recorded: recorded, the file would be "already ingested" to the corrected run,
 * and analyze would go on to say the warehouse holds no purchases (a user trial). The line counts every reason, the
 * one the hint is about first: bad_date, else bad_number, else the commonest of `READING_REASONS`. Only those reasons,
 * which point to a wrong reading option or mapping, refuse: a day's export of postage lines or free samples only
 * (`non_product`, `nonpositive_price`, `zero_quantity`) is a legitimate file of a daily batch, recorded with its rows quarantined. `which`
 * 'unreadable': refused only when dates or numbers could not be read (the server's batches: their other bad records are
 * quarantined).
 *
 * Example: `nothingAcceptedError('/data/orders.csv', 0, { missing_customer_id: 2, … }, { customer_id: 'cust' }, [])` →
 * UserError `no row of orders.csv could be accepted (2 missing_customer_id): nothing was recorded (hint: every row read has an empty customer id in column cust: …)`
 */
export function nothingAcceptedError(path: string, accepted: number, ruleCounts: Readonly<Record<QuarantineReason, number>>, mapping: ColumnMapping, dateFormats: readonly string[], which: 'any' | 'unreadable' = 'any'): UserError | undefined {
  if (accepted > 0 || ruleCounts.duplicate > 0) return undefined;
  // dates or numbers not read: a reading option is wrong, whatever else; otherwise rows of erased customers left out
  // on purpose make a file of nothing else legitimate
  if (ruleCounts.bad_date + ruleCounts.bad_number === 0 && (which === 'unreadable' || ruleCounts.erased_customer > 0)) return undefined;
  const reasons = QUARANTINE_REASONS.filter((r) => ruleCounts[r] > 0);
  const reading = reasons.filter(isReading);
  if (reading.length === 0) return undefined;
  const top: ReadingReason = ruleCounts.bad_date > 0 ? 'bad_date' : ruleCounts.bad_number > 0 ? 'bad_number' : reading.reduce((a, b) => (ruleCounts[b] > ruleCounts[a] ? b : a));
  // the reason the hint is about first, then the others
  const counts = [top, ...reasons.filter((r) => r !== top)].map((r) => `${ruleCounts[r].toLocaleString('en-US')} ${r}`).join(', ');
  return new UserError(`no row of ${basename(path)} could be accepted (${counts}): nothing was recorded`, `${hintFor(top, mapping, dateFormats)}, then ingest the file again`);
}

/** What to check when every row fell to `reason`. */
function hintFor(reason: ReadingReason, mapping: ColumnMapping, dateFormats: readonly string[]): string {
  switch (reason) {
    case 'bad_date':
      return `no date could be read with the format${dateFormats.length === 1 ? '' : 's'} ${dateFormats.join(', ') || 'iso'}: check --date-format`;
    case 'bad_number':
      return 'no number could be read: check --decimal-separator (and --map for the amount columns)';
    case 'missing_customer_id':
      return `every row read has an empty customer id in column ${mapping.customer_id}: pass --map customer_id=<the column of the ids>`;
    case 'missing_date':
      return `every row read has an empty date in column ${mapping.date}: pass --map date=<the column of the dates>`;
    case 'future_date':
      return 'every date is after the time of ingest: check --date-format (day and month swapped?)';
    case 'malformed_row':
      return "no line could be split into the file's columns: check --delimiter";
  }
}
