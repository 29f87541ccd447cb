/**
 * A statement's shape for a log: every string literal written `'?'`. Literals carry what a log must not keep —
 * pseudonymous tokens, an id as a user typed it, file names, the keyed secret of the row hashes (with it and the
 * warehouse, tokens could be matched to raw ids). One pass, as each engine reads its SQL: quoted identifiers (`"…"`,
 * ClickHouse's `` `…` ``) and comments are kept as written and can hold a quote mark (a column `"Customer's ID"`);
 * a literal ends at its closing quote, `''` inside it being a quote, and a backslash escapes the next character only
 * where the engine reads it so (ClickHouse, DuckDB's `E'…'`: `'c_x\'` is a whole literal in DuckDB). An unclosed
 * literal is masked to the end.
 *
 * Example: `statementShape(`SELECT trim("Customer's ID") FROM t WHERE md5('s3cret' || x) IN ('c_x\\', 'it''s')`, 'duckdb')`
 * → `SELECT trim("Customer's ID") FROM t WHERE md5('?' || x) IN ('?', '?')`
 */
export function statementShape(sql: string, dialect: 'duckdb' | 'clickhouse'): string {
  const n = sql.length;
  let out = '';
  let i = 0;
  // the end (exclusive) of a quoted run opened at `open` by `quote`: a doubled quote continues it, a backslash escapes
  const closing = (open: number, quote: string, backslash: boolean): number => {
    let j = open + 1;
    while (j < n) {
      const c = sql[j]!;
      if (backslash && c === '\\') j += 2;
      else if (c !== quote) j++;
      else if (sql[j + 1] === quote) j += 2;
      else return j + 1;
    }
    return n;
  };
  while (i < n) {
    const c = sql[i]!;
    let end = i + 1;
    if (c === '-' && sql[i + 1] === '-') {
      const newline = sql.indexOf('\n', i);
      end = newline < 0 ? n : newline;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      end = close < 0 ? n : close + 2;
    } else if (c === '"' || (c === '`' && dialect === 'clickhouse')) {
      end = closing(i, c, dialect === 'clickhouse');
    } else if (c === "'") {
      const escapeString = /[Ee]/.test(sql[i - 1] ?? '') && !/[A-Za-z0-9_]/.test(sql[i - 2] ?? '');
      i = closing(i, "'", dialect === 'clickhouse' || escapeString);
      out += "'?'";
      continue;
    }
    out += sql.slice(i, end);
    i = end;
  }
  return out;
}
