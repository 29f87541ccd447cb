import type { Warehouse } from '../engine/warehouse.js';
import type { RunWords } from '../core/run-words.js';
import type { SqlDialect } from '../engine/sql-dialect.js';

/** How many of the rows have a time of day (a `ts` not at midnight), as an aggregate: 0 for a date-only export. */
export function timedPurchasesSql(d: SqlDialect): string {
  return `sum(CASE WHEN ${d.secondOf('ts')} <> ${d.secondOf(d.dayOf('ts'))} THEN 1 ELSE 0 END)`;
}

/**
 * What `--grain order` counts when the purchases carry no order id, or null when they do (or the grain is `day`).
 * An order is then a line's purchase time to the second (`orderKeySql`): on dates without a time of day, a purchase
 * day — the same as `--grain day`, which the user should hear instead of getting it silently. The settings and how to
 * send order ids are named in `words` (a run started through the API: `"grain": "order"`, `POST /api/orders`).
 *
 * Example: `await orderGrainWarning(warehouse, 'order', runWords(false))` → `'--grain order counts orders, but the data has no order ids
 * and its dates no time of day, so an order is a purchase day, as with --grain day; map the order column with --map
 * order_id=<column>'`; with `runWords(true)`: `'"grain": "order" counts orders, … as with "grain": "day"; send order_id
 * with each order: POST /api/orders'`
 */
export async function orderGrainWarning(warehouse: Warehouse, grain: 'day' | 'order', words: RunWords): Promise<string | null> {
  if (grain !== 'order') return null;
  const [row] = await warehouse.query(`SELECT count(*) AS n, count(order_id) AS with_id, ${timedPurchasesSql(warehouse.dialect)} AS timed FROM transactions WHERE NOT is_return`);
  const n = Number(row!.n);
  const withId = Number(row!.with_id);
  if (n === 0 || withId > 0) return null;
  const map = words.supplyColumn('order_id', 'the order column');
  const order = words.set('grain', 'order');
  return Number(row!.timed) === 0
    ? `${order} counts orders, but the data has no order ids and its dates no time of day, so an order is a purchase day, as with ${words.set('grain', 'day')}; ${map}`
    : `${order} counts orders, but the data has no order ids, so an order is the lines bought at the same second; ${map}`;
}
