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
 * session id) and `clv_gap_sessions` (one row per session, as
 * `clv_session_heads` holds the sessions with an id), and appends the parts of
 * the rare mixed gap sessions to the parts table of `buildEventSessions`.
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

/**
 * The gap-split sessions as one row each, keyed like the sessions with an id (`clv_gap_sessions`: `session_key`, the
 * part columns of `buildEventSessions` and `mixed`), grouped straight from the window's rows. Within a gap session every
 * event carries the partition's visitor id, except events of a customer whose own id is spelled like it (then without a
 * visitor id, and with that customer id); so every event without a customer id carries the session's one visitor id,
 * and a session with one customer id at most is exactly its one part (the stitching formulas of `buildEventSessions`
 * give the same person, customer and flag). Sessions with two customer ids (`mixed`) are appended to the parts table
 * `into`, per (visitor id, customer id), from their own events. Skipping the parts of the other sessions saved a
 * GROUP BY over every gap-split event and one over the parts per session key.
 */
export const GAP_SESSIONS_TABLE = 'clv_gap_sessions';

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
    CREATE OR REPLACE TEMP TABLE ${GAP_SESSIONS_TABLE} AS
    WITH a AS (
      SELECT g.visitor, g.session_no, min(g.customer_id) AS customer_id, max(g.customer_id) AS customer_id_max, ${partAggregates('g')}
      FROM ${GAP_EVENTS_TABLE} g GROUP BY g.visitor, g.session_no
    )
    SELECT ${gapSessionKeySql('a')} AS session_key, CASE WHEN a.visitor_events > 0 THEN a.visitor END AS anonymous_id, a.* EXCLUDE (visitor, session_no, customer_id_max),
      a.customer_id IS DISTINCT FROM a.customer_id_max AS mixed, a.visitor, a.session_no
    FROM a`);
  await warehouse.execute(`
    INSERT INTO ${into} BY NAME
    WITH a AS (
      SELECT g.visitor, g.session_no, g.anonymous_id, g.customer_id, ${partAggregates('g')}
      FROM ${GAP_EVENTS_TABLE} g SEMI JOIN (SELECT visitor, session_no FROM ${GAP_SESSIONS_TABLE} WHERE mixed) m ON m.visitor = g.visitor AND m.session_no = g.session_no
      GROUP BY g.visitor, g.session_no, g.anonymous_id, g.customer_id
    )
    SELECT ${gapSessionKeySql('a')} AS session_key, a.* EXCLUDE (visitor, session_no) FROM a`);
}
