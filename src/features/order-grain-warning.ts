import type { Warehouse } from '../engine/warehouse.js';

/**
 * What `--grain order` counts when the purchases carry no order id, or null when they do (or the grain is `day`).
 * An order is then a line's purchase time to the second (`orderKeySql`): on dates without a time of day, a purchase
 * day — the same as `--grain day`, which the user should hear instead of getting it silently.
 *
 * Example: `await orderGrainWarning(warehouse, 'order')` → `'--grain order: the data has no order ids and its dates no
 * time of day, so an order is a purchase day, as with --grain day; map the order column with --map order_id=<column>'`
 */
export async function orderGrainWarning(warehouse: Warehouse, grain: 'day' | 'order'): Promise<string | null> {
  if (grain !== 'order') return null;
  const d = warehouse.dialect;
  const timed = `CASE WHEN ${d.secondOf('ts')} <> ${d.secondOf(d.dayOf('ts'))} THEN 1 ELSE 0 END`;
  const [row] = await warehouse.query(`SELECT count(*) AS n, count(order_id) AS with_id, sum(${timed}) AS timed FROM transactions WHERE NOT is_return`);
  const n = Number(row!.n);
  const withId = Number(row!.with_id);
  if (n === 0 || withId > 0) return null;
  const map = 'map the order column with --map order_id=<column>';
  return Number(row!.timed) === 0
    ? `--grain order: the data has no order ids and its dates no time of day, so an order is a purchase day, as with --grain day; ${map}`
    : `--grain order: the data has no order ids, so an order is the lines bought at the same second; ${map}`;
}
