/**
 * An analysis stored whole or not at all: the stages of a run write the
 * derived tables under staging names (engine/staged-derived-tables.ts), and
 * only a run whose stages all finished swaps them in, together with the
 * `warehouse_meta` records that describe them — which model wrote
 * `customer_scores.p_alive` (scores-model-meta.ts) and the analysis itself
 * (`analysis`: its as-of date, when it was stored, its tables). A run that
 * fails, is cancelled or is interrupted leaves the previous analysis as it
 * was, tables and records alike.
 */
import { stageDerivedTables } from '../engine/staged-derived-tables.js';
import type { Warehouse } from '../engine/warehouse.js';
import { InterruptedError } from '../core/errors/interrupted-error.js';
import { writeWarehouseMetaValues } from '../privacy/keys/warehouse-key.js';
import type { AnalysisContext } from './analysis-context.js';
import { scoresModelMeta, SCORES_MODEL_META } from './scores-model-meta.js';
import { readStoredAnalysis, storedAnalysisMeta, type StorageEvent } from './stored-analysis.js';

/**
 * Run `work` (the stages of an analysis, on the staged view of `warehouse`
 * it is given; it returns their context) and store its derived tables and
 * records as the warehouse's analysis; when `work` throws, the staged
 * tables are dropped and the warehouse keeps the analysis it held. So they
 * are when `signal` is aborted before the swap begins: the run stops at its
 * next statement (DuckDB's running one is interrupted) and an
 * `InterruptedError` is thrown; once the swap has begun it runs whole.
 * `onStorage` hears when the run is staged and when it is stored. Runs on
 * one warehouse object go one after another.
 *
 * Example: `await runStagedAnalysis(warehouse, async (view) => { const c = createAnalysisContext({ warehouse: view, … }); await runStages(stages, c, …); return c })`
 */
export function runStagedAnalysis(warehouse: Warehouse, work: (view: Warehouse) => Promise<AnalysisContext>, onStorage?: (event: StorageEvent) => void, signal?: AbortSignal): Promise<AnalysisContext> {
  // one at a time on a warehouse this process shares (a server's run and the scoring before an audience): two would
  // write, and drop, the same staged tables
  const turn = (RUNNING.get(warehouse) ?? Promise.resolve()).then(() => runStaged(warehouse, work, onStorage, signal));
  RUNNING.set(
    warehouse,
    turn.then(
      () => undefined,
      () => undefined,
    ),
  );
  return turn;
}

/** The staged run going on (or queued last) on a warehouse object. */
const RUNNING = new WeakMap<Warehouse, Promise<void>>();

const INTERRUPTED = 'analysis interrupted: the warehouse keeps its previous analysis, this run stored nothing';

async function runStaged(warehouse: Warehouse, work: (view: Warehouse) => Promise<AnalysisContext>, onStorage?: (event: StorageEvent) => void, signal?: AbortSignal): Promise<AnalysisContext> {
  if (signal?.aborted) throw new InterruptedError(INTERRUPTED);
  const previous = onStorage ? await readStoredAnalysis(warehouse) : null;
  const staged = await stageDerivedTables(warehouse, signal ? { signal } : {});
  onStorage?.({ phase: 'staged', previous });
  // stopped: the engine's running statement fails at once (DuckDB), the run's next one is refused (the staged view)
  const interrupt = () => warehouse.interrupt?.();
  signal?.addEventListener('abort', interrupt);
  let context: AnalysisContext;
  try {
    context = await work(staged.warehouse);
    // every stage finished, but the stop came before the swap: the warehouse keeps its previous analysis
    if (signal?.aborted) throw new InterruptedError(INTERRUPTED);
  } catch (error) {
    signal?.removeEventListener('abort', interrupt);
    await staged.discard().catch(() => undefined); // the run's failure is the one to report
    throw signal?.aborted ? new InterruptedError(INTERRUPTED) : error;
  }
  // from here on the swap runs whole (a stop does not interrupt it)
  signal?.removeEventListener('abort', interrupt);
  const asOf = context.results.asOf;
  const scoresModel = context.results.scoresModel;
  const storedAt = new Date().toISOString();
  const tables = await staged.commit(async (live, swapped) => {
    // the records describe the tables swapped in: a run without value models leaves no record of an earlier run's scores.
    // Both in one write (on a cluster one mutation waited for and one insert, not one of each per name)
    const analysis = storedAnalysisMeta({ asOf, storedAt, tables: swapped });
    await writeWarehouseMetaValues(live, scoresModel ? [scoresModelMeta(scoresModel), analysis] : [analysis], scoresModel ? [] : [SCORES_MODEL_META]);
  });
  onStorage?.({ phase: 'stored', analysis: { asOf, storedAt, tables } });
  return context;
}
