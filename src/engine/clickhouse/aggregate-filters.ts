/**
 * SQL-standard filtered aggregates as ClickHouse's `-If` combinators:
 * `count(*) FILTER (WHERE c)` → `countIf(c)`, `sum(x) FILTER (WHERE c)` →
 * `sumIf(x, c)` (18.16 has no FILTER clause). Literals, quoted identifiers
 * and comments are skipped (sql-literals.ts: `\'`, `''` and `\\` inside a
 * literal read as ClickHouse reads them).
 *
 * Example: `aggregateFilters('SELECT count(*) FILTER (WHERE x > 0) FROM t')` → `'SELECT countIf(x > 0) FROM t'`
 */

import { maskLiterals } from './sql-literals.js';

/** Index of the parenthesis matching the one at `open` (searching forward for `(`, backward for `)`), in masked text (`maskLiterals`). */
function matching(masked: string, open: number, step: 1 | -1): number {
  let depth = 0;
  for (let i = open; i >= 0 && i < masked.length; i += step) {
    const ch = masked[i]!;
    if (ch === (step === 1 ? '(' : ')')) depth++;
    else if (ch === (step === 1 ? ')' : '(') && --depth === 0) return i;
  }
  throw new Error('aggregateFilters: unbalanced parentheses in the SQL');
}

const FILTER = /\)\s*FILTER\s*\(\s*WHERE\b/gi;

export function aggregateFilters(sql: string): string {
  for (;;) {
    // found and matched in the masked text (nothing inside a literal, identifier or comment counts), cut from `sql`
    const masked = maskLiterals(sql);
    FILTER.lastIndex = 0;
    const match = FILTER.exec(masked);
    if (!match) return sql;
    const callClose = match.index;
    const callOpen = matching(masked, callClose, -1);
    const name = /([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(masked.slice(0, callOpen));
    if (!name) throw new Error(`aggregateFilters: no aggregate before FILTER at ${sql.slice(Math.max(0, callOpen - 30), callClose + 1)}`);
    const filterOpen = masked.indexOf('(', callClose + 1);
    const filterClose = matching(masked, filterOpen, 1);
    const condition = sql.slice(match.index + match[0].length, filterClose).trim();
    const args = sql.slice(callOpen + 1, callClose).trim();
    const call = args === '*' || args === '' ? `${name[1]}If(${condition})` : `${name[1]}If(${args}, ${condition})`;
    sql = sql.slice(0, name.index) + call + sql.slice(filterClose + 1);
  }
}
