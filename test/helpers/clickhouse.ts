import { afterAll, beforeAll, expect } from 'vitest';
import { openClickHouseWarehouse, type ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import type { ClickHouseWarehouseOptions } from '../../src/engine/clickhouse/cluster-connection.js';
import { copyTableToClickHouse } from '../../src/engine/clickhouse/copy-table-to-clickhouse.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import type { Row, Warehouse } from '../../src/engine/warehouse.js';
import { tableExists } from '../../src/features/table-exists.js';
import { memoryWarehouse } from './warehouse.js';

/** The entry node of a ClickHouse cluster for the engine tests (`scripts/clickhouse-cluster.sh start DIR` prints it); unset → those tests are skipped. */
export const CLICKHOUSE_URL = process.env.CLVKIT_CLICKHOUSE_URL ?? '';
export const CLICKHOUSE_SKIP_REASON = 'no ClickHouse server: set CLVKIT_CLICKHOUSE_URL (scripts/clickhouse-cluster.sh start DIR prints it; .ci/run does this)';
if (!CLICKHOUSE_URL) console.warn(`ClickHouse tests skipped — ${CLICKHOUSE_SKIP_REASON}`);

/** A ClickHouse warehouse in a fresh database of its own (drop it with `dropDatabase`); `onStatement` sees each statement it sends. */
export function clickhouseWarehouse(name: string, options: Pick<ClickHouseWarehouseOptions, 'onStatement'> = {}): Promise<ClickHouseWarehouse> {
  return openClickHouseWarehouse(CLICKHOUSE_URL, { database: `clvkit_test_${name}_${process.pid}`, ...(process.env.CLVKIT_CLICKHOUSE_CLUSTER ? { cluster: process.env.CLVKIT_CLICKHOUSE_CLUSTER } : {}), ...options });
}

/** Drops a scratch database made by `clickhouseWarehouse` and closes its connection; nothing when the set-up failed before making it. */
export async function dropScratchDatabase(clickhouse: ClickHouseWarehouse | undefined): Promise<void> {
  await clickhouse?.dropDatabase();
  await clickhouse?.close();
}

/** The `--engine clickhouse` flags of a command on the database (and `--cluster` when CLVKIT_CLICKHOUSE_CLUSTER names one, as `clickhouseWarehouse` takes it). */
export function clickhouseFlags(database: string): string[] {
  const cluster = process.env.CLVKIT_CLICKHOUSE_CLUSTER;
  return ['--engine', 'clickhouse', '--clickhouse-url', CLICKHOUSE_URL, '--clickhouse-database', database, ...(cluster ? ['--cluster', cluster] : [])];
}

/**
 * Copies tables of a DuckDB warehouse row for row into the ClickHouse database (sharded by customer, created from
 * their DuckDB declarations): those named, in that order, each of which must exist — or, without names, every base
 * table. Returns the rows added per table.
 */
export async function copyTablesToClickHouse(source: Warehouse, target: ClickHouseWarehouse, tables?: readonly string[]): Promise<Record<string, number>> {
  const names = tables ?? (await source.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name")).map((r) => String(r.table_name));
  const copied: Record<string, number> = {};
  for (const table of names) copied[table] = await copyTableToClickHouse(source, target, table);
  return copied;
}

/**
 * A fresh ClickHouse database (`clickhouseWarehouse(name)`) holding a copy of the DuckDB warehouse file `db`: the
 * tables of `tables` that the file has (a run's derived tables, some of which an analysis may not have made), or
 * every base table without. The database is dropped again when the copy fails.
 */
export async function clickhouseCopyOfFile(db: string, name: string, tables?: readonly string[]): Promise<ClickHouseWarehouse> {
  const clickhouse = await clickhouseWarehouse(name);
  const duck = await openDuckDbWarehouse(db);
  try {
    const present: string[] = [];
    for (const table of tables ?? []) if (await tableExists(duck, table)) present.push(table);
    await copyTablesToClickHouse(duck, clickhouse, tables ? present : undefined);
    return clickhouse;
  } catch (error) {
    await dropScratchDatabase(clickhouse);
    throw error;
  } finally {
    await duck.close();
  }
}

/** The two warehouses of a two-engine `describe` block (see `useTwoEngines`). */
export interface TwoEngines {
  /** the in-memory DuckDB warehouse */
  readonly duck: Warehouse;
  /** a fresh database on the cluster, holding the copied tables */
  readonly clickhouse: ClickHouseWarehouse;
  /** the rows copied per table */
  readonly copied: Readonly<Record<string, number>>;
}

export interface TwoEnginesOptions {
  /** fills the DuckDB warehouse (ingest, inserts) before the cluster's database is made */
  readonly fill?: (duck: Warehouse) => Promise<unknown>;
  /** the DuckDB tables then copied to the cluster, row for row (each must exist) */
  readonly copy?: readonly string[];
  /** the time the set-up may take, in ms (vitest's hook timeout by default) */
  readonly timeout?: number;
  /** DuckDB threads of the in-memory warehouse (default 2; 1 for a test of small ingests: `memoryWarehouse`) */
  readonly threads?: number;
}

/**
 * The set-up of a test comparing the engines: registers, in the calling `describe` block, a `beforeAll` that opens an
 * in-memory DuckDB warehouse, fills it (`fill`), makes a fresh ClickHouse database `name` (`clickhouseWarehouse`) and
 * copies the `copy` tables into it, and an `afterAll` that drops that database and closes both. A `beforeAll`
 * registered after this call runs after this set-up (vitest's hooks run in order). Read the warehouses through the
 * returned object inside a hook or test: `const engines = useTwoEngines('summary', { fill, copy: ['transactions'] }); …
 * engines.duck.query(sql)`.
 */
export function useTwoEngines(name: string, options: TwoEnginesOptions = {}): TwoEngines {
  let duck: Warehouse | undefined;
  let clickhouse: ClickHouseWarehouse | undefined;
  let copied: Record<string, number> | undefined;
  beforeAll(async () => {
    duck = await memoryWarehouse(options.threads);
    await options.fill?.(duck);
    clickhouse = await clickhouseWarehouse(name);
    copied = await copyTablesToClickHouse(duck, clickhouse, options.copy ?? []);
  }, options.timeout);
  afterAll(async () => {
    await dropScratchDatabase(clickhouse);
    await duck?.close();
  });
  const current = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useTwoEngines: the ${what} exists only once the set-up has run (inside a hook or test)`);
    return value;
  };
  return {
    get duck() {
      return current(duck, 'DuckDB warehouse');
    },
    get clickhouse() {
      return current(clickhouse, 'ClickHouse warehouse');
    },
    get copied() {
      return current(copied, 'copy');
    },
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true; // ±Infinity (a lifespan of a stage nobody leaves) equals itself
  if (a === null || b === null) return a === b;
  // ClickHouse has no BOOLEAN: a boolean column comes back as UInt8 0/1
  if (typeof a === 'boolean' && typeof b === 'number') return Number(a) === b;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    if (Number.isInteger(a) && Number.isInteger(b)) return a === b;
    return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  }
  return a === b;
}

/** Both result sets hold the same rows (ordered by `key`): integers exact, floats within 1e-9 relative, dates to the second. */
export function expectSameRows(duckRows: readonly Row[], clickhouseRows: readonly Row[], key: readonly string[]): void {
  const order = (rows: readonly Row[]) =>
    [...rows].sort((x, y) => {
      for (const k of key) {
        const [a, b] = [x[k], y[k]];
        const [p, q] = [a instanceof Date ? a.getTime() : a, b instanceof Date ? b.getTime() : b];
        if (p! < q!) return -1;
        if (p! > q!) return 1;
      }
      return 0;
    });
  const [d, c] = [order(duckRows), order(clickhouseRows)];
  expect(c.length).toBe(d.length);
  expect(Object.keys(c[0] ?? {})).toEqual(Object.keys(d[0] ?? {}));
  const mismatches: string[] = [];
  d.forEach((row, i) => {
    for (const name of Object.keys(row)) {
      if (!sameValue(row[name], c[i]![name])) mismatches.push(`row ${i} (${key.map((k) => String(row[k])).join(', ')}) ${name}: duckdb ${String(row[name])} clickhouse ${String(c[i]![name])}`);
    }
  });
  expect(mismatches.slice(0, 10)).toEqual([]);
}

/** Paths where two JSON-like values differ: numbers within 1e-9 relative (integers exact), everything else equal. */
export function differences(a: unknown, b: unknown, path = ''): string[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${path}: length ${a.length} vs ${b.length}`];
    return a.flatMap((value, i) => differences(value, b[i], `${path}[${i}]`));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !(a instanceof Date) && !(b instanceof Date)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((key) => differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`));
  }
  return sameValue(a, b) || (a === undefined && b === undefined) ? [] : [`${path}: ${String(a)} vs ${String(b)}`];
}

/** `value` without its timing fields (`timingMs`, `timingsMs`, `elapsedMs`, at any depth): what two engines' runs must share. */
export function withoutTimings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimings);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !/timings?Ms|elapsedMs/.test(key)).map(([key, v]) => [key, withoutTimings(v)]));
}
