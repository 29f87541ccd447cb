import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addDays, dayOfValue, daysBetween, parseDay } from '../core/calendar-days.js';
import { UserError } from '../core/errors/user-error.js';
import type { TimeUnit } from '../core/time-unit.js';
import { CLVKIT_VERSION } from '../core/version.js';
import { openDuckDbWarehouse } from '../engine/duckdb-warehouse.js';
import type { Warehouse } from '../engine/warehouse.js';
import { buildCustomerSummarySql, type PurchaseGrain } from '../features/customer-summary.js';
import { computeHeadlineStats, type HeadlineStats } from '../features/headline-stats.js';
import { ingestFiles, type IngestOptions } from '../ingest/ingest-files.js';
import { combineIngestReports, type IngestReport } from '../ingest/ingest-report.js';
import type { PurchaseModelName } from '../models/btyd/purchase-models.js';
import { runValueStep } from './value-step.js';
import { runPatternsStep, type PatternOptions } from './patterns-step.js';
import { writeReport, type ReportedRun } from './report-step.js';
import { runSegmentsStep, SEGMENT_COLUMNS_SQL, SEGMENT_JOINS_SQL } from './segments-step.js';
import { openAnalysisPrivacy, type RunPrivacy } from '../privacy/warehouse/analysis-privacy.js';
import { publishRunSummary } from './publish-run-summary.js';

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
  /** holdout length for choosing the value model (default: a third of the span, 28–365 days) */
  holdoutDays?: number;
  /** force this purchase model instead of the tournament's choice */
  model?: PurchaseModelName;
  /** CLV: horizon, annual discount rate, margin share (defaults 12, 0.1, 1) */
  horizonMonths?: number;
  discountRatePerYear?: number;
  margin?: number;
  /** skip the value models (ingest, summary and headline only) */
  skipModels?: boolean;
  /** cross-sell rules, sequences and recommendations (skipped when the data has no products) */
  patterns?: Omit<PatternOptions, 'recommendationsCsv' | 'evaluationCutoff'>;
  skipPatterns?: boolean;
  /** no report.html */
  skipReport?: boolean;
  /** no RFM segments, value tiers, clusters, lifecycle stages, cohorts */
  skipSegments?: boolean;
  /** number of behaviour clusters, or 'auto' (silhouette over 2..10) */
  clusters?: number | 'auto';
  /** add the original customer ids to customers.csv (role admin; audited as a re-identification) */
  revealIds?: boolean;
  /** smallest group an aggregate may describe (default 5) */
  minGroupSize?: number;
  /** progress: called when a step starts and when it ends */
  onProgress?: (event: ProgressEvent) => void;
}

export interface ProgressEvent {
  readonly step: string;
  readonly phase: 'start' | 'end';
  readonly detail?: string;
  readonly elapsedMs?: number;
}

/**
 * What an analysis run produced; run.json holds exactly this, and the report
 * is built from it. Its aggregates are published: groups of fewer than
 * `privacy.minGroupSize` customers are suppressed (`publishRunSummary`).
 */
export interface RunSummary extends ReportedRun {
  /** things a person must know about this run (skipped steps, fits that did not converge) */
  readonly warnings: readonly string[];
  readonly outputs: { readonly customersCsv: string; readonly runJson: string; readonly recommendationsCsv: string | null; readonly reportHtml: string | null };
  /** key, role, how ids and PII appear in the outputs (src/privacy/warehouse/analysis-privacy.ts), k and what was suppressed */
  readonly privacy: RunPrivacy;
}

/** The recommender's test period when no value model set one: the last third of the data, 28–365 days. */
function defaultCutoff(asOf: string, firstPurchase: string | null): string {
  const spanDays = firstPurchase ? daysBetween(firstPurchase, asOf) : 90;
  const holdout = Math.max(28, Math.min(365, Math.round(spanDays / 3)));
  return addDays(asOf, 1 - holdout);
}

