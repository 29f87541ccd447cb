/**
 * Ingest of one event file or one customer profile file, through the same
 * machinery as transactions: staged by the engine's readers
 * (`stageSource`), columns matched as `--map` and common names say
 * (`matchColumnRoles`), dates detected (`detectDateFormat`), every row judged
 * in SQL (`buildCleanEventsSql`, `buildCleanProfilesSql`), customer ids
 * tokenised once per distinct id, rejected rows to `quarantine` with one
 * reason (encrypted), and an audited `ingests` row. Atomic per file,
 * idempotent per content; rows read = accepted + quarantined.
 *
 * Events go to `events` (customer ids as `c_…` tokens, visitor ids as `a_…`
 * tokens); profiles go to `customers` (one row per customer: a later file or
 * line replaces the values it has and keeps the others), PII roles mapped
 * with `--map` as encrypted envelopes, as for transactions.
 */
import { basename } from 'node:path';
import { UserError } from '../core/errors/user-error.js';
import type { Warehouse } from '../engine/warehouse.js';
import { PII_ROLES, type PiiRole } from '../privacy/access/classification.js';
import { buildCleanEventsSql, stagedRowSql, type CleanTableInput } from './clean-events-sql.js';
import { markStagedDuplicates, type ReadHeldEvents } from './mark-staged-duplicates.js';
import { buildCleanProfilesSql } from './clean-profiles-sql.js';
import { DEFAULT_CLEANING_RULES, type CleaningRules, type QuarantineReason } from './cleaning-rules.js';
import { eventPersonalDataWarning, personalDataLeftOut, personalDataWarning, piiLookalikeColumns, type ColumnMapping } from './column-roles.js';
import { detectDateFormat, noDateFormatError } from './detect-date-format.js';
import { nothingAcceptedError } from './nothing-accepted-error.js';
import { eventTypeCounts, unreadEventTypesWarning } from './event-type-counts.js';
import { SESSION_KEYS_TABLE, sessionKeying, storedSessionIdSql, type SessionKeying, type SessionsHeldElsewhere, type StoredIdsSql } from './shared-session-ids.js';
import { identifyFile, nextIngestId, recordIngest, setInsertionOrder, type IngestStep } from './ingest-bookkeeping.js';
import type { IngestProtection } from './ingest-protection.js';
import { emptyRuleCounts, unreadColumns, type IngestFileReport } from './ingest-report.js';
import { mixedEncodingWarning, noDataRowsError, type SourceInspection } from './inspect-source.js';
import { loadCustomerPii } from './load-customer-pii.js';
import { loadCustomerReid } from './load-customer-reid.js';
import { loadQuarantine } from './load-quarantine.js';
import { matchColumnRoles, requireRoles } from './match-column-roles.js';
import { assertKindFits, EVENT_ROLE_SYNONYMS, EVENT_ROLES, PROFILE_ROLE_SYNONYMS, PROFILE_ROLES, type EventRole, type ProfileRole, type SourceKind } from './source-kind.js';
import { materialiseStage } from './materialise-stage.js';
import { fileShopTimezone, offsetsMetWarning } from './time-zone-offsets.js';
import { fileReadingSettings } from './file-reading-settings.js';
import { detectDecimalSeparator, TYPED_FORMATS } from './detect-decimal-separator.js';
import { strayQuoteWarning } from './quoted-fields.js';
import { dropStage, stageSource } from './stage-source.js';
import { REJECTS_TABLE, STAGE_TABLE, type StageOptions } from './stage-tables.js';
import { cellsBeyondHeaderWarning } from './stage-xlsx.js';
import { TOKENS_TABLE, tokeniseCustomerIds } from './tokenise-customer-ids.js';
import { forgetErasedTokens } from '../engine/erased-customers.js';
import { redactedQueriesWarning } from '../privacy/tokens/redact-contact-details.js';
import { readmittedWarning, refuseErasedCustomers, type ErasedCustomersDetails, type ErasedCustomersOptions } from './refuse-erased-customers.js';
import { columnsFound, DATA_ROW_AS_HEADER_HINT } from './columns-found.js';
import { assertForcedHeaderIsNotData } from './first-line-is-data.js';

