import type { Warehouse } from '../engine/warehouse.js';
import { checkTableName } from '../features/table-name.js';
import { tableExists } from '../features/table-exists.js';

/** The table the value step writes (`src/pipeline/value-step.ts`): predicted_clv_12m, p_alive, … per customer. */
export const DEFAULT_SCORES_TABLE = 'customer_scores';

/**
 * Which table holds the predicted values: the one named (checked), none for
 * `null`, and for `undefined` `customer_scores` when it exists.
 */
export async function resolveScoresTable(warehouse: Warehouse, scoresTable: string | null | undefined): Promise<string | null> {
  if (scoresTable === null) return null;
  if (scoresTable !== undefined) return checkTableName(scoresTable, 'scores table');
  return (await tableExists(warehouse, DEFAULT_SCORES_TABLE)) ? DEFAULT_SCORES_TABLE : null;
}
