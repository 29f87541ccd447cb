import { aKindFile, EVENT_ROLES, KIND_FILES, PROFILE_ROLES, SOURCE_KINDS, type SourceKind } from './source-kind.js';
import { COLUMN_ROLES, type ColumnMapping, type ColumnRole, type MappingOrigin, type PiiRole } from './column-roles.js';
import { QUARANTINE_REASONS, REASON_DESCRIPTIONS, type QuarantineReason } from './cleaning-rules.js';
import { NUMBER_SAMPLE_ROWS } from './detect-decimal-separator.js';
import { nearestName } from '../core/edit-distance.js';
import { groupThousands } from '../core/group-thousands.js';

/** The counts of a file's report and of a run's (which adds them up over its files). rowsRead = accepted + quarantined, always. */
export interface IngestCounts {
  readonly rowsRead: number;
  readonly accepted: number;
  readonly quarantined: number;
  /** quarantined rows per reason */
  readonly rules: Readonly<Record<QuarantineReason, number>>;
  /** accepted rows that are cancellations/returns (they net revenue, they are not purchases) */
  readonly returns: number;
  /** accepted rows flagged as outliers (kept, not dropped) */
  readonly outliersFlagged: number;
}

/** Lines of a transaction file without order ids quarantined as exact copies of earlier lines (copies-without-order-id.ts): how many, and their spend (the sum of their amounts). */
export interface CopiesWithoutOrderId {
  readonly lines: number;
  readonly amount: number;
}

/** What happened to one source file (its counts: `IngestCounts`). */
export interface IngestFileReport extends IngestCounts {
  /** what the file holds (absent in reports written before event and profile files were read: transactions) */
  readonly kind?: SourceKind;
  readonly source: string;
  readonly sha256: string;
  /** true when the same file content was ingested before: nothing was read or added */
  readonly alreadyIngested: boolean;
  readonly ingestId: number | null;
  readonly format: string;
  readonly encoding: string;
  readonly delimiter: string | null;
  readonly hasHeader: boolean;
  readonly mapping: ColumnMapping;
  readonly mappingOrigin: Partial<Record<ColumnRole, MappingOrigin>>;
  /** the file's columns no role reads, in file order: not stored (absent in reports written before they were listed) */
  readonly unreadColumns?: readonly string[];
  readonly dateFormats: readonly string[];
  /** the shop time zone ISO dates with a UTC offset were converted to (`UTC`, `±HH:MM`, an IANA zone such as `America/New_York`), or `keep` (wall times kept, offsets not read); absent when no sampled date carried an offset and none was given */
  readonly timezone?: string;
  /**
   * how the file writes decimals, decided from its sampled numbers or given (`--decimal-separator`): `.` (`1,234.50`)
   * or `,` (`1.234,50`); absent when it maps no number column, or its sampled numbers hold no decimals and none was
   * given (then each value is read by the separator it fits, and `1,234` / `1.234` are quarantined), and in reports
   * written before it was recorded
   */
  readonly decimalSeparator?: '.' | ',';
  readonly warnings: readonly string[];
  /**
   * a transaction file without order ids: the lines quarantined as exact copies of earlier lines of the file, which
   * may be repeat purchases, and their spend (`copiesWithoutOrderIdWarning`; absent when there are none)
   */
  readonly copiesWithoutOrderId?: CopiesWithoutOrderId;
  /**
   * a file held already (`alreadyIngested`): the reading options given that differ from those it was read with (the
   * report its ingest recorded), each as its flag with what was read then (`--date-format %d/%m/%Y (read then:
   * %m/%d/%Y)`); empty when none does (absent in other reports)
   */
  readonly optionsNotApplied?: readonly string[];
  /**
   * a file held already (`alreadyIngested`): what the ingest that holds it read, and when — its counts above are this
   * run's (nothing added: zeros). Absent in other reports (and when the held ingest's report cannot be read).
   */
  readonly firstIngest?: FirstIngest;
  /**
   * a profile file: the customers written to `customers`, one row each (several accepted lines of one customer
   * merge into that row: the values of their last line); absent in other reports and in those of earlier versions
   */
  readonly customersWritten?: number;
  /**
   * an event file: its accepted events per type as stored (after the spellings mapped: `EVENT_TYPE_SYNONYMS`),
   * commonest first; absent in other reports and in those of earlier versions
   */
  readonly eventTypes?: Readonly<Record<string, number>>;
  /** how the file's personal data was protected */
  readonly privacy: IngestPrivacy;
  /**
   * the file's whole ingest, in milliseconds: from its first read to its rows stored (on DuckDB committed, with its
   * `ingests` row and audit entry; on ClickHouse copied to the cluster and verified there) — `withElapsedSince`
   */
  readonly elapsedMs: number;
}

