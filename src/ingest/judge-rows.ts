import { setInsertionOrder } from './ingest-bookkeeping.js';
import { UserError } from '../core/errors/user-error.js';
import type { Warehouse } from '../engine/warehouse.js';
import { absentJudgedColumnsSql, buildCleanRowsSql, buildDuplicateRowsSql, rawLineSql, type CleanSqlInput } from './cleaning-rules.js';
import { REJECTS_TABLE, type StagedSource } from './stage-tables.js';
import { rowPositionSql } from './row-position.js';
import { forEachChunk, textColumn } from '../engine/read-chunks.js';
import { stageHeldRowHashes } from './mark-staged-duplicates.js';

/** The judged rows of a file, as the judging pass wrote them (updated in place by the duplicate rule). */
export const JUDGED_TABLE = 'clv_judged';
/** The judged rows with their `line` in the file and `rid` (the row's id in JUDGED_TABLE): what the loads read. */
export const CLEAN_TABLE = 'clv_clean';
const DUPLICATE_ROWS = 'clv_duplicate_rows';
/** The row hashes another store holds (`JudgeOptions.rowsHeldElsewhere`), for the duplicate rule. */
const HELD_ELSEWHERE = 'clv_rows_held_elsewhere';

/** Order ids another store holds among a file's accepted lines (`JudgeOptions.rowsHeldElsewhere`), for `repeatedOrderIdsWarning`; kept until the file's ingest ends. */
export const ORDERS_HELD_ELSEWHERE = 'clv_orders_held_elsewhere';

/** A file's otherwise accepted rows, asked about by `rowsHeldElsewhere`: the i-th row's customer id as read, its row hash and its order id. */
export interface HeldRowsQuestion {
  readonly customerIds: readonly string[];
  readonly rowHashes: readonly string[];
  readonly orderIds: readonly (string | null)[];
}

/**
 * Reads a file's otherwise accepted rows (`HeldRowsQuestion`) in batches of
 * at most `CHUNK_ROWS` rows, each handed to `each` before the next is read:
 * neither side holds the whole file. Returns the rows read.
 */
export type ReadHeldRows = (each: (batch: HeldRowsQuestion) => Promise<void>) => Promise<number>;

/** What another store holds of them: the row hashes (the same rows) and the order ids (lines of the same orders). */
export interface HeldRowsAnswer {
  readonly rowHashes: ReadonlySet<string>;
  readonly orderIds: ReadonlySet<string>;
}

export interface JudgedRows {
  /** the source as finally read (read again as Latin-1 or with room for long lines when the first read failed) */
  readonly staged: StagedSource;
  /** rows read and judged */
  readonly judgedRows: number;
  /** lines the reader could not split into the file's columns (in REJECTS_TABLE) */
  readonly malformedRows: number;
}

async function count(warehouse: Warehouse, sql: string): Promise<number> {
  const [row] = await warehouse.query(sql);
  return Number(row!.n);
}

/**
 * Types and judges every row of a staged source: one pass over the source
 * (`buildCleanRowsSql`, straight from the reader for a delimited file) into
 * JUDGED_TABLE, in file order; then the lines, then the `duplicate` rule
 * (`buildDuplicateRowsSql`) marks copies and rows the warehouse holds, and
 * the text of the rows it rejects is fetched by reading the source again
 * (only when there are such rows). CLEAN_TABLE then holds every row with its
 * line, reason and, for rejected rows, its text.
 */
export interface JudgeOptions extends Omit<CleanSqlInput, 'stageTable' | 'lineSql' | 'columns'> {
  /** true: rows rejected as exact duplicates keep their text too (`IngestOptions.duplicateText = 'text'`); default false, line, reason and detail only */
  readonly duplicateText?: boolean;
  /** which of the otherwise accepted rows (read batch by batch when it calls `readRows`), and of their orders, another store holds (`IngestOptions.rowsHeldElsewhere`) */
  readonly rowsHeldElsewhere?: (readRows: ReadHeldRows) => Promise<HeldRowsAnswer>;
}