/** The options of `ingestFiles` an event or profile file reads. */
export interface EventsOrProfilesOptions extends StageOptions, ErasedCustomersOptions {
  map?: Partial<Record<string, string>>;
  dateFormats?: readonly string[];
  /** see `IngestOptions.timezone` */
  timezone?: string;
  /** see `IngestOptions.decimalSeparator` (profiles: the acquisition cost) */
  decimalSeparator?: '.' | ',';
  rules?: Partial<CleaningRules>;
  now?: Date;
  onStep?: (step: IngestStep, file: string) => void;
  /** see `IngestOptions.customersHeldElsewhere` */
  customersHeldElsewhere?: (tokens: readonly string[]) => Promise<ReadonlySet<string>>;
  /** see `IngestOptions.eventsHeldElsewhere` */
  eventsHeldElsewhere?: (readRows: ReadHeldEvents) => Promise<ReadonlySet<string>>;
  /** see `IngestOptions.sessionsHeldElsewhere` */
  sessionsHeldElsewhere?: SessionsHeldElsewhere;
  /** see `IngestOptions.kind`: the kind was given (not detected), so a file whose columns show another is refused */
  kind?: SourceKind;
  /** see `IngestOptions.keepsFiles`: false for a file read into memory (a personal-data column is said to be left out) */
  keepsFiles?: boolean;
  /** see `IngestOptions.kindHints` */
  kindHints?: Readonly<Partial<Record<SourceKind, string>>>;
  /** see `IngestOptions.refuseNothingAccepted` */
  refuseNothingAccepted?: 'any' | 'unreadable';
}

/**
 * Scratch table of judged rows, dropped when the file is done. Its own name: the transaction ingest's judged rows are a
 * temp view `clv_clean`, which a table of that name left on a shared connection (the server's) stopped it creating.
 */
export const EVENTS_CLEAN_TABLE = 'clv_clean_events';
const ANON_TOKENS_TABLE = 'clv_anon_tokens';

