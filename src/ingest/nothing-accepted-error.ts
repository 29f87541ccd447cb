import { basename } from 'node:path';
import { UserError } from '../core/errors/user-error.js';
import { QUARANTINE_REASONS, type QuarantineReason } from './cleaning-rules.js';
import type { SourceKind } from './source-kind.js';

/** The reasons that say a reading option or a --map is wrong when no row of a file could be accepted. */
const READING_REASONS = ['malformed_row', 'missing_customer_id', 'missing_date', 'bad_date', 'future_date', 'bad_number', 'missing_event_type'] as const satisfies readonly QuarantineReason[];
type ReadingReason = (typeof READING_REASONS)[number];
const isReading = (reason: QuarantineReason): reason is ReadingReason => (READING_REASONS as readonly QuarantineReason[]).includes(reason);

/** How a file was read, for the hint: its kind (default transactions), its role → column mapping and its date formats. */
export interface FileReading {
  readonly kind?: SourceKind;
  readonly mapping: Readonly<Partial<Record<string, string>>>;
  readonly dateFormats: readonly string[];
}

/**
 * The refusal of a file of any kind (transactions, events, customer profiles) none of whose rows could be accepted,
 * whatever the reasons (dates or numbers that could not be read, empty ids, dates in the future, …), or undefined when a row was accepted — or when the
 * file shows it was read before (a row repeats one already held) or that rows of erased customers were left out on
 * purpose. Refused before anything is recorded: recorded, the file would be "already ingested" to the corrected run,
 * and analyze would go on to say the warehouse holds no purchases (a user trial). The line counts every reason, the
 * one the hint is about first: bad_date, else bad_number, else the commonest of `READING_REASONS`. Only those reasons,
 * which point to a wrong reading option or mapping, refuse: a day's export of postage lines or free samples only
 * (`non_product`, `nonpositive_price`, `zero_quantity`) is a legitimate file of a daily batch, recorded with its rows quarantined. `which`
 * 'unreadable': refused only when dates or numbers could not be read (the server's batches: their other bad records are
 * quarantined). An event or profile file recorded with nothing accepted was listed by `ingests list` and left analyze
 * without events or profiles, without a word (QA, session 34): every kind is refused alike.
 *
 * Example: `nothingAcceptedError('/data/orders.csv', 0, { missing_customer_id: 2, … }, { mapping: { customer_id: 'cust' }, dateFormats: [] })` →
 * UserError `no row of orders.csv could be accepted (2 missing_customer_id): nothing was recorded (hint: every row read has an empty customer id in column cust: …)`
 */
export function nothingAcceptedError(path: string, accepted: number, ruleCounts: Readonly<Record<QuarantineReason, number>>, read: FileReading, which: 'any' | 'unreadable' = 'any'): UserError | undefined {
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
  return new UserError(`no row of ${basename(path)} could be accepted (${counts}): nothing was recorded`, `${hintFor(top, read)}, then ingest the file again`);
}

/** The role of a kind's date column. */
const DATE_ROLES: Readonly<Record<SourceKind, string>> = { transactions: 'date', events: 'ts', customers: 'signup_date' };

/** What to check when every row fell to `reason`. */
function hintFor(reason: ReadingReason, { kind = 'transactions', mapping, dateFormats }: FileReading): string {
  const dateRole = DATE_ROLES[kind];
  switch (reason) {
    case 'bad_date':
      return `no ${kind === 'customers' ? 'sign-up date' : 'date'} could be read with the format${dateFormats.length === 1 ? '' : 's'} ${dateFormats.join(', ') || 'iso'}: check --date-format`;
    case 'bad_number':
      return kind === 'customers'
        ? 'no acquisition cost or birth year could be read: check --decimal-separator (and --map acquisition_cost=, birth_year=)'
        : 'no number could be read: check --decimal-separator (and --map for the amount columns)';
    case 'missing_customer_id': {
      if (kind !== 'events') return `every row read has an empty customer id in column ${mapping.customer_id}: pass --map customer_id=<the column of the ids>`;
      const read = (['customer_id', 'anonymous_id', 'session_id'] as const).flatMap((role) => (mapping[role] === undefined ? [] : [mapping[role]]));
      return `every row read has no customer, visitor or session id (columns read: ${read.join(', ')}): pass --map customer_id=<the column of the ids> (or anonymous_id=, session_id=)`;
    }
    case 'missing_event_type':
      return `every row read has an empty event type in column ${mapping.type}: pass --map type=<the column of the event types>`;
    case 'missing_date':
      return `every row read has an empty ${kind === 'customers' ? 'sign-up date' : 'date'} in column ${mapping[dateRole]}: pass --map ${dateRole}=<the column of the dates>`;
    case 'future_date':
      return 'every date is after the time of ingest: check --date-format (day and month swapped?)';
    case 'malformed_row':
      return "no line could be split into the file's columns: check --delimiter";
  }
}
