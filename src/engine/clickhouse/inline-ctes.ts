/**
 * ClickHouse 18.16 has no common table expressions (`WITH name AS (SELECT …)`;
 * its WITH names scalar expressions only). The feature SQL is written once,
 * with CTEs, for every engine; before it reaches ClickHouse each CTE is
 * inlined as a derived table where it is read (`FROM name [alias]`,
 * `JOIN name [alias]`). A CTE read twice is computed twice, which is what
 * ClickHouse would do with a view. Nested WITH blocks (inside parentheses)
 * are inlined too, innermost first.
 *
 * Example: `inlineCtes('WITH a AS (SELECT 1 AS x) SELECT x FROM a')`
 * → `'SELECT x FROM (SELECT 1 AS x) AS a'`
 */

import { STRING_LITERAL } from './sql-literals.js';

interface Token {
  readonly text: string;
  /** word (identifier or keyword), quoted identifier, string, punctuation, space or comment */
  readonly kind: 'word' | 'quoted' | 'string' | 'punct' | 'space';
}

// string literals as every rewrite reads them (sql-literals.ts)
const TOKEN = new RegExp(String.raw`\s+|--[^\n]*|\/\*[\s\S]*?\*\/|${STRING_LITERAL}|"(?:[^"]|"")*"|` + '`[^`]*`' + String.raw`|[A-Za-z_][A-Za-z0-9_$]*|[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|::|<=|>=|<>|!=|\|\||[\s\S]`, 'gy');

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while (TOKEN.lastIndex < sql.length && (match = TOKEN.exec(sql)) !== null) {
    const text = match[0];
    const first = text[0]!;
    const kind: Token['kind'] = /\s/.test(first) || text.startsWith('--') || text.startsWith('/*')
      ? 'space'
      : first === "'"
        ? 'string'
        : first === '"' || first === '`'
          ? 'quoted'
          : /[A-Za-z_]/.test(first)
            ? 'word'
            : 'punct';
    tokens.push({ text, kind });
  }
  return tokens;
}

/** Words that may follow a table reference and are not an alias. */
const NOT_AN_ALIAS = new Set([
  'WHERE', 'GROUP', 'ORDER', 'HAVING', 'LIMIT', 'UNION', 'JOIN', 'LEFT', 'RIGHT', 'INNER', 'FULL', 'CROSS', 'ANY', 'ALL',
  'GLOBAL', 'ON', 'USING', 'SETTINGS', 'FORMAT', 'PREWHERE', 'FINAL', 'SAMPLE', 'ARRAY', 'WINDOW', 'EXCEPT', 'INTERSECT',
]);

const upper = (token: Token | undefined) => (token?.kind === 'word' ? token.text.toUpperCase() : '');
const nameOf = (token: Token) => (token.kind === 'quoted' ? token.text.slice(1, -1) : token.text).toLowerCase();

/** Index of the next token that is not space, from `i`. */
function skip(tokens: readonly Token[], i: number): number {
  while (i < tokens.length && tokens[i]!.kind === 'space') i++;
  return i;
}

/** Index of the `)` that closes the `(` at `open`. */
function closing(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i]!.text === '(') depth++;
    else if (tokens[i]!.text === ')' && --depth === 0) return i;
  }
  throw new Error('inlineCtes: unbalanced parentheses in the SQL');
}

/** Inline the CTEs of one query (a token list without its enclosing parentheses). */
function inlineQuery(tokens: Token[]): Token[] {
  // innermost first: every parenthesised group is a query of its own
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.text !== '(') {
      out.push(tokens[i]!);
      continue;
    }
    const end = closing(tokens, i);
    out.push(tokens[i]!, ...inlineQuery(tokens.slice(i + 1, end)), tokens[end]!);
    i = end;
  }
  let i = skip(out, 0);
  if (upper(out[i]) !== 'WITH') return out;
  const ctes = new Map<string, Token[]>();
  i = skip(out, i + 1);
  for (;;) {
    const name = out[i];
    const as = skip(out, i + 1);
    const open = skip(out, as + 1);
    if (!name || (name.kind !== 'word' && name.kind !== 'quoted') || upper(out[as]) !== 'AS' || out[open]?.text !== '(') {
      return out; // WITH <expression> AS <alias>: ClickHouse's own form, left alone
    }
    const end = closing(out, open);
    ctes.set(nameOf(name), substitute(out.slice(open + 1, end), ctes));
    i = skip(out, end + 1);
    if (out[i]?.text !== ',') break;
    i = skip(out, i + 1);
  }
  return substitute(out.slice(i), ctes);
}

/** Replace each table reference to a CTE after FROM or JOIN by its body as a derived table. */
function substitute(tokens: readonly Token[], ctes: ReadonlyMap<string, Token[]>): Token[] {
  if (ctes.size === 0) return [...tokens];
  const out: Token[] = [];
  let previous = '';
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const body = (previous === 'FROM' || previous === 'JOIN') && (token.kind === 'word' || token.kind === 'quoted') ? ctes.get(nameOf(token)) : undefined;
    if (body && tokens[skip(tokens, i + 1)]?.text !== '.' && tokens[skip(tokens, i + 1)]?.text !== '(') {
      const next = tokens[skip(tokens, i + 1)];
      const aliased = next !== undefined && ((next.kind === 'word' && !NOT_AN_ALIAS.has(upper(next))) || next.kind === 'quoted');
      out.push({ text: '(', kind: 'punct' }, ...body, { text: ')', kind: 'punct' });
      if (!aliased) out.push({ text: ' AS ', kind: 'space' }, token);
    } else {
      out.push(token);
    }
    if (token.kind !== 'space') previous = upper(token);
  }
  return out;
}

export function inlineCtes(sql: string): string {
  return inlineQuery(tokenize(sql))
    .map((token) => token.text)
    .join('');
}
