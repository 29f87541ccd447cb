import { openDuckDbWarehouse } from '../engine/duckdb-warehouse.js';
import type { Warehouse } from '../engine/warehouse.js';
import { inspectSource } from './inspect-source.js';
import { peekSourceColumns } from './peek-source-columns.js';

/**
 * One `--map` for an analysis that reads files of several kinds (orders, profiles, events), as a map per kind: an
 * entry naming a column goes to the kinds whose files have that column (`--map email=contact` reaches the profile
 * file with a `contact` column and is not looked for in the orders file); an entry no file has, and an entry by
 * position, go to every kind, where the ingest refuses a missing column as before, naming it. Names match as
 * `matchColumnRoles` matches them (exactly, else ignoring case).
 *
 * The files' columns are read with `warehouse` (Parquet schemas), or an in-memory DuckDB when none is given (a
 * cluster's analysis).
 *
 * Example: `splitColumnMap([['orders.csv'], ['profiles.csv']], { email: 'contact' })` → `[{}, { email: 'contact' }]`
 */
export async function splitColumnMap(groups: readonly (readonly string[])[], map: Readonly<Record<string, string>>, warehouse?: Warehouse): Promise<Record<string, string>[]> {
  const present = groups.filter((paths) => paths.length > 0).length;
  if (present < 2 || Object.keys(map).length === 0) return groups.map(() => ({ ...map }));
  const reader = warehouse ?? (await openDuckDbWarehouse(':memory:'));
  let columns: Set<string>[];
  try {
    columns = [];
    for (const paths of groups) {
      const names: string[] = [];
      for (const path of paths) names.push(...(await peekSourceColumns(reader, inspectSource(path))));
      columns.push(new Set(names.map((c) => c.toLowerCase())));
    }
  } finally {
    if (!warehouse) await reader.close();
  }
  const split = groups.map((): Record<string, string> => ({}));
  for (const [role, column] of Object.entries(map)) {
    const holders = groups.map((_, i) => i).filter((i) => columns[i]!.has(column.toLowerCase()));
    for (const i of /^\d+$/.test(column) || holders.length === 0 ? groups.map((_, j) => j) : holders) split[i]![role] = column;
  }
  return split;
}
