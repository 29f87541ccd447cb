import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors/user-error.js';
import { openDuckDbWarehouse } from '../engine/duckdb-warehouse.js';
import type { Warehouse } from '../engine/warehouse.js';
import { buildCustomerSummarySql, parseDay, type PurchaseGrain } from '../features/customer-summary.js';
import { computeHeadlineStats, type HeadlineStats } from '../features/headline-stats.js';
import { ingestFiles, type IngestOptions } from '../ingest/ingest-files.js';
import { combineIngestReports, type IngestReport } from '../ingest/ingest-report.js';
import type { TimeUnit } from '../models/model-types.js';

/** The bundled demo data: UCI Online Retail (CC BY 4.0), see data/online-retail/README.md. */
export const DEMO_DATA_FILE = fileURLToPath(new URL('../../data/online-retail/online_retail.csv.gz', import.meta.url));

export interface AnalyzeOptions extends Omit<IngestOptions, 'onStep'> {
  /** transaction files to ingest first (none: analyse what the warehouse holds) */
  files?: readonly string[];
  /** ingest the bundled demo data */
  demo?: boolean;
  /** warehouse file; ':memory:' for a one-shot run */
  db: string;
  /** folder for customers.csv and run.json */
  outDir: string;
  /** last day of the analysis window, YYYY-MM-DD (default: the last purchase day in the data) */
  asOf?: string;
  timeUnit?: TimeUnit;
  grain?: PurchaseGrain;
  /** progress: called when a step starts and when it ends */
  onProgress?: (event: ProgressEvent) => void;
}

export interface ProgressEvent {
  readonly step: string;
  readonly phase: 'start' | 'end';
  readonly detail?: string;
  readonly elapsedMs?: number;
}

/** What an analysis run produced; run.json holds exactly this. */
export interface RunSummary {
  readonly clvkitVersion: string;
  readonly startedAt: string;
  readonly parameters: {
    readonly db: string;
    readonly files: readonly string[];
    readonly asOf: string;
    readonly timeUnit: TimeUnit;
    readonly grain: PurchaseGrain;
  };
  readonly ingest: IngestReport;
  readonly warehouse: { readonly transactions: number; readonly quarantined: number };
  readonly headline: HeadlineStats;
  readonly outputs: { readonly customersCsv: string; readonly runJson: string };
  readonly timingsMs: Readonly<Record<string, number>>;
}

const VERSION = '0.1.0';

async function timed<T>(timings: Record<string, number>, step: string, onProgress: AnalyzeOptions['onProgress'], work: () => Promise<T>, detail?: (result: T) => string): Promise<T> {
  const started = Date.now();
  onProgress?.({ step, phase: 'start' });
  const result = await work();
  timings[step] = Date.now() - started;
  onProgress?.({ step, phase: 'end', elapsedMs: timings[step], ...(detail ? { detail: detail(result) } : {}) });
  return result;
}

async function lastPurchaseDay(warehouse: Warehouse): Promise<string> {
  const [row] = await warehouse.query('SELECT max(ts) AS last FROM transactions WHERE NOT is_return');
  if (!row || row.last === null) {
    throw new UserError('the warehouse holds no purchases to analyse', 'ingest a transaction file first: clvkit analyze <file> (or clvkit ingest <file> --db PATH)');
  }
  return (row.last as Date).toISOString().slice(0, 10);
}

/**
 * The end-to-end analysis every consumer (CLI, server, tests) calls:
 * ingest → customer summary (SQL) → headline stats → customers.csv + run.json.
 *
 * Example: `await analyze({ demo: true, db: ':memory:', outDir: 'out/demo' })`
 */
export async function analyze(options: AnalyzeOptions): Promise<RunSummary> {
  const startedAt = new Date().toISOString();
  const timings: Record<string, number> = {};
  const files = [...(options.files ?? []), ...(options.demo ? [DEMO_DATA_FILE] : [])];
  const timeUnit = options.timeUnit ?? 'week';
  const grain = options.grain ?? 'day';
  if (options.asOf !== undefined) parseDay(options.asOf, '--as-of');
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  const warehouse = await openDuckDbWarehouse(options.db);
  try {
    const ingest =
      files.length > 0
        ? await timed(timings, 'ingest', options.onProgress, () => ingestFiles(warehouse, files, options), (r) => `${r.rowsRead.toLocaleString('en-US')} rows read, ${r.accepted.toLocaleString('en-US')} accepted, ${r.quarantined.toLocaleString('en-US')} quarantined`)
        : combineIngestReports([]);
    const asOf = options.asOf ?? (await lastPurchaseDay(warehouse));
    await timed(timings, 'summary', options.onProgress, async () => {
      await warehouse.execute(`CREATE OR REPLACE TABLE customer_summary AS ${buildCustomerSummarySql(warehouse.dialect, { asOf, timeUnit, grain })}`);
    });
    const endExclusive = new Date(`${asOf}T00:00:00Z`);
    endExclusive.setUTCDate(endExclusive.getUTCDate() + 1);
    const headline = await timed(timings, 'headline', options.onProgress, () => computeHeadlineStats(warehouse, 'customer_summary', endExclusive.toISOString()));
    const customersCsv = join(outDir, 'customers.csv');
    await timed(timings, 'write', options.onProgress, () =>
      warehouse.exportCsv(
        `SELECT customer_id, first_purchase, last_purchase, CAST(orders AS BIGINT) AS orders, frequency, round(recency, 6) AS recency, round(T, 6) AS T, round(monetary_value, 4) AS monetary_value, round(total_spend, 4) AS total_spend, round(returns, 4) AS returns, round(historic_clv, 4) AS historic_clv FROM customer_summary ORDER BY customer_id`,
        customersCsv,
      ),
    );
    const [counts] = await warehouse.query('SELECT (SELECT count(*) FROM transactions) AS t, (SELECT count(*) FROM quarantine) AS q');
    const runJson = join(outDir, 'run.json');
    const summary: RunSummary = {
      clvkitVersion: VERSION,
      startedAt,
      parameters: { db: options.db, files, asOf, timeUnit, grain },
      ingest,
      warehouse: { transactions: Number(counts!.t), quarantined: Number(counts!.q) },
      headline,
      outputs: { customersCsv, runJson },
      timingsMs: timings,
    };
    writeFileSync(runJson, JSON.stringify(summary, null, 2) + '\n');
    return summary;
  } finally {
    await warehouse.close();
  }
}
