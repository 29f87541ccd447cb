/**
 * ClickHouse 18.16 sends a query whose left table is Distributed to every
 * shard as it is, and there a JOIN condition on the left table's alias
 * (`FROM customers c JOIN x s ON s.customer_id = c.customer_id`) fails with
 * "Unknown identifier: c.customer_id", and a right-hand table only the entry
 * node holds is missing. In a statement with a JOIN, each aliased reference
 * to a sharded table is therefore read as a subquery (`FROM (SELECT * FROM
 * customers) c`): the shards send its rows, and the join runs on the entry
 * node. Statements without a JOIN are left alone (their aggregation stays
 * on the shards).
 *
 * Example: `materialiseJoinedShards('SELECT … FROM customers c JOIN s ON …', new Set(['customers']))`
 * → `'SELECT … FROM (SELECT * FROM customers) c JOIN s ON …'`
 */
import { maskLiterals, outsideLiterals } from './sql-literals.js';

const NOT_AN_ALIAS = /^(WHERE|GROUP|ORDER|HAVING|LIMIT|UNION|JOIN|LEFT|RIGHT|INNER|FULL|CROSS|ANY|ALL|GLOBAL|ON|USING|SETTINGS|FORMAT|PREWHERE|FINAL|SAMPLE|ARRAY)$/i;

export function materialiseJoinedShards(sql: string, sharded: ReadonlySet<string>): string {
  if (sharded.size === 0 || !/\bJOIN\b/i.test(maskLiterals(sql))) return sql;
  return outsideLiterals(sql, (part) => part.replace(/\b(FROM|JOIN)(\s+)([A-Za-z_][A-Za-z0-9_]*)(\s+)(AS\s+)?([A-Za-z_][A-Za-z0-9_]*)\b/gi, (match, keyword: string, space: string, table: string, gap: string, as: string | undefined, alias: string) => {
    if (!sharded.has(table.toLowerCase()) || NOT_AN_ALIAS.test(alias)) return match;
    return `${keyword}${space}(SELECT * FROM ${table})${gap}${as ?? ''}${alias}`;
  }));
}
