/**
 * Delete every row of some customers from the given tables of a cluster.
 * ClickHouse deletes by mutation (`ALTER TABLE … DELETE WHERE`, on each
 * shard's local table of a sharded table, on the entry node's table of a
 * derived one; asynchronous); this waits until those mutations are done. A
 * mutation rewrites only the parts that existed when it was made: rows
 * attached after it (an ingest copy's `ATTACH PARTITION`) are not deleted,
 * so the caller counts again what is left and deletes again
 * (`eraseCustomersOnClickHouse` does, a bounded number of times). The caller chooses
 * the tables (base tables: a view has no rows of its own and takes no
 * mutation) and counts what it deletes.
 *
 * Example: `await deleteCustomerRows(cluster, ['c_…'], ['transactions', 'customer_reid'])`
 */
import type { ClickHouseWarehouse } from './clickhouse-warehouse.js';

export interface DeleteCustomerRowsOptions {
  /** give up waiting for the mutations after this many seconds (default 300) */
  readonly timeoutSeconds?: number;
  /** called before the table's mutation is asked for: from then on some shards may delete its rows though the ALTER fails on others */
  readonly beforeMutation?: (table: string) => void;
  /** called once the table's mutation is made on every shard (its rows will go, whatever happens after) */
  readonly onMutation?: (table: string) => void;
}

export async function deleteCustomerRows(cluster: ClickHouseWarehouse, tokens: readonly string[], tables: readonly string[], options: DeleteCustomerRowsOptions = {}): Promise<void> {
  const list = tokens.map((token) => cluster.dialect.literal(token)).join(', ');
  const mutated: string[] = [];
  for (const table of tables) {
    options.beforeMutation?.(table);
    mutated.push(await cluster.alterWhereHeld(table, `DELETE WHERE customer_id IN (${list})`));
    options.onMutation?.(table);
  }
  await cluster.waitForMutations(mutated, options.timeoutSeconds);
}
