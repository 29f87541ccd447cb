/**
 * An analysis publishes no count of a customer erased while it ran. On a
 * ClickHouse cluster `clvkit erase` may run beside an analysis: the run read
 * the customer's rows before the erasure, so besides their own rows and
 * lines (which erased-during-run.ts removes after the swap) every aggregate
 * it computed counted them — the headline's customers and revenue, the
 * per-segment, per-tier, per-stage and per-cluster counts and sums, the
 * funnel, the cross-sell rules, the fitted models — and run.json and the
 * report published them. Set against a run made after the erasure, those
 * numbers told the erased customer's segment, tier and value; suppressing
 * only the groups they touched would have told the same by which groups
 * were withheld.
 *
 * So a run that finds such a customer computes its results again (the
 * stages after the ingest, staged and swapped as the first time) on the
 * warehouse without them: the rows their erasure had not deleted yet are
 * deleted first (`deleteErasedInputRows`), and what the run publishes is
 * what a run started after the erasure publishes. An erasure during the
 * recomputation is found the same way, up to `MAX_RECOMPUTES` times; after
 * that the run says its counts still include them. One line per pass among
 * the run's warnings; the progress of a pass again names its stages
 * `<stage> (again)` (`progressAgain`).
 */
import type { Warehouse } from '../engine/warehouse.js';
import { clearDerivedTablesStale } from '../engine/derived-tables-stale.js';
import type { AnalysisPrivacy } from '../privacy/warehouse/analysis-privacy.js';
import { deleteErasedInputRows, removeErasedFromResults } from '../privacy/warehouse/erased-during-run.js';
import type { AnalysisContext } from './analysis-context.js';
import type { ProgressEvent } from './run-stages.js';

/** How many times a run computes its results again for customers erased meanwhile (each an analysis' cost). */
export const MAX_RECOMPUTES = 2;

export interface WithoutErasedOptions {
  /** when the run started (ISO) */
  readonly startedAt: string;
  readonly privacy: AnalysisPrivacy;
  /** a pass's files holding customer tokens in their first column (customers.csv, recommendations.csv) */
  readonly files: (context: AnalysisContext) => readonly string[];
}

/**
 * Runs `pass` (the stages, staged and swapped: `runStagedAnalysis`), then removes the customers erased meanwhile from
 * what it published and, when there were any, runs it again (`pass(previous)`: the stages after the ingest) — see the
 * file header. Returns the last pass's context and the lines for the run's warnings (none when nobody was erased).
 *
 * Example: `const { context, warnings } = await withoutErasedCustomers(wh, { startedAt, privacy, files }, (previous) => runStagedAnalysis(…))`
 */
export async function withoutErasedCustomers(
  warehouse: Warehouse,
  options: WithoutErasedOptions,
  pass: (previous: AnalysisContext | null) => Promise<AnalysisContext>,
): Promise<{ readonly context: AnalysisContext; readonly warnings: readonly string[] }> {
  let context = await pass(null);
  const warnings: string[] = [];
  for (let recomputes = 0; ; recomputes++) {
    await clearDerivedTablesStale(warehouse); // the derived tables now describe the data as it is (an ingest dropped before is no longer counted)
    const erased = await removeErasedFromResults(warehouse, { startedAt: options.startedAt, files: options.files(context), privacy: options.privacy });
    if (!erased) return { context, warnings };
    if (recomputes === MAX_RECOMPUTES) {
      warnings.push(`${erased.warning}; its counts and models still include them (erased while they were computed again ${MAX_RECOMPUTES} times): run the analysis again`);
      return { context, warnings };
    }
    await deleteErasedInputRows(warehouse, erased.tokens, options);
    warnings.push(`${erased.warning}; its counts and models computed again without them`);
    context = await pass(context);
  }
}

/**
 * The progress callback of a pass again: its stages named `<stage> (again)`, so a progress bar, the server's run
 * page and the CLI's lines show a second pass, not the first one's stages finishing twice.
 *
 * Example: `progressAgain(onProgress)({ step: 'summary', phase: 'start' })` → `onProgress({ step: 'summary (again)', phase: 'start' })`
 */
export function progressAgain(onProgress: ((event: ProgressEvent) => void) | undefined, again: boolean): ((event: ProgressEvent) => void) | undefined {
  if (!onProgress || !again) return onProgress;
  return (event) => onProgress({ ...event, step: `${event.step} (again)` });
}
