/**
 * The one identifier normaliser, in TypeScript and in SQL. Both forms are
 * generated here from one definition of whitespace, and a test runs the SQL
 * form in the engine against the TypeScript form on tricky ids (NFD/NFC,
 * whitespace runs, non-ASCII spaces). Ingest normalises ids in SQL; the
 * pseudonymiser normalises again in TypeScript before hashing, so both must
 * give the same text.
 */
import type { SqlDialect } from '../../engine/sql-dialect.js';

/**
 * Code points that count as whitespace in an identifier: exactly what
 * JavaScript's `\s` matches (ASCII tab to carriage return and space, no-break
 * space, the Unicode space separators, line and paragraph separators, the
 * byte-order mark).
 */
export const IDENTIFIER_WHITESPACE: readonly number[] = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
  0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
];

const hex = (cp: number) => cp.toString(16).padStart(4, '0');
/** The whitespace as a regular-expression class: `\u{…}` for JavaScript, `\x{…}` for RE2 (DuckDB). */
const JS_CLASS = `[${IDENTIFIER_WHITESPACE.map((cp) => `\\u{${hex(cp)}}`).join('')}]`;
const RE2_CLASS = `[${IDENTIFIER_WHITESPACE.map((cp) => `\\x{${hex(cp)}}`).join('')}]`;
const JS_RUNS = new RegExp(`${JS_CLASS}+`, 'gu');
const JS_EDGES = new RegExp(`^${JS_CLASS}+|${JS_CLASS}+$`, 'gu');
/** ASCII whitespace other than the space: the only whitespace a pure-ASCII id can hold besides spaces. */
const RE2_ASCII_CONTROLS = `[${IDENTIFIER_WHITESPACE.filter((cp) => cp < 0x20).map((cp) => `\\x{${hex(cp)}}`).join('')}]`;

export interface NormaliseIdentifierOptions {
  /** lower-case the id (for case-insensitive ids such as e-mail addresses); default false */
  readonly foldCase?: boolean;
}

/**
 * The canonical form of an identifier before hashing: Unicode NFC, leading
 * and trailing whitespace removed, inner whitespace runs (incl. tabs, NBSP)
 * collapsed to one space, optionally lower-cased. Nothing else changes —
 * `00123` and `123` stay different ids.
 *
 * Example: `normaliseIdentifier('  C 42\t') ` → `'C 42'`
 */
export function normaliseIdentifier(id: string, options: NormaliseIdentifierOptions = {}): string {
  const text = id.normalize('NFC').replace(JS_EDGES, '').replace(JS_RUNS, ' ');
  return options.foldCase ? text.toLowerCase() : text;
}

/**
 * `normaliseIdentifier` (without case folding) as an SQL expression over a
 * text expression; NULL stays NULL. A pure-ASCII id without doubled,
 * leading or trailing spaces and without tabs or line breaks — nearly every
 * id — is returned as it is, without running the regular expressions.
 *
 * Example: `normaliseIdentifierSql(duckdbDialect, 'customer_id_text')`
 */
export function normaliseIdentifierSql(d: SqlDialect, text: string): string {
  if (d.name !== 'duckdb') throw new Error(`no SQL form of the identifier normaliser for ${d.name}`);
  const full = `trim(regexp_replace(nfc_normalize(${text}), ${d.literal(`${RE2_CLASS}+`)}, ' ', 'g'), ' ')`;
  const plain = `strlen(${text}) = length(${text}) AND NOT regexp_matches(${text}, ${d.literal(`^ | $|  |${RE2_ASCII_CONTROLS}`)})`;
  return `(CASE WHEN ${plain} THEN ${text} ELSE ${full} END)`;
}
