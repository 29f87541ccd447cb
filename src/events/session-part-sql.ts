/**
 * SQL aggregates shared by the session builders (`buildEventSessions`,
 * `buildGapSessionParts`): what one part of a session — its events with one
 * visitor id and one customer id — contributes to the session and to the
 * identity links.
 */

/** Last view or search of a group of events: 2·µs + 1 for a view, 2·µs for a search, so the largest is the later and a view wins a tie; even = the last was a search. */
export const LAST_VIEW_OR_SEARCH = "max(CASE WHEN type = 'view' THEN epoch_us(ts) * 2 + 1 WHEN type = 'search' THEN epoch_us(ts) * 2 END)";
/**
 * The first event of a group that carries both a visitor and a customer id, as 4·µs + its kind (0 login, 1 purchase, 2 other):
 * the smallest is the earliest, a login before a purchase on a tie; `link_key // 4` is its time, `link_key % 4` its kind.
 */
export const LINK_KEY = "min(CASE WHEN anonymous_id IS NOT NULL AND customer_id IS NOT NULL THEN epoch_us(ts) * 4 + CASE type WHEN 'login' THEN 0 WHEN 'purchase' THEN 1 ELSE 2 END END)";

/** Aggregates of a part read exactly (grouped by session, visitor id and customer id), over events aliased `alias`. */
export function partAggregates(alias: string): string {
  const qualified = (sql: string) => sql.replace(/\b(ts|type|anonymous_id|customer_id)\b/g, `${alias}.$1`);
  return qualified(`count(*) AS events, count(anonymous_id) AS visitor_events, count(customer_id) AS customer_events, min(ts) AS start_ts, max(ts) AS end_ts,
    count(*) FILTER (WHERE type = 'view') AS views, count(*) FILTER (WHERE type = 'search') AS searches, count(*) FILTER (WHERE type = 'add_to_cart') AS cart_adds,
    ${LAST_VIEW_OR_SEARCH} AS last_view_or_search, ${LINK_KEY} AS link_key`);
}