export async function judgeRows(warehouse: Warehouse, path: string, staged: StagedSource, input: JudgeOptions): Promise<JudgedRows> {
  await setInsertionOrder(warehouse, true);
  for (;;) {
    const sql = buildCleanRowsSql({ ...input, columns: staged.columns, stageTable: staged.relation, lineSql: staged.lineSql });
    try {
      await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${JUDGED_TABLE} AS ${sql}`);
      break;
    } catch (error) {
      if (!staged.retry) throw error;
      const again = await staged.retry(error);
      if (again.columns.join('\u0000') !== staged.columns.join('\u0000')) {
        throw new UserError(`the header of ${path} reads differently as ${again.encoding}: cannot tell its columns`, 'save the file as UTF-8 and ingest it again');
      }
      staged = again;
    }
  }
  const malformedRows = await staged.collectRejects();
  await numberLines(warehouse, staged, malformedRows, absentJudgedColumnsSql(input.mapping));
  const warehouseHoldsRows = (await warehouse.query('SELECT 1 AS one FROM transactions LIMIT 1')).length > 0;
  const heldElsewhere = input.rowsHeldElsewhere ? await stageRowsHeldElsewhere(warehouse, input.rowsHeldElsewhere) : false;
  const duplicates = buildDuplicateRowsSql({ cleanTable: CLEAN_TABLE, rules: input.rules, warehouseHoldsRows, ...(heldElsewhere ? { alsoHeldTable: HELD_ELSEWHERE } : {}) });
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${DUPLICATE_ROWS} AS ${duplicates}`);
  await warehouse.execute(`DROP TABLE IF EXISTS ${HELD_ELSEWHERE}`);
  try {
    if ((await count(warehouse, `SELECT count(*) AS n FROM ${DUPLICATE_ROWS}`)) > 0) {
      await warehouse.execute(`
        UPDATE ${JUDGED_TABLE} SET
          reason = ${input.rules.duplicate ? `COALESCE(${JUDGED_TABLE}.reason, 'duplicate')` : `${JUDGED_TABLE}.reason`},
          detail = CASE WHEN x.first_line IS NOT NULL THEN 'same as line ' || CAST(x.first_line AS VARCHAR) ELSE ${JUDGED_TABLE}.detail END
        FROM ${DUPLICATE_ROWS} x WHERE ${JUDGED_TABLE}.rowid = x.rid`);
      await fetchRejectedText(warehouse, staged, input.rawSeparator, input.duplicateText === true);
    }
  } finally {
    await warehouse.execute(`DROP TABLE IF EXISTS ${DUPLICATE_ROWS}`);
  }
  // Every row carries its line from here on, so the engine need not keep rows in order (less memory, parallel inserts).
  await setInsertionOrder(warehouse, false);
  return { staged, judgedRows: await count(warehouse, `SELECT count(*) AS n FROM ${JUDGED_TABLE}`), malformedRows };
}

/**
 * HELD_ELSEWHERE: the row hashes of the otherwise accepted rows of CLEAN_TABLE
 * that `rowsHeldElsewhere` says another store holds; ORDERS_HELD_ELSEWHERE:
 * the order ids of those rows it holds (always made, empty or not). False (no
 * HELD_ELSEWHERE) when it holds none of the rows.
 */
async function stageRowsHeldElsewhere(warehouse: Warehouse, rowsHeldElsewhere: NonNullable<JudgeOptions['rowsHeldElsewhere']>): Promise<boolean> {
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${ORDERS_HELD_ELSEWHERE} (order_id VARCHAR NOT NULL)`);
  // the rows are read only when asked for: a store that holds nothing yet (a first ingest) answers without them
  const held = await rowsHeldElsewhere((each) =>
    forEachChunk(warehouse, 'clv_rows_asked', `SELECT customer_id, row_hash, order_id FROM ${CLEAN_TABLE} WHERE reason IS NULL`, async (chunk) => {
      const customerIds = textColumn(chunk, 'customer_id') as string[];
      const rowHashes = textColumn(chunk, 'row_hash') as string[];
      await each({ customerIds, rowHashes, orderIds: textColumn(chunk, 'order_id') });
    }),
  );
  if (held.orderIds.size > 0) await warehouse.append(ORDERS_HELD_ELSEWHERE, { order_id: [...held.orderIds] });
  return stageHeldRowHashes(warehouse, HELD_ELSEWHERE, held.rowHashes);
}

/**
 * CLEAN_TABLE over JUDGED_TABLE with each row's line. Read straight from a
 * reader, the row at position p is on line `firstLine + p`, unless rejected
 * lines came before it; then (rare) the lines are numbered once, shifting
 * each row past the rejected lines before it: the i-th rejected line (0-based)
 * at line R has R − firstLine − i rows before it.
 */
async function numberLines(warehouse: Warehouse, staged: StagedSource, malformedRows: number, absentColumns: readonly string[]): Promise<void> {
  let lineSql = 'line';
  if (staged.lineSql === null && malformedRows === 0) lineSql = `${await rowPositionSql(warehouse, JUDGED_TABLE)} + ${staged.firstLine}`;
  else if (staged.lineSql === null) await numberRowsByPosition(warehouse, { source: JUDGED_TABLE, target: JUDGED_TABLE, column: 'line', firstLine: staged.firstLine, malformedRows });
  const rest = lineSql === 'line' ? '* EXCLUDE (line)' : '*';
  const absent = absentColumns.map((column) => `, ${column}`).join('');
  await warehouse.execute(`CREATE OR REPLACE TEMP VIEW ${CLEAN_TABLE} AS SELECT ${lineSql} AS line, rowid AS rid, ${rest}${absent} FROM ${JUDGED_TABLE}`);
}

/**
 * `target` = `source` (rows read from a reader, in file order) with each
 * row's line first, as `column`: the row at position p (0-based) is on line
 * `firstLine + p`, shifted past the lines the reader rejected before it (the
 * i-th rejected line R, 0-based, has R − firstLine − i rows before it).
 * `target` may be `source`.
 */
export async function numberRowsByPosition(
  warehouse: Warehouse,
  o: { readonly source: string; readonly target: string; readonly column: string; readonly firstLine: number; readonly malformedRows: number },
): Promise<void> {
  const position = await rowPositionSql(warehouse, o.source, 's.');
  let shift = '0';
  if (o.malformedRows > 0) {
    await warehouse.execute(`CREATE OR REPLACE TEMP TABLE clv_reject_positions AS SELECT line - ${o.firstLine} - (row_number() OVER (ORDER BY line) - 1) AS pos FROM ${REJECTS_TABLE}`);
    shift = `(SELECT count(*) FROM clv_reject_positions p WHERE p.pos <= ${position})`;
  }
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${o.target} AS SELECT ${position} + ${o.firstLine} + ${shift} AS ${o.column}, s.* FROM ${o.source} s ORDER BY s.rowid`);
  if (o.malformedRows > 0) await warehouse.execute('DROP TABLE clv_reject_positions');
}

