/**
 * Session ids unique per visitor only. GA4's `ga_session_id` is the session's start time in seconds: two visitors who
 * start a session in the same second share it, and read as a session of its own their events made one session (a QA
 * pass, session 34: 17,775 sessions instead of 17,778). The analysis keys sessions by session id
 * (`buildEventSessions`), so the ingest keys such sessions by visitor: the session id stored is `<visitor>:<session
 * id>` — the visitor's `a_` token with a key (its id as given without one).
 *
 * Which ids: every id of a column `ga_session_id` (the same key across a GA4 export's daily files, whether or not a
 * file shows two visitors in one session). Of any other session column, only the ids carried by several visitor ids
 * (customer ids, in a file without a visitor column) among the file's accepted rows AND the events the warehouse holds
 * for those ids (their stored ids read back to the ids as given) — with a warning that counts them. So a session with
 * rows before and after login stays one session, and a later file that holds an id already re-keyed re-keys it the
 * same way; a visitor who held an id stored as given before it was shared keeps it as stored. Ids are compared as
 * stored (tokens with a key). In a re-keyed session a row without a visitor id takes its customer's visitor there
 * when the customer has exactly one, else `<customer>:<session id>`; a row with neither id keeps the id as given (it
 * cannot be told whose it is). The keys are worked out in the local DuckDB (a cluster's ingest asks the cluster for
 * its events of the file's session ids: `sessionsHeldElsewhere`).
 */
import type { Warehouse } from '../engine/warehouse.js';
import { forEachChunk, textColumn } from '../engine/read-chunks.js';
import { normaliseColumnName } from './match-column-roles.js';

/** (session as read, visitor, customer) → the session id stored, for the rows of the sessions re-keyed */
export const SESSION_KEYS_TABLE = 'clv_session_keys';
const FILE_SESSIONS = 'clv_file_sessions';
const HELD_SESSIONS = 'clv_held_sessions';

/** An event held elsewhere of a session id the file holds: the id as read, its visitor and customer (as stored), and whether it is stored as read. */
export interface HeldSessionRow {
  readonly session: string;
  readonly visitor: string | null;
  readonly customer: string | null;
  readonly asRead: boolean;
}
/** Reads a file's session ids (as read) in batches, each handed to `each` before the next is read; returns their count. */
export type ReadFileSessionIds = (each: (ids: readonly string[]) => Promise<void>) => Promise<number>;
/** The events another store (a cluster) holds of the file's session ids, one row per distinct (session, visitor, customer, asRead). */
export type SessionsHeldElsewhere = (readIds: ReadFileSessionIds) => Promise<readonly HeldSessionRow[]>;

/** How the rows' ids are stored: visitor and customer expressions over the clean table `c` and the joins they need. */
export interface StoredIdsSql {
  readonly visitor: string;
  readonly customer: string;
  readonly joins: string;
}

/** Whether SESSION_KEYS_TABLE holds keys, and the warning counting the session ids several visitors carry. */
export interface SessionKeying {
  readonly byVisitor: boolean;
  readonly warning?: string;
}

/** SQL over a row of `events`: its session id as read (the stored id without the `<visitor>:` or `<customer>:` its ingest put before it). */
export function sessionAsReadSql(): string {
  const who = 'COALESCE(anonymous_id, customer_id)';
  return `CASE WHEN ${who} IS NOT NULL AND substr(session_id, 1, length(${who}) + 1) = ${who} || ':' THEN substr(session_id, length(${who}) + 2) ELSE session_id END`;
}

/**
 * Works out SESSION_KEYS_TABLE for `cleanTable`'s accepted rows (see the file comment); `mapping` the file's event
 * roles → columns, `ids` how their ids are stored, `heldElsewhere` the events another store holds.
 */
