import type { Row, Warehouse } from '../../src/engine/warehouse.js';
import { learnedFeatureOrderColumns, learnedRowOrder } from '../../src/features/learned-feature-order.js';

/** Rows of the learned features' statement (in the engine's order) put in the order `queryLearnedSnapshot` reads them in. */
export function inLearnedOrder(rows: readonly Row[]): Row[] {
  const names = learnedFeatureOrderColumns(rows.length > 0 && 'label_purchases' in rows[0]!);
  const keys = names.map((name) => Float64Array.from(rows, (row) => (row[name] === null ? Number.NaN : Number(row[name]))));
  return Array.from(learnedRowOrder(keys, rows.map((row) => String(row.customer_id))), (i) => rows[i]!);
}

/** Query the learned features' statement and put its rows in their order. */
export async function queryInLearnedOrder(warehouse: Warehouse, sql: string): Promise<Row[]> {
  return inLearnedOrder(await warehouse.query(sql));
}
