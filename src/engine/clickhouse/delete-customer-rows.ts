/**
 * Delete every row of some customers from every sharded table that has a
 * `customer_id` column. ClickHouse deletes by mutation (`ALTER TABLE …
 * DELETE WHERE`, run on each shard's local table, asynchronously); this
 * waits until every mutation is done and then checks that the rows are
 * gone, so a caller never reports an erasure that has not happened.
 */
import type { ClickHouseWarehouse } from './clickhouse-warehouse.js';

export interface DeleteCustomerRowsOptions {
  /** give up waiting for the mutations after this many seconds (default 300) */
  readonly timeoutSeconds?: number;
}

/** Rows deleted per table (tables without rows of these customers are left alone). */
export async function deleteCustomerRows(cluster: ClickHouseWarehouse, tokens: readonly string[], options: DeleteCustomerRowsOptions = {}): Promise<Record<string, number>> {
  const d = cluster.dialect;
  const list = tokens.map((token) => d.literal(token)).join(', ');
  const tables = (await cluster.query("SELECT DISTINCT table_name FROM information_schema.columns WHERE column_name = 'customer_id' ORDER BY table_name")).map((r) => String(r.table_name));
  const deleted: Record<string, number> = {};
  const pending: string[] = [];
  for (const table of tables) {
    const [row] = await cluster.query(`SELECT count(*) AS n FROM ${table} WHERE customer_id IN (${list})`);
    if (Number(row!.n) === 0) continue;
    deleted[table] = Number(row!.n);
    // a sharded table's rows on every shard's local table; a derived table of an analysis lives on the entry node
    await cluster.alterWhereHeld(table, `DELETE WHERE customer_id IN (${list})`);
    pending.push(table);
  }
  await cluster.waitForMutations(options.timeoutSeconds ?? 300);
  for (const table of pending) {
    const [left] = await cluster.query(`SELECT count(*) AS n FROM ${table} WHERE customer_id IN (${list})`);
    if (Number(left!.n) !== 0) throw new Error(`deleteCustomerRows: ${String(left!.n)} rows of these customers are still in ${table}`);
  }
  return deleted;
}
