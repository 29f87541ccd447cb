/** Two rewrites `toClickHouseSql` (clickhouse-warehouse.ts) applies to the SQL every engine shares. */
import { outsideLiterals } from './sql-literals.js';

/** ClickHouse 18.16 casts NULL only to a Nullable type: `CAST(NULL AS DOUBLE)` → `CAST(NULL AS Nullable(DOUBLE))`. */
export function nullableNullCasts(sql: string): string {
  return outsideLiterals(sql, (part) => part.replace(/CAST\(\s*NULL\s+AS\s+([A-Za-z0-9_]+)\s*\)/gi, 'CAST(NULL AS Nullable($1))'));
}

/**
 * `x [NOT] IN (SELECT …)` as `x GLOBAL [NOT] IN (SELECT …)`: the subquery runs
 * once on the entry node and its result goes to every shard, so a query over
 * a sharded table may test against a table only the entry node holds (the
 * derived tables of an analysis).
 */
export function globalIn(sql: string): string {
  return outsideLiterals(sql, (part) => part.replace(/(?<!GLOBAL\s+)\b(NOT\s+)?IN(\s*\(\s*SELECT\b)/gi, (_match, not: string | undefined, rest: string) => `GLOBAL ${not ?? ''}IN${rest}`));
}
