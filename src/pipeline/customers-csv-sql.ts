/**
 * customers.csv, generated from the derived-table catalogue
 * (`engine/derived-tables.ts`): one row per customer of `customer_summary`,
 * the catalogue's exported columns of every table the run wrote, in
 * catalogue order, with the id and PII columns the export may show right
 * after `customer_id`.
 */
import { DERIVED_TABLES, type DerivedColumn, type DerivedTable } from '../engine/derived-tables.js';
import { EXPORT_IDENTITY_TABLE, type CustomerExport } from '../privacy/access/customer-export.js';
import { castKeepingNullSql, duckdbDialect, type SqlDialect } from '../engine/sql-dialect.js';

export interface CustomersCsvParts {
  /** derived tables this run wrote (customer_summary always) */
  readonly tables: ReadonlySet<string>;
  /** the data has order values; without them the money columns are left out */
  readonly money: boolean;
  /** the engine's dialect, for its `castKeepingNull` (prospects have no summary row: their cast columns are NULL) */
  readonly dialect?: SqlDialect;
  /** the run's --horizon-months: other than 12, the catalogue's horizon columns are written as `predicted_clv_<h>m…` (absent: not written) */
  readonly horizonMonths?: number;
}

/**
 * The name customers.csv gives a catalogue column: a horizon column's `horizon` becomes the run's months
 * (`predicted_clv_6m`); a column written instead of another table's is named as that one (`predicted_clv_12m`).
 */
export function csvColumnName(column: DerivedColumn, horizonMonths?: number): string {
  if (column.csv?.insteadOf) return column.csv.insteadOf.name;
  return column.csv?.horizon ? column.name.replace('horizon', `${horizonMonths}m`) : column.name;
}

/** The catalogue columns customers.csv holds for these parts, table by table. */
export function customersCsvColumns(parts: CustomersCsvParts): { readonly table: DerivedTable; readonly column: DerivedColumn }[] {
  return DERIVED_TABLES.filter((t) => t.join === 'from' || parts.tables.has(t.name)).flatMap((table) =>
    table.columns
      .filter((column) => column.csv !== undefined && (parts.money || !column.money) && (!column.csv.horizon || (parts.horizonMonths !== undefined && parts.horizonMonths !== 12)))
      .filter((column) => column.csv?.insteadOf === undefined || !parts.tables.has(column.csv.insteadOf.table))
      .map((column) => ({ table, column })),
  );
}

/** The name a catalogue column has inside the chain of joins (`alias__column`; the key stays `customer_id`). */
const chained = (table: DerivedTable, column: string) => (column === 'customer_id' ? 'customer_id' : `${table.alias}__${column}`);

function columnSql(table: DerivedTable, column: DerivedColumn, dialect?: SqlDialect, horizonMonths?: number): string {
  const ref = chained(table, column.name);
  // a horizon of 1.5 months names a column predicted_clv_1.5m: quoted
  const name = column.csv?.horizon ? (dialect ?? duckdbDialect).identifier(csvColumnName(column, horizonMonths)) : csvColumnName(column);
  if (column.csv?.cast) return `${castKeepingNullSql(dialect ?? duckdbDialect, ref, column.csv.cast)} AS ${name}`;
  if (column.csv?.round !== undefined) return `round(${ref}, ${column.csv.round}) AS ${name}`;
  return ref === name ? ref : `${ref} AS ${name}`;
}

/**
 * The SELECT of customers.csv: the derived tables joined one at a time on
 * `customer_id` (USING, unqualified names), each join in a SELECT of its own
 * — the form every engine reads (ClickHouse 18.16 takes one JOIN per SELECT).
 *
 * Example: with `tables: {customer_summary}` and money →
 * `SELECT customer_id, s__first_purchase AS first_purchase, …, round(s__historic_clv, 4) AS historic_clv FROM (SELECT customer_id, first_purchase AS s__first_purchase, … FROM customer_summary) csv ORDER BY customer_id`
 */
export function buildCustomersCsvSql(parts: CustomersCsvParts & { readonly identity: Pick<CustomerExport, 'columns'> }): string {
  const columns = customersCsvColumns(parts);
  const select = columns
    .map(({ table, column }) => columnSql(table, column, parts.dialect, parts.horizonMonths) + (column.class === 'token' ? parts.identity.columns.map((c) => `, p__${c} AS ${c}`).join('') : ''))
    .join(', ');
  const from = DERIVED_TABLES.find((t) => t.join === 'from')!;
  const joined = DERIVED_TABLES.filter((t) => t.join !== 'from' && columns.some((c) => c.table === t));
  const own = (table: DerivedTable) => columns.filter((c) => c.table === table && c.column.name !== 'customer_id').map((c) => chained(table, c.column.name));
  const renamed = (table: DerivedTable) => [
    'customer_id',
    ...columns.filter((c) => c.table === table && c.column.name !== 'customer_id').map((c) => `${c.column.name} AS ${chained(table, c.column.name)}`),
  ];
  // tables that add customers (prospects): their ids join the summary's as the rows, and every join becomes a LEFT JOIN
  const adding = DERIVED_TABLES.filter((t) => t.addsCustomers === true && parts.tables.has(t.name));
  const fromSql = `SELECT ${renamed(from).join(', ')} FROM ${from.name}`;
  let chain =
    adding.length === 0
      ? fromSql
      : `SELECT customer_id, ${own(from).join(', ')} FROM (SELECT DISTINCT customer_id FROM (${[from, ...adding].map((t) => `SELECT customer_id FROM ${t.name}`).join(' UNION ALL ')}) u) ids LEFT JOIN (${fromSql}) x USING (customer_id)`;
  let held = ['customer_id', ...own(from)];
  const step = (join: string, table: string, names: readonly string[], renames: readonly string[]) => {
    chain = `SELECT ${[...held, ...names].join(', ')} FROM (${chain}) l ${join} (SELECT ${renames.join(', ')} FROM ${table}) r USING (customer_id)`;
    held = [...held, ...names];
  };
  for (const t of joined) step(t.join === 'inner' && adding.length === 0 ? 'JOIN' : 'LEFT JOIN', t.name, own(t), renamed(t));
  if (parts.identity.columns.length > 0) {
    step('LEFT JOIN', EXPORT_IDENTITY_TABLE, parts.identity.columns.map((c) => `p__${c}`), ['customer_id', ...parts.identity.columns.map((c) => `${c} AS p__${c}`)]);
  }
  return `SELECT ${select} FROM (${chain}) csv ORDER BY customer_id`;
}
