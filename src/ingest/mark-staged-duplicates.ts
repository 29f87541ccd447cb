/**
 * The `duplicate` rule for the judged rows of an event or customer profile file, after the pass that applied every
 * other rule (`buildCleanEventsSql`, `buildCleanProfilesSql`), the way `judgeRows` applies it to transactions: a row
 * no other rule rejected is a duplicate when it is an exact copy of an earlier line of the file (detail `same as line
 * N`) or, for events, of an event the warehouse holds (no detail). Its raw line is rebuilt from the staged row.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { buildDuplicateRowsSql, type CleaningRules } from './cleaning-rules.js';
import { forEachChunk, textColumn } from '../engine/read-chunks.js';

const DUPLICATE_ROWS = 'clv_staged_duplicates';
/** The row hashes another store holds (`StagedDuplicatesInput.rowsHeldElsewhere`). */
const HELD_ELSEWHERE = 'clv_events_held_elsewhere';

/** A file's otherwise accepted events, as `ReadHeldEvents` read them: how many, and the span of their times (`YYYY-MM-DD HH:MM:SS…`). */
export interface HeldEventsSpan {
  readonly rows: number;
  readonly firstTs: string;
  readonly lastTs: string;
}

/**
 * Reads the row hashes of a file's otherwise accepted events in batches of at
 * most `CHUNK_ROWS`, each handed to `each` before the next is read (neither
 * side holds the whole file); returns their count and time span.
 */
export type ReadHeldEvents = (each: (rowHashes: readonly string[]) => Promise<void>) => Promise<HeldEventsSpan>;

export interface StagedDuplicatesInput {
  /** the judged rows (`line`, `row_hash`, `reason`, `detail`, `raw`) */
  readonly cleanTable: string;
  readonly rules: Pick<CleaningRules, 'duplicate'>;
  /** the table whose rows count as held already (`events`); none for profiles, which are judged against their file alone */
  readonly heldTable?: string;
  /** the staged rows, their line (`lineSql`) and their raw line (`rawSql`) over that table */
  readonly stageTable: string;
  readonly lineSql: string;
  readonly rawSql: string;
  /** which of the otherwise accepted rows (read when it calls `rows`) another store holds, by row hash (`IngestOptions.eventsHeldElsewhere`) */
  readonly rowsHeldElsewhere?: (readRows: ReadHeldEvents) => Promise<ReadonlySet<string>>;
}

/** Marks the duplicates of `cleanTable` (the reasons are counted with the others afterwards). */
export async function markStagedDuplicates(warehouse: Warehouse, input: StagedDuplicatesInput): Promise<void> {
  if (!input.rules.duplicate) return;
  const held = input.heldTable !== undefined && (await warehouse.query(`SELECT 1 AS one FROM ${input.heldTable} LIMIT 1`)).length > 0;
  const heldElsewhere = input.heldTable !== undefined && input.rowsHeldElsewhere ? await stageRowsHeldElsewhere(warehouse, input.cleanTable, input.rowsHeldElsewhere) : false;
  const judged = `(SELECT rowid AS rid, line, row_hash, reason FROM ${input.cleanTable})`;
  await warehouse.execute(
    `CREATE OR REPLACE TEMP TABLE ${DUPLICATE_ROWS} AS ${buildDuplicateRowsSql({ cleanTable: judged, rules: input.rules, warehouseHoldsRows: held, ...(input.heldTable ? { heldTable: input.heldTable } : {}), ...(heldElsewhere ? { alsoHeldTable: HELD_ELSEWHERE } : {}) })}`,
  );
  await warehouse.execute(`DROP TABLE IF EXISTS ${HELD_ELSEWHERE}`);
  try {
    const [row] = await warehouse.query(`SELECT count(*) AS n FROM ${DUPLICATE_ROWS} x JOIN ${input.cleanTable} c ON c.rowid = x.rid WHERE c.reason IS NULL`);
    if (Number(row!.n) === 0) return;
    await warehouse.execute(`
      UPDATE ${input.cleanTable} SET reason = 'duplicate',
        detail = CASE WHEN x.first_line IS NOT NULL THEN 'same as line ' || CAST(x.first_line AS VARCHAR) END,
        raw = s.raw_text
      FROM ${DUPLICATE_ROWS} x, (SELECT ${input.lineSql} AS line, ${input.rawSql} AS raw_text FROM ${input.stageTable}) s
      WHERE ${input.cleanTable}.rowid = x.rid AND ${input.cleanTable}.reason IS NULL AND s.line = ${input.cleanTable}.line`);
  } finally {
    await warehouse.execute(`DROP TABLE IF EXISTS ${DUPLICATE_ROWS}`);
  }
}

/** HELD_ELSEWHERE: the row hashes of the otherwise accepted rows another store holds; false (no table) when it holds none. */
async function stageRowsHeldElsewhere(warehouse: Warehouse, cleanTable: string, rowsHeldElsewhere: NonNullable<StagedDuplicatesInput['rowsHeldElsewhere']>): Promise<boolean> {
  const held = await rowsHeldElsewhere(async (each) => {
    // in chunks of columns: an event file's rows are many (no object per row, no more than a chunk at a time)
    const rows = await forEachChunk(warehouse, 'clv_events_asked', `SELECT row_hash FROM ${cleanTable} WHERE reason IS NULL`, async (chunk) => {
      await each(textColumn(chunk, 'row_hash') as string[]);
    });
    const [span] = await warehouse.query(`SELECT CAST(min(ts) AS VARCHAR) AS first, CAST(max(ts) AS VARCHAR) AS last FROM ${cleanTable} WHERE reason IS NULL`);
    return { rows, firstTs: String(span?.first ?? ''), lastTs: String(span?.last ?? '') };
  });
  return stageHeldRowHashes(warehouse, HELD_ELSEWHERE, held);
}

/**
 * The row hashes another store holds, as the temp table `table` for `buildDuplicateRowsSql`'s `alsoHeldTable`; false
 * (no table) when there are none. Read by the transaction and the event file ingests alike.
 */
export async function stageHeldRowHashes(warehouse: Warehouse, table: string, hashes: ReadonlySet<string>): Promise<boolean> {
  if (hashes.size === 0) return false;
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${table} (row_hash VARCHAR NOT NULL)`);
  await warehouse.append(table, { row_hash: [...hashes] });
  return true;
}
