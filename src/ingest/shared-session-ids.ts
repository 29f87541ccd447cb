/**
 * Session ids unique per visitor only. GA4's `ga_session_id` is the session's start time in seconds: two visitors who
 * start a session in the same second share it, and read as a session of its own their events made one session (a QA
 * pass, session 34: 17,775 sessions instead of 17,778). The analysis keys sessions by session id
 * (`buildEventSessions`), so the ingest keys such sessions by visitor: the session id stored is `<visitor>:<session
 * id>` — the visitor's `a_` token with a key (its id as given without one), or, for a row without a visitor id, its
 * customer's. Keyed so: every file whose session column is `ga_session_id` (the same key across a GA4 export's daily
 * files, whether or not a file shows two visitors in one session), and any other file holding a session id carried by
 * several visitor ids (customer ids, in a file without a visitor column) — with a warning that counts them. Ids are
 * compared as read (before tokens), among the rows accepted.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { normaliseColumnName } from './match-column-roles.js';

/** How a file's session ids are keyed, and the session ids it holds that several visitors carry. */
export interface SessionKeying {
  /** store `<visitor>:<session id>` (see the file comment) */
  readonly byVisitor: boolean;
  /** the warning counting the session ids several visitors carry; undefined when none does */
  readonly warning?: string;
}

/**
 * How `cleanTable`'s accepted rows' session ids are to be keyed (see the file comment); `mapping` the file's event
 * roles → columns.
 */
export async function sessionKeying(warehouse: Warehouse, cleanTable: string, mapping: Readonly<Partial<Record<string, string>>>): Promise<SessionKeying> {
  const column = mapping.session_id;
  if (column === undefined) return { byVisitor: false };
  const ga4 = normaliseColumnName(column) === 'gasessionid';
  const visitor = mapping.anonymous_id !== undefined ? 'anonymous_id' : mapping.customer_id !== undefined ? 'customer_id' : undefined;
  if (visitor === undefined) return { byVisitor: false };
  const [row] = await warehouse.query(`SELECT count(*) AS sessions, COALESCE(sum(visitors), 0) AS visitors FROM (
    SELECT session_id, count(DISTINCT ${visitor}) AS visitors FROM ${cleanTable} WHERE reason IS NULL AND session_id IS NOT NULL GROUP BY session_id HAVING count(DISTINCT ${visitor}) > 1) s`);
  const shared = Number(row!.sessions);
  if (shared === 0) return { byVisitor: ga4 };
  const who = visitor === 'anonymous_id' ? 'visitors' : 'customers';
  const ids = shared === 1 ? `1 session id of column ${column} is` : `${shared.toLocaleString('en-US')} session ids of column ${column} are`;
  const head = `${ids} shared by several ${who} (${Number(row!.visitors).toLocaleString('en-US')} ${who}${shared === 1 ? '' : ' in all'}): sessions are keyed by ${who.slice(0, -1)} and session id`;
  const warning = ga4
    ? `${head} (stored as <visitor>:<session id>), as GA4 writes ga_session_id (unique per visitor only)`
    : visitor === 'anonymous_id'
      ? `${head} (stored as <visitor>:<session id>; a row without a visitor id: <customer>:<session id>), as session ids unique per visitor only are; if a session id names one session whatever its visitors, the visitor column is not the visitor (--map anonymous_id=…)`
      : `${head} (stored as <customer>:<session id>), as session ids unique per customer only are`;
  return { byVisitor: true, warning };
}

/**
 * The session id to store: `session` as it is, or keyed by visitor (`<visitor>:<session>`, else `<customer>:<session>`;
 * as it is when the row has neither).
 */
export function storedSessionIdSql(keying: SessionKeying, session: string, visitor: string, customer: string): string {
  if (!keying.byVisitor) return session;
  return `CASE WHEN ${session} IS NOT NULL AND COALESCE(${visitor}, ${customer}) IS NOT NULL THEN COALESCE(${visitor}, ${customer}) || ':' || ${session} ELSE ${session} END`;
}
