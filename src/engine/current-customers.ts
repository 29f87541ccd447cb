/**
 * The `customers` table as one row per customer, on either engine: every
 * reader of profiles and contact data goes through `currentCustomersSql`.
 *
 * Each ingest appends a row per customer of its file — a profile file's
 * values, a transaction file's contact data (`--map email=…`) — on both
 * engines (a cluster cannot update in place: ALTER … UPDATE is an
 * asynchronous mutation), and the rows are never merged: a later file
 * replaces the values it has and keeps the ones it lacks (an empty cell is
 * NULL, so it keeps the older value) through this SQL, per customer and
 * column the latest non-NULL value, "latest" by `write_seq` (schema
 * migration 15: the id of the ingest that wrote the row; ids grow with each
 * ingest), then by `ingest_id` for rows written before it (a profile file's
 * row after a transaction file's contact data, which has neither: their
 * order is not known, and two such rows of one customer tie). Dropping an
 * ingest removes its rows, and the earlier files' values are the current
 * ones again (drop-ingest.ts). A DuckDB file written before this merged
 * each file into one row per customer: the SQL gives that row, and rows
 * appended since come after it. Portable to ClickHouse 18.16: no window
 * functions, `argMax`, which passes over NULL values as DuckDB's `arg_max`
 * does.
 *
 * Example: `SELECT c.email_enc FROM ${currentCustomersSql(d, ['email_enc'])} c WHERE c.customer_id = 'c_1'`
 * → the e-mail of the latest file that gave customer c_1 one.
 */
import type { SqlDialect } from './sql-dialect.js';

/** The value columns of `customers` (profile, contact data envelopes, the ingest id of the profile file it last came from). */
export const CUSTOMER_VALUE_COLUMNS = [
  'signup_ts', 'acquisition_channel', 'acquisition_cost', 'region', 'country', 'gender', 'birth_year', 'attributes',
  'email_enc', 'phone_enc', 'name_enc', 'address_enc', 'note_enc', 'ingest_id',
] as const;

export type CustomerValueColumn = (typeof CUSTOMER_VALUE_COLUMNS)[number];

/** The order of a customer's rows, latest largest (see the file comment). */
export const CUSTOMER_ROW_ORDER = 'COALESCE(write_seq, ingest_id, 0)';

/**
 * A parenthesised subquery of `customers` with one row per customer: `customer_id` and `columns` (all value columns
 * by default), each the latest non-NULL value. `where`, a condition on the rows of `customers` (e.g. the customers
 * asked for), is applied before the rows are merged; it must not test a value column (a customer's older row would
 * then be read alone). The order is computed below the aggregation: on ClickHouse an alias named as a column
 * (`argMax(ingest_id, …) AS ingest_id`) would otherwise stand for the column inside the other aggregates' order.
 */
export function currentCustomersSql(d: SqlDialect, columns: readonly CustomerValueColumn[] = CUSTOMER_VALUE_COLUMNS, where?: string): string {
  const values = columns.map((column) => `, ${d.argMax(column, 'row_order')} AS ${column}`).join('');
  const rows = `SELECT customer_id${columns.map((column) => `, ${column}`).join('')}, ${CUSTOMER_ROW_ORDER} AS row_order FROM customers${where ? ` WHERE ${where}` : ''}`;
  return `(SELECT customer_id${values} FROM (${rows}) customer_rows GROUP BY customer_id)`;
}
