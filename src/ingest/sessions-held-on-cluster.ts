/**
 * The events a cluster holds of an event file's session ids (shared-session-ids.ts): the ids are sent batch by batch
 * to a table on the entry node, and every shard's events (sharded by customer, at random without one) are read for
 * them (`GLOBAL IN`), their stored ids read back to the ids as read.
 */
import type { ClickHouseWarehouse } from '../engine/clickhouse/clickhouse-warehouse.js';
import { askClusterAbout } from '../engine/clickhouse/ask-cluster-about.js';
import { sessionAsReadSql, type HeldSessionRow, type ReadFileSessionIds } from './shared-session-ids.js';

export async function sessionsHeldOnCluster(cluster: ClickHouseWarehouse, readIds: ReadFileSessionIds): Promise<HeldSessionRow[]> {
  if ((await cluster.query('SELECT 1 AS one FROM events WHERE session_id IS NOT NULL LIMIT 1')).length === 0) return []; // the file's ids are not even read
  return askClusterAbout(cluster, 'sessions_asked', 'session', readIds, async (asked) => {
    const held = await cluster.query(`SELECT DISTINCT session, anonymous_id, customer_id, session_id = session AS as_read
      FROM (SELECT ${sessionAsReadSql()} AS session, session_id, anonymous_id, customer_id FROM events WHERE session_id IS NOT NULL) e
      WHERE session GLOBAL IN (SELECT session FROM ${asked})`);
    return held.map((row) => ({
      session: String(row.session), visitor: row.anonymous_id === null ? null : String(row.anonymous_id), customer: row.customer_id === null ? null : String(row.customer_id),
      asRead: row.as_read === true || Number(row.as_read) === 1,
    }));
  }, []);
}
