import type { Warehouse } from '../engine/warehouse.js';
import type { TimeUnit } from '../core/time-unit.js';
import { timedPurchasesSql } from './order-grain-warning.js';

/**
 * What `--time-unit hour` counts when no purchase has a time of day (a date-only export, every purchase at 00:00), or
 * null when some purchase has one (or the unit is not the hour): recency and T are then whole days written in hours,
 * and the purchases of one day are one occasion, as by the day — which the user should hear, as `--grain order` on
 * such dates says (order-grain-warning.ts). Returns are left out, as the summary leaves them out.
 *
 * Example: dates `2024-01-03`, `2024-02-03` and `hour` → `'--time-unit hour counts time in hours, but the dates have no
 * time of day (every purchase at 00:00), so the hours add nothing to days …; pass --time-unit day, or export the
 * purchase times'`
 */
export async function untimedHoursWarning(warehouse: Warehouse, timeUnit: TimeUnit): Promise<string | null> {
  if (timeUnit !== 'hour') return null;
  const [row] = await warehouse.query(`SELECT count(*) AS n, ${timedPurchasesSql(warehouse.dialect)} AS timed FROM transactions WHERE NOT is_return`);
  if (Number(row!.n) === 0 || Number(row!.timed) > 0) return null;
  return '--time-unit hour counts time in hours, but the dates have no time of day (every purchase at 00:00), so the hours add nothing to days: recency and T move in steps of 24 and the purchases of a day are one occasion, as with --time-unit day; pass --time-unit day, or export the purchase times';
}
