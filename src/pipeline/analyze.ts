import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDuckDbWarehouse } from '../engine/duckdb-warehouse.js';
import type { Warehouse } from '../engine/warehouse.js';
import { parseDay } from '../core/calendar-days.js';
import { openAnalysisPrivacy } from '../privacy/warehouse/analysis-privacy.js';
import { createAnalysisContext } from './analysis-context.js';
import { openOutFolder } from './out-folder.js';
import { ANALYSIS_STAGES } from './analysis-stages.js';
import type { AnalyzeOptions } from './analyze-options.js';
import { runStages } from './run-stages.js';
import { loadLinearProgramSolver } from '../privacy/disclosure/hiding-set.js';
import type { RunSummary } from './run-summary.js';
import { recordWarehouseRun } from './record-warehouse-run.js';
import { runStagedAnalysis } from './staged-analysis.js';
import { resolveAccess } from '../privacy/access/access.js';
import { progressAgain, withoutErasedCustomers } from './recompute-without-erased.js';
import { ingestStage } from './stages/ingest-stage.js';
import type { AnalysisContext } from './analysis-context.js';
import { ingestRunWarnings } from '../ingest/ingest-run-warnings.js';
import { warehouseIngestReport } from '../ingest/warehouse-ingest-report.js';

export type { AnalyzeOptions } from './analyze-options.js';
export type { ProgressEvent } from './run-stages.js';
export type { RunSummary } from './run-summary.js';
export { MIN_CUSTOMERS_FOR_MODELS, MIN_REPEAT_CUSTOMERS_FOR_MODELS } from './stages/value-stage.js';

/** The bundled demo data: UCI Online Retail (CC BY 4.0), see data/online-retail/README.md. */
export const DEMO_DATA_FILE = fileURLToPath(new URL('../../data/online-retail/online_retail.csv.gz', import.meta.url));

/**
 * The end-to-end analysis every consumer (CLI, server, tests) calls: the
 * stages of `ANALYSIS_STAGES` (ingest → summary → value → segments →
 * lifecycle → cross-sell → publish → report) on one DuckDB warehouse, then
 * run.json.
 *
 * Example: `await analyze({ demo: true, db: ':memory:', outDir: 'out/demo' })`
 */
export async function analyze(options: AnalyzeOptions): Promise<RunSummary> {
  if (options.asOf !== undefined) parseDay(options.asOf, '--as-of');
  const out = openOutFolder(options.outDir);
  try {
    const warehouse = await openDuckDbWarehouse(options.db);
    try {
      const startedAt = new Date().toISOString();
      const summary = await runAnalysis(warehouse, options);
      // a warehouse file keeps its analyses: a server started on it shows this one (one in memory is gone with the run)
      if (options.db !== ':memory:') await recordWarehouseRun(warehouse, summary, startedAt, `clvkit analyze (${resolveAccess(options).actor})`);
      return summary;
    } finally {
      await warehouse.close();
    }
  } catch (error) {
    out.discard(); // a run that wrote nothing leaves no empty --out folder it made
    throw error;
  }
}

/**
 * The analysis on a warehouse the caller opened and closes (any engine
 * behind the `Warehouse` interface: a server's pooled connection, a
 * ClickHouse cluster): the stages, then run.json in `options.outDir`
 * (which must exist). `options.db` is only recorded in run.json. The
 * derived tables are stored whole or not at all: a run that fails or is
 * cancelled (an `onProgress` that throws) leaves the warehouse's previous
 * analysis as it was (staged-analysis.ts). A customer erased while it ran
 * (on a cluster, `clvkit erase` may run beside it) is removed from the
 * tables it published and from its files after the swap, its results are
 * computed again without them (the stages after the ingest: no count of
 * theirs is published), and a warning says so (recompute-without-erased.ts).
 */
export async function runAnalysis(warehouse: Warehouse, options: AnalyzeOptions): Promise<RunSummary> {
  const startedAt = new Date().toISOString();
  // the publish stage's linear programs (hiding-set.ts): HiGHS compiles while the stages before it run (its promise is
  // kept; a failure to load is the publish stage's to report)
  loadLinearProgramSolver().catch(() => undefined);
  const files = [...(options.files ?? []), ...(options.demo ? [DEMO_DATA_FILE] : [])];
  const privacy = await openAnalysisPrivacy(warehouse, options);
  // the stages write the derived tables under staging names, swapped in once they all finished (staged-analysis.ts);
  // a pass again after a customer was erased while the run went on is the stages after the ingest, with its report
  const pass = (previous: AnalysisContext | null) =>
    runStagedAnalysis(
      warehouse,
      async (staged) => {
        const context = createAnalysisContext({
          warehouse: staged,
          options,
          files,
          outDir: resolve(options.outDir),
          timeUnit: options.timeUnit ?? 'week',
          grain: options.grain ?? 'day',
          startedAt,
          privacy,
        });
        const stages = previous ? ANALYSIS_STAGES.filter((stage) => stage !== ingestStage) : ANALYSIS_STAGES;
        if (previous) carryIngest(previous, context);
        // no file read: run.json's ingest and the report's data quality are the warehouse's ingests (not zeros beside its quarantine)
        else if (ingestStage.skip?.(context) === true) context.results.ingest = await warehouseIngestReport(staged);
        const onProgress = progressAgain(options.onProgress, previous !== null);
        await runStages(stages, context, { timings: context.timings, written: context.written, ...(onProgress ? { onProgress } : {}) }, previous ? ingestStage.writes : undefined);
        return context;
      },
      options.onStorage,
      options.signal,
    );
  // a customer erased while the run went on (a cluster's erase beside it): out of the tables it published and its
  // files, and its results computed again without them (recompute-without-erased.ts)
  const runFiles = (context: AnalysisContext) => [context.results.summary!.outputs.customersCsv, context.results.summary!.outputs.recommendationsCsv].filter((file): file is string => file !== null);
  const { context, warnings } = await withoutErasedCustomers(warehouse, { startedAt, privacy, files: runFiles }, pass);
  const built = context.results.summary!;
  const summary: RunSummary = warnings.length > 0 ? { ...built, warnings: [...built.warnings, ...warnings] } : built;
  writeFileSync(summary.outputs.runJson, JSON.stringify(summary, null, 2) + '\n');
  return summary;
}

/** What a pass again takes from the first: the ingest's report, warnings, tables and time (its files are not read again). */
function carryIngest(previous: AnalysisContext, context: AnalysisContext): void {
  const ingest = previous.results.ingest;
  context.results.ingest = ingest;
  if (ingest) context.warnings.push(...ingestRunWarnings(ingest));
  for (const table of ingestStage.writes) if (previous.written.has(table)) context.written.add(table);
  if (previous.timings.ingest !== undefined) context.timings.ingest = previous.timings.ingest;
}
