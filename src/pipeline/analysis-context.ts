/**
 * What the stages of `analyze` share: the warehouse, the run's options and
 * privacy, and the results each stage leaves for the later ones.
 */
import { DERIVED_TABLES } from '../engine/derived-tables.js';
import type { Warehouse } from '../engine/warehouse.js';
import type { PurchaseGrain } from '../features/customer-summary.js';
import type { HeadlineStats } from '../features/headline-stats.js';
import { combineIngestReports, type IngestReport } from '../ingest/ingest-report.js';
import type { TimeUnit } from '../core/time-unit.js';
import type { PatternSummary } from '../cross-sell/patterns-step.js';
import type { AnalysisPrivacy } from '../privacy/warehouse/analysis-privacy.js';
import type { CustomerExport } from '../privacy/access/customer-export.js';
import type { AnalyzeOptions } from './analyze-options.js';
import type { RunSummary } from './run-summary.js';
import type { LifecycleResult } from './run-lifecycle.js';
import type { SegmentsResult } from './run-segments.js';
import type { ValueModelCard } from './value-step.js';
import type { EventsSummary } from '../events/run-events.js';
import type { ProspectScores } from '../events/score-prospects.js';
import type { LearnedCard } from './learned-step.js';
import type { ScoresModel } from './scores-model-meta.js';

export interface AnalysisResults {
  ingest: IngestReport | null;
  /** last day of the analysis window (set by the summary stage) */
  asOf: string | null;
  headline: HeadlineStats | null;
  /** the data has order values (false: a frequency-only log, customer and date only; set by the summary stage) */
  orderValues: boolean | null;
  valueModel: ValueModelCard | null;
  /** the model behind customer_scores.p_alive (set by the value stage, by the learned stage for an MBG/CNBD-k winner), recorded when the run is stored */
  scoresModel: ScoresModel | null;
  /** churn early warning (and the honest tournament when asked for); null when skipped */
  learned: LearnedCard | null;
  segments: SegmentsResult | null;
  lifecycle: LifecycleResult | null;
  patterns: PatternSummary | null;
  /** stitching, sessions, funnels, buyer types, online lifecycle, prospects (null without events) */
  events: EventsSummary | null;
  /** the prospects' scores, with events (also `events.prospects`) or from profiles alone; null when there are neither events nor profiles */
  prospects: ProspectScores | null;
  /** what customer-level files may show (settled once, before the first one is written) */
  identity: CustomerExport | null;
  /** customers written to customers.csv */
  exported: number | null;
  /** the published (suppressed) run summary: run.json and the report */
  summary: RunSummary | null;
}

export interface AnalysisContext {
  readonly warehouse: Warehouse;
  readonly options: AnalyzeOptions;
  /** input files (the demo file included) */
  readonly files: readonly string[];
  readonly outDir: string;
  readonly timeUnit: TimeUnit;
  readonly grain: PurchaseGrain;
  readonly startedAt: string;
  readonly privacy: AnalysisPrivacy;
  readonly warnings: string[];
  readonly timings: Record<string, number>;
  /** tables written by the stages that ran so far */
  readonly written: Set<string>;
  readonly results: AnalysisResults;
}

/**
 * A fresh context for a run of stages: no warnings, timings or tables yet,
 * and every result unset (the ingest report empty), so each consumer of the
 * runner (analyze, the scoring before an audience) starts from the same state.
 */
export function createAnalysisContext(base: Omit<AnalysisContext, 'warnings' | 'timings' | 'written' | 'results'>): AnalysisContext {
  return {
    ...base,
    warnings: [],
    timings: {},
    written: new Set(),
    results: { ingest: combineIngestReports([]), asOf: null, headline: null, orderValues: null, valueModel: null, scoresModel: null, learned: null, segments: null, lifecycle: null, patterns: null, events: null, prospects: null, identity: null, exported: null, summary: null },
  };
}

/** A result an earlier stage must have left; a missing one is a wiring bug. */
export function requireResult<K extends keyof AnalysisResults>(context: AnalysisContext, key: K): NonNullable<AnalysisResults[K]> {
  const value = context.results[key];
  if (value === null || value === undefined) throw new Error(`analysis stage order: ${key} is not set yet`);
  return value as NonNullable<AnalysisResults[K]>;
}

/** The customer export (ids, PII presentation), prepared on first use and reused by every customer-level file of the run. */
export async function exportIdentity(context: AnalysisContext): Promise<CustomerExport> {
  if (context.results.identity) return context.results.identity;
  // tables that add customers (prospects) add them to the export's identities too
  const adding = DERIVED_TABLES.filter((t) => t.addsCustomers === true && context.written.has(t.name)).map((t) => t.name);
  let table = 'customer_summary';
  if (adding.length > 0) {
    table = 'clv_export_customers';
    await context.warehouse.execute(`CREATE OR REPLACE TEMP VIEW ${table} AS SELECT DISTINCT customer_id FROM (${['customer_summary', ...adding].map((name) => `SELECT customer_id FROM ${name}`).join(' UNION ALL ')}) ids`); // UNION ALL: ClickHouse 18.16 has no UNION DISTINCT
  }
  context.results.identity = await context.privacy.prepareExport(context.warehouse, table);
  return context.results.identity;
}