/** `report` with `elapsedMs` the time since `started` (a `Date.now()`): set once the file's work is done. */
export function withElapsedSince(report: IngestFileReport, started: number): IngestFileReport {
  return { ...report, elapsedMs: Date.now() - started };
}

/** What the ingest holding a file read (the report it recorded), and when it started (ISO, UTC). */
export interface FirstIngest {
  readonly ingestId: number;
  readonly ingestedAt: string;
  readonly rowsRead: number;
  readonly accepted: number;
  readonly quarantined: number;
}

/** What ingest did to protect a file's personal data. */
export interface IngestPrivacy {
  /** `tokens`: HMAC tokens in every table (the original encrypted in customer_reid); `as given`: an in-memory scratch warehouse without a key */
  readonly customerIds: 'tokens' | 'as given';
  /** the key tokens are made with (its id, never its bytes); null without a key */
  readonly rootKeyId: string | null;
  /** PII roles stored, encrypted, in customers.<role>_enc */
  readonly piiStored: readonly PiiRole[];
  /** customers seen for the first time (rows added to customer_reid) */
  readonly newCustomers: number;
  /** quarantined rows stored as envelopes (raw and detail encrypted) */
  readonly quarantineEncrypted: boolean;
}

/** The counts of a run's files of one kind (`IngestReport.byKind`). */
export interface KindTotals {
  readonly files: number;
  readonly rowsRead: number;
  readonly accepted: number;
  readonly quarantined: number;
}

/** The ingest of one or more files. The top-level counts add up over files. */
export interface IngestReport extends IngestCounts {
  readonly files: readonly IngestFileReport[];
  /**
   * the counts per kind of file — transactions (orders), customers (profiles), events — every kind, zeros for one not
   * read: their rowsRead, accepted and quarantined add up to the report's (absent in reports written before)
   */
  readonly byKind?: Readonly<Record<SourceKind, KindTotals>>;
  /**
   * present when the run read no file and this report is the warehouse's ingests not dropped, as they recorded them
   * (warehouse-ingest-report.ts): their ids
   */
  readonly fromWarehouse?: { readonly ingestIds: readonly number[] };
  /** what concerns the ingest as a whole: `--map` flags no file of it read (absent in reports written before) */
  readonly warnings?: readonly string[];
}

/** The roles a file of each kind reads (its `--map` roles). */
export const KIND_ROLES: Readonly<Record<SourceKind, readonly string[]>> = { transactions: COLUMN_ROLES, events: EVENT_ROLES, customers: PROFILE_ROLES };

/**
 * One warning per `--map` flag no file of `files` read (one flag list serves files of every kind, so each file passes
 * over the roles of other kinds; a flag no file used did nothing): there is no file of a kind with that role, or there
 * is (an analysis's event file beside order files) but none has that column — `splitColumnMap` gave the flag to the
 * kinds whose files have it — said with the file's column most like it, when one is.
 *
 * Example: `unusedMapFlags([ordersReport], { session_id: 'sid' })` → `['--map session_id=sid was not used: no event file in this ingest (session_id is a role of event files)']`
 * Example: `unusedMapFlags([ordersReport, eventsReport], { session_id: 'country' })` → `['--map session_id=country was not used: the event file events.csv has no column country']`
 */
