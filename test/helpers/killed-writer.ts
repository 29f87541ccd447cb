import { randomBytes } from 'node:crypto';
import { stagingName } from '../../src/engine/clickhouse/append-atomically.js';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import type { AppendColumns } from '../../src/engine/warehouse.js';

// spelled out here rather than imported, so that the tests using this also run against code without leases (to see them fail)
const LEASE_TABLE = 'scratch_leases';
const leaseIdOf = (name: string) => /_(\d+_[0-9a-f]+)$/.exec(name)![1]!;

/** The lease table as scratch-leases.ts makes it. */
export async function ensureLeaseTable(cluster: ClickHouseWarehouse): Promise<void> {
  await cluster.commandOnEachShard(`CREATE TABLE IF NOT EXISTS ${cluster.database}.${LEASE_TABLE} (lease String, scratch String, beat DateTime) ENGINE = ReplacingMergeTree(beat) ORDER BY (lease, scratch)`);
}

/**
 * The scratch tables an ingest killed with `kill -9` leaves on a cluster, made as it makes them: a staging table of
 * `table` (the Distributed table on the entry node, `…_local` on every shard) holding `rows`, and the Memory table
 * its doubles passed through (`…__exact_<ms>_<hex>` on the entry node, its tokens and amounts still in it), each
 * leased — its last beat `secondsAgo` back on every shard (the process died then; a live writer beats every 10 s).
 * Returns the staging table's name (the exact table's starts with it).
 */
export async function leaveKilledWritersTables(cluster: ClickHouseWarehouse, table: string, rows: AppendColumns, secondsAgo: number): Promise<string> {
  const db = cluster.database;
  const staging = stagingName(table);
  const exact = `${staging}__exact_${Date.now()}_${randomBytes(4).toString('hex')}`;
  await ensureLeaseTable(cluster);
  for (const name of [staging, exact]) {
    await cluster.commandOnEachShard(`INSERT INTO ${db}.${LEASE_TABLE} (lease, scratch, beat) VALUES ('${leaseIdOf(name)}', '', now() - ${secondsAgo})`);
  }
  const [engine] = await cluster.query(`SELECT engine_full FROM system.tables WHERE database = '${db}' AND name = '${table}'`);
  await cluster.commandOnEachShard(`CREATE TABLE ${db}.${staging}_local AS ${db}.${table}_local`);
  await cluster.execute(`CREATE TABLE ${db}.${staging} AS ${db}.${staging}_local ENGINE = ${String(engine!.engine_full).replace(`${table}_local`, `${staging}_local`)}`);
  await cluster.append(staging, rows);
  // the exact table as append-columns.ts makes it (its columns: the rows' customer ids and each double as mantissa and exponent)
  await cluster.execute(`CREATE TABLE ${db}.${exact} (customer_id String, amount__m Int64, amount__e Int16) ENGINE = Memory`);
  const ids = rows.customer_id as readonly string[];
  await cluster.execute(`INSERT INTO ${db}.${exact} VALUES ${ids.map((id) => `('${id}', 1234, -2)`).join(', ')}`);
  return staging;
}

/** The scratch tables (`__staging_`, `__exact_`) on each shard, by name. */
export async function scratchOnShards(cluster: ClickHouseWarehouse): Promise<string[][]> {
  return (await cluster.queryOnEachShard(`SELECT name FROM system.tables WHERE database = '${cluster.database}' AND (position(name, '__staging_') > 0 OR position(name, '__exact_') > 0) ORDER BY name`)).map((answer) => answer.split('\n').filter(Boolean));
}

/**
 * The lease `lease` as it is `secondsAgo` after its process died: its rows on every shard replaced by rows whose beat
 * is that far back (a beat cannot be updated in place: it is the table's version column). A test's way to let a
 * minute pass.
 */
export async function backdateLease(cluster: ClickHouseWarehouse, lease: string, secondsAgo: number): Promise<void> {
  const db = cluster.database;
  for (const [shard, answer] of (await cluster.queryOnEachShard(`SELECT DISTINCT scratch FROM ${db}.${LEASE_TABLE} WHERE lease = '${lease}' ORDER BY scratch`)).entries()) {
    const names = [...new Set(['', ...answer.split('\n')])]; // the beats' rows ('') and the claims'
    await cluster.commandOnShard(shard, `ALTER TABLE ${db}.${LEASE_TABLE} DELETE WHERE lease = '${lease}'`);
    await cluster.waitForMutations([LEASE_TABLE]);
    await cluster.commandOnShard(shard, `INSERT INTO ${db}.${LEASE_TABLE} (lease, scratch, beat) VALUES ${names.map((name) => `('${lease}', '${name}', now() - ${secondsAgo})`).join(', ')}`);
  }
}

/**
 * The leases as they are `seconds` later when no writer is left to beat (every process that leased has exited or was
 * killed): on every shard each (lease, scratch) row's latest beat moved `seconds` further back. A test's way to let
 * time pass for all leases at once — a killed run's lease and the claims an ended run left on the same names alike.
 * Not for a cluster where a writer is still running (its beats between the read and the rewrite would be lost).
 */
export async function ageLeases(cluster: ClickHouseWarehouse, seconds: number): Promise<void> {
  const db = cluster.database;
  const rows = await cluster.queryOnEachShard(`SELECT lease, scratch, toInt64(now()) - toInt64(max(beat)) FROM ${db}.${LEASE_TABLE} GROUP BY lease, scratch ORDER BY lease, scratch`);
  for (const [shard, answer] of rows.entries()) {
    const beats = answer.split('\n').filter(Boolean).map((line) => line.split('\t') as [string, string, string]);
    if (beats.length === 0) continue;
    await cluster.commandOnShard(shard, `TRUNCATE TABLE ${db}.${LEASE_TABLE}`);
    await cluster.commandOnShard(shard, `INSERT INTO ${db}.${LEASE_TABLE} (lease, scratch, beat) VALUES ${beats.map(([lease, scratch, age]) => `('${lease}', '${scratch}', now() - ${Number(age) + seconds})`).join(', ')}`);
  }
}

/** The tables of a run on each shard that are not live derived tables: staged (`clv_staged_`), moved aside (`clv_replaced_`), and the `clv_…` TEMP tables. */
export async function runTablesOnShards(cluster: ClickHouseWarehouse): Promise<string[][]> {
  return (await cluster.queryOnEachShard(`SELECT name FROM system.tables WHERE database = '${cluster.database}' AND startsWith(name, 'clv_') ORDER BY name`)).map((answer) => answer.split('\n').filter(Boolean));
}
