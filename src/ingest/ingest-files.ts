import { basename } from 'node:path';
import { UserError } from '../core/errors/user-error.js';
import type { Warehouse } from '../engine/warehouse.js';
import type { AccessOptions } from '../privacy/access/access.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import { DEFAULT_CLEANING_RULES, NUMBER_ROLES, type CleaningRules, type QuarantineReason } from './cleaning-rules.js';
import { PII_COLUMN_ROLES, resolveColumnRoles, type ColumnRole } from './column-roles.js';
import { checkDelimiter } from './check-delimiter.js';
import { copiesOfPurchaseDaysWarning, copiesWithoutOrderIdWarning } from './copies-without-order-id.js';
import { parseDecimalSeparator } from './decimal-separator.js';
import { DATE_FORMAT_CHOICES, DATE_SAMPLE_ROWS, detectDateFormat, NAMED_DATE_FORMATS, namelessDateFormatError, noDateFormatError } from './detect-date-format.js';
import { checkTimezone, fileShopTimezone, OFFSET_SAMPLE_ROWS, offsetsMetWarning } from './time-zone-offsets.js';
import { fileReadingSettings } from './file-reading-settings.js';
import { detectDecimalSeparator, NUMBER_SAMPLE_ROWS, TYPED_FORMATS } from './detect-decimal-separator.js';
import { guessColumnRoles, ROLE_GUESS_SAMPLE_ROWS } from './guess-column-roles.js';
import { ingestEventsOrProfiles } from './ingest-events-or-profiles.js';
import { peekSourceColumns } from './peek-source-columns.js';
import { assertKindFits, detectSourceKind, withEventFileHint, type EventRole, type ProfileRole, type SourceKind } from './source-kind.js';
import { identifyFile, nextIngestId, recordIngest, setInsertionOrder, type IngestStep } from './ingest-bookkeeping.js';
import { resolveProtection, type IngestProtection } from './ingest-protection.js';
import { withElapsedSince, combineIngestReports, emptyRuleCounts, unreadColumns, withWarnings, type IngestFileReport, type IngestReport } from './ingest-report.js';
import { inspectSource, mixedEncodingWarning, noDataRowsError, NoDataRowsError, noDataRowsWarning, noFileHasDataRowsError, type SourceInspection } from './inspect-source.js';
import { withIngestMemoryLimit } from './ingest-memory.js';
import { noteOpenTransaction } from './row-position.js';
import { loadCustomerPii } from './load-customer-pii.js';
import { loadCustomerReid } from './load-customer-reid.js';
import { loadQuarantine } from './load-quarantine.js';
import { CLEAN_TABLE, JUDGED_TABLE, judgeRows, ORDERS_HELD_ELSEWHERE, type HeldRowsAnswer, type ReadHeldRows } from './judge-rows.js';
import { repeatedLinesWarning, repeatedOrderIdsWarning, type LinesHeldElsewhere } from './repeated-purchases.js';
import type { SessionsHeldElsewhere } from './shared-session-ids.js';
import type { ReadHeldEvents } from './mark-staged-duplicates.js';
import { strayQuoteWarning } from './quoted-fields.js';
import { dropStage, dropTempView, stageSource } from './stage-source.js';
import { REJECTS_TABLE, type StagedSource, type StageOptions } from './stage-tables.js';
import { TOKENS_TABLE, tokeniseCustomerIds } from './tokenise-customer-ids.js';
import { interruptedIngestError, nameFilesAdded } from './name-files-added.js';
import { assertMayReadmit, readmittedWarning, refuseErasedCustomers, type ErasedCustomersOptions } from './refuse-erased-customers.js';
import { forgetErasedTokens } from '../engine/erased-customers.js';
import { mixedOrderValuesWarning } from '../features/mixed-order-values.js';
import { nothingAcceptedError } from './nothing-accepted-error.js';
import { assertForcedHeaderIsNotData } from './first-line-is-data.js';
import { orderFileMappingWarnings } from './order-file-mapping-warnings.js';

export type { IngestStep };

