import type { AccessOptions } from '../../privacy/access/access.js';
import { Option, type Command } from 'commander';
import { UserError } from '../../core/errors/user-error.js';
import type { IngestOptions } from '../../ingest/ingest-files.js';
import { COLUMN_ROLES, parseMapFlags } from '../../ingest/column-roles.js';
import { checkDelimiter } from '../../ingest/check-delimiter.js';
import { parseTimezone } from '../../ingest/time-zone-offsets.js';
import { parseDecimalSeparator } from '../../ingest/decimal-separator.js';
import { aKindFile, EVENT_ROLES, PROFILE_ROLES, type SourceKind } from '../../ingest/source-kind.js';
import { TIME_UNITS, type TimeUnit } from '../../core/time-unit.js';
import { TRACKING_AGES } from '../../core/tracking-age.js';

/** The roles --map accepts: those of every file kind. */
const MAP_ROLES: readonly string[] = [...new Set<string>([...COLUMN_ROLES, ...EVENT_ROLES, ...PROFILE_ROLES])];
import { collect } from '../cli-io.js';

/** The reading options every command that takes input files shares. */
export function addReadOptions(command: Command): Command {
  // --header and --no-header set one flag: without this the later one would win silently
  const given = new Set<string>();
  for (const name of ['header', 'no-header']) {
    command.on(`option:${name}`, () => {
      given.add(name);
      if (given.size === 2) throw new UserError('--header and --no-header both given', 'pass --header if the first line names the columns, --no-header if it is data (or neither: it is detected)');
    });
  }
  return command
    .option('--map <role=column>', 'map a role to a column name or 1-based position (repeatable); roles: customer_id, date, order_id, amount, quantity, unit_price, product_id, description, category, country, region, channel, cost, discount (a line discount, taken off quantity × unit_price); events: session_id, anonymous_id, ts, type, query; profiles: signup_date, acquisition_channel, acquisition_cost, gender, birth_year; personal data, stored encrypted: email, phone, name, address, note', collect, [])
    .option('--date-format <format>', "strptime format of the date column (repeatable), or iso, epoch_s, epoch_ms, epoch_us (epoch seconds, milliseconds, microseconds); e.g. '%d/%m/%Y %H:%M', or '%m/%d/%Y %I:%M %p' for a 12-hour time with AM/PM", collect, [])
    .option('--delimiter <char>', "field delimiter (one character such as ',' ';' '\\t' '|' ':', or up to 4 bytes such as ';;'), or 'whitespace' for blank-separated columns; when absent ',' ';' '\\t' and '|' are detected, ':' '#' '~' '^' after a header of names, any other must be given")
    .option('--timezone <zone>', 'shop time zone that ISO dates with a UTC offset (…+02:00, …Z, … UTC) are converted to: a zone name such as America/New_York (daylight saving followed), UTC or a fixed offset such as -05:00, or keep (wall times as written, offsets not read); default per file: the offset most common in its dates, or keep when they carry two offsets one hour apart (the winter and summer time of one zone); dates without an offset are shop time')
    .option('--decimal-separator <char>', "how the files write decimals: . (1,234.50: commas group thousands) or , (1.234,50: dots group thousands); default: decided per file from its first 20,000 rows, a file whose numbers read either way (1,234 and nothing else to tell) is refused; values that do not fit are quarantined as bad_number")
    .option('--header', 'the first line is a header (detected when absent)')
    .option('--no-header', 'the file has no header line; refer to columns by position in --map')
    .option('--keep-non-products', 'do not quarantine postage, fees and adjustment lines')
    .option('--keep-duplicates', 'do not quarantine exact duplicate rows')
    .option('--keep-duplicate-text', 'store the text of rows quarantined as exact duplicates too (default: line and reason only; the text is held already)')
    .option('--non-product-codes <codes>', 'comma-separated product codes that are not products (default: POST,DOT,M,D,C2,BANK CHARGES,AMAZONFEE,CRUK,PADS,B,S)');
}

export interface ReadFlags {
  map: string[];
  dateFormat: string[];
  delimiter?: string;
  timezone?: string;
  decimalSeparator?: string;
  header?: boolean;
  keepNonProducts?: boolean;
  keepDuplicates?: boolean;
  keepDuplicateText?: boolean;
  nonProductCodes?: string;
}

