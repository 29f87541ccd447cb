import type { Warehouse } from '../engine/warehouse.js';

/** Purchase lines (returns left out) and how many of them have an order value (amount not NULL). */
export interface OrderValueLines {
  readonly purchases: number;
  readonly valued: number;
}

/** How many purchase lines `transactions` holds, and how many of them have an order value: one scan of two columns. */
export async function orderValueLines(warehouse: Warehouse): Promise<OrderValueLines> {
  const [row] = await warehouse.query('SELECT count(*) AS n, count(amount) AS valued FROM transactions WHERE NOT is_return');
  return { purchases: Number(row!.n), valued: Number(row!.valued) };
}

/** Some purchase lines have an order value and some have none: files with and without order values in one warehouse. */
export const mixesOrderValues = (lines: OrderValueLines): boolean => lines.valued > 0 && lines.valued < lines.purchases;
