import type { SqlDialect } from './sql-dialect.js';

/** A value as it comes out of a query: BIGINTs are numbers, timestamps are Dates. */
export type SqlValue = string | number | boolean | Date | null;
export type Row = Record<string, SqlValue>;

/** A query result as columns: numeric columns as Float64Array (NULL → NaN), the rest as arrays. */
export interface ColumnarResult {
  readonly names: readonly string[];
  readonly rowCount: number;
  readonly columns: Readonly<Record<string, Float64Array | readonly SqlValue[]>>;
}

/** Column data to append in bulk: one array per column, all the same length. */
export type AppendColumns = Record<string, ArrayLike<number> | readonly (string | number | boolean | Date | null)[]>;

/**
 * The engine-neutral warehouse every step talks to: DuckDB on a laptop
 * (duckdb-warehouse.ts), ClickHouse on a cluster. Heavy row-level work is
 * sent as SQL; TypeScript receives compact results.
 */
export interface Warehouse {
  readonly dialect: SqlDialect;
  /** a file path, or ':memory:' */
  readonly location: string;
  /** run statements that return nothing of interest */
  execute(sql: string): Promise<void>;
  /** run a query and return all rows as objects */
  query(sql: string): Promise<Row[]>;
  /** run a query and return typed columns */
  queryColumns(sql: string): Promise<ColumnarResult>;
  /** run a query and hand its rows to `onRows` chunk by chunk, never holding the whole result */
  stream(sql: string, onRows: (rows: Row[]) => void | Promise<void>): Promise<number>;
  /** append rows to an existing table through the engine's bulk path */
  append(table: string, columns: AppendColumns): Promise<number>;
  /**
   * write a query's result to a CSV file with a header row; returns the rows written. Every engine writes the same
   * bytes for the same values: DuckDB's COPY form — floats as `doubleCsvText` (csv-number-text.ts), NULL as an empty
   * cell, an empty text as `""`, text quoted when it holds a quote, comma or line break
   */
  exportCsv(sql: string, path: string): Promise<number>;
  /** run `work` atomically: everything or nothing */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** stop the statement running now, which then fails (its transaction is rolled back by `transaction`); nothing when none runs. Engines that cannot leave it out. */
  interrupt?(): void;
  /**
   * DuckDB in memory, whose spill directory is the relative default (`.tmp`): spill from now on into a fresh folder of
   * the warehouse's own under the system temp (owner-only: `freshSpillFolder`), held by it and removed with what it
   * holds when it closes; an engine that has used its directory already keeps it. `withEngineMemoryLimit` asks it
   * before lowering the memory limit. Engines that spill nowhere leave it out; a warehouse that wraps another passes it on.
   */
  spillToFreshFolder?(): Promise<void>;
  /** whether a table or view of this name exists, as `information_schema.tables` says, when the engine can answer it cheaper (a cluster's kept catalog); `tableExists` asks the view otherwise */
  tableExists?(name: string): Promise<boolean>;
  close(): Promise<void>;
}
