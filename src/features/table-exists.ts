import type { Warehouse } from '../engine/warehouse.js';

/**
 * Whether a table (or view) of this name exists, through the standard
 * `information_schema.tables` that DuckDB and ClickHouse both provide —
 * or the warehouse's own answer when it has one (a cluster answers from its
 * kept catalog where that is current: one request fewer each, ~15 per
 * analysis; sharded-catalog.ts).
 */
export async function tableExists(warehouse: Warehouse, name: string): Promise<boolean> {
  if (warehouse.tableExists) return warehouse.tableExists(name);
  const d = warehouse.dialect;
  const rows = await warehouse.query(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = ${d.literal(name)}`);
  return Number(rows[0]?.n ?? 0) > 0;
}