export async function sessionKeying(
  warehouse: Warehouse, cleanTable: string, mapping: Readonly<Partial<Record<string, string>>>, ids: StoredIdsSql, heldElsewhere?: SessionsHeldElsewhere,
): Promise<SessionKeying> {
  await warehouse.execute(`DROP TABLE IF EXISTS ${SESSION_KEYS_TABLE}`);
  const column = mapping.session_id;
  if (column === undefined) return { byVisitor: false };
  const ga4 = normaliseColumnName(column) === 'gasessionid';
  const mode = mapping.anonymous_id !== undefined ? 'visitor' : mapping.customer_id !== undefined ? 'customer' : undefined;
  if (mode === undefined) return { byVisitor: false };
  try {
    await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${FILE_SESSIONS} AS SELECT DISTINCT c.session_id AS session, ${ids.visitor} AS visitor, ${ids.customer} AS customer
      FROM ${cleanTable} c ${ids.joins} WHERE c.reason IS NULL AND c.session_id IS NOT NULL`);
    await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${HELD_SESSIONS} (session VARCHAR, visitor VARCHAR, customer VARCHAR, as_read BOOLEAN)`);
    // GA4: every id keyed; other columns: the warehouse's events of the file's ids (and another store's) count too
    if (!ga4) await stageHeldSessions(warehouse, heldElsewhere);
    const who = mode === 'visitor' ? 'visitor' : 'customer';
    await warehouse.execute(`CREATE OR REPLACE TEMP TABLE clv_all_sessions AS
      SELECT session, visitor, customer, false AS as_read FROM ${FILE_SESSIONS} UNION ALL SELECT session, visitor, customer, as_read FROM ${HELD_SESSIONS}`);
    const carriers = `SELECT session, count(DISTINCT ${who}) AS n FROM clv_all_sessions WHERE ${who} IS NOT NULL AND session IN (SELECT session FROM ${FILE_SESSIONS}) GROUP BY session`;
    const rekeyed = ga4 ? `SELECT DISTINCT session FROM ${FILE_SESSIONS}` : `SELECT session FROM (${carriers}) x WHERE n > 1`;
    // a visitor's (customer's) key in a re-keyed session: the id as read when it held it so before, else <who>:<session>
    const keyOf = (w: string) => `CASE WHEN EXISTS (SELECT 1 FROM ${HELD_SESSIONS} h WHERE h.as_read AND h.session = f.session AND h.${who} = ${w}) THEN f.session ELSE ${w} || ':' || f.session END`;
    // a row without a visitor id: its customer's one visitor in the session
    const onlyVisitor = `(SELECT min(a.visitor) FROM clv_all_sessions a WHERE a.session = f.session AND a.customer = f.customer AND a.visitor IS NOT NULL HAVING count(DISTINCT a.visitor) = 1)`;
    const stored = mode === 'visitor'
      ? `CASE WHEN f.visitor IS NOT NULL THEN ${keyOf('f.visitor')} WHEN f.customer IS NULL THEN f.session WHEN ${onlyVisitor} IS NOT NULL THEN ${keyOf(onlyVisitor)} ELSE f.customer || ':' || f.session END`
      : `CASE WHEN f.customer IS NOT NULL THEN ${keyOf('f.customer')} ELSE f.session END`;
    await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${SESSION_KEYS_TABLE} AS SELECT f.session, f.visitor, f.customer, ${stored} AS stored
      FROM ${FILE_SESSIONS} f WHERE f.session IN (${rekeyed})`);
    const [row] = await warehouse.query(`SELECT count(*) AS sessions, COALESCE(sum(n), 0) AS visitors FROM (${carriers}) x WHERE n > 1`);
    const shared = Number(row!.sessions);
    if (shared === 0) return { byVisitor: ga4 };
    return { byVisitor: true, warning: sharedWarning(column, shared, Number(row!.visitors), ga4, mode) };
  } finally {
    await warehouse.execute(`DROP TABLE IF EXISTS clv_all_sessions; DROP TABLE IF EXISTS ${HELD_SESSIONS}; DROP TABLE IF EXISTS ${FILE_SESSIONS}`);
  }
}

/** HELD_SESSIONS: the events this warehouse and `heldElsewhere` hold of the file's session ids. */
async function stageHeldSessions(warehouse: Warehouse, heldElsewhere: SessionsHeldElsewhere | undefined): Promise<void> {
  await warehouse.execute(`INSERT INTO ${HELD_SESSIONS} SELECT DISTINCT e.session, e.anonymous_id, e.customer_id, e.session_id = e.session
    FROM (SELECT ${sessionAsReadSql()} AS session, session_id, anonymous_id, customer_id FROM events WHERE session_id IS NOT NULL) e
    WHERE e.session IN (SELECT session FROM ${FILE_SESSIONS})`);
  if (!heldElsewhere) return;
  const held = await heldElsewhere((each) =>
    forEachChunk(warehouse, 'clv_sessions_asked', `SELECT DISTINCT session FROM ${FILE_SESSIONS}`, async (chunk) => {
      await each(textColumn(chunk, 'session') as string[]);
    }));
  if (held.length === 0) return;
  await warehouse.append(HELD_SESSIONS, {
    session: held.map((h) => h.session), visitor: held.map((h) => h.visitor), customer: held.map((h) => h.customer), as_read: held.map((h) => h.asRead),
  });
}

function sharedWarning(column: string, shared: number, carriers: number, ga4: boolean, mode: 'visitor' | 'customer'): string {
  const who = mode === 'visitor' ? 'visitors' : 'customers';
  const ids = shared === 1 ? `1 session id of column ${column} is` : `${shared.toLocaleString('en-US')} session ids of column ${column} are`;
  const head = `${ids} shared by several ${who} (${carriers.toLocaleString('en-US')} ${who}${shared === 1 ? '' : ' in all'}): sessions are keyed by ${who.slice(0, -1)} and session id`;
  if (ga4) return `${head} (stored as <visitor>:<session id>), as GA4 writes ga_session_id (unique per visitor only)`;
  const held = 'counted over this file and the events held of those ids; only those ids re-keyed, a visitor who held one as given before keeps it';
  return mode === 'visitor'
    ? `${head} (stored as <visitor>:<session id>, ${held}; a row without a visitor id: its customer's visitor in the session when there is one, else <customer>:<session id>; a row with neither: the id as given), as session ids unique per visitor only are; if a session id names one session whatever its visitors, the visitor column is not the visitor (--map anonymous_id=…)`
    : `${head} (stored as <customer>:<session id>, ${held.replace('a visitor', 'a customer')}; a row without a customer id: the id as given), as session ids unique per customer only are`;
}

/** The session id to store for a row of the clean table `c` (visitor and customer as stored): its key when its session is re-keyed. */
export function storedSessionIdSql(keying: SessionKeying, ids: StoredIdsSql): { readonly sql: string; readonly join: string } {
  if (!keying.byVisitor) return { sql: 'c.session_id', join: '' };
  return {
    sql: 'COALESCE(sk.stored, c.session_id)',
    join: `LEFT JOIN ${SESSION_KEYS_TABLE} sk ON sk.session = c.session_id AND sk.visitor IS NOT DISTINCT FROM ${ids.visitor} AND sk.customer IS NOT DISTINCT FROM ${ids.customer}`,
  };
}