/** Turn parsed flags into ingest options (validating --map). */
export function ingestOptionsFromFlags(flags: ReadFlags): IngestOptions {
  const rules: NonNullable<IngestOptions['rules']> = {};
  if (flags.keepNonProducts) rules.nonProduct = false;
  if (flags.keepDuplicates) rules.duplicate = false;
  checkDelimiter(flags.delimiter);
  if (flags.timezone !== undefined) parseTimezone(flags.timezone); // refused before a warehouse or key is made
  const decimalSeparator = flags.decimalSeparator === undefined ? undefined : parseDecimalSeparator(flags.decimalSeparator); // the same
  if (flags.nonProductCodes !== undefined) rules.nonProductCodes = flags.nonProductCodes.split(',').map((c) => c.trim()).filter(Boolean);
  return {
    map: parseMapFlags(flags.map, MAP_ROLES),
    ...(flags.dateFormat.length ? { dateFormats: flags.dateFormat } : {}),
    ...(flags.delimiter !== undefined ? { delimiter: flags.delimiter } : {}),
    ...(flags.timezone !== undefined ? { timezone: flags.timezone } : {}),
    ...(decimalSeparator !== undefined ? { decimalSeparator } : {}),
    ...(flags.header !== undefined ? { header: flags.header } : {}),
    rules,
    ...(flags.keepDuplicateText ? { duplicateText: 'text' as const } : {}),
  };
}

/** How `clvkit analyze` takes a file of each kind: the hint of its refusal of a file given as another kind. */
export const ANALYZE_KIND_HINTS: Readonly<Record<SourceKind, string>> = {
  transactions: 'pass transaction files as arguments, e.g. clvkit analyze ORDERS --events EVENTS --customers PROFILES',
  events: 'pass event files with --events FILE',
  customers: 'pass customer profile files with --customers FILE',
};

/**
 * The ingest options of a command that reads a transaction file (`validate`, `summarize`, `segments`, …): the file is
 * read as one, and refused when its columns show events or profiles (it was ingested as such, and the command then
 * said that the warehouse held no purchases), with a hint saying which command reads it.
 */
export function transactionFileOptions(command: string): Pick<IngestOptions, 'kind' | 'kindHints'> {
  const reads = `clvkit ${command} reads a transaction file`;
  return {
    kind: 'transactions',
    kindHints: {
      events: `${reads}; event files go with their orders to clvkit analyze ORDERS --events FILE (or clvkit ingest FILE --db PATH)`,
      customers: `${reads}; customer profile files go with their orders to clvkit analyze ORDERS --customers FILE (or clvkit ingest FILE --db PATH)`,
    },
  };
}

/** The hints of `clvkit ingest --kind K`'s refusal of a file whose columns show another kind. */
export function ingestKindHints(kind: SourceKind): Readonly<Record<SourceKind, string>> {
  const hint = (shown: SourceKind) => `--kind ${kind} reads every file of the command as ${aKindFile(kind)}: leave it out to read each file as the kind its columns show, or ingest this one on its own with --kind ${shown}`;
  return { transactions: hint('transactions'), events: hint('events'), customers: hint('customers') };
}

/** --role, --actor and --key-file: who acts (enforced and audited by the library) and with which key. */
export function addAccessOptions(command: Command, { keyFile = true }: { keyFile?: boolean } = {}): Command {
  command
    .addOption(new Option('--role <role>', 'your role: what you may do and see (docs/privacy.md)').choices(['admin', 'analyst', 'marketer', 'viewer']).default('analyst'))
    .option('--actor <name>', 'who acts, for the audit log (default: your OS user name)');
  return keyFile ? command.option('--key-file <path>', 'key file (default: CLVKIT_KEY, CLVKIT_KEY_FILE, or <db>.key beside the warehouse)') : command;
}

export interface AccessFlags {
  role: string;
  actor?: string;
  keyFile?: string;
}

/** Who acts, from --role and --actor, as the library's access options take it (the actor only when given: the OS user name is the default). */
export function accessFromFlags(flags: { role?: string; actor?: string }): AccessOptions {
  return { ...(flags.role ? { role: flags.role } : {}), ...(flags.actor ? { actor: flags.actor } : {}) };
}

export function timeUnitOption(defaultUnit?: TimeUnit): Option {
  const option = new Option('--time-unit <unit>', 'time unit of recency/T: hour (clock hours, as lifetimes freq="h"), day, week or month').choices(TIME_UNITS);
  return defaultUnit ? option.default(defaultUnit) : option.makeOptionMandatory();
}

/** --tracking-age: how the tracking curves count a customer's age at a period's end (core/tracking-age.ts). */
export function trackingAgeOption(): Option {
  return new Option('--tracking-age <age>', "tracking curves: age to a period's last day (last-day, default) or to the next day (next-day, as lifetimes and R BTYD)")
    .choices(TRACKING_AGES)
    .default('last-day');
}

export function requireOne(values: Record<string, unknown>, message: string, hint: string): void {
  if (Object.values(values).every((v) => v === undefined)) throw new UserError(message, hint);
}
