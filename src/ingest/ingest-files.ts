import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../errors/user-error.js';
import type { Warehouse } from '../engine/warehouse.js';
import { buildCleanRowsSql, DEFAULT_CLEANING_RULES, type CleaningRules, type QuarantineReason } from './cleaning-rules.js';
import { resolveColumnRoles, type ColumnRole } from './column-roles.js';
import { detectDateFormat } from './detect-date-format.js';
import { guessColumnRoles } from './guess-column-roles.js';
import { combineIngestReports, emptyRuleCounts, type IngestFileReport, type IngestReport } from './ingest-report.js';
import { inspectSource } from './inspect-source.js';
import { REJECTS_TABLE, STAGE_TABLE, stageSource, type StageOptions } from './stage-source.js';

/** The steps of one file's ingest, in order, as told to `onStep`. */
export type IngestStep = 'inspect' | 'stage' | 'map' | 'clean' | 'load-transactions' | 'load-quarantine' | 'record';

export interface IngestOptions extends StageOptions {
  /** role → column name or 1-based position (from --map) */
  map?: Partial<Record<ColumnRole, string>>;
  /** strptime format(s), 'iso', 'epoch_s' or 'epoch_ms'; detected when absent */
  dateFormats?: readonly string[];
  rules?: Partial<CleaningRules>;
  /** the time of ingest; later dates are quarantined as future_date (default: now) */
  now?: Date;
  /** called before each step; a throw aborts the ingest and rolls it back */
  onStep?: (step: IngestStep, file: string) => void;
}

const CLEAN_TABLE = 'clv_clean';

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function nextIngestId(warehouse: Warehouse): Promise<number> {
  const [row] = await warehouse.query('SELECT COALESCE(max(ingest_id), 0) + 1 AS id FROM ingests');
  return Number(row!.id);
}

