import { derivedTable } from '../engine/derived-tables.js';
import type { Warehouse } from '../engine/warehouse.js';

/**
 * Adds to a derived table the catalogue columns it lacks, as NULL columns of
 * their declared type, and returns their names: a step may leave out what it
 * could not compute (the CLV columns of a frequency-only log), and every
 * reader can still rely on the catalogue's columns — absent values are NULL,
 * never zero.
 *
 * Example: `await conformDerivedTable(warehouse, 'customer_scores')` → `['predicted_clv_12m', …]` for scores without CLV
 */
export async function conformDerivedTable(warehouse: Warehouse, name: string): Promise<string[]> {
  const table = derivedTable(name);
  const d = warehouse.dialect;
  const rows = await warehouse.query(`SELECT column_name FROM information_schema.columns WHERE table_name = ${d.literal(table.name)}`);
  const present = new Set(rows.map((r) => String(r.column_name)));
  const missing = table.columns.filter((c) => !present.has(c.name));
  for (const column of missing) await warehouse.execute(`ALTER TABLE ${d.identifier(table.name)} ADD COLUMN ${d.identifier(column.name)} ${column.type}`);
  return missing.map((c) => c.name);
}
