/**
 * Which model wrote `customer_scores.p_alive`, in what time unit and as of
 * which day — kept in `warehouse_meta` by the value stage (and by the learned
 * stage when an MBG/CNBD-k winner rewrites the scores), so that a later
 * `clvkit customer <id> --alive-path --db` draws the path with the model whose
 * P(alive) customers.csv shows, not a default.
 */
import type { TimeUnit } from '../core/time-unit.js';
import type { Warehouse } from '../engine/warehouse.js';
import { readWarehouseMeta } from '../privacy/keys/warehouse-key.js';

/** `warehouse_meta` names */
const MODEL = 'scores.p_alive_model';
const TIME_UNIT = 'scores.time_unit';
const AS_OF = 'scores.as_of';

export interface ScoresModel {
  /** bgnbd, mbgnbd, paretonbd or mbgcnbd */
  readonly model: string;
  readonly timeUnit: TimeUnit;
  /** YYYY-MM-DD */
  readonly asOf: string;
}

/** Records the model behind `customer_scores.p_alive`. */
export async function recordScoresModel(warehouse: Warehouse, scores: ScoresModel): Promise<void> {
  const d = warehouse.dialect;
  const values: [string, string][] = [[MODEL, scores.model], [TIME_UNIT, scores.timeUnit], [AS_OF, scores.asOf]];
  // one delete and one insert (on ClickHouse a delete is a mutation: one, not three)
  await warehouse.transaction(async () => {
    await warehouse.execute(`DELETE FROM warehouse_meta WHERE name IN (${values.map(([name]) => d.literal(name)).join(', ')})`);
    await warehouse.execute(`INSERT INTO warehouse_meta VALUES ${values.map(([name, value]) => `(${d.literal(name)}, ${d.literal(value)})`).join(', ')}`);
  });
}

/** The model behind `customer_scores.p_alive`, or null when no analysis recorded one (never analysed, or before this was kept). */
export async function readScoresModel(warehouse: Warehouse): Promise<ScoresModel | null> {
  const [model, timeUnit, asOf] = await Promise.all([readWarehouseMeta(warehouse, MODEL), readWarehouseMeta(warehouse, TIME_UNIT), readWarehouseMeta(warehouse, AS_OF)]);
  return model && timeUnit && asOf ? { model, timeUnit: timeUnit as TimeUnit, asOf } : null;
}
