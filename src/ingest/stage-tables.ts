import type { Warehouse } from '../engine/warehouse.js';

/*
 * What every stager gives the judging pass (`StagedSource`), the tables and views a stage is held in, and a source
 * copied into the staging table (`stagedTable`). The stagers: stage-source.ts (delimited files, JSON Lines, Parquet),
 * stage-xlsx.ts (workbooks).
 */

export const STAGE_TABLE = 'clv_stage';
export const REJECTS_TABLE = 'clv_stage_rejects';
/** The view over a delimited file's reader that mapping and date detection sample from. */
export const SAMPLE_VIEW = 'clv_stage_sample';
/** A delimited file's first HEAD_ROWS rows, read once into a table: most samples are taken from it. */
export const HEAD_TABLE = 'clv_stage_head';
/** Rows of a delimited file's head: as many as the largest sample (date, offset, decimal and name detection: 20,000). */
export const HEAD_ROWS = 20_000;

export interface StageOptions {
  /** field delimiter of a CSV file; detected when absent; 'whitespace' for runs of blanks */
  delimiter?: string;
  /** whether the first line is a header; detected when absent */
  header?: boolean;
}

/**
 * A source made ready for the judging pass: every value as text, in file
 * order. Most formats are copied into the staging table first; a delimited
 * file is judged straight from the engine's reader (no copy of its text is
 * held), and only its head is looked at through `sample` before that.
 */
export interface StagedSource {
  /** source column names in file order (column1.. for files without a header: `headerlessColumnNames`) */
  readonly columns: readonly string[];
  readonly hasHeader: boolean;
  readonly delimiter: string | null;
  /** the text encoding the file was read with */
  readonly encoding: string;
  /** SQL FROM-item the judging pass reads every row from, in file order: the staging table, or the reader itself */
  readonly relation: string;
  /** SQL FROM-item giving the same rows in the same order again, without recording rejects (to fetch the text of a few rows later) */
  readonly readAgain: string;
  /** table or view with the same columns to sample values from (mapping, date formats) */
  readonly sample: string;
  /**
   * The table or view to take a sample from that reads the first `rows` rows of the file — with `columns`, the first
   * `rows` rows whose trimmed value of each of those columns is not empty: a delimited file's head (HEAD_TABLE, read
   * once) when it holds them, else `sample`. The same rows either way; the head spares a scan of the reader per sample.
   */
  readonly sampleFor: (rows: number, columns?: readonly string[]) => Promise<string>;
  /**
   * SQL expression of a row's line in the file (header counted) over `relation`;
   * null when `relation` is a reader that gives no line numbers: the line of
   * the row at position p (0-based) is then `firstLine + p`, shifted past the
   * lines the reader rejected before it
   */
  readonly lineSql: string | null;
  /** the line of the first data row (2 after a header) */
  readonly firstLine: number;
  /** whether at least one row can be read (rows the reader rejects do not count) */
  readonly hasRows: boolean;
  /**
   * Once `relation` has been read in full: writes REJECTS_TABLE (line, raw,
   * detail), one row per line the reader could not split into the file's
   * columns, and returns how many there are.
   */
  collectRejects(): Promise<number>;
  /**
   * Called with an error raised while reading `relation`: the same source
   * staged again (as Latin-1, or with room for long lines) when that can
   * help, else a UserError; absent when the rows were read at staging.
   */
  readonly retry?: (error: unknown) => Promise<StagedSource>;
  /**
   * A delimited file: the quote character its readers read with ('' for none) — the one the sniffer chose, given them,
   * or else theirs to find, asked of the sniffer as they read; undefined when that sniff fails, or inside a transaction
   * the caller holds open (where a failed statement would abort it)
   */
  readonly readerQuote?: () => Promise<string | undefined>;
  /** XLSX: the columns beyond the header (read as column3, …) with the rows that hold a value there (see `cellsBeyondHeaderWarning`) */
  readonly cellsBeyondHeader?: ReadonlyMap<string, number>;
}

/** A source copied into STAGE_TABLE: every row is in it already, and REJECTS_TABLE is written. */
export async function stagedTable(warehouse: Warehouse, parts: { columns: readonly string[]; hasHeader: boolean; delimiter: string | null; encoding: string; lineSql: string }): Promise<StagedSource> {
  const stagedRows = await countRows(warehouse, STAGE_TABLE);
  return {
    ...parts,
    relation: STAGE_TABLE,
    readAgain: STAGE_TABLE,
    sample: STAGE_TABLE,
    sampleFor: async () => STAGE_TABLE,
    firstLine: 1,
    hasRows: stagedRows > 0,
    collectRejects: () => countRows(warehouse, REJECTS_TABLE),
  };
}

export async function countRows(warehouse: Warehouse, table: string): Promise<number> {
  const [row] = await warehouse.query(`SELECT count(*) AS n FROM ${table}`);
  return Number(row!.n);
}

export async function stageColumns(warehouse: Warehouse, table = STAGE_TABLE): Promise<string[]> {
  const described = await warehouse.query(`DESCRIBE ${table}`);
  return described.map((r) => String(r.column_name)).filter((name) => name !== '__line');
}
