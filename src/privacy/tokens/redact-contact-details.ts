/**
 * Contact details taken out of free text a visitor typed (search queries,
 * `events.query`), in TypeScript and in SQL from one pair of patterns; a
 * test runs the SQL form in the engine against the TypeScript form.
 *
 * Why at ingest: no output reads the query text (the funnel counts searches
 * by their type), and a query typed by a visitor who never logs in is keyed
 * by no customer, so no erasure request could ever find an e-mail address
 * in it. Replaced, in this order:
 *
 * - an e-mail address (`something@domain.tld`) → `[email]`;
 * - a run of 7 or more digits, with up to two of ` .-/()` between digits
 *   and an optional leading `+` or `(` (a phone, card, IBAN or order
 *   number) → `[number]`. Shorter numbers stay: sizes, years, postcodes
 *   (`pink cake tin 20cm`, `2023 calendar`).
 *
 * Names, street addresses and spelled-out addresses (`jane at gmail dot
 * com`) are not recognised: the rest of the text stays personal data
 * (class `personal`, restricted: role-gated, purged by retention, erased
 * with the customer's events).
 */
import type { SqlDialect } from '../../engine/sql-dialect.js';

/** An e-mail address: a local part, `@`, a domain with at least one dot (the same in JavaScript and RE2). */
export const EMAIL_PATTERN = `[^\\s@,;:<>()\\[\\]"']+@[^\\s@,;:<>()\\[\\]"'.]+(?:\\.[^\\s@,;:<>()\\[\\]"'.]+)+`;
/** 7 or more digits, up to two of ` .-/()` between them, an optional `+` or `(` before (the same in JavaScript and RE2). */
export const LONG_NUMBER_PATTERN = `[+(]?[0-9](?:[ ./()-]{0,2}[0-9]){6,}`;

export const EMAIL_PLACEHOLDER = '[email]';
export const NUMBER_PLACEHOLDER = '[number]';

const EMAIL = new RegExp(EMAIL_PATTERN, 'g');
const LONG_NUMBER = new RegExp(LONG_NUMBER_PATTERN, 'g');

/**
 * `text` with its e-mail addresses and long numbers replaced (see the file header); null stays null.
 *
 * Example: `redactContactDetails('order for Jane Roe +44 7700 900999')` → `'order for Jane Roe [number]'`
 */
export function redactContactDetails(text: string | null): string | null {
  if (text === null) return null;
  return text.replace(EMAIL, EMAIL_PLACEHOLDER).replace(LONG_NUMBER, NUMBER_PLACEHOLDER);
}

/**
 * `redactContactDetails` as an SQL expression over a text expression (DuckDB: the ingest cleans every file there,
 * also for a cluster); NULL stays NULL. A text with no `@` and no digit is returned as it is, without the regular
 * expressions.
 *
 * Example: `redactContactDetailsSql(duckdbDialect, 'query_given')`
 */
export function redactContactDetailsSql(d: SqlDialect, text: string): string {
  if (d.name !== 'duckdb') throw new Error(`no SQL form of the contact-detail redaction for ${d.name}`);
  const replaced = `regexp_replace(regexp_replace(${text}, ${d.literal(EMAIL_PATTERN)}, ${d.literal(EMAIL_PLACEHOLDER)}, 'g'), ${d.literal(LONG_NUMBER_PATTERN)}, ${d.literal(NUMBER_PLACEHOLDER)}, 'g')`;
  return `(CASE WHEN regexp_matches(${text}, '[@0-9]') THEN ${replaced} ELSE ${text} END)`;
}

/**
 * A text holding what `redactContactDetails` replaces, as a pattern for the engine's full match (`SqlDialect.fullMatch`,
 * both engines): the privacy report's check of a warehouse ingested before queries were cleaned.
 */
export const HOLDS_CONTACT_DETAILS_PATTERN = `.*(?:${EMAIL_PATTERN}|${LONG_NUMBER_PATTERN}).*`;

/**
 * The ingest warning of a file whose queries held contact details (none when `count` is 0).
 *
 * Example: `redactedQueriesWarning(2)` → `'2 search queries held an e-mail address or a long number (…): replaced by [email] / [number] before storing, the rest of each query kept'`
 */
export function redactedQueriesWarning(count: number): string | null {
  if (count === 0) return null;
  const what = count === 1 ? '1 search query' : `${count.toLocaleString('en-US')} search queries`;
  return `${what} held an e-mail address or a long number (7 or more digits: a phone, card or order number): replaced by ${EMAIL_PLACEHOLDER} / ${NUMBER_PLACEHOLDER} before storing, the rest of each query kept`;
}
