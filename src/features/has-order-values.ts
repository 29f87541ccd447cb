import type { Warehouse } from '../engine/warehouse.js';
import { hasValuedLines, orderValueLines } from './mixed-order-values.js';

/**
 * False for a frequency-only log: `transactions` holds purchases but none
 * has an order value (amount NULL: the input had only a customer id and a
 * date). True for an empty table (nothing says the values are missing).
 */
export async function hasOrderValues(warehouse: Warehouse): Promise<boolean> {
  return hasValuedLines(await orderValueLines(warehouse));
}
