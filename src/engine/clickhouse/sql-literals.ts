/**
 * The one reading of SQL text that every statement rewrite shares: where its
 * string literals, quoted identifiers and comments are, as ClickHouse lexes
 * them, so that a rewrite never edits inside them and never mistakes their
 * text for SQL. A string literal is `'…'` in which a backslash escapes the
 * next character (`\'` a quote, `\\` a backslash: `'C:\\'` ends after it)
 * and `''` is a quote (the ClickHouse dialect writes `O'Brien` as
 * `'O\'Brien'`); an identifier is `"…"` or `` `…` `` with the same escapes;
 * a comment runs from `--` to the end of the line, or from `/*` to `*\/`.
 * DuckDB's reading (for `statementShape`) differs in two things: a backslash
 * escapes nothing, but in an `E'…'` string (`'c_x\'` is a whole literal),
 * and an identifier is `"…"` alone.
 *
 * Example: `outsideLiterals("SELECT 'it\\'s in (select' FROM t", (part) => part.toLowerCase())`
 * → `"select 'it\\'s in (select' from t"`
 */

/** A string literal (regular-expression source), escapes as above. */
export const STRING_LITERAL = String.raw`'(?:[^'\\]|\\[\s\S]|'')*'`;
const QUOTED_IDENTIFIER = String.raw`"(?:[^"\\]|\\[\s\S]|"")*"|` + '`(?:[^`\\\\]|\\\\[\\s\\S]|``)*`';
const COMMENT = String.raw`--[^\n]*|/\*[\s\S]*?\*/`;

/** How each engine lexes literals and identifiers, and the quotes that open one (regular-expression sources). */
const LEXES = {
  clickhouse: { literal: STRING_LITERAL, identifier: QUOTED_IDENTIFIER, opening: "['\"`]" },
  duckdb: { literal: String.raw`(?<=(?:^|[^A-Za-z0-9_])[Ee])'(?:[^'\\]|\\[\s\S]|'')*'|'(?:[^']|'')*'`, identifier: String.raw`"(?:[^"]|"")*"`, opening: `['"]` },
} as const;

interface Span {
  readonly start: number;
  readonly end: number;
  /** a string literal or a comment (free text), or a quoted identifier (a name) */
  readonly kind: 'literal' | 'comment' | 'identifier';
}

/** The literals, quoted identifiers and comments of `sql`, in order, as `dialect` lexes them; an unterminated one runs to the end. */
function spans(sql: string, dialect: keyof typeof LEXES = 'clickhouse'): Span[] {
  const { literal, identifier, opening } = LEXES[dialect];
  const found: Span[] = [];
  const scan = new RegExp(`(${literal}|${COMMENT})|(${identifier})|(${opening})`, 'g');
  for (const match of sql.matchAll(scan)) {
    const start = match.index;
    // an opening quote with no end: the rest of the text is inside it (the server will refuse the statement)
    if (match[3]) {
      found.push({ start, end: sql.length, kind: match[3] === "'" ? 'literal' : 'identifier' });
      break;
    }
    found.push({ start, end: start + match[0].length, kind: match[1] ? (match[1].startsWith("'") ? 'literal' : 'comment') : 'identifier' });
  }
  return found;
}

/**
 * `sql` with `edit` applied to the parts outside its string literals and
 * comments (quoted identifiers are edited with the SQL around them: the
 * rewrites' patterns read `"name"` and `` `name` ``).
 */
export function outsideLiterals(sql: string, edit: (part: string) => string): string {
  let out = '';
  let last = 0;
  for (const span of spans(sql)) {
    if (span.kind === 'identifier') continue;
    out += edit(sql.slice(last, span.start)) + sql.slice(span.start, span.end);
    last = span.end;
  }
  return out + edit(sql.slice(last));
}

/**
 * `sql` of the same length with the inside of every literal, quoted
 * identifier and comment blanked (spaces; the quotes stay), for a scan that
 * needs positions in the original text: parentheses, keywords and names are
 * then found only where they are SQL.
 */
export function maskLiterals(sql: string): string {
  let out = '';
  let last = 0;
  for (const span of spans(sql)) {
    const inner = sql.slice(span.start, span.end);
    const blank = inner.length >= 2 && !inner.startsWith('-') && !inner.startsWith('/') ? inner[0] + ' '.repeat(inner.length - 2) + inner[inner.length - 1] : ' '.repeat(inner.length);
    out += sql.slice(last, span.start) + blank;
    last = span.end;
  }
  return out + sql.slice(last);
}

/**
 * A statement's shape for a log: every string literal written `'?'`, as `dialect` lexes them (quoted identifiers and
 * comments kept as written, though they hold a quote mark: a column `"Customer's ID"`; an unclosed literal masked to
 * the end). Literals carry what a log must not keep — pseudonymous tokens, an id as a user typed it, file names, the
 * keyed secret of the row hashes (with it and the warehouse, tokens could be matched to raw ids).
 *
 * Example: `statementShape(`SELECT trim("Customer's ID") FROM t WHERE md5('s3cret' || x) IN ('c_x\\', 'it''s')`, 'duckdb')`
 * → `SELECT trim("Customer's ID") FROM t WHERE md5('?' || x) IN ('?', '?')`
 */
export function statementShape(sql: string, dialect: keyof typeof LEXES): string {
  let out = '';
  let last = 0;
  for (const span of spans(sql, dialect)) {
    if (span.kind !== 'literal') continue;
    out += `${sql.slice(last, span.start)}'?'`;
    last = span.end;
  }
  return out + sql.slice(last);
}
