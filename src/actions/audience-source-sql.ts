import { DERIVED_TABLES } from '../engine/derived-tables.js';
import type { SqlDialect } from '../engine/sql-dialect.js';
import type { Warehouse } from '../engine/warehouse.js';
import { tableExists } from '../features/table-exists.js';

const SUMMARY = DERIVED_TABLES.find((t) => t.name === 'customer_summary')!;

/**
 * The FROM clause an audience filter runs on: the audience's population as
 * `s` and each other derived table it needs LEFT JOINed under its catalogue
 * alias (the aliases `compileWhereExpression` writes). The population is
 * `customer_summary` (the buyers) — and, when `tables` names a table that adds
 * customers (`customer_prospects`: known, never bought), those customers too:
 * `s` is then every customer the run knows, with customer_summary's columns
 * (NULL for a prospect). `s.customer_id` is the population's token either way.
 *
 * Example: `audienceSourceSql(duckdbDialect, ['customer_stages'])` → `customer_summary s LEFT JOIN "customer_stages" g ON g.customer_id = s.customer_id`
 * Example: `audienceSourceSql(duckdbDialect, ['customer_prospects'])` → `(SELECT customer_id, first_purchase, … FROM (SELECT DISTINCT customer_id FROM (SELECT CAST(customer_id AS VARCHAR) AS customer_id FROM customer_summary UNION ALL SELECT CAST(customer_id AS VARCHAR) AS customer_id FROM customer_prospects) u) ids LEFT JOIN (SELECT customer_id, first_purchase, … FROM customer_summary) x USING (customer_id)) s LEFT JOIN "customer_prospects" q ON q.customer_id = s.customer_id`
 */
export function audienceSourceSql(d: SqlDialect, tables: readonly string[]): string {
  const joins = DERIVED_TABLES.filter((t) => t.name !== SUMMARY.name && tables.includes(t.name))
    .map((t) => ` LEFT JOIN ${d.identifier(t.name)} ${t.alias} ON ${t.alias}.customer_id = s.customer_id`)
    .join('');
  return `${audiencePopulationSql(d, tables)} s${joins}`;
}

/**
 * The audience's population: `customer_summary`, or — with a table that adds
 * customers among `tables` — a subquery of every customer of those tables and
 * the summary, with the summary's catalogue columns (USING and unqualified
 * names, the form ClickHouse 18.16 reads; `rewriteStarJoins` takes it as the
 * star's base). UNION ALL and DISTINCT: ClickHouse 18.16 has no UNION DISTINCT.
 */
export function audiencePopulationSql(d: SqlDialect, tables: readonly string[]): string {
  const adding = DERIVED_TABLES.filter((t) => t.addsCustomers === true && tables.includes(t.name));
  if (adding.length === 0) return SUMMARY.name;
  const columns = SUMMARY.columns.map((c) => d.identifier(c.name)).join(', ');
  // each branch's token as plain text: ClickHouse 18.16 types a UNION by its first branch, and a function on a String
  // union Nullable(String) column fails (`substr(customer_id, …)`, the customer list's q=)
  const ids = [SUMMARY, ...adding].map((t) => `SELECT CAST(customer_id AS VARCHAR) AS customer_id FROM ${d.identifier(t.name)}`).join(' UNION ALL ');
  return `(SELECT ${columns} FROM (SELECT DISTINCT customer_id FROM (${ids}) u) ids LEFT JOIN (SELECT ${columns} FROM ${d.identifier(SUMMARY.name)}) x USING (customer_id))`;
}

/** The tables this warehouse holds that add customers to the audience's population (`customer_prospects`), for `audienceSourceSql`'s `tables`. */
export async function populationTables(warehouse: Warehouse): Promise<string[]> {
  const held: string[] = [];
  for (const t of DERIVED_TABLES) if (t.addsCustomers === true && (await tableExists(warehouse, t.name))) held.push(t.name);
  return held;
}

/** How many customers the audience's population holds (buyers, and prospects when `tables`, `populationTables`'s, names them). */
export async function populationCount(warehouse: Warehouse, tables: readonly string[]): Promise<number> {
  const [row] = await warehouse.query(`SELECT count(*) AS n FROM ${audiencePopulationSql(warehouse.dialect, tables)} p`);
  return Number(row!.n);
}
