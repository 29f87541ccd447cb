import { resolve } from 'node:path';

/**
 * Where `clvkit serve --db <db>` keeps its ingest write-ahead log: `<db>.ingest-wal/` beside the warehouse file (on
 * ClickHouse, beside the state file; absolute; `<db>.wal` is DuckDB's own). Node's path only: the CLI names it at
 * start-up cost nil.
 */
export function writeAheadLogFolder(db: string): string {
  return `${resolve(db)}.ingest-wal`;
}
