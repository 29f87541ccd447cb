import { expect } from 'vitest';
import { openClickHouseWarehouse, type ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import type { Row } from '../../src/engine/warehouse.js';

/** The entry node of a ClickHouse cluster for the engine tests (`scripts/clickhouse-cluster.sh start DIR` prints it); unset → those tests are skipped. */
export const CLICKHOUSE_URL = process.env.CLVKIT_CLICKHOUSE_URL ?? '';
export const CLICKHOUSE_SKIP_REASON = 'no ClickHouse server: set CLVKIT_CLICKHOUSE_URL (scripts/clickhouse-cluster.sh start DIR prints it; .ci/run does this)';
if (!CLICKHOUSE_URL) console.warn(`ClickHouse tests skipped — ${CLICKHOUSE_SKIP_REASON}`);

/** A ClickHouse warehouse in a fresh database of its own (drop it with `dropDatabase`). */
export function clickhouseWarehouse(name: string): Promise<ClickHouseWarehouse> {
  return openClickHouseWarehouse(CLICKHOUSE_URL, { database: `clvkit_test_${name}_${process.pid}`, ...(process.env.CLVKIT_CLICKHOUSE_CLUSTER ? { cluster: process.env.CLVKIT_CLICKHOUSE_CLUSTER } : {}) });
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