export interface IngestOptions extends StageOptions, AccessOptions, ErasedCustomersOptions {
  /**
   * false: no warning that the warehouse now mixes files with and without order values (`transactionsMixWarning`,
   * one or two scans of `transactions`) — for a caller that shows no combined report (the server's batches, each file
   * of `--replace`); default true
   */
  mixedOrderValuesWarning?: boolean;
  /**
   * true: these files are read beside files of the same run that have rows (analyze's event or profile files beside its
   * order files, each kind its own ingest), so a file without data rows is a warning even when it is the only one of
   * this ingest, and an ingest of such files alone adds nothing; default false (refused when every file is empty)
   */
  besideFilesWithRows?: boolean;
  /**
   * The warehouse key (`resolveKeyring`, `loadKeyring`): customer ids become
   * HMAC tokens in every table (`customer_reid` keeps the original, encrypted),
   * PII columns and quarantined rows are stored only as AES-256-GCM envelopes,
   * and every ingest is written to the audit log. Required for a file
   * warehouse. In memory without a key, ids are kept as given (nothing is
   * stored: the stateless converters such as `summarize`).
   */
  keyring?: Keyring;
  /** keep customer ids as given; only for in-memory warehouses (stateless file → file converters) */
  keepCustomerIds?: boolean;
  /** role → column name or 1-based position (from --map); the roles of every file kind (a file uses those of its kind) */
  map?: Partial<Record<ColumnRole | EventRole | ProfileRole, string>>;
  /** strptime format(s), 'iso', 'epoch_s', 'epoch_ms' or 'epoch_us' (`NAMED_DATE_FORMATS`); detected when absent */
  dateFormats?: readonly string[];
  /**
   * The shop's time zone (`--timezone`): an IANA zone such as
   * `America/New_York` (daylight saving followed), `UTC` or a fixed offset
   * such as `+01:00`, or `keep` (wall times as written, offsets not read).
   * ISO dates carrying a UTC offset are converted to it; dates without one
   * are taken as shop time. Default: per file, the offset most common among
   * its sampled dates, or `keep` when they carry two offsets one hour apart
   * (`detectShopTimezone`).
   */
  timezone?: string;
  /**
   * How the files write decimals (`--decimal-separator`): `.` (`1,234.50`:
   * commas group thousands) or `,` (`1.234,50`: dots group thousands).
   * Default: per file, from its sampled numbers (`detectDecimalSeparator`);
   * a file whose numbers could be read either way (`1,234` and nothing else
   * to tell) is refused. Values that do not fit are quarantined as bad_number.
   */
  decimalSeparator?: '.' | ',';
  rules?: Partial<CleaningRules>;
  /** the time of ingest; later dates are quarantined as future_date (default: now) */
  now?: Date;
  /**
   * what the files hold; detected per file from its columns when absent (`detectSourceKind`). A file given as one kind
   * whose columns show another (`otherKindShown`: an event file given as profiles) is refused, as is a file held
   * already as another kind (the same content, ingested before as that kind)
   */
  kind?: SourceKind;
  /** the hint of that refusal per kind the file shows, in the words of the command that read it (default: the library's) */
  kindHints?: Readonly<Partial<Record<SourceKind, string>>>;
  /**
   * What the quarantine keeps of a row rejected as an exact duplicate (of an
   * earlier row of the file, or of a row the warehouse holds): 'reference'
   * (the default) only its line, reason and detail ('same as line N' for a
   * copy within the file; none for a copy of a held row): its text is already
   * held, so storing it again would only keep a second copy of the same
   * personal data (and, with a key, cost an AES-GCM envelope a row, most of an
   * append that overlaps the warehouse); 'text' (`--keep-duplicate-text`) its
   * line as read too, encrypted with a key like every quarantined row.
   * Transaction files only; counts are the same either way.
   */
  duplicateText?: 'text' | 'reference';
  /**
   * false when the warehouse is thrown away after the run (a one-shot analyze in memory, a read command given a file):
   * a later file's one-line error then does not name the files "added before it", which nothing keeps, and a column
   * that looks like personal data is said to be left out, without the `--map` that would keep it (default true)
   */
  keepsFiles?: boolean;
  /**
   * A transaction file none of whose rows could be accepted is refused, nothing recorded (`nothingAcceptedError`):
   * 'any' reason (default: a file's), or 'unreadable' — only when its dates or numbers could not be read (the server's
   * batches, whose records are acknowledged: their bad records are quarantined)
   */
  refuseNothingAccepted?: 'any' | 'unreadable';
  /** called before each step; a throw aborts the ingest and rolls it back */
  onStep?: (step: IngestStep, file: string) => void;
  /**
   * Stops the ingest when aborted (the CLI's Ctrl-C): the engine's running
   * statement is interrupted (`Warehouse.interrupt`) and the file being read
   * stops at its next step, rolled back; files committed before it stay, and
   * `ingestFiles` throws an `InterruptedError` saying which (inside a
   * transaction the caller opened, what stays is the caller's to commit).
   * Aborted after the last file committed, the ingest ends as it would have.
   */
  signal?: AbortSignal;
  /**
   * Which of a file's customer tokens another store holds already (the
   * cluster a private local ingest is copied to: `ingestFilesToClickHouse`):
   * they are not new customers — not counted in `newCustomers` nor in the
   * audit entry (their `customer_reid` row is kept here all the same: the
   * copy leaves out those the cluster holds when it copies). Asked before the
   * ingest records itself, a chunk of tokens at a time; the answer must be a
   * subset of the tokens asked about.
   */
  customersHeldElsewhere?: (tokens: readonly string[]) => Promise<ReadonlySet<string>>;
  /**
   * Which of a transaction file's otherwise accepted rows another store holds
   * already (the cluster a private local ingest is copied to:
   * `ingestFilesToClickHouse`), by their row hash, and which of their order
   * ids; each row comes with its customer id as read. The `duplicate` rule
   * rejects the rows held as it rejects rows `transactions` holds, so an
   * overlapping file adds only its new rows there too, and the orders held
   * are named by the repeated-order-ids warning. Asked once per file, after
   * the judging pass, with a function that reads the rows batch by batch (a store holding
   * nothing need not call it); the answer must be a subset of what it read.
   */
  rowsHeldElsewhere?: (readRows: ReadHeldRows) => Promise<HeldRowsAnswer>;
  /**
   * Which lines another store holds at the (customer, time) of a transaction file's accepted lines without an order id
   * (the cluster a private local ingest is copied to), for the warning that they repeat held purchases
   * (`repeatedLinesWarning`), as `transactions` answers it on a warehouse
   */
  linesHeldElsewhere?: LinesHeldElsewhere;
  /** the same question for an event file's rows (by row hash, with the span of their times), answered by row hash */
  eventsHeldElsewhere?: (readRows: ReadHeldEvents) => Promise<ReadonlySet<string>>;
  /**
   * The events another store holds (the cluster a local ingest is copied to) of an event file's session ids, so a
   * session id shared by visitors across the stores is re-keyed as the warehouse's own events make it (shared-session-ids.ts)
   */
  sessionsHeldElsewhere?: SessionsHeldElsewhere;
}