/** Below these the purchase models cannot be estimated meaningfully: the value step is skipped with a warning. */
export const MIN_CUSTOMERS_FOR_MODELS = 50;
export const MIN_REPEAT_CUSTOMERS_FOR_MODELS = 10;

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
  return dayOfValue(row.last)!;
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
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new UserError(`--out ${outDir} is a file, not a folder`, 'pass a folder for the outputs (it is created when missing)');
  mkdirSync(outDir, { recursive: true });
  const warehouse = await openDuckDbWarehouse(options.db);
  try {
    const privacy = await openAnalysisPrivacy(warehouse, options);
    const ingest =
      files.length > 0
        ? await timed(timings, 'ingest', options.onProgress, () => ingestFiles(warehouse, files, { ...options, ...privacy.ingestOptions }), (r) => `${r.rowsRead.toLocaleString('en-US')} rows read, ${r.accepted.toLocaleString('en-US')} accepted, ${r.quarantined.toLocaleString('en-US')} quarantined`)
        : combineIngestReports([]);
    const asOf = options.asOf ?? (await lastPurchaseDay(warehouse));
    await timed(timings, 'summary', options.onProgress, async () => {
      await warehouse.execute(`CREATE OR REPLACE TABLE customer_summary AS ${buildCustomerSummarySql(warehouse.dialect, { asOf, timeUnit, grain })}`);
    });
    const headline = await timed(timings, 'headline', options.onProgress, () => computeHeadlineStats(warehouse, 'customer_summary', `${addDays(asOf, 1)}T00:00:00.000Z`));
    if (headline.customers > 0 && headline.customers < privacy.minGroupSize) {
      // every figure of the run (revenue, segments, the report) would describe these few people
      throw new UserError(
        `${headline.customers} customer${headline.customers === 1 ? '' : 's'} in the data: fewer than the minimum group size (--min-group-size ${privacy.minGroupSize}), so every aggregate would describe individuals; nothing was written`,
        headline.customers >= 2 ? `pass --min-group-size ${headline.customers} if publishing figures of ${headline.customers} customers is acceptable` : 'analyse a data set with more customers',
      );
    }
    const warnings: string[] = [];
    const enoughData = headline.customers >= MIN_CUSTOMERS_FOR_MODELS && headline.repeatCustomers >= MIN_REPEAT_CUSTOMERS_FOR_MODELS;
    if (!options.skipModels && !enoughData) {
      warnings.push(
        `value models skipped: ${headline.customers} customers, ${headline.repeatCustomers} with repeat purchases; the models need at least ${MIN_CUSTOMERS_FOR_MODELS} and ${MIN_REPEAT_CUSTOMERS_FOR_MODELS}`,
      );
    }
    const valueModel = options.skipModels || !enoughData
      ? null
      : await timed(
          timings,
          'value models',
          options.onProgress,
          () =>
            runValueStep(warehouse, {
              asOf,
              timeUnit,
              grain,
              ...(options.holdoutDays !== undefined ? { holdoutDays: options.holdoutDays } : {}),
              ...(options.model !== undefined ? { model: options.model } : {}),
              ...(options.horizonMonths !== undefined ? { horizonMonths: options.horizonMonths } : {}),
              ...(options.discountRatePerYear !== undefined ? { discountRatePerYear: options.discountRatePerYear } : {}),
              ...(options.margin !== undefined ? { margin: options.margin } : {}),
            }),
          (card) => `${card.comparison.find((c) => c.chosen)!.label} chosen: ${card.reason}`,
        );
    if (valueModel && !valueModel.final.fit.converged) warnings.push(`the ${valueModel.final.model} fit on all data did not converge (${valueModel.final.fit.message}): treat its scores with care`);
    if (valueModel && valueModel.reason.includes('no model converged')) warnings.push(`model choice: ${valueModel.reason}`);
    const segments = options.skipSegments
      ? null
      : await timed(
          timings,
          'segments',
          options.onProgress,
          () =>
            runSegmentsStep(warehouse, {
              asOf,
              grain,
              scoresTable: valueModel ? 'customer_scores' : null,
              validationFrom: valueModel ? addDays(valueModel.calibrationEnd, 1) : null,
              ...(options.clusters !== undefined ? { clusters: options.clusters } : {}),
            }),
          (seg) => `${seg.rfm.segments.filter((x) => x.customers > 0).length} RFM segments, ${seg.clusters.clusters.length} clusters, ${seg.stages.stages.filter((x) => x.customers > 0).length} lifecycle stages`,
        );
    // What customers.csv may show is settled (and every envelope it needs decrypted) before any customer-level file is written.
    const identity = await privacy.prepareExport(warehouse);
    const patterns = options.skipPatterns
      ? null
      : await timed(
          timings,
          'cross-sell',
          options.onProgress,
          async () => {
            const [products] = await warehouse.query(`SELECT count(*) AS n FROM transactions WHERE product_id IS NOT NULL`);
            if (Number(products!.n) === 0) {
              warnings.push('cross-sell skipped: the data has no product column (map one with --map product_id=<column>)');
              return null;
            }
            return runPatternsStep(warehouse, {
              ...options.patterns,
              evaluationCutoff: valueModel ? addDays(valueModel.calibrationEnd, 1) : defaultCutoff(asOf, headline.firstPurchase),
              recommendationsCsv: join(outDir, 'recommendations.csv'),
            });
          },
          (p) => (p ? `${p.rules.length} rules, ${p.sequenceRules.length} next-purchase rules${p.recommender ? `, recommender MAP@${p.recommender.k} ${p.recommender.model.mapAtK.toFixed(3)} vs popularity ${p.recommender.baseline.mapAtK.toFixed(3)}` : ''}` : 'skipped'),
        );
    if (patterns?.recommendations.csv) await privacy.recordRecommendations(warehouse, { csv: patterns.recommendations.csv, customers: patterns.recommendations.customers, lines: patterns.recommendations.lines });
    const customersCsv = join(outDir, 'customers.csv');
    const scoreColumns = valueModel
      ? `, round(c.p_alive, 6) AS p_alive, round(c.expected_purchases_30d, 6) AS expected_purchases_30d, round(c.expected_purchases_90d, 6) AS expected_purchases_90d, round(c.expected_purchases_365d, 6) AS expected_purchases_365d, round(c.predicted_clv_12m, 4) AS predicted_clv_12m, round(c.predicted_clv_12m_low, 4) AS predicted_clv_12m_low, round(c.predicted_clv_12m_high, 4) AS predicted_clv_12m_high, c.next_order_p50, c.next_order_p90`
      : '';
    const exported = await timed(timings, 'write', options.onProgress, () =>
      warehouse.exportCsv(
        `SELECT s.customer_id${identity.selectSql}, s.first_purchase, s.last_purchase, CAST(s.orders AS BIGINT) AS orders, s.frequency, round(s.recency, 6) AS recency, round(s.T, 6) AS T, round(s.monetary_value, 4) AS monetary_value, round(s.total_spend, 4) AS total_spend, round(s.returns, 4) AS returns, round(s.historic_clv, 4) AS historic_clv${scoreColumns}${segments ? SEGMENT_COLUMNS_SQL : ''}
         FROM customer_summary s${valueModel ? ' JOIN customer_scores c ON c.customer_id = s.customer_id' : ''}${segments ? SEGMENT_JOINS_SQL : ''}${identity.joinSql} ORDER BY s.customer_id`,
        customersCsv,
      ),
    );
    // raw personal data or original ids: readable by the owner only
    if (identity.revealed > 0 || Object.values(identity.pii).includes('raw')) chmodSync(customersCsv, 0o600);
    await privacy.recordRun(warehouse, {
      customersCsv,
      customers: exported,
      tables: { customer_summary: headline.customers },
      details: { as_of: asOf, time_unit: timeUnit, model: valueModel?.chosen ?? null },
    });
    const [counts] = await warehouse.query('SELECT (SELECT count(*) FROM transactions) AS t, (SELECT count(*) FROM quarantine) AS q');
    const runJson = join(outDir, 'run.json');
    const unsuppressed = {
      clvkitVersion: CLVKIT_VERSION,
      startedAt,
      parameters: { db: options.db, files, asOf, timeUnit, grain },
      ingest,
      warehouse: { transactions: Number(counts!.t), quarantined: Number(counts!.q) },
      headline,
      valueModel,
      segments,
      patterns,
      warnings,
      outputs: { customersCsv, runJson, recommendationsCsv: patterns?.recommendations.csv ?? null, reportHtml: options.skipReport ? null : join(outDir, 'report.html') },
      privacy: privacy.describe(),
      timingsMs: timings,
    };
    // run.json, the report and the returned summary show only the published (suppressed) aggregates
    const summary: RunSummary = publishRunSummary(unsuppressed, privacy.minGroupSize);
    if (!options.skipReport) await timed(timings, 'report', options.onProgress, () => writeReport(warehouse, summary, summary.outputs.reportHtml!));
    writeFileSync(runJson, JSON.stringify(summary, null, 2) + '\n');
    return summary;
  } finally {
    await warehouse.close();
  }
}