export async function ingestEventsOrProfiles(
  warehouse: Warehouse,
  source: SourceInspection,
  kind: 'events' | 'customers',
  options: EventsOrProfilesOptions,
  protection: IngestProtection,
): Promise<IngestFileReport> {
  const { path } = source;
  const started = Date.now();
  const step = (name: IngestStep) => options.onStep?.(name, path);
  const d = warehouse.dialect;
  const rules: CleaningRules = { ...DEFAULT_CLEANING_RULES, ...options.rules };
  const { keyring } = protection;
  step('inspect');
  const { sha256, base, privacyBase, held } = await identifyFile(warehouse, source, kind, keyring, started, options);
  if (held) return held;
  step('stage');
  const staged = await stageSource(warehouse, source, options);
  assertForcedHeaderIsNotData(path, staged, options.header); // contact details as column names: printed and stored in clear
  // a file that quotes its fields read without quotes (a quote in the sniffer's sample never closes): said
  const strayQuote = await strayQuoteWarning(source.sampleLines, staged);
  if (options.kind !== undefined) assertKindFits(path, staged.columns, options.kind, options.kindHints); // an XLSX's names are known only now
  const stage = await materialiseStage(warehouse, staged);
  const rowsRead = stage.stagedRows + stage.malformedRows;
  if (rowsRead === 0) throw noDataRowsError(path, staged.hasHeader); // nothing recorded: refused as a 0-byte file is
  step('map');
  const flags = options.map ?? {};
  const warnings: string[] = [];
  let mapping: Partial<Record<string, string>>;
  let origin: Partial<Record<string, string>>;
  let dateRole: string;
  if (kind === 'events') {
    const matched = matchColumnRoles<EventRole>(staged.columns, flags, EVENT_ROLES, EVENT_ROLE_SYNONYMS);
    requireRoles(matched.mapping, ['ts', 'type'], staged.columns, ' of an event file');
    if (!matched.mapping.customer_id && !matched.mapping.anonymous_id && !matched.mapping.session_id) {
      const found = columnsFound(staged.columns, false);
      throw new UserError(`an event file needs a customer_id, anonymous_id or session_id column (columns found: ${found.text})`, found.dataRow ? DATA_ROW_AS_HEADER_HINT : 'pass --map customer_id=<column> (or anonymous_id=, session_id=)');
    }
    ({ mapping, origin } = matched);
    dateRole = 'ts';
    for (const { column, role } of piiLookalikeColumns(staged.columns, mapping as ColumnMapping)) warnings.push(eventPersonalDataWarning(column, role));
  } else {
    const matched = matchColumnRoles<ProfileRole>(staged.columns, flags, PROFILE_ROLES, PROFILE_ROLE_SYNONYMS);
    requireRoles(matched.mapping, ['customer_id'], staged.columns, ' of a customer profile file');
    ({ mapping, origin } = matched);
    dateRole = 'signup_date';
    // a profile describes a person: a bare 'name' column is theirs
    for (const { column, role } of piiLookalikeColumns(staged.columns, mapping as ColumnMapping, { aboutPeople: true })) warnings.push((options.keepsFiles === false ? personalDataLeftOut : personalDataWarning)(column, role));
  }
  const beyondHeader = cellsBeyondHeaderWarning(staged, mapping);
  if (beyondHeader) warnings.push(beyondHeader);
  const piiRoles = kind === 'customers' ? PII_ROLES.filter((role: PiiRole) => mapping[role] !== undefined) : [];
  let dateFormats = options.dateFormats ?? [];
  if (dateFormats.length === 0 && stage.stagedRows > 0 && mapping[dateRole] !== undefined) {
    const detection = await detectDateFormat(warehouse, STAGE_TABLE, mapping[dateRole]!, { whole: STAGE_TABLE });
    dateFormats = detection.formats;
    if (detection.warning) warnings.push(detection.warning);
    if (detection.formats.length === 0) {
      const column = d.identifier(mapping[dateRole]!);
      const [example] = await warehouse.query(`SELECT ${column} AS v FROM ${STAGE_TABLE} WHERE trim(${column}) <> '' LIMIT 1`);
      throw noDateFormatError(path, mapping[dateRole]!, example === undefined ? null : String(example.v));
    }
  }
  const readWith = dateFormats.length ? dateFormats : ['iso'];
  const zone = await fileShopTimezone(warehouse, readWith, STAGE_TABLE, stage.stagedRows > 0 ? mapping[dateRole] : undefined, options.timezone);
  if (zone.warning) warnings.push(zone.warning);
  const numberColumns = kind === 'customers' && mapping.acquisition_cost !== undefined && stage.stagedRows > 0 ? [mapping.acquisition_cost] : [];
  const numbers = await detectDecimalSeparator(
    warehouse,
    { table: STAGE_TABLE, columns: numberColumns, source: basename(path), typed: TYPED_FORMATS.has(source.format) },
    kind === 'customers' ? options.decimalSeparator : undefined,
  );
  if (numbers.warning) warnings.push(numbers.warning);
  step('clean');
  const now = options.now ?? new Date();
  const ingestTimeIso = now.toISOString();
  const input: CleanTableInput<string> = {
    dialect: d, stageTable: STAGE_TABLE, lineSql: stage.lineSql, columns: staged.columns, mapping, rules,
    ...fileReadingSettings({ dateFormats: readWith, zone, decimalSeparator: numbers.separator, delimiter: staged.delimiter, keyring, now }),
  };
  const cleanSql = kind === 'events' ? buildCleanEventsSql(input as CleanTableInput<EventRole>) : buildCleanProfilesSql(input as CleanTableInput<ProfileRole>);
  await setInsertionOrder(warehouse, false);
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${EVENTS_CLEAN_TABLE} AS ${cleanSql}`);
  await markStagedDuplicates(warehouse, {
    cleanTable: EVENTS_CLEAN_TABLE, rules, ...(kind === 'events' ? { heldTable: 'events' } : {}), stageTable: STAGE_TABLE, lineSql: stage.lineSql, rawSql: stagedRowSql(input).raw,
    ...(kind === 'events' && options.eventsHeldElsewhere ? { rowsHeldElsewhere: options.eventsHeldElsewhere } : {}),
  });
  const offsetsMet = input.dateOffsets ? await offsetsMetWarning(warehouse, EVENTS_CLEAN_TABLE, zone) : undefined;
  if (offsetsMet) warnings.push(offsetsMet);
  await warehouse.execute(`DROP TABLE IF EXISTS ${STAGE_TABLE}`);
  await dropStage(warehouse);
  const keyColumnSql = keyring ? 'k.token' : 'c.customer_id';
  const joinSql = keyring ? `LEFT JOIN ${TOKENS_TABLE} k ON k.raw_id = c.customer_id` : '';
  try {
    if (keyring) {
      step('pseudonymise');
      const { blankIds } = await tokeniseCustomerIds(warehouse, EVENTS_CLEAN_TABLE, keyring);
      if (kind === 'events') await tokeniseCustomerIds(warehouse, EVENTS_CLEAN_TABLE, keyring, { column: 'anonymous_id', tokensTable: ANON_TOKENS_TABLE, prefix: 'a_' });
      if (blankIds.length > 0) {
        const blank = blankIds.map((id) => d.literal(id)).join(', ');
        await warehouse.execute(`UPDATE ${EVENTS_CLEAN_TABLE} SET customer_id = NULL WHERE customer_id IN (${blank})`);
        if (kind === 'customers') await warehouse.execute(`UPDATE ${EVENTS_CLEAN_TABLE} SET reason = 'missing_customer_id', detail = NULL WHERE reason IS NULL AND customer_id IS NULL`);
        else await warehouse.execute(`UPDATE ${EVENTS_CLEAN_TABLE} SET reason = 'missing_customer_id', detail = NULL WHERE reason IS NULL AND customer_id IS NULL AND anonymous_id IS NULL AND session_id IS NULL`);
      }
    }
    const readmitted = keyring ? await refuseErasedCustomers(warehouse, path, options, EVENTS_CLEAN_TABLE) : {};
    return await judgeAndLoad(readmitted);
  } finally {
    await warehouse.execute(`DROP TABLE IF EXISTS ${ANON_TOKENS_TABLE}; DROP TABLE IF EXISTS ${EVENTS_CLEAN_TABLE}; DROP TABLE IF EXISTS ${SESSION_KEYS_TABLE}`);
  }
  async function judgeAndLoad(readmitted: ErasedCustomersDetails): Promise<IngestFileReport> {
    const readmittedNote = readmittedWarning(readmitted);
    if (readmittedNote) warnings.push(readmittedNote);
  const counts = await warehouse.query(`SELECT reason, count(*) AS n FROM ${EVENTS_CLEAN_TABLE} GROUP BY reason`);
  const ruleCounts = emptyRuleCounts();
  ruleCounts.malformed_row = stage.malformedRows;
  let accepted = 0;
  for (const row of counts) {
    if (row.reason === null) accepted = Number(row.n);
    else ruleCounts[row.reason as QuarantineReason] += Number(row.n);
  }
  const quarantined = Object.values(ruleCounts).reduce((a, b) => a + b, 0);
  // nothing accepted (no id, dates not read, …): refused before anything is recorded, as a transaction file is
  const nothingAccepted = nothingAcceptedError(path, accepted, ruleCounts, { kind, mapping, dateFormats: readWith }, options.refuseNothingAccepted);
  if (nothingAccepted) throw nothingAccepted;
  if (kind === 'events') {
    // the accepted queries stored with contact details replaced (clean-events-sql.ts)
    const [redacted] = await warehouse.query(`SELECT count(*) AS n FROM ${EVENTS_CLEAN_TABLE} WHERE reason IS NULL AND query_redacted`);
    const note = redactedQueriesWarning(Number(redacted!.n));
    if (note) warnings.push(note);
  }
  if (accepted + quarantined !== rowsRead) throw new Error(`ingest of ${path}: ${accepted} accepted + ${quarantined} quarantined ≠ ${rowsRead} read`);
  const eventTypes = kind === 'events' ? await eventTypeCounts(warehouse, EVENTS_CLEAN_TABLE) : undefined;
  const unreadTypes = eventTypes && unreadEventTypesWarning(eventTypes);
  if (unreadTypes) warnings.push(unreadTypes);
  const sessions = kind === 'events' ? await sessionKeying(warehouse, EVENTS_CLEAN_TABLE, mapping, storedIdsSql(keyring !== null), options.sessionsHeldElsewhere) : { byVisitor: false };
  if (sessions.warning) warnings.push(sessions.warning);
  const sourceName = basename(path);
  return warehouse.transaction(async () => {
    const ingestId = await nextIngestId(warehouse);
    step(kind === 'events' ? 'load-events' : 'load-customers');
    const loaded = kind === 'events' ? await loadEvents(warehouse, ingestId, sourceName, keyring !== null, sessions) : await loadProfiles(warehouse, ingestId, keyColumnSql, joinSql);
    if (loaded !== accepted && kind === 'events') throw new Error(`ingest of ${path}: ${loaded} rows loaded, ${accepted} accepted`);
    const newCustomers = keyring ? await loadCustomerReid(warehouse, EVENTS_CLEAN_TABLE, keyring, ingestTimeIso, options.customersHeldElsewhere) : 0;
    // a profile's contact data from the customer's last line that has it, as its profile values (a sign-up date may be missing)
    const piiCustomers = await loadCustomerPii(warehouse, { cleanTable: EVENTS_CLEAN_TABLE, roles: piiRoles, keyring: keyring ?? protection.piiKeyring(), keyColumnSql, joinSql, ingestId, latestSql: 'c.line' });
    step('load-quarantine');
    await loadQuarantine(warehouse, { ingestId, sourceName, cleanTable: EVENTS_CLEAN_TABLE, rejectsTable: REJECTS_TABLE, keyring, keyColumnSql, joinSql, ingestTimeIso });
    const garbled = mixedEncodingWarning(source, staged.encoding);
    if (garbled) warnings.push(garbled);
    if (strayQuote) warnings.push(strayQuote);
    const report: IngestFileReport = {
      ...base, encoding: staged.encoding, alreadyIngested: false, ingestId, delimiter: staged.delimiter, hasHeader: staged.hasHeader,
      mapping: mapping as ColumnMapping, mappingOrigin: origin as IngestFileReport['mappingOrigin'], unreadColumns: unreadColumns(staged.columns, mapping),
      dateFormats, ...(zone.timezone ? { timezone: zone.timezone.name } : {}), ...(numbers.separator ? { decimalSeparator: numbers.separator } : {}), rowsRead, accepted, quarantined, rules: ruleCounts, returns: 0, outliersFlagged: 0, warnings, ...(kind === 'customers' ? { customersWritten: loaded } : {}), ...(eventTypes ? { eventTypes } : {}),
      privacy: { ...privacyBase, piiStored: piiRoles, newCustomers, quarantineEncrypted: keyring !== null }, elapsedMs: Date.now() - started,
    };
    step('record');
    await recordIngest(warehouse, protection, {
      ingestId, sourceName, sha256, ingestTimeIso, report,
      // the rows each table got: a profile file's lines of one customer are one customers row
      rowCounts: { rows_read: rowsRead, [kind === 'events' ? 'events' : 'customers']: loaded, quarantine: quarantined, customer_reid: newCustomers },
      details: { ingest_id: ingestId, kind, file_sha256: sha256, pii_stored: [...piiRoles], pii_customers: piiCustomers, ...readmitted },
    });
    await forgetErasedTokens(warehouse, readmitted.readmitted_tokens ?? []); // readmitted: no longer refused (a cluster's record: after its copy)
    return report;
  });
  }
}

async function loadEvents(warehouse: Warehouse, ingestId: number, sourceName: string, keyed: boolean, sessions: SessionKeying): Promise<number> {
  const d = warehouse.dialect;
  const ids = storedIdsSql(keyed);
  const session = storedSessionIdSql(sessions, ids);
  await warehouse.execute(`
    INSERT INTO events (customer_id, anonymous_id, session_id, ts, type, product_id, category, query, ingest_id, source, source_line, row_hash)
    SELECT ${ids.customer}, ${ids.visitor}, ${session.sql}, c.ts, c.type, c.product_id, c.category, c.query, ${ingestId}, ${d.literal(sourceName)}, c.line, c.row_hash
    FROM ${EVENTS_CLEAN_TABLE} c ${ids.joins} ${session.join} WHERE c.reason IS NULL`);
  const [row] = await warehouse.query(`SELECT count(*) AS n FROM events WHERE ingest_id = ${ingestId}`);
  return Number(row!.n);
}

/** An event row's visitor and customer ids as stored (tokens with a key), over the clean table `c`. */
function storedIdsSql(keyed: boolean): StoredIdsSql {
  if (!keyed) return { visitor: 'c.anonymous_id', customer: 'c.customer_id', joins: '' };
  return { visitor: 'a.token', customer: 'k.token', joins: `LEFT JOIN ${TOKENS_TABLE} k ON k.raw_id = c.customer_id LEFT JOIN ${ANON_TOKENS_TABLE} a ON a.raw_id = c.anonymous_id` };
}

/**
 * A row per customer of the file in `customers`, with the values of their last accepted line (`ingest_id` and
 * `write_seq`: this ingest). Appended, as a cluster's copy appends it: a reader takes the latest non-NULL value per
 * column over a customer's rows (current-customers.ts), and dropping this ingest later removes its rows and gives
 * back the values the files before it gave. Returns the customers written.
 */
async function loadProfiles(warehouse: Warehouse, ingestId: number, keyColumnSql: string, joinSql: string): Promise<number> {
  const fields = ['signup_ts', 'acquisition_channel', 'acquisition_cost', 'region', 'country', 'gender', 'birth_year'];
  const last = (column: string) => `arg_max(${column}, c.line) FILTER (WHERE ${column} IS NOT NULL)`;
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE clv_profiles AS
    SELECT ${keyColumnSql} AS customer_id, ${last('c.ts')} AS signup_ts, ${last('c.acquisition_channel')} AS acquisition_channel, ${last('c.acquisition_cost')} AS acquisition_cost,
      ${last('c.region')} AS region, ${last('c.country')} AS country, ${last('c.gender')} AS gender, ${last('c.birth_year')} AS birth_year
    FROM ${EVENTS_CLEAN_TABLE} c ${joinSql} WHERE c.reason IS NULL GROUP BY 1`);
  try {
    await warehouse.execute(`INSERT INTO customers (customer_id, ${fields.join(', ')}, ingest_id, write_seq) SELECT p.customer_id, ${fields.map((f) => `p.${f}`).join(', ')}, ${ingestId}, ${ingestId} FROM clv_profiles p`);
    const [row] = await warehouse.query('SELECT count(*) AS n FROM clv_profiles');
    return Number(row!.n);
  } finally {
    await warehouse.execute('DROP TABLE IF EXISTS clv_profiles');
  }
}