async function ingestOne(warehouse: Warehouse, source: SourceInspection, options: IngestOptions, protection: IngestProtection): Promise<IngestFileReport> {
  const { path } = source;
  const started = Date.now();
  const step = (name: IngestStep) => options.onStep?.(name, path);
  const d = warehouse.dialect;
  const rules: CleaningRules = { ...DEFAULT_CLEANING_RULES, ...options.rules };
  const { keyring } = protection;
  step('inspect');
  const { sha256, base, privacyBase, held } = await identifyFile(warehouse, source, 'transactions', keyring, started, options);
  if (held) return held;
  step('stage');
  const staged = await stageSource(warehouse, source, options);
  assertForcedHeaderIsNotData(path, staged, options.header); // contact details as column names: printed and stored in clear
  // a file that quotes its fields read without quotes (a quote in the sniffer's sample never closes): said
  const strayQuote = await strayQuoteWarning(source.sampleLines, staged);
  if (options.kind !== undefined) assertKindFits(path, staged.columns, options.kind, options.kindHints); // an XLSX's names are known only now
  step('map');
  const guess = staged.hasHeader || !staged.hasRows ? { mapping: {}, doubts: [] } : await guessColumnRoles(warehouse, await staged.sampleFor(ROLE_GUESS_SAMPLE_ROWS, staged.columns), staged.columns);
  // a file of events read as transactions (no visitor column to show it) fails here: its hint says how to read it as events
  const asEvents = (error: UserError) => withEventFileHint(error, staged.columns, options.kindHints);
  const { mapping, origin, warnings: mappingWarnings } = (() => {
    try {
      return resolveColumnRoles(staged.columns, options.map ?? {}, guess.mapping);
    } catch (error) {
      throw error instanceof UserError ? asEvents(error) : error;
    }
  })();
  // the map step's warnings; a bare 'name' column of people's names taken as the description is left out of mapping and origin
  const warnings: string[] = [...mappingWarnings, ...(await orderFileMappingWarnings(warehouse, staged, { mapping, origin, guess }, options.keepsFiles))];
  const piiRoles = PII_COLUMN_ROLES.filter((role) => mapping[role] !== undefined);
  let dateFormats = options.dateFormats ?? [];
  if (dateFormats.length === 0 && staged.hasRows) {
    const detection = await detectDateFormat(warehouse, await staged.sampleFor(DATE_SAMPLE_ROWS, [mapping.date!]), mapping.date!, { whole: await staged.sampleFor(Number.MAX_SAFE_INTEGER) });
    dateFormats = detection.formats;
    if (detection.warning) warnings.push(detection.warning);
    if (detection.formats.length === 0) {
      throw asEvents(noDateFormatError(path, mapping.date!, await sampleValue(warehouse, staged, mapping.date!)));
    }
  }
  const readWith = dateFormats.length ? dateFormats : ['iso'];
  const zone = await fileShopTimezone(warehouse, readWith, staged.hasRows && mapping.date ? await staged.sampleFor(OFFSET_SAMPLE_ROWS, [mapping.date]) : staged.sample, staged.hasRows ? mapping.date : undefined, options.timezone);
  if (zone.warning) warnings.push(zone.warning);
  const numberColumns = NUMBER_ROLES.flatMap((role) => (mapping[role] === undefined ? [] : [mapping[role]!]));
  const numbers = await detectDecimalSeparator(
    warehouse,
    { table: await staged.sampleFor(NUMBER_SAMPLE_ROWS), columns: staged.hasRows ? numberColumns : [], source: basename(path), typed: TYPED_FORMATS.has(source.format) },
    options.decimalSeparator,
  );
  if (numbers.warning) warnings.push(numbers.warning);
  step('clean');
  const now = options.now ?? new Date();
  const ingestTimeIso = now.toISOString();
  const reading = fileReadingSettings({ dateFormats: readWith, zone, decimalSeparator: numbers.separator, delimiter: staged.delimiter, keyring, now });
  const judged = await judgeRows(warehouse, path, staged, {
    dialect: d,
    mapping,
    rules,
    ...reading,
    duplicateText: options.duplicateText === 'text',
    ...(options.rowsHeldElsewhere ? { rowsHeldElsewhere: options.rowsHeldElsewhere } : {}),
  });
  const offsetsMet = reading.dateOffsets ? await offsetsMetWarning(warehouse, JUDGED_TABLE, zone) : undefined;
  if (offsetsMet) warnings.push(offsetsMet);
  const rowsRead = judged.judgedRows + judged.malformedRows;
  if (rowsRead === 0) throw noDataRowsError(path, staged.hasHeader); // nothing recorded: refused as a 0-byte file is
  // The judged rows hold all that later steps need (the raw text of rejected rows included): free the staged text.
  await dropStage(warehouse);
  // The customer key of a clean row `c`: its token (joined from clv_tokens) or, without a key, the id as given.
  const keyColumnSql = keyring ? 'k.token' : 'c.customer_id';
  const joinSql = keyring ? `LEFT JOIN ${TOKENS_TABLE} k ON k.raw_id = c.customer_id` : '';
  if (keyring) {
    step('pseudonymise');
    const { blankIds } = await tokeniseCustomerIds(warehouse, CLEAN_TABLE, keyring);
    if (blankIds.length > 0) {
      await warehouse.execute(`UPDATE ${JUDGED_TABLE} SET reason = 'missing_customer_id', detail = NULL WHERE customer_id IN (${blankIds.map((id) => d.literal(id)).join(', ')})`);
    }
  }
  const readmitted = keyring ? await refuseErasedCustomers(warehouse, path, options, JUDGED_TABLE) : {};
  const readmittedNote = readmittedWarning(readmitted);
  if (readmittedNote) warnings.push(readmittedNote);
  // (with the accepted rows dated before 1970, and the earliest: asked in the same pass)
  const counts = await warehouse.query(`SELECT reason, count(*) AS n, count(*) FILTER (WHERE is_return) AS returns, count(*) FILTER (WHERE ts < ${d.timestamp('1970-01-01T00:00:00')}) AS before_1970, min(ts) AS earliest FROM ${CLEAN_TABLE} GROUP BY reason`);
  const ruleCounts = emptyRuleCounts();
  ruleCounts.malformed_row = judged.malformedRows;
  let accepted = 0;
  let returns = 0;
  for (const row of counts) {
    if (row.reason === null) {
      accepted = Number(row.n);
      returns = Number(row.returns);
      const before1970 = Number(row.before_1970);
      if (before1970 > 0) warnings.push(datesBefore1970Warning(before1970, row.earliest));
    } else ruleCounts[row.reason as QuarantineReason] += Number(row.n);
  }
  const quarantined = Object.values(ruleCounts).reduce((a, b) => a + b, 0);
  // nothing accepted (dates or numbers that could not be read, empty ids, …): refused before anything is recorded
  const nothingAccepted = nothingAcceptedError(path, accepted, ruleCounts, { mapping, dateFormats }, options.refuseNothingAccepted);
  if (nothingAccepted) throw asEvents(nothingAccepted);
  if (accepted + quarantined !== rowsRead) throw new Error(`ingest of ${path}: ${accepted} accepted + ${quarantined} quarantined ≠ ${rowsRead} read`);
  const repeated = await repeatedOrderIdsWarning(warehouse, accepted, options.rowsHeldElsewhere !== undefined);
  if (repeated) warnings.push(repeated);
  const repeatedLines = accepted === 0 ? null : await repeatedLinesWarning(warehouse, { keyColumnSql, joinSql, ...(options.linesHeldElsewhere ? { linesHeldElsewhere: options.linesHeldElsewhere } : {}) });
  if (repeatedLines) warnings.push(repeatedLines);
  const sameDayCopies = await copiesWithoutOrderIdWarning(warehouse, mapping, ruleCounts.duplicate);
  if (sameDayCopies) warnings.push(sameDayCopies.warning);
  const dayCopies = await copiesOfPurchaseDaysWarning(warehouse, mapping, ruleCounts.duplicate);
  if (dayCopies) warnings.push(dayCopies);
  const sourceName = basename(path);
  // Scratch tables above are temporary; only the loads below touch the warehouse, all or nothing.
  return warehouse.transaction(async () => {
    const ingestId = await nextIngestId(warehouse);
    step('load-transactions');
    const logAmount = 'CASE WHEN amount <> 0 THEN ln(abs(amount)) END';
    const [stats] = await warehouse.query(`SELECT ${d.median(logAmount)} AS m, ${d.mad(logAmount)} AS s FROM ${CLEAN_TABLE} WHERE reason IS NULL AND amount <> 0`);
    const centre = Number(stats?.m ?? Number.NaN);
    const spread = Number(stats?.s ?? Number.NaN);
    const outlier = Number.isFinite(centre) && spread > 0 ? `COALESCE(abs(${logAmount} - ${centre}) / ${1.4826 * spread} > ${rules.outlierZ}, FALSE)` : 'FALSE';
    await warehouse.execute(`
      INSERT INTO transactions
      SELECT order_id, ${keyColumnSql} AS customer_id, ts, product_id, description, category, quantity, unit_price, amount, cost, channel, region, country, is_return,
        ${outlier} AS is_outlier, ${ingestId}, ${d.literal(sourceName)}, line, row_hash
      FROM ${CLEAN_TABLE} c ${joinSql} WHERE c.reason IS NULL`);
    const [loaded] = await warehouse.query(`SELECT count(*) AS n, count(*) FILTER (WHERE is_outlier) AS flagged FROM transactions WHERE ingest_id = ${ingestId}`);
    if (Number(loaded!.n) !== accepted) throw new Error(`ingest of ${path}: ${Number(loaded!.n)} rows loaded, ${accepted} accepted`);
    const newCustomers = keyring ? await loadCustomerReid(warehouse, CLEAN_TABLE, keyring, ingestTimeIso, options.customersHeldElsewhere) : 0;
    const piiCustomers = await loadCustomerPii(warehouse, { cleanTable: CLEAN_TABLE, roles: piiRoles, keyring: keyring ?? protection.piiKeyring(), keyColumnSql, joinSql, ingestId });
    step('load-quarantine');
    await loadQuarantine(warehouse, { ingestId, sourceName, cleanTable: CLEAN_TABLE, rejectsTable: REJECTS_TABLE, keyring, keyColumnSql, joinSql, ingestTimeIso });
    const garbled = mixedEncodingWarning(source, judged.staged.encoding);
    if (garbled) warnings.push(garbled);
    if (strayQuote) warnings.push(strayQuote);
    const report: IngestFileReport = {
      ...base, encoding: judged.staged.encoding, alreadyIngested: false, ingestId, delimiter: staged.delimiter, hasHeader: staged.hasHeader, mapping, mappingOrigin: origin, unreadColumns: unreadColumns(staged.columns, mapping),
      dateFormats, ...(zone.timezone ? { timezone: zone.timezone.name } : {}), ...(numbers.separator ? { decimalSeparator: numbers.separator } : {}), rowsRead, accepted, quarantined, rules: ruleCounts, returns, outliersFlagged: Number(loaded!.flagged), warnings,
      ...(sameDayCopies ? { copiesWithoutOrderId: { lines: sameDayCopies.lines, amount: sameDayCopies.amount } } : {}),
      privacy: { ...privacyBase, piiStored: piiRoles, newCustomers, quarantineEncrypted: keyring !== null }, elapsedMs: Date.now() - started,
    };
    step('record');
    await recordIngest(warehouse, protection, {
      ingestId, sourceName, sha256, ingestTimeIso, report,
      rowCounts: { rows_read: rowsRead, transactions: accepted, quarantine: quarantined, customer_reid: newCustomers, customers: piiCustomers },
      details: { ingest_id: ingestId, file_sha256: sha256, pii_stored: [...piiRoles], ...readmitted },
    });
    await forgetErasedTokens(warehouse, readmitted.readmitted_tokens ?? []); // readmitted: no longer refused (a cluster's record: after its copy)
    return report;
  });
}

