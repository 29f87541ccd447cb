/**
 * The warehouse schema (every table of `SCHEMA_MIGRATIONS`) on a cluster: the
 * tables missing there are created from the declarations of a freshly
 * migrated in-memory DuckDB (their portable form), sharded by customer where
 * they have a `customer_id`. A table already there gets the nullable columns
 * a later migration added (`ingest_copies.attempt`, migration 10: on each
 * shard's local table, then the Distributed table; the rows it holds read
 * NULL there; each shard is checked on its own, so an add that stopped part
 * way is finished by the next call, and "already exists" from a concurrent
 * call is success; another failure is a one-line `UserError` naming the
 * shard); a missing NOT NULL column is not added (its rows would read a
 * default nobody wrote): an append then fails naming it. Then the scratch
 * tables of writers no longer running (a killed ingest's staging tables,
 * rows of customers among them) are dropped on every shard
 * (`dropOrphanedScratch`, scratch-leases.ts) — every command that opens the
 * cluster as a writer calls this first. Returns the tables created.
 */
import { UserError } from '../../core/errors/user-error.js';
import { openDuckDbWarehouse } from '../duckdb-warehouse.js';
import type { Row } from '../warehouse.js';
import type { ClickHouseWarehouse } from './clickhouse-warehouse.js';
import { clickhouseType } from './clickhouse-table-ddl.js';
import { ifNotExists, portableCreateTable, portableType } from './copy-table-to-clickhouse.js';
import { dropOrphanedScratch } from './scratch-leases.js';
import { errorMessage } from '../../core/errors/error-message.js';

/** The schema's tables as a freshly migrated DuckDB declares them: their names, portable CREATE TABLEs and columns (in declaration order). */
interface ReferenceSchema {
  readonly tables: readonly string[];
  readonly createTable: ReadonlyMap<string, string>;
  readonly columns: readonly Row[];
}

/**
 * The reference schema, read once per process from an in-memory DuckDB migrated to the latest version (~100 ms of
 * CPU each time, before every writer command's check: a test process opens the cluster as a writer dozens of
 * times); the migrations are this process's code, so the answer cannot change while it runs.
 */
let referenceSchema: Promise<ReferenceSchema> | null = null;

function readReferenceSchema(): Promise<ReferenceSchema> {
  referenceSchema ??= (async () => {
    const reference = await openDuckDbWarehouse(':memory:', { threads: 1 });
    try {
      const tables = (await reference.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name")).map((row) => String(row.table_name));
      const createTable = new Map<string, string>();
      for (const table of tables) createTable.set(table, await portableCreateTable(reference, table));
      const columns = await reference.query("SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'main' ORDER BY table_name, ordinal_position");
      return { tables, createTable, columns };
    } finally {
      await reference.close();
    }
  })().catch((error: unknown) => {
    referenceSchema = null; // not kept: the next call reads it again
    throw error;
  });
  return referenceSchema;
}

/** ClickHouse's answer to an ADD COLUMN another writer ran first (code 44): the column is there, as wanted. */
function isColumnThere(error: unknown): boolean {
  const message = errorMessage(error);
  return /\bCode: 44\b|column with this name already exists/.test(message);
}

/**
 * `ADD COLUMN` where `where` (a shard, the entry node) lacks it: 18.16 has no
 * `ADD COLUMN IF NOT EXISTS`, so the column is looked for there first, and
 * "already exists" from a concurrent writer is success; any other failure is
 * one line naming where, to be retried (each place is checked again then).
 */
async function addColumnWhereMissing(held: boolean, where: string, column: string, add: () => Promise<void>): Promise<void> {
  if (held) return;
  try {
    await add();
  } catch (error) {
    if (isColumnThere(error)) return;
    const reason = errorMessage(error).split('\n')[0];
    throw new UserError(`the cluster's schema could not be brought up to date: adding column ${column} on ${where} failed: ${reason}`, 'run the same command again (the places that have the column are skipped)');
  }
}

/**
 * The nullable columns of `reference`'s tables that the cluster's tables of the same name lack, added to them (on
 * each shard's local table, then the entry node's). `held`: the entry node's columns, as `table.column`.
 */
async function addMissingNullableColumns(reference: ReferenceSchema, cluster: ClickHouseWarehouse, tables: readonly string[], held: ReadonlySet<string>): Promise<void> {
  // each shard's local tables on their own: an earlier add may have stopped part way (one shard has the column, another not)
  const onShards = (await cluster.queryOnEachShard(`SELECT concat(table, '.', name) FROM system.columns WHERE database = ${cluster.dialect.literal(cluster.database)}`)).map((answer) => {
    const columns = answer.split('\n');
    return { columns: new Set(columns), tables: new Set(columns.map((name) => name.slice(0, name.lastIndexOf('.')))) };
  });
  for (const row of reference.columns) {
    const [table, column] = [String(row.table_name), String(row.column_name)];
    if (!tables.includes(table) || row.is_nullable === 'NO') continue;
    const add = `ADD COLUMN ${column} ${clickhouseType(portableType(String(row.data_type)), false)}`;
    for (const [shard, { columns: onShard, tables: localTables }] of onShards.entries()) {
      if (!localTables.has(`${table}_local`)) continue; // not a sharded table
      await addColumnWhereMissing(onShard.has(`${table}_local.${column}`), `shard ${shard} (${table}_local)`, column, () => cluster.commandOnShard(shard, `ALTER TABLE ${cluster.database}.${table}_local ${add}`));
    }
    // the entry node's table (the Distributed one of a sharded table)
    await addColumnWhereMissing(held.has(`${table}.${column}`), `the entry node (${table})`, column, () => cluster.execute(`ALTER TABLE ${table} ${add}`));
  }
}

export async function ensureClusterSchema(cluster: ClickHouseWarehouse, options: { onSweep?: (dropped: readonly string[]) => void } = {}): Promise<string[]> {
  const reference = await readReferenceSchema();
  const wanted = reference.tables;
  // the entry node's tables and their columns in one question (every table has a column)
  const entryColumns = await cluster.query('SELECT table_name, column_name FROM information_schema.columns');
  const held = new Set(entryColumns.map((row) => String(row.table_name)));
  const created: string[] = [];
  for (const table of wanted) {
    if (held.has(table)) continue;
    await cluster.execute(ifNotExists(reference.createTable.get(table)!));
    created.push(table);
  }
  const heldColumns = new Set(entryColumns.map((row) => `${String(row.table_name)}.${String(row.column_name)}`));
  await addMissingNullableColumns(reference, cluster, wanted.filter((table) => held.has(table)), heldColumns);
  // the schema's tables are never taken for scratch, whoever claimed their names
  const dropped = await dropOrphanedScratch(cluster, { keep: wanted });
  options.onSweep?.(dropped);
  return created;
}
