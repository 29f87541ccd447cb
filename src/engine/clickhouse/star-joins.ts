/**
 * ClickHouse 18.16 runs one JOIN per SELECT and does not resolve a joined
 * table's alias (`g.stage`) across nested joins. The actions' SQL reads the
 * derived tables as a star around `customer_summary s`
 * (`audienceSourceSql`: `FROM customer_summary s LEFT JOIN customer_scores c
 * ON c.customer_id = s.customer_id LEFT JOIN …`), with every column written
 * `alias.column`. Such a star is rewritten as a chain of single joins on
 * `customer_id` over subqueries that read only the columns the statement
 * names, each renamed `alias__column`, and every `alias.column` of the
 * statement (outside string literals) becomes that name (`alias.customer_id`
 * becomes `customer_id`, the key of every table, so a selected token keeps its
 * name). The derived tables
 * hold one row per customer, so the chain gives the rows of the star.
 *
 * The star's base may be a subquery (`FROM (SELECT …) s LEFT JOIN …`: the
 * audience's population of buyers and prospects, `audiencePopulationSql`): it
 * is held aside while the star is rewritten and read as the chain's first table.
 *
 * Example: `rewriteStarJoins("SELECT s.customer_id FROM customer_summary s LEFT JOIN customer_stages g ON g.customer_id = s.customer_id WHERE g.stage = 'new'")`
 * → `SELECT customer_id FROM (SELECT … ALL LEFT JOIN (SELECT customer_id, stage AS \`g__stage\` FROM customer_stages) USING (customer_id)) star_join WHERE \`g__stage\` = 'new'`
 */
import { outsideLiterals } from './sql-literals.js';

const IDENT = '(?:`([^`]+)`|"([^"]+)"|([A-Za-z_][A-Za-z0-9_]*))';
const STAR_FROM = new RegExp(`\\bFROM\\s+${IDENT}\\s+(?:AS\\s+)?([A-Za-z_][A-Za-z0-9_]*)((?:\\s+LEFT\\s+(?:OUTER\\s+)?JOIN\\s+${IDENT}\\s+(?:AS\\s+)?[A-Za-z_][A-Za-z0-9_]*\\s+ON\\s+[A-Za-z_][A-Za-z0-9_]*\\.customer_id\\s*=\\s*[A-Za-z_][A-Za-z0-9_]*\\.customer_id)+)`, 'i');
const ONE_JOIN = new RegExp(`\\s+LEFT\\s+(?:OUTER\\s+)?JOIN\\s+${IDENT}\\s+(?:AS\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\s+ON\\s+([A-Za-z_][A-Za-z0-9_]*)\\.customer_id\\s*=\\s*([A-Za-z_][A-Za-z0-9_]*)\\.customer_id`, 'gi');
const quote = (name: string) => `\`${name}\``;

export function rewriteStarJoins(sql: string): string {
  const base = baseSubquery(sql);
  if (!base) return rewriteStar(sql);
  const placeholder = `clv_star_base_${sql.length}`;
  const rewritten = rewriteStar(sql.slice(0, base.start) + placeholder + sql.slice(base.end));
  return rewritten.replace(placeholder, () => sql.slice(base.start, base.end));
}

/**
 * The first `FROM (…) s LEFT JOIN` — a subquery under the population's alias `s` (customer_summary's in the catalogue,
 * as `audienceSourceSql` writes it): the star's base as a subquery (its span, parentheses included), or null. Another
 * alias is no star (the clustering's `FROM (features) f LEFT JOIN scores s`, which selects `f.*`).
 */
function baseSubquery(sql: string): { start: number; end: number } | null {
  for (const from of sql.matchAll(/\bFROM\s*\(/gi)) {
    const start = from.index + from[0].length - 1;
    let depth = 0;
    let end = -1;
    for (let i = start; i < sql.length; i++) {
      if (sql[i] === "'") {
        i = sql.indexOf("'", i + 1); // a literal's parentheses do not count ('' inside: two literals, the same)
        if (i < 0) return null;
      } else if (sql[i] === '(') depth++;
      else if (sql[i] === ')' && --depth === 0) {
        end = i + 1;
        break;
      }
    }
    if (end < 0) return null;
    if (/^\s+(?:AS\s+)?s\s+LEFT\s+(?:OUTER\s+)?JOIN\b/i.test(sql.slice(end))) return { start, end };
  }
  return null;
}

function rewriteStar(sql: string): string {
  let found: RegExpExecArray | null = null;
  outsideLiterals(sql, (part) => {
    found ??= STAR_FROM.exec(part);
    return part;
  });
  if (!found) return sql;
  const star = found as RegExpExecArray;
  const base = { table: (star[1] ?? star[2] ?? star[3])!, alias: star[4]! };
  const joins: { table: string; alias: string }[] = [];
  for (const join of star[5]!.matchAll(ONE_JOIN)) {
    const alias = join[4]!;
    const [left, right] = [join[5]!, join[6]!];
    // only a star on customer_summary's alias: ON x.customer_id = s.customer_id (either way round)
    if (!((left === alias && right === base.alias) || (right === alias && left === base.alias))) return sql;
    joins.push({ table: (join[1] ?? join[2] ?? join[3])!, alias });
  }
  const aliases = new Map([base, ...joins].map((t) => [t.alias.toLowerCase(), t]));
  const columns = new Map<string, Set<string>>([...aliases.keys()].map((a) => [a, new Set<string>()]));
  const reference = /\b([A-Za-z_][A-Za-z0-9_]*)\.(?:`([^`]+)`|"([^"]+)"|([A-Za-z_][A-Za-z0-9_]*))/g;
  const fromClause = star[0];
  const withoutFrom = sql.replace(fromClause, '\u0000');
  const renamed = outsideLiterals(withoutFrom, (part) =>
    part.replace(reference, (match, alias: string, q1?: string, q2?: string, plain?: string) => {
      const key = alias.toLowerCase();
      if (!aliases.has(key)) return match;
      const column = (q1 ?? q2 ?? plain)!;
      if (column === 'customer_id') return 'customer_id'; // every table's key is the chain's customer_id, under its own name
      columns.get(key)!.add(column);
      return quote(`${aliases.get(key)!.alias}__${column}`);
    }),
  );
  const named = (alias: string) => [...columns.get(alias.toLowerCase())!].map((c) => ({ source: c, name: quote(`${alias}__${c}`) }));
  const baseColumns = named(base.alias);
  let chain = `SELECT customer_id${baseColumns.map((c) => `, ${quote(c.source)} AS ${c.name}`).join('')} FROM ${base.table}`;
  let names = ['customer_id', ...baseColumns.map((c) => c.name)];
  for (const join of joins) {
    const joined = named(join.alias);
    if (joined.length === 0) continue; // a table no column is read from adds nothing (one row per customer)
    chain = `SELECT ${[...names, ...joined.map((c) => c.name)].join(', ')} FROM (${chain}) ALL LEFT JOIN (SELECT customer_id${joined.map((c) => `, ${quote(c.source)} AS ${c.name}`).join('')} FROM ${join.table}) USING (customer_id)`;
    names = [...names, ...joined.map((c) => c.name)];
  }
  return renamed.replace('\u0000', `FROM (${chain}) star_join`);
}
