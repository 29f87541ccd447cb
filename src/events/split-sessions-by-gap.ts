/**
 * Sessions of events that came without a session id (issue 16 item 3): a
 * visitor's events — its visitor id, else its customer id — ordered by time
 * and split where the gap to the previous event exceeds the inactivity gap.
 * One window pass over those events only: `lag(ts)` marks the first event of
 * each session, a running sum of the marks numbers the sessions. A session's
 * key is `g:<visitor>:<number>`.
 *
 * Writes `clv_gap_events` (one row per such event with its `session_key`,
 * empty when every event has a session id) and appends one row per session
 * and (visitor id, customer id) pair to the parts table of `buildEventSessions`.
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

export async function buildGapSessionParts(warehouse: Warehouse, options: GapSessionOptions): Promise<void> {
  const { end, gapMinutes, into } = options;
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE ${GAP_EVENTS_TABLE} AS
    WITH marked AS (
      SELECT COALESCE(anonymous_id, customer_id) AS visitor, anonymous_id, customer_id, ts, type, product_id, category,
        CASE WHEN ts - lag(ts) OVER (PARTITION BY COALESCE(anonymous_id, customer_id) ORDER BY ts) <= INTERVAL ${gapMinutes} MINUTE THEN 0 ELSE 1 END AS starts
      FROM events WHERE session_id IS NULL AND ts <= ${end}
    )
    SELECT anonymous_id, customer_id, ts, type, product_id, category,
      'g:' || visitor || ':' || CAST(sum(starts) OVER (PARTITION BY visitor ORDER BY ts ROWS UNBOUNDED PRECEDING) AS VARCHAR) AS session_key
    FROM marked`);
  await warehouse.execute(`
    INSERT INTO ${into} BY NAME
    SELECT g.session_key, g.anonymous_id, g.customer_id, ${partAggregates('g')}
    FROM ${GAP_EVENTS_TABLE} g GROUP BY g.session_key, g.anonymous_id, g.customer_id`);
}