export function unusedMapFlags(files: readonly IngestFileReport[], map: Readonly<Partial<Record<string, string>>>): string[] {
  // a file held already was not read again: its report has no mapping, and it says nothing of the flags
  const used = (role: string) => files.some((file) => file.alreadyIngested || (file.mappingOrigin as Partial<Record<string, MappingOrigin>>)[role] === 'flag');
  return Object.entries(map)
    .filter(([role, column]) => column !== undefined && !used(role))
    .map(([role, column]) => {
      const kinds = SOURCE_KINDS.filter((kind) => KIND_ROLES[kind].includes(role));
      const owners = kinds.map((kind) => KIND_FILES[kind]);
      const lacking = files.filter((file) => kinds.includes(file.kind ?? 'transactions'));
      if (lacking.length === 0) return `--map ${role}=${column!} was not used: no ${owners.join(' or ')} in this ingest (${role} is a role of ${owners.map((o) => `${o}s`).join(' and ')})`;
      const names = lacking.flatMap((file) => [...Object.values(file.mapping as Record<string, string>), ...(file.unreadColumns ?? [])]);
      const near = nearestName(column!, [...new Set(names)]);
      const which = lacking.length === 1 ? `the ${KIND_FILES[lacking[0]!.kind ?? 'transactions']} ${lacking[0]!.source} has` : `no ${owners.join(' or ')} of this ingest has`;
      return `--map ${role}=${column!} was not used: ${which} no column ${column!}${near ? ` (did you mean ${near}?)` : ''}`;
    });
}

/** The columns of a file that `mapping` (role → column) does not read, in file order. */
export function unreadColumns(columns: readonly string[], mapping: Readonly<Partial<Record<string, string>>>): string[] {
  const read = new Set(Object.values(mapping));
  return columns.filter((column) => !read.has(column));
}

export function emptyRuleCounts(): Record<QuarantineReason, number> {
  return Object.fromEntries(QUARANTINE_REASONS.map((r) => [r, 0])) as Record<QuarantineReason, number>;
}

/** Sum per-file reports into the run's report; `map` (the `--map` flags of every file) is checked for flags no file read. */
export function combineIngestReports(files: readonly IngestFileReport[], map: Readonly<Partial<Record<string, string>>> = {}): IngestReport {
  const rules = emptyRuleCounts();
  for (const file of files) for (const reason of QUARANTINE_REASONS) rules[reason] += file.rules[reason];
  const sum = (key: Exclude<keyof IngestCounts, 'rules'>) => files.reduce((total, f) => total + f[key], 0);
  return {
    rowsRead: sum('rowsRead'),
    accepted: sum('accepted'),
    quarantined: sum('quarantined'),
    rules,
    returns: sum('returns'),
    outliersFlagged: sum('outliersFlagged'),
    byKind: totalsByKind(files),
    files,
    warnings: files.length > 0 ? unusedMapFlags(files, map) : [],
  };
}

/** The counts of `files` per kind (a report without a kind is of transactions: written before other kinds were read). */
export function totalsByKind(files: readonly IngestFileReport[]): Record<SourceKind, KindTotals> {
  const of = (kind: SourceKind) => files.filter((file) => (file.kind ?? 'transactions') === kind);
  const totals = (list: readonly IngestFileReport[]): KindTotals => ({
    files: list.length,
    rowsRead: list.reduce((n, f) => n + f.rowsRead, 0),
    accepted: list.reduce((n, f) => n + f.accepted, 0),
    quarantined: list.reduce((n, f) => n + f.quarantined, 0),
  });
  return Object.fromEntries(SOURCE_KINDS.map((kind) => [kind, totals(of(kind))])) as Record<SourceKind, KindTotals>;
}

/** `report` with `more` warnings after its own; the same report when there are none. */
export function withWarnings(report: IngestReport, more: readonly string[]): IngestReport {
  return more.length === 0 ? report : { ...report, warnings: [...(report.warnings ?? []), ...more] };
}

/**
 * The ingests of a run's kinds of files (orders, then profiles, then events: one `ingestFiles` each) as one report:
 * `combineIngestReports` of their files, with the warnings of each kind's ingest (a file of it without data rows)
 * after the combined report's own (a `--map` flag no file read: said once, of the files of every kind).
 */
export function combineKindReports(reports: readonly IngestReport[], map: Readonly<Partial<Record<string, string>>> = {}): IngestReport {
  const combined = combineIngestReports(reports.flatMap((report) => report.files), map);
  // a kind's own word on a flag its files did not read (no event file among the order files): judged again over all
  const ownUnused = new Set(reports.flatMap((report) => unusedMapFlags(report.files, map)));
  const own = reports.flatMap((report) => (report.warnings ?? []).filter((warning) => !ownUnused.has(warning)));
  return { ...combined, warnings: [...new Set([...(combined.warnings ?? []), ...own])] };
}

