/**
 * The SQL of the customer list and the customer 360. Filters never reach the
 * SQL as typed: stage and tier are checked against fixed sets (the route's
 * TypeBox enums), a segment against the segments the run wrote, the sort key
 * against the column catalogue below, the search text against a strict
 * pattern — and every value is then quoted as a literal by the dialect.
 */
import type { Warehouse } from '../../engine/warehouse.js';
import { tableExists } from '../../features/table-exists.js';
import { columnValues } from '../../actions/category-values.js';
import { audiencePopulationSql, populationTables } from '../../actions/audience-source-sql.js';
import type { CustomerSort } from './read-api-types.js';

/** Derived tables the list joins, by alias (customer_summary `s` is the base). */
const JOINED = { c: 'customer_scores', g: 'customer_stages', r: 'customer_rfm', v: 'customer_value_tiers', w: 'customer_churn' } as const;
type Alias = keyof typeof JOINED;

/** The catalogue of sortable columns: key → the SQL column and direction (ties broken by token). */
export const SORT_COLUMNS: Readonly<Record<CustomerSort, { readonly alias: Alias | 's'; readonly column: string; readonly descending: boolean }>> = {
  predicted_value: { alias: 'c', column: 'predicted_clv_12m', descending: true },
  historic_value: { alias: 's', column: 'historic_clv', descending: true },
  p_alive: { alias: 'c', column: 'p_alive', descending: false },
  churn_probability: { alias: 'w', column: 'churn_probability', descending: true },
  last_purchase: { alias: 's', column: 'last_purchase', descending: true },
  orders: { alias: 's', column: 'orders', descending: true },
  customer: { alias: 's', column: 'customer_id', descending: false },
};

/** The filters of `GET /api/customers`, already validated by the route's schema. */
export interface CustomerFilters {
  readonly stage?: string;
  readonly segment?: string;
  readonly tier?: string;
  /** a token prefix (`c_ab…`), or a customer id as given (matched through its token when `tokenOf` is given) */
  readonly q?: string;
  readonly sort: CustomerSort;
  readonly limit: number;
  readonly offset: number;
}

/** Which derived tables this warehouse holds (a run may have skipped steps). */
export async function heldCustomerTables(warehouse: Warehouse): Promise<ReadonlySet<string>> {
  const held = new Set<string>();
  for (const table of ['customer_summary', ...Object.values(JOINED)]) if (await tableExists(warehouse, table)) held.add(table);
  for (const table of await populationTables(warehouse)) held.add(table); // those that add customers to the list (prospects)
  return held;
}

/** Segments the run wrote (the allowed values of the segment filter). */
export async function listSegments(warehouse: Warehouse, held: ReadonlySet<string>): Promise<string[]> {
  return held.has('customer_rfm') ? columnValues(warehouse, 'customer_rfm', 'segment') : [];
}

export interface CustomerListSql {
  readonly count: string;
  readonly page: string;
  /** the sort actually used (a key whose table is missing falls back to `historic_value`) */
  readonly sort: CustomerSort;
}

/**
 * The count and page queries of the customer list.
 *
 * Example: `{ stage: 'at_risk', sort: 'predicted_value', limit: 25, offset: 0 }` →
 * `… FROM customer_summary s LEFT JOIN customer_stages g ON … WHERE g.stage = 'at_risk' ORDER BY c.predicted_clv_12m DESC NULLS LAST, s.customer_id LIMIT 25 OFFSET 0`
 */
export function buildCustomerListSql(warehouse: Warehouse, held: ReadonlySet<string>, filters: CustomerFilters, searchToken: string | null): CustomerListSql {
  const d = warehouse.dialect;
  const has = (alias: Alias) => held.has(JOINED[alias]);
  const col = (alias: Alias, column: string, as: string) => (has(alias) ? `${alias}.${column} AS ${as}` : `CAST(NULL AS ${column === 'stage' || column === 'segment' || column === 'value_tier' ? 'VARCHAR' : 'DOUBLE'}) AS ${as}`);
  const joins = (Object.keys(JOINED) as Alias[]).filter(has).map((a) => ` LEFT JOIN ${JOINED[a]} ${a} ON ${a}.customer_id = s.customer_id`).join('');
  const where: string[] = [];
  if (filters.stage !== undefined) where.push(has('g') ? `g.stage = ${d.literal(filters.stage)}` : 'FALSE');
  if (filters.segment !== undefined) where.push(has('r') ? `r.segment = ${d.literal(filters.segment)}` : 'FALSE');
  if (filters.tier !== undefined) where.push(has('v') ? `v.value_tier = ${d.literal(filters.tier)}` : 'FALSE');
  if (filters.q !== undefined) {
    const prefix = `substr(s.customer_id, 1, ${filters.q.length}) = ${d.literal(filters.q)}`;
    where.push(searchToken ? `(${prefix} OR s.customer_id = ${d.literal(searchToken)})` : prefix);
  }
  const whereSql = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  let sort = filters.sort;
  let key = SORT_COLUMNS[sort];
  if (key.alias !== 's' && !has(key.alias)) {
    sort = 'historic_value';
    key = SORT_COLUMNS[sort];
  }
  const order = `${key.alias}.${key.column} ${key.descending ? 'DESC' : 'ASC'} NULLS LAST${key.column === 'customer_id' ? '' : ', s.customer_id'}`;
  // the customers the run knows, as an audience's population: the buyers, and the prospects when it scored some (their
  // customer_summary columns NULL: no orders, no last purchase), so stage=prospect lists them
  const from = ` FROM ${audiencePopulationSql(d, [...held])} s${joins}${whereSql}`;
  // every column named with AS: ClickHouse's one-JOIN-per-SELECT rewrite (star-joins.ts) renames `s.orders` to `s__orders` unless aliased
  return {
    count: `SELECT count(*) AS n${from}`,
    page: `SELECT s.customer_id AS customer_id, ${col('g', 'stage', 'stage')}, ${col('r', 'segment', 'segment')}, ${col('v', 'value_tier', 'tier')}, s.orders AS orders, s.last_purchase AS last_purchase, s.historic_clv AS historic_clv, ${col('c', 'predicted_clv_12m', 'predicted_clv_12m')}, ${col('c', 'p_alive', 'p_alive')}, ${col('w', 'churn_probability', 'churn_probability')}${from} ORDER BY ${order} LIMIT ${Math.trunc(filters.limit)} OFFSET ${Math.trunc(filters.offset)}`,
    sort,
  };
}

/** A number from a query value (BIGINTs and DOUBLEs), null for NULL/NaN. */
export function numberOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** A value as the 360 shows it: dates as YYYY-MM-DD, numbers as numbers, the rest as text. */
export function plainValue(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return String(value);
}
