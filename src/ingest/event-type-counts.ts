/**
 * An event file's accepted events per stored type (the ingest report's `eventTypes`), and the warning naming the
 * types the analysis does not read (a QA pass found `wishlist_add` and GA4's `view_search_results` kept without a word).
 * Such events are kept, not quarantined: they are real activity, and a session's events, start and end count them
 * (a GA4 export holds session_start, scroll, page_view, … beside its product events).
 */
import type { Warehouse } from '../engine/warehouse.js';
import { ANALYSED_EVENT_TYPES } from './clean-events-sql.js';

/** Types listed by name in the warning; the rest are counted. */
const NAMED_TYPES = 10;

/** The accepted rows of a judged event table per type, commonest first (ties by name). */
export async function eventTypeCounts(warehouse: Warehouse, cleanTable: string): Promise<Record<string, number>> {
  const rows = await warehouse.query(`SELECT type, count(*) AS n FROM ${cleanTable} WHERE reason IS NULL GROUP BY type`);
  const counts = rows.map((row) => [String(row.type), Number(row.n)] as const).sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(counts);
}

/**
 * The warning for types the analysis does not read, with their counts; undefined when there are none.
 *
 * Example: `unreadEventTypesWarning({ view: 5, wishlist_add: 2 })` → `2 of 7 events are of types the analysis does not read, kept as given: wishlist_add (2) — …`
 */
export function unreadEventTypesWarning(types: Readonly<Record<string, number>>): string | undefined {
  const analysed: readonly string[] = ANALYSED_EVENT_TYPES;
  const unread = Object.entries(types).filter(([type]) => !analysed.includes(type));
  if (unread.length === 0) return undefined;
  const fmt = (n: number) => n.toLocaleString('en-US');
  const total = Object.values(types).reduce((a, b) => a + b, 0);
  const named = unread.slice(0, NAMED_TYPES).map(([type, n]) => `${type} (${fmt(n)})`);
  const more = unread.length > NAMED_TYPES ? ` and ${unread.length - NAMED_TYPES} more types (${fmt(unread.slice(NAMED_TYPES).reduce((a, [, n]) => a + n, 0))} events)` : '';
  const events = unread.reduce((a, [, n]) => a + n, 0);
  return `${fmt(events)} of ${fmt(total)} events are of types the analysis does not read, kept as given: ${named.join(', ')}${more} — they count in their sessions (events, start and end) but as no view, search, cart or purchase; the types read are ${analysed.join(', ')} (docs/events.md lists the names mapped to them)`;
}
