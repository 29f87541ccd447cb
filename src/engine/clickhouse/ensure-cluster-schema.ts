/**
 * The warehouse schema (every table of `SCHEMA_MIGRATIONS`) on a cluster: the
 * tables missing there are created from the declarations of a freshly
 * migrated in-memory DuckDB (their portable form), sharded by customer where
 * they have a `customer_id`. Tables already there are left as they are.
 * Returns the tables created.
 */
import { openDuckDbWarehouse } from '../duckdb-warehouse.js';
import type { ClickHouseWarehouse } from './clickhouse-warehouse.js';
import { createTableIfMissing } from './copy-table-to-clickhouse.js';

export async function ensureClusterSchema(cluster: ClickHouseWarehouse): Promise<string[]> {
  const reference = await openDuckDbWarehouse(':memory:', { threads: 1 });
  try {
    const wanted = (await reference.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name")).map((row) => String(row.table_name));
    const held = new Set((await cluster.query('SELECT table_name FROM information_schema.tables')).map((row) => String(row.table_name)));
    const created: string[] = [];
    for (const table of wanted) {
      if (held.has(table)) continue;
      await createTableIfMissing(reference, cluster, table);
      created.push(table);
    }
    return created;
  } finally {
    await reference.close();
  }
}