/**
 * The text of rows the duplicate rule rejected (the judging pass kept text
 * only for the rows it rejected itself): the source is read again, row by
 * row beside JUDGED_TABLE (same order), and the text is kept for those rows.
 */
async function fetchRejectedText(warehouse: Warehouse, staged: StagedSource, separator: string, duplicateText: boolean): Promise<void> {
  const d = warehouse.dialect;
  // Without duplicate text, a row rejected as an exact copy keeps only its line, reason and detail.
  const wantedSql = `reason IS NOT NULL AND raw IS NULL${duplicateText ? '' : " AND reason <> 'duplicate'"}`;
  const missing = await count(warehouse, `SELECT count(*) AS n FROM ${JUDGED_TABLE} WHERE ${wantedSql}`);
  if (missing === 0) return;
  await setInsertionOrder(warehouse, true);
  const fields = staged.columns.map((c) => `s.${d.identifier(c)}`);
  await warehouse.execute(`
    UPDATE ${JUDGED_TABLE} SET raw = r.raw FROM (
      SELECT j.rid, ${rawLineSql(d, fields, separator)} AS raw
      FROM (SELECT ${staged.columns.map((c) => d.identifier(c)).join(', ')} FROM ${staged.readAgain}) s
      POSITIONAL JOIN (SELECT rowid AS rid, ${wantedSql} AS wanted FROM ${JUDGED_TABLE}) j
      WHERE j.wanted
    ) r WHERE ${JUDGED_TABLE}.rowid = r.rid`);
}
