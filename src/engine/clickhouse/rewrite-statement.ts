/**
 * Statements the engine-neutral code writes in DuckDB's form, as ClickHouse
 * (18.16) runs them. Each rewrite gives one or more statements for the entry
 * node, or a `delete` the warehouse runs as a mutation and waits for.
 *
 * - `CREATE OR REPLACE [TEMP] TABLE t AS SELECT …` → `DROP TABLE IF EXISTS t`,
 *   then `CREATE TABLE t ENGINE = MergeTree ORDER BY tuple() AS SELECT …`: a
 *   derived table of one row per customer (or per tuple) lives on the entry
 *   node, where the steps after it join it to other derived tables (18.16
 *   joins qualified names only between tables of one node).
 * - `CREATE OR REPLACE [TEMP] TABLE t (columns)` → the same, empty, with the
 *   portable types mapped (clickhouse-table-ddl.ts).
 * - `CREATE OR REPLACE TEMP VIEW v AS …` → `DROP TABLE IF EXISTS v`, `CREATE VIEW v AS …`.
 * - `DELETE FROM t WHERE …` → `{ delete: { table, where } }` (ALTER TABLE … DELETE);
 *   `DELETE FROM t` (every row) → the same with `where: '1 = 1'`.
 * - Anything else is returned as it is.
 *
 * The temp tables are ordinary tables of the warehouse's database: one
 * analysis per database at a time (as a DuckDB warehouse file has one writer).
 *
 * Example: `rewriteStatement('CREATE OR REPLACE TEMP TABLE s (x DOUBLE)')`
 * → `{ statements: ['DROP TABLE IF EXISTS s', 'CREATE TABLE s (x Nullable(Float64)) ENGINE = MergeTree ORDER BY tuple()'] }`
 */
import { clickhouseType, parsePortableCreateTable } from './clickhouse-table-ddl.js';

export type RewrittenStatement = { readonly statements: readonly string[] } | { readonly delete: { readonly table: string; readonly where: string } };

const ENTRY_ENGINE = 'ENGINE = MergeTree ORDER BY tuple()';

/** `translate` turns a query (a SELECT, perhaps with CTEs) into ClickHouse's SQL; it is applied to the query inside a CREATE … AS. */
export function rewriteStatement(sql: string, translate: (query: string) => string = (query) => query): RewrittenStatement {
  const replaceAs = /^\s*CREATE\s+OR\s+REPLACE\s+(?:TEMP\s+|TEMPORARY\s+)?TABLE\s+([A-Za-z_][A-Za-z0-9_]*)\s+AS\s+([\s\S]*)$/i.exec(sql);
  if (replaceAs) return { statements: [`DROP TABLE IF EXISTS ${replaceAs[1]}`, `CREATE TABLE ${replaceAs[1]} ${ENTRY_ENGINE} AS ${translate(replaceAs[2]!.trim())}`] };
  const replaceColumns = /^\s*CREATE\s+OR\s+REPLACE\s+(?:TEMP\s+|TEMPORARY\s+)?TABLE\s+([A-Za-z_][A-Za-z0-9_]*)\s*(\([\s\S]*\))\s*;?\s*$/i.exec(sql);
  if (replaceColumns) {
    const table = parsePortableCreateTable(`CREATE TABLE ${replaceColumns[1]} ${replaceColumns[2]}`);
    const columns = table.columns.map((c) => `${c.name} ${clickhouseType(c.type, c.notNull)}`).join(', ');
    return { statements: [`DROP TABLE IF EXISTS ${table.name}`, `CREATE TABLE ${table.name} (${columns}) ${ENTRY_ENGINE}`] };
  }
  const replaceView = /^\s*CREATE\s+OR\s+REPLACE\s+(?:TEMP\s+|TEMPORARY\s+)?VIEW\s+([A-Za-z_][A-Za-z0-9_]*)\s+AS\s+([\s\S]*)$/i.exec(sql);
  if (replaceView) return { statements: [`DROP TABLE IF EXISTS ${replaceView[1]}`, `CREATE VIEW ${replaceView[1]} AS ${translate(replaceView[2]!.trim())}`] };
  const deleteFrom = /^\s*DELETE\s+FROM\s+([A-Za-z_][A-Za-z0-9_]*)\s+WHERE\s+([\s\S]*?);?\s*$/i.exec(sql);
  if (deleteFrom) return { delete: { table: deleteFrom[1]!, where: translate(deleteFrom[2]!) } };
  const deleteAll = /^\s*DELETE\s+FROM\s+([A-Za-z_][A-Za-z0-9_]*)\s*;?\s*$/i.exec(sql);
  if (deleteAll) return { delete: { table: deleteAll[1]!, where: '1 = 1' } };
  return { statements: [translate(sql)] };
}
