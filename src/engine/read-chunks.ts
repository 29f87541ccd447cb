import type { ColumnarResult, Warehouse } from './warehouse.js';

/** Rows per round trip between the engine and TypeScript for per-value work (hashing, encryption). */
export const CHUNK_ROWS = 100_000;

/**
 * Numbers the rows of a query into a scratch table (`n` = 1, 2, …) and hands
 * them to `work` in chunks of `size` rows as columns, so per-value work in
 * TypeScript never holds more than one chunk. Returns the rows handled.
 */
export async function forEachChunk(
  warehouse: Warehouse,
  scratchTable: string,
  sql: string,
  work: (chunk: ColumnarResult) => Promise<void>,
  size = CHUNK_ROWS,
): Promise<number> {
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${scratchTable} AS SELECT row_number() OVER () AS n, * FROM (${sql}) s`);
  try {
    const [count] = await warehouse.query(`SELECT count(*) AS n FROM ${scratchTable}`);
    const total = Number(count!.n);
    for (let start = 0; start < total; start += size) {
      const chunk = await warehouse.queryColumns(`SELECT * FROM ${scratchTable} WHERE n > ${start} AND n <= ${start + size} ORDER BY n`);
      await work(chunk);
    }
    return total;
  } finally {
    await warehouse.execute(`DROP TABLE IF EXISTS ${scratchTable}`);
  }
}

/** A text column of a chunk (null stays null). */
export function textColumn(chunk: ColumnarResult, name: string): (string | null)[] {
  const column = chunk.columns[name];
  if (!column) throw new Error(`chunk has no column ${name}`);
  return Array.from(column as ArrayLike<unknown>, (v) => (v === null || v === undefined ? null : String(v)));
}