async function sampleValue(warehouse: Warehouse, staged: StagedSource, column: string): Promise<string | null> {
  const [row] = await warehouse.query(`SELECT ${warehouse.dialect.identifier(column)} AS v FROM ${staged.sample} WHERE ${warehouse.dialect.identifier(column)} <> '' LIMIT 1`);
  return row ? String(row.v) : null;
}

async function dropScratch(warehouse: Warehouse): Promise<void> {
  await setInsertionOrder(warehouse, true);
  await dropStage(warehouse);
  await dropTempView(warehouse, CLEAN_TABLE);
  await warehouse.execute(`DROP TABLE IF EXISTS ${JUDGED_TABLE}; DROP TABLE IF EXISTS ${REJECTS_TABLE}; DROP TABLE IF EXISTS ${TOKENS_TABLE}; DROP TABLE IF EXISTS ${ORDERS_HELD_ELSEWHERE}`);
}

/** `UserError` for a `--date-format` the engine cannot use (an unknown % code), or that has no % code and names no format. */
async function checkDateFormats(warehouse: Warehouse, formats: readonly string[]): Promise<void> {
  for (const format of formats) {
    if (NAMED_DATE_FORMATS.includes(format)) continue;
    const nameless = namelessDateFormatError(format); // no % code: a text strptime would read literally
    if (nameless) throw nameless;
    try {
      await warehouse.query(`SELECT ${warehouse.dialect.tryTimestamp("'2000-01-01'", [format])} AS t`);
    } catch {
      throw new UserError(`--date-format ${format} is not a valid date format`, `use ${DATE_FORMAT_CHOICES}`);
    }
  }
}

