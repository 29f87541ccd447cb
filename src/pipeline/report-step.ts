/**
 * The report step of `analyze`: gather what the report shows from the run
 * and the warehouse (compact per-customer columns, the model card, rules,
 * the privacy inventory) and write one self-contained report.html.
 */
import { totalPredictedMonths } from '../core/clv-totals.js';
import { writeFileSync } from 'node:fs';
import type { Warehouse } from '../engine/warehouse.js';
import { countRows } from '../engine/union-all.js';
import { buildPrivacyReport, type HeldTable } from '../privacy/warehouse/privacy-report.js';
import { renderReport } from '../report/render-report.js';
import { runWords } from '../core/run-words.js';
import type { ReportData, ReportRun } from '../report/report-data.js';
import { quarantineExamples, type QuarantineExampleOptions } from './quarantine-examples.js';
import type { PatternSummary } from '../cross-sell/patterns-step.js';
import type { PublishedValueModelCard } from './publish-model-card.js';
import type { PublishedSegmentsSummary } from './publish-segments-summary.js';
import type { PublishedLearnedCard } from './publish-learned-card.js';
import { segmentsReportData } from './segments-report-data.js';

/** What the report is built from: a finished run as published (`analyze` returns one, its `RunSummary`). */
export interface ReportedRun extends ReportRun {
  /** the value models: tournament, diagnostics (small bins suppressed), final fits (absent with skipModels) */
  readonly valueModel: PublishedValueModelCard | null;
  /** RFM segments, value tiers, clusters, lifecycle stages with their holdout validation, transitions, cohorts, KPIs (small groups suppressed) */
  readonly segments: PublishedSegmentsSummary | null;
  /** association rules, next-purchase rules (those of fewer than k customers left out), recommender evaluation (absent without product data) */
  readonly patterns: PatternSummary | null;
  /** churn early warning and the honest tournament (reliability bins under k withheld; absent or null: not run) */
  readonly learned?: PublishedLearnedCard | null;
}

/** Base tables of the warehouse with their columns and row counts (scratch and temp tables left out). */
export async function describeHeldTables(warehouse: Warehouse): Promise<Record<string, HeldTable>> {
  const columns = await warehouse.query(
    // scratch tables start with clv_ (a prefix test rather than LIKE … ESCAPE, which ClickHouse 18.16 does not parse)
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' AND substr(table_name, 1, 4) <> 'clv_' ORDER BY table_name, ordinal_position",
  );
  const held: Record<string, { columns: string[]; rowCount?: number }> = {};
  for (const row of columns) (held[String(row.table_name)] ??= { columns: [] }).columns.push(String(row.column_name));
  // every table's count in one query (a UNION ALL, union-all.ts): on a cluster each query is a request (~30 tables)
  const names = Object.keys(held);
  const counts = await countRows(warehouse, names);
  names.forEach((table, i) => (held[table]!.rowCount = counts[i]!));
  return held;
}

export { maskQuarantineLine, quarantineExamples } from './quarantine-examples.js';

/**
 * Who builds the report, for what it may show and in whose words: the key and role open the quarantine examples' text
 * (`quarantineExamples`); `api`, a run started through the HTTP API, is written with captions that name the API's routes,
 * not the CLI's commands (`RenderReportOptions.words`).
 */
export type ReportViewer = Omit<QuarantineExampleOptions, 'perReason'> & { readonly api?: boolean };

/** Build the report's data from a finished run. */
export async function buildReportData(warehouse: Warehouse, run: ReportedRun, viewer: ReportViewer = {}): Promise<ReportData> {
  const scored = run.valueModel !== null;
  const customers = await warehouse.queryColumns(
    `SELECT s.total_spend, s.historic_clv${scored ? ', c.predicted_clv_12m, c.p_alive' : ''} FROM customer_summary s${scored ? ' JOIN customer_scores c ON c.customer_id = s.customer_id' : ''} ORDER BY s.customer_id`, // in token order: the same sample of points on every engine and run
  );
  const column = (name: string) => customers.columns[name] as Float64Array;
  const patterns = run.patterns;
  return {
    title: 'clvkit customer report',
    generatedAt: run.startedAt,
    run,
    customers: {
      totalSpend: column('total_spend'),
      historicValue: column('historic_clv'),
      ...(scored ? { predictedValue: column('predicted_clv_12m'), probabilityAlive: column('p_alive'), predictionHorizonMonths: totalPredictedMonths(run.valueModel!.clv) } : {}),
    },
    quarantineExamples: await quarantineExamples(warehouse, run, viewer),
    modelCard: run.valueModel,
    churn: run.learned ?? null,
    ...(run.segments ? segmentsReportData(run.segments) : {}),
    rules: patterns
      ? {
          basket: 'order',
          baskets: patterns.baskets,
          minSupport: patterns.minSupport,
          minConfidence: patterns.minConfidence,
          minLift: patterns.minLift,
          lowLiftRules: patterns.lowLiftRules,
          rules: patterns.rules.slice(0, 15).map((r) => ({ antecedent: r.antecedentLabels, consequent: r.consequentLabels, support: r.support, confidence: r.confidence, lift: r.lift, count: r.count })),
          ...(patterns.recommender
            ? { recommender: { label: patterns.recommender.choice.label, reason: patterns.recommender.choice.reason, k: patterns.recommender.k, mapAtK: patterns.recommender.model.mapAtK, baselineMapAtK: patterns.recommender.baseline.mapAtK } }
            : patterns.evaluationNote
              ? { evaluationNote: patterns.evaluationNote }
              : {}),
        }
      : null,
    privacy: {
      ...buildPrivacyReport({ tables: await describeHeldTables(warehouse) }),
      notes: ['The models see only pseudonymous customer keys and purchase history; no personal field is read by any model.'],
    },
  };
}

/** Render and write report.html; returns its path. */
export async function writeReport(warehouse: Warehouse, run: ReportedRun, path: string, viewer: ReportViewer = {}): Promise<string> {
  writeFileSync(path, renderReport(await buildReportData(warehouse, run, viewer), { words: runWords(viewer.api) }));
  return path;
}
