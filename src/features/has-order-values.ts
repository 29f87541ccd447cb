import type { Warehouse } from '../engine/warehouse.js';

/**
 * False for a frequency-only log: `transactions` holds purchases but none
 * has an order value (amount NULL: the input had only a customer id and a
 * date). True for an empty table (nothing says the values are missing).
 */
export async function hasOrderValues(warehouse: Warehouse): Promise<boolean> {
  const [row] = await warehouse.query('SELECT count(*) AS n, count(amount) AS valued FROM transactions WHERE NOT is_return');
  return Number(row!.n) === 0 || Number(row!.valued) > 0;
}
