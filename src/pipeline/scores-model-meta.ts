/**
 * Which model wrote `customer_scores.p_alive`, in what time unit and grain and
 * as of which day — set by the value stage (and by the learned stage when an
 * MBG/CNBD-k winner rewrites the scores) and kept in `warehouse_meta` when the
 * run's tables are stored (staged-analysis.ts), so that a
 * later `clvkit customer <id> --alive-path --db` draws the path with the model
 * whose P(alive) customers.csv shows, not a default. One row (JSON, written
 * by `writeWarehouseMeta`): a reader never combines two runs' fields.
 */
import type { PurchaseGrain } from '../features/customer-summary.js';
import type { TimeUnit } from '../core/time-unit.js';
import type { Warehouse } from '../engine/warehouse.js';
import { readWarehouseMeta } from '../privacy/keys/warehouse-key.js';

/** the `warehouse_meta` name */
export const SCORES_MODEL_META = 'scores.p_alive';

export interface ScoresModel {
  /** bgnbd, mbgnbd, paretonbd or mbgcnbd */
  readonly model: string;
  readonly timeUnit: TimeUnit;
  readonly grain: PurchaseGrain;
  /** YYYY-MM-DD */
  readonly asOf: string;
}

/** The `warehouse_meta` name and value recording it (replacing the last record), written with others at once (`writeWarehouseMetaValues`). */
export function scoresModelMeta(scores: ScoresModel): readonly [string, string] {
  return [SCORES_MODEL_META, JSON.stringify({ model: scores.model, timeUnit: scores.timeUnit, grain: scores.grain, asOf: scores.asOf })];
}

/** The model behind `customer_scores.p_alive`, or null when no analysis recorded one (never analysed, or before this was kept) or the record is unreadable. */
export async function readScoresModel(warehouse: Warehouse): Promise<ScoresModel | null> {
  const text = await readWarehouseMeta(warehouse, SCORES_MODEL_META);
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as Partial<ScoresModel>;
    return typeof v.model === 'string' && typeof v.timeUnit === 'string' && typeof v.asOf === 'string' ? { model: v.model, timeUnit: v.timeUnit, grain: v.grain === 'order' ? 'order' : 'day', asOf: v.asOf } : null;
  } catch {
    return null;
  }
}
