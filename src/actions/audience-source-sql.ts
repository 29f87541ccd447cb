import { DERIVED_TABLES } from '../engine/derived-tables.js';
import type { SqlDialect } from '../engine/sql-dialect.js';

/**
 * The FROM clause an audience filter runs on: `customer_summary s` and each
 * other derived table it needs LEFT JOINed under its catalogue alias (the
 * aliases `compileWhereExpression` writes).
 *
 * Example: `audienceSourceSql(duckdbDialect, ['customer_stages'])` → `customer_summary s LEFT JOIN "customer_stages" g ON g.customer_id = s.customer_id`
 */
export function audienceSourceSql(d: SqlDialect, tables: readonly string[]): string {
  const joins = DERIVED_TABLES.filter((t) => t.name !== 'customer_summary' && tables.includes(t.name))
    .map((t) => ` LEFT JOIN ${d.identifier(t.name)} ${t.alias} ON ${t.alias}.customer_id = s.customer_id`)
    .join('');
  return `customer_summary s${joins}`;
}
