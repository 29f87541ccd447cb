import type { Warehouse } from '../warehouse.js';
import type { ClickHouseWarehouse } from './clickhouse-warehouse.js';
import { appendAtomically } from './append-atomically.js';

/** DuckDB column types as the schema's portable types (the ones the ClickHouse DDL maps). */
export function portableType(duckdbType: string): string {
  if (duckdbType.startsWith('TIMESTAMP')) return 'TIMESTAMP';
  if (['VARCHAR', 'DOUBLE', 'BIGINT', 'INTEGER', 'BOOLEAN', 'DATE'].includes(duckdbType)) return duckdbType;
  if (duckdbType === 'FLOAT' || duckdbType.startsWith('DECIMAL')) return 'DOUBLE';
  if (/^U?(TINY|SMALL)?INT$|^UBIGINT$|^UINTEGER$/.test(duckdbType)) return 'BIGINT';
  throw new Error(`no portable type for the DuckDB type ${duckdbType}`);
}

/** The portable CREATE TABLE of a DuckDB table (its columns, types and NOT NULLs). */
export async function portableCreateTable(source: Warehouse, table: string): Promise<string> {
  const declared = await source.query(
    `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = ${source.dialect.literal(table)} ORDER BY ordinal_position`,
  );
  if (declared.length === 0) throw new Error(`portableCreateTable: no table ${table}`);
  const columns = declared.map(({ column_name, data_type, is_nullable }) => `${String(column_name)} ${portableType(String(data_type))}${is_nullable === 'NO' ? ' NOT NULL' : ''}`);
  return `CREATE TABLE ${table} (${columns.join(', ')})`;
}

/** A portable CREATE TABLE (`portableCreateTable`) as CREATE TABLE IF NOT EXISTS: a concurrent writer's creation is no failure. */
export function ifNotExists(createTable: string): string {
  return createTable.replace(/^CREATE TABLE /, 'CREATE TABLE IF NOT EXISTS ');
}

/** Creates `table` on the cluster from its DuckDB declaration in `source` when the cluster lacks it (sharded by customer where it has one). */
export async function createTableIfMissing(source: Warehouse, target: ClickHouseWarehouse, table: string): Promise<void> {
  await target.execute(ifNotExists(await portableCreateTable(source, table)));
}

/**
 * Creates those of `tables` the cluster lacks — its Distributed table on the entry node, or its `_local` table on any
 * shard — from their DuckDB declarations in `source` (`createTableIfMissing`: IF NOT EXISTS, so a concurrent writer's
 * creation is no failure); returns the tables created. One listing of the entry node and one per shard instead of a
 * CREATE … IF NOT EXISTS per table and node (an ingest sent 21 of them per file for its 7 tables, all there).
 */
export async function createTablesIfMissing(source: Warehouse, target: ClickHouseWarehouse, tables: readonly string[]): Promise<string[]> {
  if (tables.length === 0) return [];
  const d = target.dialect;
  const names = (suffix: string) => tables.map((table) => d.literal(`${table}${suffix}`)).join(', ');
  const listing = (suffix: string) => `SELECT name FROM system.tables WHERE database = ${d.literal(target.database)} AND name IN (${names(suffix)})`;
  const onEntry = new Set((await target.query(listing(''))).map((row) => String(row.name)));
  const onShards = (await target.queryOnEachShard(listing('_local'))).map((answer) => new Set(answer.split('\n')));
  const missing = tables.filter((table) => !onEntry.has(table) || onShards.some((held) => !held.has(`${table}_local`)));
  for (const table of missing) await createTableIfMissing(source, target, table);
  return missing;
}

/**
 * Copy a DuckDB table's rows into the sharded ClickHouse table of the same
 * name (created from the DuckDB declaration when missing), all or nothing;
 * returns the rows added.
 */
export async function copyTableToClickHouse(source: Warehouse, target: ClickHouseWarehouse, table: string, where = 'TRUE'): Promise<number> {
  await createTableIfMissing(source, target, table);
  const data = await source.queryColumns(`SELECT * FROM ${table} WHERE ${where}`);
  if (data.rowCount === 0) return 0;
  return appendAtomically(target, table, data.columns as never);
}