const fmt = groupThousands;

/** How the file's numbers were read, for the summary; undefined for a file without number columns, or without decimals in a file read whole by the sample. */
function numbersLine(file: IngestFileReport): string | undefined {
  if (file.decimalSeparator === '.') return 'decimal point, commas group thousands';
  if (file.decimalSeparator === ',') return 'decimal comma, dots group thousands';
  // a file no longer than the sample had every number looked at: none was 1,234 or 1.234 (it would have been refused)
  const roles = ['quantity', 'unit_price', 'amount', 'cost', 'discount', 'acquisition_cost'];
  if (!roles.some((role) => (file.mapping as Record<string, string | undefined>)[role] !== undefined) || file.rowsRead <= NUMBER_SAMPLE_ROWS) return undefined;
  return `no decimals in the first ${fmt(NUMBER_SAMPLE_ROWS)} rows (further down, 1,234 or 1.234 is quarantined: pass --decimal-separator)`;
}

/**
 * One line per file of an ingest of several, above the totals they add up to:
 * `orders-b.csv   3 rows read = 2 accepted + 1 quarantined; 1 warning (above)`
 * (a user trial: the per-file counts were in --json only); a file held
 * before says that nothing was added.
 */
function perFileLines(files: readonly IngestFileReport[]): string[] {
  const name = Math.max(...files.map((file) => file.source.length));
  const digits = (key: 'rowsRead' | 'accepted' | 'quarantined') => Math.max(...files.map((file) => fmt(file[key]).length));
  const [read, accepted, quarantined] = [digits('rowsRead'), digits('accepted'), digits('quarantined')];
  return [
    'per file:',
    ...files.map((file) => {
      if (file.alreadyIngested) return `  ${file.source.padEnd(name)}  already ingested: nothing added`;
      const warnings = file.warnings.length === 0 ? '' : `; ${file.warnings.length} warning${file.warnings.length === 1 ? '' : 's'} (above)`;
      return `  ${file.source.padEnd(name)}  ${fmt(file.rowsRead).padStart(read)} rows read = ${fmt(file.accepted).padStart(accepted)} accepted + ${fmt(file.quarantined).padStart(quarantined)} quarantined${warnings}`;
    }),
  ];
}

/**
 * The line of a file held already: nothing added; when options given now differ from those it was read with
 * (`optionsNotApplied`), which, and how to read it again with them. A re-ingest with the options it was read with was
 * told that "--map, --date-format and the other reading options do not read a file already held again".
 */
function heldFileLine(file: IngestFileReport): string {
  const held = `${file.source}: already ingested (same content, sha256 ${file.sha256.slice(0, 12)}…${file.ingestId === null ? '' : `, ingest ${file.ingestId}`}${file.kind !== undefined && file.kind !== 'transactions' ? `, as ${aKindFile(file.kind)}` : ''}): nothing added`;
  const differ = file.optionsNotApplied ?? [];
  const line = differ.length === 0 ? held : `${held}; it stays as it was read then, as a file held is not read again with other options: ${differ.join(', ')} — to read it again with these options: clvkit ingest --replace --role admin (or clvkit ingests drop ${file.ingestId ?? 'ID'}, then ingest it)`;
  const first = file.firstIngest;
  if (first === undefined) return line;
  const when = first.ingestedAt.slice(0, 16).replace('T', ' ');
  return `${line}\n  ingest ${first.ingestId} (${when} UTC) read ${fmt(first.rowsRead)} rows = ${fmt(first.accepted)} accepted + ${fmt(first.quarantined)} quarantined`;
}

/**
 * How a file was read, in one phrase (the ingest text and the report's Files table): a CSV's delimiter once, as a
 * delimiter; blank-separated columns without one; no delimiter or header for Parquet, no header for JSON Lines.
 *
 * Example: `csv, utf-8, delimiter ";", header`; `blank-separated, utf-8, no header`; `parquet`
 */
