/**
 * Sessions of events that came without a session id (issue 16 item 3): a
 * visitor's events — its visitor id, else its customer id — ordered by time
 * and split where the gap to the previous event exceeds the inactivity gap.
 * One window pass over those events only: `lag(ts)` marks the first event of
 * each session, a running sum of the marks numbers the sessions. A session's
 * key is `g:<visitor>:<number>` (built per part, not per event).
 *
 * Writes `clv_gap_events` (one row per such event with its visitor and
 * session number; empty when every event has a session id) and appends one
 * row per session and (visitor id, customer id) pair to the parts table of
 * `buildEventSessions`.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { EXACT_PART_COLUMNS, PACK_BITS, PART_COLUMNS, partAggregates, partInputSql, unpackPart } from './session-part-sql.js';

export const GAP_EVENTS_TABLE = 'clv_gap_events';

export interface GapSessionOptions {
  /** timestamp literal: later events are left out */
  readonly end: string;
  readonly gapMinutes: number;
  /** the parts table to append to */
  readonly into: string;
  /** bits per packed type count (see `partAggregates`) */
  readonly packBits?: number;
}

/** The session key of a row of `clv_gap_events` (or of its parts) aliased `alias`. */
export function gapSessionKeySql(alias: string): string {
  return `'g:' || ${alias}.visitor || ':' || CAST(${alias}.session_no AS VARCHAR)`;
}

export async function buildGapSessionParts(warehouse: Warehouse, options: GapSessionOptions): Promise<void> {
  const { end, gapMinutes, into } = options;
  const bits = options.packBits ?? PACK_BITS;
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE ${GAP_EVENTS_TABLE} AS
    WITH marked AS (
      SELECT COALESCE(anonymous_id, customer_id) AS visitor, anonymous_id, customer_id, ts, type, product_id, category,
        CASE WHEN ts - lag(ts) OVER (PARTITION BY COALESCE(anonymous_id, customer_id) ORDER BY ts) <= INTERVAL ${gapMinutes} MINUTE THEN 0 ELSE 1 END AS starts
      FROM events WHERE session_id IS NULL AND ts <= ${end}
    )
    SELECT visitor, anonymous_id, customer_id, ts, type, product_id, category,
      sum(starts) OVER (PARTITION BY visitor ORDER BY ts ROWS UNBOUNDED PRECEDING) AS session_no
    FROM marked`);
  // one row per part, packed counts; exact counts instead when a part is longer than they hold (a visitor's burst of 2^21 events)
  const parts = (aggregates: string, select: string) => `
    CREATE OR REPLACE TEMP TABLE clv_gap_parts AS
    WITH a AS (
      SELECT visitor, session_no, anonymous_id, customer_id, ${aggregates}
      FROM (SELECT ${partInputSql('visitor, session_no, anonymous_id, customer_id')} FROM ${GAP_EVENTS_TABLE}) g GROUP BY visitor, session_no, anonymous_id, customer_id
    )
    SELECT ${gapSessionKeySql('a')} AS session_key, ${select} FROM a`;
  await warehouse.execute(parts(partAggregates(bits), unpackPart(bits)));
  const [long] = await warehouse.query(`SELECT count(*) AS n FROM clv_gap_parts WHERE events >= ${2 ** bits}`);
  if (Number(long!.n) > 0) await warehouse.execute(parts(EXACT_PART_COLUMNS, PART_COLUMNS));
  await warehouse.execute(`INSERT INTO ${into} BY NAME SELECT * FROM clv_gap_parts; DROP TABLE clv_gap_parts`);
}
