import type { ColumnarResult, Warehouse } from './warehouse.js';

/** Rows per round trip between the engine and TypeScript for per-value work (hashing, encryption). */
export const CHUNK_ROWS = 100_000;

/**
 * Copies the rows of a query into a scratch table and hands them to `work`
 * in chunks of `size` rows as columns (with `pos`, see `forEachTableChunk`),
 * so per-value work in TypeScript never holds more than one chunk. Returns
 * the rows handled.
 */
export async function forEachChunk(
  warehouse: Warehouse,
  scratchTable: string,
  sql: string,
  work: (chunk: ColumnarResult) => Promise<void>,
  size = CHUNK_ROWS,
): Promise<number> {
  const numbered = warehouse.dialect.name === 'clickhouse';
  // ClickHouse has no rowid: the rows are numbered (0-based `chunk_row`) as they are copied, and chunks cut by that number
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${scratchTable} AS SELECT *${numbered ? ', toInt64(rowNumberInAllBlocks()) AS chunk_row' : ''} FROM (${sql}) s`);
  try {
    if (!numbered) return await forEachTableChunk(warehouse, scratchTable, '*', work, size);
    const [held] = await warehouse.query(`SELECT count(*) AS n FROM ${scratchTable}`);
    const rows = Number(held!.n);
    for (let start = 0; start < rows; start += size) {
      const chunk = await warehouse.queryColumns(`SELECT chunk_row AS pos, * FROM ${scratchTable} WHERE chunk_row >= ${start} AND chunk_row < ${start + size}`);
      if (chunk.rowCount > 0) await work(chunk);
    }
    return rows;
  } finally {
    await warehouse.execute(`DROP TABLE IF EXISTS ${scratchTable}`);
  }
}

/**
 * The smallest row id of a table, as SQL text (row ids written inside a
 * transaction start near 2^62, beyond exact JavaScript numbers), or null
 * when the table is empty.
 */
export async function firstRowId(warehouse: Warehouse, table: string): Promise<string | null> {
  const [row] = await warehouse.query(`SELECT CAST(min(rowid) AS VARCHAR) AS first FROM ${table}`);
  return row?.first === null || row?.first === undefined ? null : String(row.first);
}

/**
 * Hands the rows of a freshly written table (no deletes) to `work` in
 * chunks of at most `size` rows, cut by row id (no numbering pass, no sort),
 * as the columns `select` lists plus `pos`, the row's 0-based position in
 * the table (`rowid − firstRowId`, to join results back). Returns the rows
 * handled.
 *
 * Example: `forEachTableChunk(wh, 'clv_rows', 'raw', async (chunk) => …)` → chunks with columns `pos`, `raw`
 */
export async function forEachTableChunk(
  warehouse: Warehouse,
  table: string,
  select: string,
  work: (chunk: ColumnarResult) => Promise<void>,
  size = CHUNK_ROWS,
): Promise<number> {
  const first = await firstRowId(warehouse, table);
  if (first === null) return 0;
  const [bounds] = await warehouse.query(`SELECT count(*) AS n, max(rowid) - ${first} AS span FROM ${table}`);
  const span = Number(bounds!.span);
  for (let start = 0; start <= span; start += size) {
    const chunk = await warehouse.queryColumns(`SELECT rowid - ${first} AS pos, ${select} FROM ${table} WHERE rowid >= ${first} + ${start} AND rowid < ${first} + ${start + size}`);
    if (chunk.rowCount > 0) await work(chunk);
  }
  return Number(bounds!.n);
}

/**
 * Hands every row of `table` to `work` in batches of at most `size` rows,
 * as all its columns (`SELECT *`, nothing added), cut by row id (DuckDB):
 * a copy of a table of any size holds one batch at a time, in the engine's
 * result and in JavaScript. Deleted rows leave gaps, never a larger batch;
 * past an empty range the next batch starts at the next row id held (row
 * ids written inside a transaction start near 2^62: no range is stepped
 * through empty). Returns the rows handled.
 *
 * Example: `forEachTableBatch(local, 'transactions', async (batch) => cluster.append(staging, batch.columns))`
 */
export async function forEachTableBatch(warehouse: Warehouse, table: string, work: (batch: ColumnarResult) => Promise<void>, size = CHUNK_ROWS): Promise<number> {
  const first = await firstRowId(warehouse, table);
  if (first === null) return 0;
  let start: string | null = first; // a row id, as SQL text (beyond exact JavaScript numbers)
  let rows = 0;
  while (start !== null) {
    const batch = await warehouse.queryColumns(`SELECT * FROM ${table} WHERE rowid >= ${start} AND rowid < ${start} + ${size}`);
    if (batch.rowCount > 0) {
      rows += batch.rowCount;
      await work(batch);
    }
    const [next] = await warehouse.query(`SELECT CAST(min(rowid) AS VARCHAR) AS next FROM ${table} WHERE rowid >= ${start} + ${size}`);
    start = next?.next === null || next?.next === undefined ? null : String(next.next);
  }
  return rows;
}

/** A text column of a chunk (null stays null). */
export function textColumn(chunk: ColumnarResult, name: string): (string | null)[] {
  const column = chunk.columns[name];
  if (!column) throw new Error(`chunk has no column ${name}`);
  return Array.from(column as ArrayLike<unknown>, (v) => (v === null || v === undefined ? null : String(v)));
}
