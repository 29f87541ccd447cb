import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../core/errors/user-error.js';
import type { ClickHouseWarehouse } from '../engine/clickhouse/clickhouse-warehouse.js';
import { ensureClusterSchema } from '../engine/clickhouse/ensure-cluster-schema.js';
import { ingestFilesToClickHouse } from '../ingest/ingest-files-to-clickhouse.js';
import { ingestRunWarnings } from '../ingest/ingest-run-warnings.js';
import { ingestByKind } from '../ingest/ingest-by-kind.js';
import { combineKindReports, type IngestReport } from '../ingest/ingest-report.js';
import { splitColumnMap } from '../ingest/split-column-map.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import { resolveAccess } from '../privacy/access/access.js';
import { runAnalysis, type AnalyzeOptions, type RunSummary } from './analyze.js';
import { writeReport } from './report-step.js';
import { openOutFolder } from './out-folder.js';
import { recordWarehouseRun } from './record-warehouse-run.js';
import { warehouseFlags, warehouseName } from '../engine/warehouse-flags.js';
import { ANALYSIS_SCRATCH_NAMES } from './analysis-scratch-names.js';
import { ingestStageDetail } from './stages/ingest-stage.js';

/** What `analyzeOnClickHouse` takes beyond `AnalyzeOptions`. */
export interface ClickHouseAnalyzeOptions extends AnalyzeOptions {
  readonly keyring: Keyring;
  /**
   * record the finished run in the cluster's `server_runs` (default true), as
   * `analyze` records a run of a warehouse file: a server on the cluster
   * lists it. False where the caller records the run itself (a server's demo
   * run, recorded in its state file).
   */
  readonly recordRun?: boolean;
}

/**
 * The options of a ClickHouse run: the input files (transactions, profiles,
 * events) are ingested before the run, not by its ingest stage. Segments (RFM,
 * value tiers, clusters), lifecycle stages, the churn warning and learned
 * tournament (when asked for), cross-sell (rules, next-purchase rules, the
 * recommender's time split, recommendations.csv) and the report run as on
 * DuckDB (their SQL is portable through the dialect hooks); the events stage
 * through its own ClickHouse statements (src/events/clickhouse-*.ts).
 */
export function clickhouseAnalyzeOptions(options: AnalyzeOptions): AnalyzeOptions {
  return { ...options, files: [], demo: false, eventFiles: [], customerFiles: [] };
}

/**
 * `clvkit analyze --engine clickhouse`: the files are ingested into the
 * cluster first (tokens and envelopes made on this machine, see
 * ingest-files-to-clickhouse.ts), then the analysis runs on the cluster's
 * warehouse: the customer summary, the value models (TypeScript on the
 * compressed tuples; scores written back as a lookup table per tuple and
 * joined in the engine), segments, lifecycle stages, the churn warning and
 * learned tournament (unless switched off), cross-sell and
 * recommendations.csv (unless skipped), customers.csv, run.json and the
 * report. Profile files (`customerFiles`) are ingested after the
 * transactions and event files after them, as on DuckDB; the events stage
 * runs on the cluster (src/events/clickhouse-*.ts). The run's scratch
 * tables are dropped at its end, also when it fails
 * (`ClickHouseWarehouse.dropTemporaryTablesAfter`). The finished run is
 * recorded in the cluster's `server_runs` (started by `clvkit analyze
 * (<actor>)`, as `analyze` records a run of a warehouse file), so that a
 * server on the cluster shows it (`options.recordRun: false` leaves it out).
 *
 * Example: `await analyzeOnClickHouse(cluster, { db: 'clickhouse', outDir: 'out', files: ['orders.csv'], keyring })`
 */
export async function analyzeOnClickHouse(cluster: ClickHouseWarehouse, options: ClickHouseAnalyzeOptions): Promise<{ readonly run: RunSummary; readonly ingest: IngestReport | null }> {
  // the run's scratch tables (TEMP on DuckDB; `clv_intervals` holds customer tokens) are dropped at its end, also when it fails
  return cluster.dropTemporaryTablesAfter(() => ingestAndAnalyze(cluster, options));
}

async function ingestAndAnalyze(cluster: ClickHouseWarehouse, options: ClickHouseAnalyzeOptions): Promise<{ readonly run: RunSummary; readonly ingest: IngestReport | null }> {
  if (options.demo) {
    throw new UserError('analyze --engine clickhouse takes transaction, --customers and --events files (no --demo)', 'generate a shop with clvkit synth --out DIR and analyze its files');
  }
  const out = openOutFolder(options.outDir);
  try {
    return await ingestAndAnalyzeInto(cluster, options);
  } catch (error) {
    out.discard(); // a run that wrote nothing leaves no empty --out folder it made
    throw error;
  }
}

