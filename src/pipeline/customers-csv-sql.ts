/**
 * customers.csv, generated from the derived-table catalogue
 * (`engine/derived-tables.ts`): one row per customer of `customer_summary`,
 * the catalogue's exported columns of every table the run wrote, in
 * catalogue order, with the id and PII columns the export may show right
 * after `customer_id`.
 */
import { DERIVED_TABLES, type DerivedColumn, type DerivedTable } from '../engine/derived-tables.js';
import type { CustomerExport } from '../privacy/access/customer-export.js';

export interface CustomersCsvParts {
  /** derived tables this run wrote (customer_summary always) */
  readonly tables: ReadonlySet<string>;
  /** the data has order values; without them the money columns are left out */
  readonly money: boolean;
}

/** The catalogue columns customers.csv holds for these parts, table by table. */
export function customersCsvColumns(parts: CustomersCsvParts): { readonly table: DerivedTable; readonly column: DerivedColumn }[] {
  return DERIVED_TABLES.filter((t) => t.join === 'from' || parts.tables.has(t.name)).flatMap((table) =>
    table.columns.filter((column) => column.csv !== undefined && (parts.money || !column.money)).map((column) => ({ table, column })),
  );
}

function columnSql(table: DerivedTable, column: DerivedColumn): string {
  const ref = `${table.alias}.${column.name}`;
  if (column.csv?.cast) return `CAST(${ref} AS ${column.csv.cast}) AS ${column.name}`;
  if (column.csv?.round !== undefined) return `round(${ref}, ${column.csv.round}) AS ${column.name}`;
  return ref;
}

/**
 * The SELECT of customers.csv.
 *
 * Example: with `tables: {customer_summary}` and money →
 * `SELECT s.customer_id, s.first_purchase, …, round(s.historic_clv, 4) AS historic_clv FROM customer_summary s ORDER BY s.customer_id`
 */
export function buildCustomersCsvSql(parts: CustomersCsvParts & { readonly identity: Pick<CustomerExport, 'selectSql' | 'joinSql'> }): string {
  const columns = customersCsvColumns(parts);
  const select = columns.map(({ table, column }) => columnSql(table, column) + (column.class === 'token' ? parts.identity.selectSql : '')).join(', ');
  const from = DERIVED_TABLES.find((t) => t.join === 'from')!;
  const joined = DERIVED_TABLES.filter((t) => t.join !== 'from' && columns.some((c) => c.table === t));
  // tables that add customers (prospects): their ids join the summary's as the rows, and every join becomes a LEFT JOIN
  const adding = DERIVED_TABLES.filter((t) => t.addsCustomers === true && parts.tables.has(t.name));
  const base =
    adding.length === 0
      ? from.name
      : `(SELECT ids.customer_id, x.* EXCLUDE (customer_id) FROM (${[from, ...adding].map((t) => `SELECT customer_id FROM ${t.name}`).join(' UNION ')}) ids LEFT JOIN ${from.name} x ON x.customer_id = ids.customer_id)`;
  const joins = joined.map((t) => ` ${t.join === 'inner' && adding.length === 0 ? 'JOIN' : 'LEFT JOIN'} ${t.name} ${t.alias} ON ${t.alias}.customer_id = ${from.alias}.customer_id`).join('');
  return `SELECT ${select} FROM ${base} ${from.alias}${joins}${parts.identity.joinSql} ORDER BY ${from.alias}.customer_id`;
}
