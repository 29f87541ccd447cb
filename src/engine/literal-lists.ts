import type { SqlDialect } from './sql-dialect.js';

/** Values per list: an IN list of a few thousand literals stays a short statement on both engines. */
const LIST_SIZE = 5_000;

/**
 * `values` as comma-separated SQL literal lists of at most 5,000 each, for `… IN (list)` a chunk at a time where no
 * join is possible (across engines or shards, or over HTTP without temporary tables).
 *
 * Example: `literalLists(d, ['c_a', 'c_b'])` → `["'c_a', 'c_b'"]`
 */
export function literalLists(dialect: SqlDialect, values: readonly string[]): string[] {
  const lists: string[] = [];
  for (let i = 0; i < values.length; i += LIST_SIZE) lists.push(values.slice(i, i + LIST_SIZE).map((value) => dialect.literal(value)).join(', '));
  return lists;
}