async function ingestAndAnalyzeInto(cluster: ClickHouseWarehouse, options: ClickHouseAnalyzeOptions): Promise<{ readonly run: RunSummary; readonly ingest: IngestReport | null }> {
  const startedAt = new Date().toISOString();
  await ensureClusterSchema(cluster);
  const files = options.files ?? [];
  const { onProgress, ...analyzeOptions } = options;
  // the cluster's mix of files with and without order values: said once, by the run's summary stage (as on DuckDB)
  const ingestOptions = { ...analyzeOptions, mixedOrderValuesWarning: false };
  const customerFiles = options.customerFiles ?? [];
  const eventFiles = options.eventFiles ?? [];
  // profiles after the transactions, then events, as on DuckDB (ingest-stage.ts)
  // one --map for files of several kinds: each column goes to the kinds whose files have it (split-column-map.ts)
  const lists = [files, customerFiles, eventFiles];
  const ingestStarted = Date.now();
  // the ingest step's progress as DuckDB's ingest stage gives it (it used to be silent here, for the whole ingest)
  if (lists.some((list) => list.length > 0)) onProgress?.({ step: 'ingest', phase: 'start' });
  const maps = await splitColumnMap(lists, ingestOptions.map ?? {});
  // a profile or event file without data rows beside files of the run with rows: a warning, as on DuckDB (ingest-by-kind.ts)
  const reports = await ingestByKind(lists, (kindFiles, kind, i, besideFilesWithRows) => ingestFilesToClickHouse(cluster, kindFiles, { ...ingestOptions, map: maps[i]!, kind, besideFilesWithRows }));
  // each kind's warnings (a file without data rows) kept, with the unused --map flags of the whole: as on DuckDB
  const ingest = reports.length > 0 ? combineKindReports(reports, ingestOptions.map) : null;
  // run.json's timingsMs has `ingest` when files were given, as on DuckDB (its ingest stage)
  const ingestMs = ingest ? Date.now() - ingestStarted : null;
  if (ingest && ingestMs !== null) onProgress?.({ step: 'ingest', phase: 'end', elapsedMs: ingestMs, detail: ingestStageDetail(ingest) });
  const [held] = await cluster.query('SELECT count(*) AS n FROM transactions');
  if (Number(held!.n) === 0) throw new UserError(`${warehouseName(cluster)} holds no transactions`, `give transaction files, or ingest them first: clvkit ingest FILES ${warehouseFlags(cluster)}`);
  const chOptions = clickhouseAnalyzeOptions(options);
  // the run's scratch tables claimed at once, after the sweep (ensureClusterSchema), which keeps what a live lease claims
  return withAnalysisScratchClaimed(cluster, () => analyzeIngested(cluster, options, chOptions, { report: ingest, ms: ingestMs }, startedAt));
}

/**
 * `work` (an analysis on the cluster) with its scratch tables (analysis-scratch-names.ts) claimed in one statement
 * per shard before it starts, the claim ended when it ends (`ScratchLeases.claimAhead`). Call it after the sweep of
 * the command (ensureClusterSchema, or a server's at its start): a sweep keeps what a live lease claims.
 */
export async function withAnalysisScratchClaimed<T>(cluster: Pick<ClickHouseWarehouse, 'scratchLeases'>, work: () => Promise<T>): Promise<T> {
  await cluster.scratchLeases.claimAhead(ANALYSIS_SCRATCH_NAMES);
  try {
    return await work();
  } finally {
    cluster.scratchLeases.endClaimAhead(ANALYSIS_SCRATCH_NAMES);
  }
}

async function analyzeIngested(cluster: ClickHouseWarehouse, options: ClickHouseAnalyzeOptions, chOptions: AnalyzeOptions, ingested: { readonly report: IngestReport | null; readonly ms: number | null }, startedAt: string): Promise<{ readonly run: RunSummary; readonly ingest: IngestReport | null }> {
  const ingest = ingested.report;
  const files = options.files ?? [];
  const { onProgress } = options;
  // the report is written below, once run.json holds this run's ingest (the stage would see none: the files were ingested before the run)
  const run = await runAnalysis(cluster, { ...chOptions, skipReport: true, ...(onProgress ? { onProgress } : {}) });
  // run.json as on DuckDB: the ingest of this run's files and the report
  const reportHtml = chOptions.skipReport === true ? null : join(dirname(run.outputs.runJson), 'report.html');
  // its warnings as on DuckDB, where the ingest stage gives them first: each file's, then the ingest's own (an unused
  // --map flag, a file without data rows); the warehouse's mix of files with and without order values, an ingest's
  // warning too, is the run's: said once, by its summary stage (the ingest above was asked not to say it)
  const ingestWarnings = ingest ? ingestRunWarnings(ingest) : [];
  // timingsMs with the times of the ingest (before the run) and of the report (after it), as DuckDB's stages time them
  const timingsMs: Record<string, number> = { ...(ingested.ms !== null ? { ingest: ingested.ms } : {}), ...run.timingsMs };
  const withWarning: RunSummary = { ...run, parameters: { ...run.parameters, files }, ...(ingest ? { ingest } : {}), outputs: { ...run.outputs, reportHtml }, warnings: [...ingestWarnings, ...run.warnings], timingsMs };
  writeFileSync(run.outputs.runJson, JSON.stringify(withWarning, null, 2) + '\n');
  if (reportHtml) {
    const started = Date.now();
    onProgress?.({ step: 'report', phase: 'start' });
    await writeReport(cluster, withWarning, reportHtml, { keyring: options.keyring, ...(options.role ? { role: options.role } : {}), ...(options.api ? { api: true } : {}) });
    timingsMs.report = Date.now() - started;
    onProgress?.({ step: 'report', phase: 'end', elapsedMs: timingsMs.report });
    // run.json again, now with the report's time (DuckDB writes it after its report stage)
    writeFileSync(run.outputs.runJson, JSON.stringify(withWarning, null, 2) + '\n');
  }
  // the cluster keeps its analyses, as a warehouse file does (analyze.ts): a server on it lists this one
  if (options.recordRun !== false) await recordWarehouseRun(cluster, withWarning, startedAt, `clvkit analyze (${resolveAccess(options).actor})`);
  return { run: withWarning, ingest };
}
