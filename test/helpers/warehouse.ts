import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';

/**
 * An in-memory warehouse with the schema applied, on DuckDB threads (default 2) — never more than CLVKIT_DUCKDB_THREADS,
 * which vitest.config.ts sets to 1 for the whole suite (on tiny tables the second thread costs more than it saves).
 */
export function memoryWarehouse(threads = 2): Promise<Warehouse> {
  return openDuckDbWarehouse(':memory:', { threads });
}

/** `use` on a fresh in-memory warehouse of one DuckDB thread (`memoryWarehouse(1)`), closed after whatever happens. */
export async function withMemoryWarehouse<T>(use: (warehouse: Warehouse) => Promise<T>): Promise<T> {
  const warehouse = await memoryWarehouse(1);
  try {
    return await use(warehouse);
  } finally {
    await warehouse.close();
  }
}

const STATEMENT_CALLS = new Set(['execute', 'query', 'queryColumns', 'stream', 'append']);

/**
 * The warehouse, and a view of it that records every statement sent through it (execute, query, queryColumns, stream;
 * an append as `append <table>`), the warehouse's own included: its other methods run against the view, so a
 * transaction's BEGIN and COMMIT are recorded too.
 */
export function countingStatements(warehouse: Warehouse): { counted: Warehouse; statements: string[] } {
  const statements: string[] = [];
  const counted: Warehouse = new Proxy(warehouse, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof value !== 'function') return value;
      if (!STATEMENT_CALLS.has(String(key))) return value.bind(receiver);
      return (sql: string, ...rest: unknown[]) => {
        statements.push(key === 'append' ? `append ${sql}` : sql);
        return value.call(target, sql, ...rest);
      };
    },
  });
  return { counted, statements };
}

/** [order id (null: none), customer, time ('YYYY-MM-DD HH:MM:SS[.mmm]'), amount] */
export type PurchaseLine = readonly [string | null, string, string, number];

/** Purchase lines into `transactions` of a warehouse (DuckDB SQL), numbered from 1 in source 's', no returns or outliers. */
export async function insertPurchaseLines(warehouse: Warehouse, lines: ReadonlyArray<PurchaseLine>): Promise<void> {
  const values = lines.map(([order, customer, ts, amount], i) => `(${order === null ? 'NULL' : `'${order}'`}, '${customer}', TIMESTAMP '${ts}', ${amount}, false, false, 1, 's', ${i + 1}, 'h${i}')`);
  await warehouse.execute(`INSERT INTO transactions (order_id, customer_id, ts, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES ${values.join(', ')}`);
}

/** Writes `lines` (one per line, a newline after the last) to `dir`/`name`; returns the path. */
export function writeLines(dir: string, name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** A fresh temporary folder for files a test writes. */
export function scratchDir(prefix = 'clvkit-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The warehouse and scratch folder of the running test (see `useScratchWarehouse`). */
export interface ScratchWarehouse {
  readonly warehouse: Warehouse;
  readonly dir: string;
}

export interface ScratchWarehouseOptions {
  /** a warehouse file (`wh.duckdb` in the scratch folder) instead of an in-memory one */
  readonly file?: boolean;
  /**
   * DuckDB threads of the warehouse (default 2), capped by CLVKIT_DUCKDB_THREADS as `memoryWarehouse` says
   */
  readonly threads?: number;
}

/**
 * Gives every test of the calling `describe` block a fresh warehouse and a
 * fresh scratch folder (registered `beforeEach`), and closes and deletes
 * both after it (`afterEach`). Read them through the returned object inside
 * a test: `const scratch = useScratchWarehouse(); … ingestFiles(scratch.warehouse, [join(scratch.dir, 'a.csv')])`.
 */
export function useScratchWarehouse(options: ScratchWarehouseOptions = {}): ScratchWarehouse {
  let warehouse: Warehouse | undefined;
  let dir: string | undefined;
  beforeEach(async () => {
    dir = scratchDir();
    const threads = options.threads ?? 2;
    warehouse = options.file ? await openDuckDbWarehouse(join(dir, 'wh.duckdb'), { threads }) : await memoryWarehouse(threads);
  });
  afterEach(async () => {
    await warehouse?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    warehouse = undefined;
    dir = undefined;
  });
  const current = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useScratchWarehouse: the ${what} exists only while a test runs`);
    return value;
  };
  return {
    get warehouse() {
      return current(warehouse, 'warehouse');
    },
    get dir() {
      return current(dir, 'scratch folder');
    },
  };
}

export const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;
export const DEMO_FILE = new URL('../../data/online-retail/online_retail.csv.gz', import.meta.url).pathname;
