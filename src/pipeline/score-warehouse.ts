import type { Warehouse } from '../engine/warehouse.js';
import type { Access } from '../privacy/access/access.js';
import { assertCan } from '../privacy/access/rbac.js';
import { AnalysisPrivacy } from '../privacy/warehouse/analysis-privacy.js';
import { progressAgain, withoutErasedCustomers } from './recompute-without-erased.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import { createAnalysisContext, type AnalysisContext } from './analysis-context.js';
import { runStages, type ProgressEvent } from './run-stages.js';
import { runStagedAnalysis } from './staged-analysis.js';
import { eventsStage } from './stages/events-stage.js';
import { learnedStage } from './stages/learned-stage.js';
import { lifecycleStage } from './stages/lifecycle-stage.js';
import { segmentsStage } from './stages/segments-stage.js';
import { summaryStage } from './stages/summary-stage.js';
import { valueStage } from './stages/value-stage.js';

/**
 * The stages that write the per-customer derived tables an audience filter
 * may read (every table of the derived-table catalogue: summary, scores,
 * churn, segments, stages, cohorts, behaviour, prospects), in the run order
 * of `analyze`.
 */
export const SCORING_STAGES = [summaryStage, valueStage, learnedStage, segmentsStage, lifecycleStage, eventsStage] as const;

export interface ScoreWarehouseOptions {
  readonly keyring: Keyring | null;
  readonly access: Access;
  readonly minGroupSize: number;
  /** for a route of the HTTP API: the stages' warnings name the API's fields and routes (`AnalyzeOptions.api`) */
  readonly api?: boolean;
  readonly onProgress?: (event: ProgressEvent) => void;
}

export interface ScoreWarehouseResult {
  readonly asOf: string;
  /** tables written */
  readonly tables: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * The derived per-customer tables of `analyze --db` (customer_summary,
 * customer_scores, customer_churn, customer_rfm, customer_value_tiers,
 * customer_clusters, customer_stages, customer_cohorts, customer_behaviour,
 * customer_prospects) written into a warehouse by the same
 * stages and stage runner, with the default options and no files: for a
 * consumer (an audience, a playbook) on a warehouse that was ingested but
 * never analysed. Requires `analyze`; audited as an analysis.
 *
 * Example: `await scoreWarehouse(wh, { keyring, access, minGroupSize: 5 })` → `{ asOf: '2011-12-09', tables: ['customer_summary', …], warnings: [] }`
 */
export async function scoreWarehouse(warehouse: Warehouse, options: ScoreWarehouseOptions): Promise<ScoreWarehouseResult> {
  assertCan(options.access.role, 'analyze');
  const privacy = new AnalysisPrivacy(options.keyring, options.keyring ? 'warehouse' : 'none', options.access, false, options.minGroupSize);
  const startedAt = new Date().toISOString();
  // stored whole or not at all, as analyze's (staged-analysis.ts)
  const pass = (previous: AnalysisContext | null) =>
    runStagedAnalysis(warehouse, async (staged) => {
      const context = createAnalysisContext({
        warehouse: staged,
        options: { db: warehouse.location, outDir: '.', ...(options.api ? { api: true } : {}) },
        files: [],
        outDir: '.',
        timeUnit: 'week',
        grain: 'day',
        startedAt,
        privacy,
      });
      // the ingested tables (an ingest wrote them; the events stage does nothing without events)
      const ingested = ['transactions', 'customers', 'quarantine', 'events'];
      const onProgress = progressAgain(options.onProgress, previous !== null);
      await runStages(SCORING_STAGES, context, { timings: context.timings, written: context.written, ...(onProgress ? { onProgress } : {}) }, ingested);
      return context;
    });
  // a customer erased while the stages ran (a cluster's erase beside them): out of the tables published, and the tables
  // computed again without them (recompute-without-erased.ts)
  const { context, warnings } = await withoutErasedCustomers(warehouse, { startedAt, privacy, files: () => [] }, pass);
  const tables = [...context.written].filter((t) => t.startsWith('customer_'));
  await privacy.record(warehouse, { action: 'analyze', target: 'warehouse', rowCounts: { customer_summary: context.results.headline?.customers ?? 0 }, details: { as_of: context.results.asOf, stages: SCORING_STAGES.map((s) => s.name), reason: 'derived tables for an audience' } });
  return { asOf: context.results.asOf!, tables, warnings: [...context.warnings, ...warnings] };
}
