import type { Row, Warehouse } from './warehouse.js';

/** Characters a `UNION ALL` batch may reach: well under ClickHouse's `max_query_size` (256 KiB), whose excess fails a statement. */
export const UNION_CHARS = 100_000;

/**
 * `parts` (SELECTs of the same columns) joined with `UNION ALL` into as few statements as fit `UNION_CHARS` each, in
 * order (a part longer than that alone): one round trip per batch instead of one per part — on a cluster each is a
 * request with its own latency.
 *
 * Returns each statement with the indexes (in `parts`) of the parts it holds.
 *
 * Example: `unionAllBatches(['SELECT 1 AS n', 'SELECT 2 AS n'])` → `[{ sql: 'SELECT 1 AS n UNION ALL SELECT 2 AS n', parts: [0, 1] }]`
 */
export function unionAllBatches(parts: readonly string[], chars = UNION_CHARS): { sql: string; parts: number[] }[] {
  const batches: number[][] = [];
  let size = 0;
  parts.forEach((part, i) => {
    const last = batches.at(-1);
    if (last && size + part.length + 11 <= chars) {
      last.push(i);
      size += part.length + 11;
    } else {
      batches.push([i]);
      size = part.length;
    }
  });
  return batches.map((batch) => ({ sql: batch.map((i) => parts[i]!).join(' UNION ALL '), parts: batch }));
}

/**
 * `SELECT count(*) FROM table WHERE condition` of each check, in their order, in one query (a UNION ALL of the counts,
 * as few as fit: `unionAllBatches`); refused, each is counted alone, so a count that fails fails with its own statement.
 *
 * Example: `await countRowsWhere(wh, [['transactions', 'ts < …'], ['events', 'ts < …']])` → `[120, 0]`
 */
export async function countRowsWhere(warehouse: Warehouse, checks: readonly (readonly [string, string])[]): Promise<number[]> {
  const rows = await queryOneRowEach(
    warehouse,
    checks.map(([table, where]) => `SELECT count(*) AS n FROM ${table} WHERE ${where}`),
    ['n'],
  );
  return rows.map((row) => Number(row.n));
}

/**
 * The rows of each table of `tables` (names, quoted here), in their order, in one query (as `countRowsWhere` counts).
 *
 * Example: `await countRows(wh, ['transactions', 'events'])` → `[120, 0]`
 */
export async function countRows(warehouse: Warehouse, tables: readonly string[]): Promise<number[]> {
  const rows = await queryOneRowEach(warehouse, tables.map((table) => `SELECT count(*) AS n FROM ${warehouse.dialect.identifier(table)}`), ['n']);
  return rows.map((row) => Number(row.n));
}

/**
 * The rows of each of `statements` (each giving the columns `columns`), in their order, in one query (a UNION ALL, as
 * few as fit: `unionAllBatches`, each row labelled with its statement); refused, each is asked alone, so one that
 * fails fails with its own statement.
 *
 * Example: `await queryRowsEach(wh, ['SELECT customer_id, count(*) AS n FROM a GROUP BY 1', …], ['customer_id', 'n'])` → `[[{ customer_id: 'c1', n: 3 }], …]`
 */
export async function queryRowsEach(warehouse: Warehouse, statements: readonly string[], columns: readonly string[]): Promise<Row[][]> {
  const rows = statements.map((): Row[] => []);
  for (const batch of unionAllBatches(statements.map((sql, i) => `SELECT ${i} AS t, ${columns.join(', ')} FROM (${sql}) c${i}`))) {
    try {
      for (const row of await warehouse.query(batch.sql)) rows[Number(row.t)]!.push(Object.fromEntries(columns.map((column) => [column, row[column]])));
    } catch {
      for (const i of batch.parts) rows[i] = await warehouse.query(statements[i]!);
    }
  }
  return rows;
}

/**
 * The one row of each of `statements` (aggregates without GROUP BY, each giving the columns `columns`), in their
 * order, as `queryRowsEach` asks them.
 *
 * Example: `await queryOneRowEach(wh, ['SELECT count(*) AS n FROM a', 'SELECT count(*) AS n FROM b'], ['n'])` → `[{ n: 3 }, { n: 0 }]`
 */
export async function queryOneRowEach(warehouse: Warehouse, statements: readonly string[], columns: readonly string[]): Promise<Row[]> {
  return (await queryRowsEach(warehouse, statements, columns)).map((rows) => rows[0]!);
}