export function describeFileReading(file: Pick<IngestFileReport, 'format' | 'encoding' | 'delimiter' | 'hasHeader'>): string {
  if (file.format === 'parquet') return 'parquet';
  if (file.format === 'jsonl') return `jsonl, ${file.encoding}`;
  const header = file.hasHeader ? 'header' : 'no header';
  if (file.format === 'whitespace') return `blank-separated, ${file.encoding}, ${header}`;
  if (file.format === 'xlsx') return `xlsx, ${header}`;
  return `${file.format}, ${file.encoding}${file.delimiter ? `, delimiter ${JSON.stringify(file.delimiter)}` : ''}, ${header}`;
}

/** The ingest report as a human table: every rule listed with its count (`erased_customer` only when some row has it: only the API's batches have such rows). */
export function formatIngestReport(report: IngestReport): string {
  const lines: string[] = [];
  for (const file of report.files) {
    if (file.alreadyIngested) {
      lines.push(heldFileLine(file));
      continue;
    }
    // without a header the columns are named by their position, counted from 1 as --map and the warnings count them
    // (column1, column2, …): shown left to right
    const position = (column: string) => (file.hasHeader ? undefined : /^column(\d+)$/.exec(column)?.[1]);
    const entries = Object.entries(file.mapping) as [string, string][];
    if (!file.hasHeader) entries.sort(([, a], [, b]) => Number(position(a) ?? Infinity) - Number(position(b) ?? Infinity));
    const mapped = entries
      .map(([role, column]) => {
        const notes = file.mappingOrigin[role as ColumnRole] === 'value' ? ['guessed'] : [];
        return `${role}=${column}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
      })
      .join(', ');
    lines.push(`${file.source} — ${describeFileReading(file)}`);
    lines.push(`  columns: ${mapped}`);
    if (file.unreadColumns?.length) lines.push(`  not read (not stored): ${file.unreadColumns.join(', ')}`);
    lines.push(`  dates: ${file.dateFormats.join(' | ') || '(none)'}${file.timezone === 'keep' ? ', offsets not read: wall times kept' : file.timezone ? `, offsets converted to shop time ${file.timezone}` : ''}`);
    const types = Object.entries(file.eventTypes ?? {});
    // the commonest twelve (a GA4 export has dozens of types): --json has them all
    if (types.length > 0) lines.push(`  event types: ${types.slice(0, 12).map(([type, n]) => `${type} ${fmt(n)}`).join(', ')}${types.length > 12 ? `, ${types.length - 12} more (--json lists them)` : ''}`);
    const numbers = numbersLine(file);
    if (numbers) lines.push(`  numbers: ${numbers}`);
    for (const warning of file.warnings) lines.push(`  warning: ${warning}`);
  }
  for (const warning of report.warnings ?? []) lines.push(`warning: ${warning}`);
  // every file held already: this run's counts are all zero, and a table of zeros reads like an empty file
  if (report.files.length > 0 && report.files.every((file) => file.alreadyIngested)) {
    const which = report.files.length === 1 ? 'the file was' : 'every file was';
    return [...lines, '', `nothing added: ${which} ingested before (clvkit ingests list shows what each ingest read)`].join('\n');
  }
  const width = 22;
  if (report.files.length > 1) lines.push('', ...perFileLines(report.files));
  lines.push('');
  lines.push(`${'rows read'.padEnd(width)}${fmt(report.rowsRead).padStart(12)}`);
  const lineCounts = readKinds(report).includes('transactions') ? `   (${fmt(report.returns)} returns, ${fmt(report.outliersFlagged)} outliers flagged)` : '';
  lines.push(`${'accepted'.padEnd(width)}${fmt(report.accepted).padStart(12)}${lineCounts}`);
  lines.push(`${'quarantined'.padEnd(width)}${fmt(report.quarantined).padStart(12)}`);
  for (const { reason, meaning } of judgingRules(report)) lines.push(`  ${reason.padEnd(width - 2)}${fmt(report.rules[reason]).padStart(12)}   ${meaning}`);
  return lines.join('\n');
}

/** The kinds of file an ingest read (transactions for reports written before other kinds were read). */
export function readKinds(report: Pick<IngestReport, 'files'>): SourceKind[] {
  const kinds = SOURCE_KINDS.filter((kind) => report.files.some((file) => (file.kind ?? 'transactions') === kind));
  return kinds.length === 0 ? ['transactions'] : kinds;
}

/**
 * The rules that judged an ingest's rows, in the order they apply, with their meaning for the kinds of file it read:
 * an event or profile file has no prices, products or returns (a user trial read `nonpositive_price 0` under an event
 * file as if it had been checked). A rule no file was judged by is left out unless it counted rows; `erased_customer`
 * only when it did (a file read with --leave-out-erased, or an API batch: otherwise a file holding such a row is refused).
 */
export function judgingRules(report: Pick<IngestReport, 'files' | 'rules'>): { reason: QuarantineReason; meaning: string }[] {
  const kinds = readKinds(report);
  return QUARANTINE_REASONS.flatMap((reason) => {
    const judgedBy = reason === 'erased_customer' ? [] : kinds.filter((kind) => KIND_REASONS[kind].includes(reason));
    return judgedBy.length === 0 && !report.rules[reason] ? [] : [{ reason, meaning: describeReason(reason, judgedBy, kinds) }];
  });
}

/** The rules each kind of file is judged by (clean-rows, clean-events-sql.ts, clean-profiles-sql.ts), in report order. */
const KIND_REASONS: Readonly<Record<SourceKind, readonly QuarantineReason[]>> = {
  transactions: ['malformed_row', 'missing_customer_id', 'missing_date', 'bad_date', 'future_date', 'bad_number', 'zero_quantity', 'nonpositive_price', 'non_product', 'duplicate'],
  events: ['malformed_row', 'missing_customer_id', 'missing_date', 'bad_date', 'future_date', 'missing_event_type', 'duplicate'],
  customers: ['malformed_row', 'missing_customer_id', 'bad_date', 'future_date', 'bad_number', 'duplicate'],
};

/** What a reason means for an event or profile file, where it differs from the transactions' meaning (REASON_DESCRIPTIONS). */
const KIND_REASON_DESCRIPTIONS: Readonly<Partial<Record<Exclude<SourceKind, 'transactions'>, Partial<Record<QuarantineReason, string>>>>> = {
  events: { missing_customer_id: 'no customer, visitor or session id', missing_event_type: 'event type empty' },
  customers: {
    bad_date: 'sign-up date not readable in the detected format(s)',
    future_date: 'sign-up date after the time of ingest',
    bad_number: 'acquisition cost or birth year not a number, or a negative cost',
    duplicate: 'exact copy of an earlier row of the file',
  },
};

/**
 * A reason's meaning for the kinds of file that were judged by it. Where that meaning is not one for all the kinds the
 * report holds (`all`), the meaning for an event or profile file names the kind: 'customer id empty (or NaN/NULL/None);
 * event file: no customer, visitor or session id'.
 */
function describeReason(reason: QuarantineReason, kinds: readonly SourceKind[], all: readonly SourceKind[]): string {
  const meanings = new Map<string, SourceKind[]>();
  for (const kind of kinds.length === 0 ? (['transactions'] as const) : kinds) {
    const meaning = kind === 'transactions' ? REASON_DESCRIPTIONS[reason] : (KIND_REASON_DESCRIPTIONS[kind]?.[reason] ?? REASON_DESCRIPTIONS[reason]);
    meanings.set(meaning, [...(meanings.get(meaning) ?? []), kind]);
  }
  if (meanings.size === 1 && kinds.length === all.length) return [...meanings.keys()][0]!;
  return [...meanings]
    .map(([meaning, of]) => (of.includes('transactions') ? meaning : `${of.map((kind) => KIND_FILES[kind]).join(' and ')}: ${meaning.replace(/^(event file|customer profile file): /, '')}`))
    .join('; ');
}

/** "ingest (id 1)" / "2 ingests (ids 1, 3)": the ingests a `fromWarehouse` report covers, for the summary and the report. */
export function describeWarehouseIngests(ingestIds: readonly number[]): string {
  return ingestIds.length === 1 ? `ingest (id ${ingestIds[0]})` : `${ingestIds.length} ingests (ids ${ingestIds.join(', ')})`;
}
