/**
 * A staged source as a table with a line number per row: what the event and
 * profile ingest judge (the transaction ingest judges straight from the
 * reader, `judgeRows`). A source already staged as a table is used as it is;
 * a reader is read once into STAGE_TABLE in file order, and each row's line
 * is its position (from its row id) shifted past the lines the reader
 * rejected before it — copied once more with the lines numbered only when
 * the reader rejected some.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { setInsertionOrder } from './ingest-bookkeeping.js';
import { numberRowsByPosition } from './judge-rows.js';
import { rowPositionSql } from './row-position.js';
import { STAGE_TABLE, type StagedSource } from './stage-tables.js';

/** The column of MaterialisedStage's line numbers when the stage was a reader. */
const LINE_COLUMN = 'clv_line';
const READ_TABLE = 'clv_stage_read';

export interface MaterialisedStage {
  /** SQL expression of a row's line over STAGE_TABLE */
  readonly lineSql: string;
  /** rows in STAGE_TABLE */
  readonly stagedRows: number;
  /** lines the reader could not split (in REJECTS_TABLE) */
  readonly malformedRows: number;
}

export async function materialiseStage(warehouse: Warehouse, staged: StagedSource): Promise<MaterialisedStage> {
  const count = async (sql: string) => Number((await warehouse.query(sql))[0]!.n);
  if (staged.lineSql !== null && staged.relation === STAGE_TABLE) {
    const malformedRows = await staged.collectRejects();
    return { lineSql: staged.lineSql, stagedRows: await count(`SELECT count(*) AS n FROM ${STAGE_TABLE}`), malformedRows };
  }
  await setInsertionOrder(warehouse, true);
  let source = staged;
  for (;;) {
    try {
      await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${READ_TABLE} AS SELECT * FROM ${source.relation}`);
      break;
    } catch (error) {
      if (!source.retry) throw error;
      source = await source.retry(error);
    }
  }
  const malformedRows = await source.collectRejects();
  if (malformedRows === 0) {
    // Every line was read: the row at position p is on line firstLine + p, and the rows read are the stage as they are.
    await warehouse.execute(`DROP TABLE IF EXISTS ${STAGE_TABLE}; ALTER TABLE ${READ_TABLE} RENAME TO ${STAGE_TABLE}`);
    const lineSql = `(${await rowPositionSql(warehouse, STAGE_TABLE)} + ${source.firstLine})`;
    return { lineSql, stagedRows: await count(`SELECT count(*) AS n FROM ${STAGE_TABLE}`), malformedRows };
  }
  await numberRowsByPosition(warehouse, { source: READ_TABLE, target: STAGE_TABLE, column: LINE_COLUMN, firstLine: source.firstLine, malformedRows });
  await warehouse.execute(`DROP TABLE ${READ_TABLE}`);
  return { lineSql: LINE_COLUMN, stagedRows: await count(`SELECT count(*) AS n FROM ${STAGE_TABLE}`), malformedRows };
}
