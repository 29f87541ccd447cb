/**
 * SQL shared by the session builders (`buildEventSessions`,
 * `buildGapSessionParts`): what one *part* of a session — its events with
 * one visitor id and one customer id — contributes to the session and to the
 * identity links, read in the one GROUP BY over the events.
 *
 * Per event, one CASE on the type gives a small code (`TYPE_CODE`); the
 * aggregates are then integer arithmetic on that code and the time in µs:
 *
 * - `first_key`: min(4·µs + kind), kind 0 login, 1 purchase, 2 other — the
 *   part's first event and its kind (a login before a purchase on a tie):
 *   `first_key >> 2` is the start time, `first_key & 3` the kind, and, when
 *   the part has both ids, it is the part's identity-link key;
 * - `packed`: views, cart adds and searches in one sum, `PACK_BITS` bits each
 *   (exact below `2^PACK_BITS` events a part; longer parts are re-read with
 *   `exactPartAggregates`);
 * - `last_view_or_search`: max(2·µs + 1) over views and max(2·µs) over
 *   searches — the largest is the later, a view wins a tie; even = the last
 *   was a search (a lost search).
 */

/** Bits per packed count: three counts in a BIGINT. */
export const PACK_BITS = 21;

/** login 0, purchase 1, view 2, search 3, add_to_cart 4, any other type 5. */
export const TYPE_CODE = "CASE type WHEN 'login' THEN 0 WHEN 'purchase' THEN 1 WHEN 'view' THEN 2 WHEN 'search' THEN 3 WHEN 'add_to_cart' THEN 4 ELSE 5 END";

/** The per-event columns the part aggregates read: `us` (time in µs) and `code`, beside the given columns. */
export function partInputSql(columns: string): string {
  return `${columns}, epoch_us(ts) AS us, ${TYPE_CODE} AS code`;
}

/** Aggregates of a part over rows of `partInputSql` (grouped by session, visitor id and customer id). */
export function partAggregates(packBits = PACK_BITS): string {
  return `count(*) AS events, min(us * 4 + least(code, 2)) AS first_key, max(us) AS last_us,
    CAST(sum(CASE WHEN code BETWEEN 2 AND 4 THEN CAST(1 AS BIGINT) << (${packBits} * (code - 2)) ELSE 0 END) AS BIGINT) AS packed,
    max(CASE WHEN code IN (2, 3) THEN us * 2 + 3 - code END) AS last_view_or_search`;
}

/** The part columns from `partAggregates`' output: counts unpacked, times as timestamps. */
export function unpackPart(packBits = PACK_BITS): string {
  const mask = 2 ** packBits - 1;
  const field = (i: number) => `CAST((packed >> ${i * packBits}) & ${mask} AS BIGINT)`;
  return `anonymous_id, customer_id, events, make_timestamp(first_key >> 2) AS start_ts, make_timestamp(last_us) AS end_ts, ${field(0)} AS views, ${field(2)} AS cart_adds, ${field(1)} AS searches,
    last_view_or_search, CASE WHEN anonymous_id IS NOT NULL AND customer_id IS NOT NULL THEN first_key END AS link_key`;
}

/** The same part columns counted exactly (no packing), for the parts longer than the packed counts hold; over rows of `partInputSql`. */
export const EXACT_PART_COLUMNS = `count(*) AS events, make_timestamp(min(us * 4 + least(code, 2)) >> 2) AS start_ts, make_timestamp(max(us)) AS end_ts,
    count(*) FILTER (WHERE code = 2) AS views, count(*) FILTER (WHERE code = 4) AS cart_adds, count(*) FILTER (WHERE code = 3) AS searches,
    max(CASE WHEN code IN (2, 3) THEN us * 2 + 3 - code END) AS last_view_or_search,
    CASE WHEN anonymous_id IS NOT NULL AND customer_id IS NOT NULL THEN min(us * 4 + least(code, 2)) END AS link_key`;

/** The columns of a part after its `session_key`. */
export const PART_COLUMNS = 'anonymous_id, customer_id, events, start_ts, end_ts, views, cart_adds, searches, last_view_or_search, link_key';
