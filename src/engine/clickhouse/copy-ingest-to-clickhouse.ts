/**
 * One ingest's rows, from the private DuckDB where the file ingest made them,
 * into the cluster as one group: every table staged and count-checked first
 * (nothing visible yet), then the staged partitions attached table after
 * table, `ingests` last — its row marks the file as held. ClickHouse has no
 * transactions, so what is left to chance is a crash inside the attach phase
 * (one `ATTACH PARTITION … FROM`, hard links, per table, shard and partition:
 * milliseconds), which leaves rows of an ingest id that `ingests` does not
 * hold. Those are discarded before the next copy (the one of a replay or of
 * the next file, which takes the same id: ids follow `ingests`), so a replay
 * neither duplicates nor loses rows. `customer_reid` has no ingest id: a
 * crash there can leave an extra row for a token, equal in meaning (the token
 * names one original id; readers take one per token).
 *
 * Example: `await copyIngestToClickHouse(localDuckDb, cluster, ['transactions', 'quarantine', 'ingests'])`
 */
import { randomBytes } from 'node:crypto';
import type { AppendColumns, Warehouse } from '../warehouse.js';
import type { ClickHouseWarehouse } from './clickhouse-warehouse.js';
import { attachStagedPartitions, distributedEngine } from './append-atomically.js';

const STAGING = '__staging_';

const rowsOf = async (warehouse: ClickHouseWarehouse, local: string) => (await warehouse.queryOnEachShard(`SELECT count() FROM ${warehouse.database}.${local}`)).reduce((sum, n) => sum + Number(n), 0);

/**
 * Rows of ingests the cluster does not hold (`ingest_id` at or above `firstId`,
 * the lowest id being copied now): the leftovers of a copy that stopped in
 * its attach phase. Deleted (a mutation, waited for); returns the rows deleted.
 */
export async function discardUncommittedIngestRows(cluster: ClickHouseWarehouse, tables: readonly string[], firstId: number): Promise<number> {
  let discarded = 0;
  for (const table of tables) {
    const [hasId] = await cluster.query(`SELECT count(*) AS n FROM information_schema.columns WHERE table_name = ${cluster.dialect.literal(table)} AND column_name = 'ingest_id'`);
    if (Number(hasId!.n) === 0) continue;
    const [left] = await cluster.query(`SELECT count(*) AS n FROM ${table} WHERE ingest_id >= ${firstId}`);
    if (Number(left!.n) === 0) continue;
    await cluster.execute(`DELETE FROM ${table} WHERE ingest_id >= ${firstId}`);
    discarded += Number(left!.n);
  }
  return discarded;
}

/**
 * Copies the tables of one ingest (`source`: the private DuckDB holding only
 * this ingest's rows) into the cluster's sharded tables of the same names,
 * all or nothing (see the file comment); returns the rows added per table.
 * The tables must exist on the cluster (`createTableIfMissing`: the caller
 * makes them before it reads what the cluster holds).
 */
export async function copyIngestToClickHouse(source: Warehouse, cluster: ClickHouseWarehouse, tables: readonly string[]): Promise<Record<string, number>> {
  const db = cluster.database;
  if (tables.includes('ingests')) {
    const [first] = await source.query('SELECT min(ingest_id) AS id FROM ingests');
    if (first?.id !== null && first?.id !== undefined) await discardUncommittedIngestRows(cluster, tables, Number(first.id));
  }
  const suffix = `${STAGING}${Date.now()}_${randomBytes(4).toString('hex')}`;
  const staged: { table: string; staging: string; rows: number; before: number }[] = [];
  try {
    // 1. every table staged and counted: nothing of the ingest is visible yet
    for (const table of tables) {
      const data = await source.queryColumns(`SELECT * FROM ${table}`);
      if (data.rowCount === 0) continue;
      const staging = `${table}${suffix}`;
      staged.push({ table, staging, rows: data.rowCount, before: await rowsOf(cluster, `${table}_local`) });
      await cluster.commandOnEachShard(`CREATE TABLE ${db}.${staging}_local AS ${db}.${table}_local`);
      await cluster.execute(`CREATE TABLE ${db}.${staging} AS ${db}.${staging}_local ENGINE = ${await distributedEngine(cluster, table, `${staging}_local`)}`);
      const sent = await cluster.append(staging, data.columns as AppendColumns);
      const held = await rowsOf(cluster, `${staging}_local`);
      if (sent !== data.rowCount || held !== sent) throw new Error(`copyIngestToClickHouse: ${data.rowCount} rows of ${table} sent, ${held} staged; nothing was added`);
    }
    // 2. attached table after table (ingests last: the file is held once its row is there)
    for (const { table, staging } of staged) {
      await attachStagedPartitions(cluster, staging, table);
    }
    const added: Record<string, number> = {};
    for (const { table, rows, before } of staged) {
      const grown = (await rowsOf(cluster, `${table}_local`)) - before;
      if (grown !== rows) throw new Error(`copyIngestToClickHouse: ${table} grew by ${grown} rows, expected ${rows} (another writer?)`);
      added[table] = rows;
    }
    return added;
  } finally {
    for (const { staging } of staged) await cluster.dropShardedTable(staging);
  }
}
