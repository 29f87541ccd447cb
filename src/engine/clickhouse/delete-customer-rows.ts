/**
 * Delete every row of some customers from the given tables of a cluster.
 * ClickHouse deletes by mutation (`ALTER TABLE … DELETE WHERE`, on each
 * shard's local table of a sharded table, on the entry node's table of a
 * derived one; asynchronous); this waits until those mutations are done and
 * then checks that the rows are gone, so a caller never reports an erasure
 * that has not happened. The caller chooses the tables (base tables: a view
 * has no rows of its own and takes no mutation) and counts what it deletes.
 *
 * Example: `await deleteCustomerRows(cluster, ['c_…'], ['transactions', 'customer_reid'])`
 */
import type { ClickHouseWarehouse } from './clickhouse-warehouse.js';

export interface DeleteCustomerRowsOptions {
  /** give up waiting for the mutations after this many seconds (default 300) */
  readonly timeoutSeconds?: number;
}

export async function deleteCustomerRows(cluster: ClickHouseWarehouse, tokens: readonly string[], tables: readonly string[], options: DeleteCustomerRowsOptions = {}): Promise<void> {
  const list = tokens.map((token) => cluster.dialect.literal(token)).join(', ');
  const mutated: string[] = [];
  for (const table of tables) mutated.push(await cluster.alterWhereHeld(table, `DELETE WHERE customer_id IN (${list})`));
  await cluster.waitForMutations(mutated, options.timeoutSeconds);
  for (const table of tables) {
    const [left] = await cluster.query(`SELECT count(*) AS n FROM ${table} WHERE customer_id IN (${list})`);
    if (Number(left!.n) !== 0) throw new Error(`deleteCustomerRows: ${String(left!.n)} rows of these customers are still in ${table}`);
  }
}
