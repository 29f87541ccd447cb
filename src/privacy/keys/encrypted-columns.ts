import type { Warehouse } from '../../engine/warehouse.js';
import { classifyColumn } from '../access/classification.js';

/**
 * The encryption context (AES-GCM additional data) of a quarantined row's
 * `raw` and `detail`: the row's place, so an envelope cannot be moved to
 * another row. Its SQL twin is `QUARANTINE_CONTEXT_SQL`.
 *
 * Example: `quarantineContext(3, 17)` → `'quarantine/3/17'`
 */
export function quarantineContext(ingestId: number, line: number): string {
  return `quarantine/${ingestId}/${line}`;
}

/** `quarantineContext` in SQL over a `quarantine` row. */
export const QUARANTINE_CONTEXT_SQL = `'quarantine/' || CAST(ingest_id AS VARCHAR) || '/' || CAST(line AS VARCHAR)`;

/** A column of envelopes and how its rows' encryption context is computed. */
export interface EncryptedColumn {
  readonly table: string;
  readonly column: string;
  /** SQL expression of the context over the table's row; null when values carry no context */
  readonly contextSql: string | null;
}

/**
 * Every column of the warehouse that holds AES-256-GCM envelopes: those
 * classified `encrypted` and any other column named `*_enc`. Context: the
 * quarantine's row place for `quarantine`, the customer token for tables
 * keyed by `customer_id`, none otherwise.
 */
export async function listEncryptedColumns(warehouse: Warehouse): Promise<EncryptedColumn[]> {
  const rows = await warehouse.query(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_catalog = current_database() ORDER BY table_name, ordinal_position`,
  );
  const columnsOf = new Map<string, Set<string>>();
  for (const row of rows) {
    const table = String(row.table_name);
    if (!columnsOf.has(table)) columnsOf.set(table, new Set());
    columnsOf.get(table)!.add(String(row.column_name));
  }
  const found: EncryptedColumn[] = [];
  for (const row of rows) {
    const table = String(row.table_name);
    const column = String(row.column_name);
    if (classifyColumn(table, column).protection !== 'encrypted' && !column.endsWith('_enc')) continue;
    const contextSql = table === 'quarantine' ? QUARANTINE_CONTEXT_SQL : columnsOf.get(table)!.has('customer_id') ? 'customer_id' : null;
    found.push({ table, column, contextSql });
  }
  return found;
}

/**
 * Base tables with a `customer_id` column (tokens): every place a customer's
 * rows can be, found from the catalogue so tables added later are covered.
 */
export async function listCustomerTables(warehouse: Warehouse): Promise<string[]> {
  const rows = await warehouse.query(
    `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema AND t.table_catalog = c.table_catalog
     WHERE c.table_schema = 'main' AND c.table_catalog = current_database() AND t.table_type = 'BASE TABLE' AND c.column_name = 'customer_id' ORDER BY c.table_name`,
  );
  return rows.map((r) => String(r.table_name));
}