/**
 * Ingest files into the warehouse: read, map columns, clean, load accepted
 * rows into `transactions` (or, for event and customer profile files,
 * `events` and `customers`: `ingestEventsOrProfiles`) and every rejected row into
 * `quarantine` with its reason. Each file is atomic (all or nothing) and
 * idempotent: a file already ingested adds nothing, rows already held are
 * quarantined as duplicates.
 *
 * Example: `const report = await ingestFiles(wh, ['orders.csv'], { map: { customer_id: 'client' } })`
 * → `{ rowsRead: 1000, accepted: 990, quarantined: 10, rules: { missing_customer_id: 10, … } }`
 */
export async function ingestFiles(warehouse: Warehouse, paths: readonly string[], options: IngestOptions = {}): Promise<IngestReport> {
  if (paths.length === 0) throw new UserError('no input file given', 'pass one or more transaction files, e.g. clvkit ingest orders.csv');
  const sources = paths.map((path) => inspectSource(path)); // a missing or unreadable file fails before anything is written
  checkDelimiter(options.delimiter);
  assertMayReadmit(options);
  await checkTimezone(warehouse, options.timezone); // a --timezone that names no zone fails before anything is read
  if (options.decimalSeparator !== undefined) parseDecimalSeparator(options.decimalSeparator);
  await checkDateFormats(warehouse, options.dateFormats ?? []);
  await noteOpenTransaction(warehouse); // inside a caller's transaction the readers cannot fail and retry
  const protection = await resolveProtection(warehouse, options);
  const reports: IngestFileReport[] = [];
  // files without data rows beside others: a day without orders in a batch of daily exports is said, not a failure
  const empty: NoDataRowsError[] = [];
  // stopped (Ctrl-C): the running statement fails at once, the file stops at its next step
  const { signal } = options;
  const interrupt = () => warehouse.interrupt?.();
  const stepped: IngestOptions = signal ? { ...options, onStep: (step, file) => (options.onStep?.(step, file), signal.throwIfAborted()) } : options;
  await withIngestMemoryLimit(warehouse, paths, async () => {
    signal?.addEventListener('abort', interrupt);
    try {
      for (const [i, source] of sources.entries()) {
        if (signal?.aborted) throw interruptedIngestError(source.path, reports, paths.slice(i + 1));
        let failed = false;
        const started = Date.now();
        try {
          const columns = await peekSourceColumns(warehouse, source);
          if (options.kind !== undefined) assertKindFits(source.path, columns, options.kind, options.kindHints); // before anything is read
          const kind = options.kind ?? detectSourceKind(columns);
          const report = kind === 'transactions' ? await ingestOne(warehouse, source, stepped, protection) : await ingestEventsOrProfiles(warehouse, source, kind, stepped, protection);
          // the file's whole work, its recording and commit too (the report stored in `ingests` was made before them)
          reports.push(withElapsedSince(report, started));
        } catch (error) {
          // whatever failed once the signal came (the interrupted statement, the step that stopped): the file's transaction rolled back
          if (signal?.aborted) {
            failed = true;
            throw interruptedIngestError(source.path, reports, paths.slice(i + 1));
          }
          if (error instanceof NoDataRowsError && (sources.length > 1 || options.besideFilesWithRows === true)) {
            empty.push(error); // nothing of it was recorded
            continue;
          }
          failed = true;
          throw options.keepsFiles === false ? error : nameFilesAdded(error, reports, source.path, paths.slice(i + 1)); // the files before it stay added: say which
        } finally {
          // After a failure inside a caller's transaction the engine refuses every statement until it rolls back
          // (which drops the scratch tables too): the failure is what the caller must see, not the clean-up's; so is
          // the stop, when the signal interrupted the clean-up of a file that committed (the next file says so).
          await dropScratch(warehouse).catch((cleanup: unknown) => {
            if (!failed && !signal?.aborted) throw cleanup;
          });
        }
      }
    } finally {
      // every file done: a later abort interrupts nothing (the memory limit's restore runs whole)
      signal?.removeEventListener('abort', interrupt);
    }
  });
  if (reports.length === 0 && empty.length > 0 && options.besideFilesWithRows !== true) {
    throw noFileHasDataRowsError(empty);
  }
  const combined = combineIngestReports(reports, options.map);
  // the warehouse's lines as a whole (not when another store holds them: a cluster's ingest says it there)
  const mixed = options.rowsHeldElsewhere === undefined && options.mixedOrderValuesWarning !== false ? await transactionsMixWarning(warehouse, reports) : null;
  return withWarnings(combined, [...(mixed ? [mixed] : []), ...empty.map(noDataRowsWarning)]);
}

/**
 * After an ingest that added purchases: the warning that the warehouse now mixes files with and without order values
 * (`mixedOrderValuesWarning`), or null. Exported for the cluster's ingest, which asks its own tables.
 */
export async function transactionsMixWarning(warehouse: Warehouse, reports: readonly IngestFileReport[]): Promise<string | null> {
  const added = reports.some((file) => (file.kind ?? 'transactions') === 'transactions' && !file.alreadyIngested && file.accepted > 0);
  return added ? mixedOrderValuesWarning(warehouse) : null;
}

/**
 * The warning for accepted rows dated before 1970: rarely a real purchase (a date column read wrong), kept as read, and a
 * ClickHouse warehouse (DateTime from 1970) refuses a file holding them.
 */
function datesBefore1970Warning(rows: number, earliest: unknown): string {
  const day = earliest instanceof Date ? earliest.toISOString().slice(0, 10) : String(earliest).slice(0, 10);
  return `${rows} ${rows === 1 ? 'row is' : 'rows are'} dated before 1970 (the earliest ${day}): kept as read; if they are not real purchase dates, check the date column and --date-format (a ClickHouse warehouse, --engine clickhouse, refuses a file holding them)`;
}
