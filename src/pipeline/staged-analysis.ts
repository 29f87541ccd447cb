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
import { readWarehouseMeta } from '../privacy/keys/warehouse-key.js';
import type { AnalysisContext } from './analysis-context.js';
import { recordScoresModel, SCORES_MODEL_META } from './scores-model-meta.js';
import { readStoredAnalysis, recordStoredAnalysis, type StorageEvent } from './stored-analysis.js';

/**
 * Run `work` (the stages of an analysis, on the staged view of `warehouse`
 * it is given; it returns their context) and store its derived tables and
 * records as the warehouse's analysis; when `work` throws, the staged
 * tables are dropped and the warehouse keeps the analysis it held.
 * `onStorage` hears when the run is staged and when it is stored. Runs on
 * one warehouse object go one after another.
 *
 * Example: `await runStagedAnalysis(warehouse, async (view) => { const c = createAnalysisContext({ warehouse: view, … }); await runStages(stages, c, …); return c })`
 */
export function runStagedAnalysis(warehouse: Warehouse, work: (view: Warehouse) => Promise<AnalysisContext>, onStorage?: (event: StorageEvent) => void): Promise<AnalysisContext> {
  // one at a time on a warehouse this process shares (a server's run and the scoring before an audience): two would
  // write, and drop, the same staged tables
  const turn = (RUNNING.get(warehouse) ?? Promise.resolve()).then(() => runStaged(warehouse, work, onStorage));
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

async function runStaged(warehouse: Warehouse, work: (view: Warehouse) => Promise<AnalysisContext>, onStorage?: (event: StorageEvent) => void): Promise<AnalysisContext> {
  const previous = onStorage ? await readStoredAnalysis(warehouse) : null;
  const staged = await stageDerivedTables(warehouse);
  onStorage?.({ phase: 'staged', previous });
  let context: AnalysisContext;
  try {
    context = await work(staged.warehouse);
  } catch (error) {
    await staged.discard().catch(() => undefined); // the run's failure is the one to report
    throw error;
  }
  const asOf = context.results.asOf;
  const scoresModel = context.results.scoresModel;
  const storedAt = new Date().toISOString();
  const tables = await staged.commit(async (live, swapped) => {
    // the records describe the tables swapped in: a run without value models leaves no record of an earlier run's scores
    if (scoresModel) await recordScoresModel(live, scoresModel);
    else if ((await readWarehouseMeta(live, SCORES_MODEL_META)) !== null) await live.execute(`DELETE FROM warehouse_meta WHERE name = ${live.dialect.literal(SCORES_MODEL_META)}`);
    await recordStoredAnalysis(live, { asOf, storedAt, tables: swapped });
  });
  onStorage?.({ phase: 'stored', analysis: { asOf, storedAt, tables } });
  return context;
}