async function ingestOne(warehouse: Warehouse, path: string, options: IngestOptions): Promise<IngestFileReport> {
  const started = Date.now();
  const step = (name: IngestStep) => options.onStep?.(name, path);
  const d = warehouse.dialect;
  const rules: CleaningRules = { ...DEFAULT_CLEANING_RULES, ...options.rules };
  step('inspect');
  const source = inspectSource(path);
  const sha256 = await sha256File(path);
  const [previous] = await warehouse.query(`SELECT ingest_id FROM ingests WHERE file_sha256 = ${d.literal(sha256)} LIMIT 1`);
  const base = { source: path, sha256, format: source.format, encoding: source.encoding };
  if (previous) {
    return {
      ...base, alreadyIngested: true, ingestId: Number(previous.ingest_id), delimiter: null, hasHeader: false, mapping: {}, mappingOrigin: {},
      dateFormats: [], rowsRead: 0, accepted: 0, quarantined: 0, rules: emptyRuleCounts(), returns: 0, outliersFlagged: 0,
      warnings: [], elapsedMs: Date.now() - started,
    };
  }
  step('stage');
  const staged = await stageSource(warehouse, source, options);
  const rowsRead = staged.stagedRows + staged.malformedRows;
  step('map');
  const guesses = staged.hasHeader || staged.stagedRows === 0 ? {} : await guessColumnRoles(warehouse, STAGE_TABLE, staged.columns);
  const { mapping, origin } = resolveColumnRoles(staged.columns, options.map ?? {}, guesses);
  const warnings: string[] = [];
  const guessed = (Object.keys(origin) as ColumnRole[]).filter((role) => origin[role] === 'value');
  if (guessed.length > 0) {
    warnings.push(`no header: guessed ${guessed.map((r) => `${r}=${staged.columns.indexOf(mapping[r]!) + 1}`).join(', ')} from the values; override with --map role=position`);
  }
  let dateFormats = options.dateFormats ?? [];
  if (dateFormats.length === 0 && staged.stagedRows > 0) {
    const detection = await detectDateFormat(warehouse, STAGE_TABLE, mapping.date!);
    dateFormats = detection.formats;
    if (detection.warning) warnings.push(detection.warning);
    if (detection.formats.length === 0) {
      throw new UserError(`no date format fits column '${mapping.date}' (e.g. ${JSON.stringify(await sampleValue(warehouse, mapping.date!))})`, "pass --date-format, e.g. --date-format '%d/%m/%Y %H:%M'");
    }
  }
  if (staged.stagedRows === 0) warnings.push('the file has a header but no data rows');
  step('clean');
  const ingestTimeIso = (options.now ?? new Date()).toISOString();
  const cleanSql = buildCleanRowsSql({
    dialect: d, stageTable: STAGE_TABLE, lineSql: staged.lineSql, columns: staged.columns, mapping, dateFormats: dateFormats.length ? dateFormats : ['iso'], rules, ingestTimeIso,
    rawSeparator: staged.delimiter && staged.delimiter !== 'whitespace' ? staged.delimiter : ' ',
  });
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${CLEAN_TABLE} AS ${cleanSql}`);
  const counts = await warehouse.query(`SELECT reason, count(*) AS n, count(*) FILTER (WHERE is_return) AS returns FROM ${CLEAN_TABLE} GROUP BY reason`);
  const ruleCounts = emptyRuleCounts();
  ruleCounts.malformed_row = staged.malformedRows;
  let accepted = 0;
  let returns = 0;
  for (const row of counts) {
    if (row.reason === null) {
      accepted = Number(row.n);
      returns = Number(row.returns);
    } else ruleCounts[row.reason as QuarantineReason] += Number(row.n);
  }
  const quarantined = Object.values(ruleCounts).reduce((a, b) => a + b, 0);
  if (accepted + quarantined !== rowsRead) throw new Error(`ingest of ${path}: ${accepted} accepted + ${quarantined} quarantined ≠ ${rowsRead} read`);
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
      SELECT order_id, customer_id, ts, product_id, description, category, quantity, unit_price, amount, cost, channel, region, country, is_return,
        ${outlier} AS is_outlier, ${ingestId}, ${d.literal(sourceName)}, line, row_hash
      FROM ${CLEAN_TABLE} WHERE reason IS NULL`);
    const [flagged] = await warehouse.query(`SELECT count(*) AS n FROM transactions WHERE ingest_id = ${ingestId} AND is_outlier`);
    step('load-quarantine');
    await warehouse.execute(`
      INSERT INTO quarantine
      SELECT ${ingestId}, ${d.literal(sourceName)}, line, raw, reason, detail FROM ${CLEAN_TABLE} WHERE reason IS NOT NULL
      UNION ALL
      SELECT ${ingestId}, ${d.literal(sourceName)}, line, raw, 'malformed_row', detail FROM ${REJECTS_TABLE}`);
    const report: IngestFileReport = {
      ...base, encoding: staged.encoding, alreadyIngested: false, ingestId, delimiter: staged.delimiter, hasHeader: staged.hasHeader, mapping, mappingOrigin: origin,
      dateFormats, rowsRead, accepted, quarantined, rules: ruleCounts, returns, outliersFlagged: Number(flagged!.n), warnings, elapsedMs: Date.now() - started,
    };
    step('record');
    await warehouse.execute(
      `INSERT INTO ingests VALUES (${ingestId}, ${d.literal(sourceName)}, ${d.literal(sha256)}, ${d.timestamp(ingestTimeIso)}, ${rowsRead}, ${accepted}, ${quarantined}, ${d.literal(JSON.stringify(report))})`,
    );
    return report;
  });
}

async function sampleValue(warehouse: Warehouse, column: string): Promise<string | null> {
  const [row] = await warehouse.query(`SELECT ${warehouse.dialect.identifier(column)} AS v FROM ${STAGE_TABLE} WHERE ${warehouse.dialect.identifier(column)} <> '' LIMIT 1`);
  return row ? String(row.v) : null;
}

async function dropScratch(warehouse: Warehouse): Promise<void> {
  await warehouse.execute(`DROP TABLE IF EXISTS ${CLEAN_TABLE}; DROP TABLE IF EXISTS ${STAGE_TABLE}; DROP TABLE IF EXISTS ${REJECTS_TABLE}`);
}

/**
 * Ingest transaction files into the warehouse: read, map columns, clean,
 * load accepted rows into `transactions` and every rejected row into
 * `quarantine` with its reason. Each file is atomic (all or nothing) and
 * idempotent: a file already ingested adds nothing, rows already held are
 * quarantined as duplicates.
 *
 * Example: `const report = await ingestFiles(wh, ['orders.csv'], { map: { customer_id: 'client' } })`
 * → `{ rowsRead: 1000, accepted: 990, quarantined: 10, rules: { missing_customer_id: 10, … } }`
 */
export async function ingestFiles(warehouse: Warehouse, paths: readonly string[], options: IngestOptions = {}): Promise<IngestReport> {
  if (paths.length === 0) throw new UserError('no input file given', 'pass one or more transaction files, e.g. clvkit ingest orders.csv');
  const reports: IngestFileReport[] = [];
  for (const path of paths) {
    try {
      reports.push(await ingestOne(warehouse, path, options));
    } finally {
      await dropScratch(warehouse);
    }
  }
  return combineIngestReports(reports);
}
