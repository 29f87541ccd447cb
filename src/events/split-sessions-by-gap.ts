/**
 * Sessions of events that came without a session id (issue 16 item 3): a
 * visitor's events — its visitor id, else its customer id — ordered by time
 * and split where the gap to the previous event exceeds the inactivity gap.
 * One window pass over those events only: `lag(ts)` marks the first event of
 * each session, a running sum of the marks numbers the sessions. A session's
 * key is `g:<visitor>:<number>`.
 *
 * Speed: the window sorts carry only what the parts need (visitor, ids,
 * time, type) and the event's row id; the session number stays an integer
 * per event and the text key is built once per part. Carrying the product
 * and category columns and a text key per event through the sorts cost
 * about a third more (1M synthetic events, session ids withheld, CPU of the
 * window statement in one process: 2.18 s against 1.47 s).
 *
 * Writes `clv_gap_events` (one row per such event: its row id in `events`,
 * visitor, ids, time, type and session number; empty when every event has a
 * session id) and appends one row per session and (visitor id, customer id)
 * pair to the parts table of `buildEventSessions`.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { partAggregates } from './session-part-sql.js';

export const GAP_EVENTS_TABLE = 'clv_gap_events';

export interface GapSessionOptions {
  /** timestamp literal: later events are left out */
  readonly end: string;
  readonly gapMinutes: number;
  /** the parts table to append to */
  readonly into: string;
}

/** The session key of a row of `clv_gap_events` (or of a part grouped from them) aliased `alias`. */
export function gapSessionKeySql(alias: string): string {
  return `'g:' || ${alias}.visitor || ':' || CAST(${alias}.session_no AS VARCHAR)`;
}

export async function buildGapSessionParts(warehouse: Warehouse, options: GapSessionOptions): Promise<void> {
  const { end, gapMinutes, into } = options;
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE ${GAP_EVENTS_TABLE} AS
    WITH marked AS (
      SELECT rowid AS event_row, COALESCE(anonymous_id, customer_id) AS visitor, anonymous_id, customer_id, ts, type,
        CASE WHEN ts - lag(ts) OVER (PARTITION BY COALESCE(anonymous_id, customer_id) ORDER BY ts) <= INTERVAL ${gapMinutes} MINUTE THEN 0 ELSE 1 END AS starts
      FROM events WHERE session_id IS NULL AND ts <= ${end}
    )
    SELECT event_row, visitor, anonymous_id, customer_id, ts, type,
      sum(starts) OVER (PARTITION BY visitor ORDER BY ts ROWS UNBOUNDED PRECEDING) AS session_no
    FROM marked`);
  await warehouse.execute(`
    INSERT INTO ${into} BY NAME
    WITH a AS (
      SELECT g.visitor, g.session_no, g.anonymous_id, g.customer_id, ${partAggregates('g')}
      FROM ${GAP_EVENTS_TABLE} g GROUP BY g.visitor, g.session_no, g.anonymous_id, g.customer_id
    )
    SELECT ${gapSessionKeySql('a')} AS session_key, a.* EXCLUDE (visitor, session_no) FROM a`);
}
