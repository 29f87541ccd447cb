/**
 * Per-customer subqueries LEFT JOINed onto a base query by `customer_id`,
 * one JOIN per SELECT: ClickHouse 18.16 runs one JOIN per SELECT ("Support
 * for more than one JOIN in query is not implemented"), so a star of joins
 * around a base (`FROM a LEFT JOIN x … LEFT JOIN y …`) is written as a chain
 * of single joins, each `USING (customer_id)`. The same SQL runs on DuckDB.
 *
 * Every query must have a `customer_id` column; the joined ones one row per
 * customer, and column names unlike the others' (no qualifier tells them
 * apart). Select the columns you need from the result by name, never `*`:
 * ClickHouse keeps each joined side's key as an extra `alias.customer_id`.
 * Customers missing from a joined query have NULLs in its columns (on
 * ClickHouse with `join_use_nulls`, which the warehouse sets).
 *
 * Example: `leftJoinPerCustomer('SELECT customer_id, group_name FROM audience_members', ['SELECT customer_id, sum(amount) AS revenue FROM transactions GROUP BY customer_id'])`
 * → `SELECT * FROM (SELECT * FROM (…) per_customer_base) per_customer_0 LEFT JOIN (…) joined_0 USING (customer_id)`
 */
export function leftJoinPerCustomer(base: string, joined: readonly string[]): string {
  return joined.reduce((query, next, i) => `SELECT * FROM (${query}) per_customer_${i} LEFT JOIN (${next}) joined_${i} USING (customer_id)`, `SELECT * FROM (${base}) per_customer_base`);
}
