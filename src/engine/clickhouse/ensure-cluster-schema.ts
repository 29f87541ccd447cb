/**
 * The warehouse schema (every table of `SCHEMA_MIGRATIONS`) on a cluster: the
 * tables missing there are created from the declarations of a freshly
 * migrated in-memory DuckDB (their portable form), sharded by customer where
 * they have a `customer_id`. A table already there gets the nullable columns
 * a later migration added (`ingest_copies.attempt`, migration 10: on each
 * shard's local table, then the Distributed table; the rows it holds read
 * NULL there); a missing NOT NULL column is not added (its rows would read a
 * default nobody wrote): an append then fails naming it. Returns the tables
 * created.
 */
import { openDuckDbWarehouse } from '../duckdb-warehouse.js';
import type { Warehouse } from '../warehouse.js';
import type { ClickHouseWarehouse } from './clickhouse-warehouse.js';
import { clickhouseType } from './clickhouse-table-ddl.js';
import { createTableIfMissing, portableType } from './copy-table-to-clickhouse.js';

/** The nullable columns of `reference`'s tables that the cluster's tables of the same name lack, added to them. */
async function addMissingNullableColumns(reference: Warehouse, cluster: ClickHouseWarehouse, tables: readonly string[]): Promise<void> {
  const columns = 'SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns';
  const held = new Set((await cluster.query(columns)).map((row) => `${String(row.table_name)}.${String(row.column_name)}`));
  for (const row of await reference.query(`${columns} WHERE table_schema = 'main' ORDER BY table_name, ordinal_position`)) {
    const [table, column] = [String(row.table_name), String(row.column_name)];
    if (!tables.includes(table) || held.has(`${table}.${column}`) || row.is_nullable === 'NO') continue;
    const add = `ADD COLUMN ${column} ${clickhouseType(portableType(String(row.data_type)), false)}`;
    if (await cluster.isShardedTable(table)) await cluster.commandOnEachShard(`ALTER TABLE ${cluster.database}.${table}_local ${add}`);
    await cluster.execute(`ALTER TABLE ${table} ${add}`); // the entry node's table (the Distributed one of a sharded table)
  }
}

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
    await addMissingNullableColumns(reference, cluster, wanted.filter((table) => held.has(table)));
    return created;
  } finally {
    await reference.close();
  }
}
