/**
 * ClickHouse 18.16 has no `information_schema`; the engine-neutral code asks
 * it which tables and columns exist. These views over `system.tables` and
 * `system.columns` answer the same questions for the warehouse's database:
 * one row per table a query sees (the shards' `_local` tables are hidden:
 * the Distributed table is the one to read; so are the staging tables of an
 * append or ingest copy, `…__staging_…`, and the Memory tables doubles pass
 * through, `…__exact_…`: not data yet, never to be read or rewritten — the
 * erasure counts them on each shard itself, scratch-leases.ts — and the
 * shards' `scratch_leases`), schema `main` as in DuckDB,
 * catalog = the database; `ordinal_position` follows the declaration order;
 * `table_type` is `VIEW` for views and `BASE TABLE` for every table (as DuckDB says).
 */
import { outsideLiterals } from './sql-literals.js';

const TABLES = `(SELECT name AS table_name, 'main' AS table_schema, database AS table_catalog, if(engine IN ('View', 'MaterializedView', 'LiveView'), 'VIEW', 'BASE TABLE') AS table_type
  FROM system.tables WHERE database = currentDatabase() AND NOT endsWith(name, '_local') AND position(name, '__staging_') = 0 AND position(name, '__exact_') = 0 AND name != 'scratch_leases')`;

const COLUMNS = `(SELECT table AS table_name, name AS column_name, type AS data_type,
    if(startsWith(type, 'Nullable('), 'YES', 'NO') AS is_nullable, 'main' AS table_schema, database AS table_catalog,
    rowNumberInAllBlocks() + 1 AS ordinal_position
  FROM system.columns WHERE database = currentDatabase() AND NOT endsWith(table, '_local') AND position(table, '__staging_') = 0 AND position(table, '__exact_') = 0 AND table != 'scratch_leases')`;

/** `information_schema.tables` / `.columns` and `current_database()` in a statement, as ClickHouse reads them. */
export function emulateInformationSchema(sql: string): string {
  return outsideLiterals(sql, (part) =>
    part
      .replace(/\binformation_schema\.tables\b/gi, TABLES)
      .replace(/\binformation_schema\.columns\b/gi, COLUMNS)
      .replace(/\bcurrent_database\(\)/gi, 'currentDatabase()'),
  );
}
