/**
 * All-or-nothing append to a sharded ClickHouse table, which has no
 * transactions: the rows go first to a staging table of the same shape
 * (local MergeTree on every shard + Distributed, sharded the same way), the
 * staged count is checked against the rows sent, and only then are the
 * staged partitions attached to the target's local tables, shard by shard
 * (`ALTER TABLE … ATTACH PARTITION ID … FROM …`: hard links, no copy). A
 * failure before the move leaves the target as it was; the staging tables
 * are dropped either way. They are leased while they live (scratch-leases.ts:
 * a beat every 10 s), so those a killed process left behind are dropped by
 * the next command that opens the cluster as a writer (`dropOrphanedScratch`,
 * in `ensureClusterSchema`) once their lease has lapsed a minute, and a
 * running writer's are kept. They were never visible. What is not covered: a crash during the
 * moves themselves (milliseconds per partition) can leave some partitions
 * attached; the attached rows carry their `ingest_id` and the final count
 * check reports the mismatch.
 */
import { randomBytes } from 'node:crypto';
import type { AppendColumns } from '../warehouse.js';
import type { ClickHouseWarehouse } from './clickhouse-warehouse.js';

const STAGING = '__staging_';

/**
 * Per connection, the Distributed engines of the tables scratch tables were sharded as (cluster, database, sharding
 * key): asked of system.tables once per table, not before every staging table (5 times in a 2-line ingest). A
 * table's engine follows from its portable CREATE TABLE (clickhouse-table-ddl.ts), so one made again after a drop
 * has the same; one dropped and not made again fails the CREATE … AS of its `_local` table instead.
 */
const distributedEngines = new WeakMap<ClickHouseWarehouse, Map<string, RegExpExecArray>>();

/** The Distributed engine of `table`, pointed at another local table. */
export async function distributedEngine(warehouse: ClickHouseWarehouse, table: string, localTable: string): Promise<string> {
  let known = distributedEngines.get(warehouse);
  if (!known) distributedEngines.set(warehouse, (known = new Map()));
  let match = known.get(table);
  if (!match) {
    const [row] = await warehouse.query(
      `SELECT engine_full FROM system.tables WHERE database = ${warehouse.dialect.literal(warehouse.database)} AND name = ${warehouse.dialect.literal(table)}`,
    );
    const engine = String(row?.engine_full ?? '');
    const found = /^Distributed\(([^,]+),\s*([^,]+),\s*([^,]+),(.*)\)$/.exec(engine);
    if (!found) throw new Error(`appendAtomically: ${table} is not a Distributed table (${engine || 'missing'})`);
    known.set(table, (match = found));
  }
  return `Distributed(${match[1]}, ${match[2]}, ${localTable},${match[4]})`;
}

/**
 * A bound on how long one append or one file's copy stages and attaches its
 * rows (the table's rows sent from memory, seconds to minutes): an ingest
 * copy marked running for longer is taken for one that stopped (an erasure
 * does not wait for it: rounds-beside-copies.ts). Scratch tables are told
 * dead by their leases instead (scratch-leases.ts).
 */
export const STALE_STAGING_MS = 60 * 60 * 1000;

/** Rows of the sharded `table` held by all shards together (their `<table>_local` tables). */
export async function rowsHeld(warehouse: ClickHouseWarehouse, table: string): Promise<number> {
  return (await warehouse.rowsPerShard(table)).reduce((sum, n) => sum + n, 0);
}

/**
 * Rows of each sharded table of `tables` held by all shards together, asked in one query per shard for all of them
 * (`SELECT (SELECT count() FROM a_local), (SELECT count() FROM b_local), …`), not one per table and shard.
 */
export async function rowsHeldEach(warehouse: ClickHouseWarehouse, tables: readonly string[]): Promise<number[]> {
  if (tables.length === 0) return [];
  const perShard = await warehouse.queryOnEachShard(`SELECT ${tables.map((table) => `(SELECT count() FROM ${warehouse.database}.${table}_local)`).join(', ')}`);
  return tables.map((_, i) => perShard.reduce((sum, answer) => sum + Number(answer.split('\t')[i]), 0));
}

/** A fresh name for a staging table of `table`: `<table>__staging_<ms>_<hex>`, whose `<ms>_<hex>` is its lease id (scratch-leases.ts). */
export function stagingName(table: string): string {
  return `${table}${STAGING}${Date.now()}_${randomBytes(4).toString('hex')}`;
}

/**
 * `columns` into the sharded table `staging` (`stagingName`), created shaped and sharded as
 * `table` and not visible in it; the count staged is checked against the rows sent. Returns
 * the rows staged. The caller attaches them (`attachStagedPartitions`) and drops `staging`
 * (`dropShardedTable`), also when this throws.
 *
 * Example: `await stageRows(wh, 'transactions', stagingName('transactions'), { customer_id: ['c_1'], … })` → 1
 */
export async function stageRows(warehouse: ClickHouseWarehouse, table: string, staging: string, columns: AppendColumns): Promise<number> {
  await createStaging(warehouse, table, staging);
  return checkStaged(warehouse, table, staging, await warehouse.append(staging, columns));
}

/**
 * `stageRows` of rows that come in batches (a copy of a table of any size,
 * one batch held at a time): `batches` calls `send` with each batch's
 * columns. They land, as they come, in an unsharded `Log` table on the entry
 * node (`<staging>_landing`, on disk), and reach `staging` in one
 * `INSERT … SELECT`: an INSERT into a MergeTree writes a part per partition
 * and shard, so one INSERT per batch would leave as many parts per month as
 * there are batches (400 for 10M lines in batches of 25,000, beyond
 * ClickHouse's 300 that refuses inserts: "Too many parts"), while one
 * INSERT writes them as one stream, squashed into blocks of a million rows.
 * Rows the caller expects in `oneBatch` (no more than one batch's rows) are one INSERT already: the first batch goes
 * straight into `staging`, and the landing table (its CREATE, count, `INSERT … SELECT` and DROP: 4 requests a table of
 * a small file) is made only if another batch comes (a source whose row ids have gaps: those batches land as above).
 * The count staged is checked against all the rows sent — unless `checked` is false: the caller counts several
 * staging tables at once then (`rowsHeldEach`) and throws `stagedMismatch` on a difference. Returns the rows
 * sent; the landing table is dropped before it returns or throws.
 */
export async function stageRowBatches(
  warehouse: ClickHouseWarehouse,
  table: string,
  staging: string,
  batches: (send: (columns: AppendColumns) => Promise<void>) => Promise<void>,
  { oneBatch = false, checked = true }: { oneBatch?: boolean; checked?: boolean } = {},
): Promise<number> {
  const db = warehouse.database;
  await createStaging(warehouse, table, staging);
  const landing = `${staging}_landing`; // named as a staging table, with its lease id: dropOrphanedScratch (scratch-leases.ts) drops it if a crash leaves it
  let straight = 0; // rows sent into staging itself (oneBatch's first batch)
  let landed: number | null = oneBatch ? null : 0; // rows sent into the landing table, null while it is not made
  if (landed === 0) await warehouse.execute(`CREATE TABLE ${db}.${landing} AS ${db}.${table}_local ENGINE = Log`);
  try {
    await batches(async (columns) => {
      if (landed === null && straight === 0) {
        straight = await warehouse.append(staging, columns);
        if (straight > 0) return;
      }
      if (landed === null) {
        await warehouse.execute(`CREATE TABLE ${db}.${landing} AS ${db}.${table}_local ENGINE = Log`);
        landed = 0;
      }
      landed += await warehouse.append(landing, columns);
    });
    if (landed !== null) {
      const [held] = await warehouse.query(`SELECT count() AS n FROM ${db}.${landing}`);
      if (Number(held!.n) !== landed) throw new Error(`${straight + landed} rows of ${table} sent but ${straight + Number(held!.n)} received; nothing was added`);
      await warehouse.execute(`INSERT INTO ${db}.${staging} SELECT * FROM ${db}.${landing}`);
    }
    const sent = straight + (landed ?? 0);
    return checked ? await checkStaged(warehouse, table, staging, sent) : sent;
  } finally {
    if (landed !== null) await warehouse.execute(`DROP TABLE IF EXISTS ${db}.${landing}`);
  }
}

/**
 * A sharded scratch table `name` (`stagingName`): `name_local` on every shard, made by `local` (the rest of its
 * CREATE TABLE: `AS db.table_local`, or columns and an engine), and a Distributed table `name` over them sharded as
 * `shardedAs` is. Held by its lease before it exists (scratch-leases.ts), so a sweep never takes it for a dead
 * writer's and drops it once its writer is. The caller drops it (`dropShardedTable`).
 *
 * Example: `await createShardedScratch(wh, 'transactions', stagingName('rows_asked'), '(row_hash String) ENGINE = Memory')`
 */
export async function createShardedScratch(warehouse: ClickHouseWarehouse, shardedAs: string, name: string, local: string): Promise<void> {
  const db = warehouse.database;
  const engine = await distributedEngine(warehouse, shardedAs, `${name}_local`);
  await warehouse.scratchLeases.hold(name);
  await warehouse.commandOnEachShard(`CREATE TABLE ${db}.${name}_local ${local}`);
  await warehouse.execute(`CREATE TABLE ${db}.${name} AS ${db}.${name}_local ENGINE = ${engine}`);
}

/** The sharded table `staging`: a local table shaped as `table`'s on every shard, and a Distributed table over them sharded as `table`. */
function createStaging(warehouse: ClickHouseWarehouse, table: string, staging: string): Promise<void> {
  return createShardedScratch(warehouse, table, staging, `AS ${warehouse.database}.${table}_local`);
}

/** `sent`, once the shards hold as many rows of `staging`; else an error (nothing was added). */
async function checkStaged(warehouse: ClickHouseWarehouse, table: string, staging: string, sent: number): Promise<number> {
  const staged = await rowsHeld(warehouse, staging);
  if (staged !== sent) throw stagedMismatch(table, sent, staged);
  return sent;
}

/** The error of `sent` rows of `table` sent and `staged` found in its staging table. */
export function stagedMismatch(table: string, sent: number, staged: number): Error {
  return new Error(`${sent} rows of ${table} sent but ${staged} staged; nothing was added`);
}

/**
 * A second staging table `copy` (`stagingName`) of `table` holding what
 * `staging` holds now — the rows that meet `where` (on each shard's local
 * tables), or all — copied on each shard inside the cluster (nothing sent
 * again). The caller drops `copy` (`dropShardedTable`), also when this throws.
 */
export async function copyStagedRows(warehouse: ClickHouseWarehouse, table: string, staging: string, copy: string, where?: string): Promise<void> {
  const db = warehouse.database;
  await createStaging(warehouse, table, copy);
  await warehouse.commandOnEachShard(`INSERT INTO ${db}.${copy}_local SELECT * FROM ${db}.${staging}_local${where ? ` WHERE ${where}` : ''}`);
}

/**
 * Append rows to the sharded `table` all or nothing; returns the rows added.
 *
 * Example: `await appendAtomically(wh, 'transactions', { customer_id: ['c_1'], ts: [new Date()], … })`
 */
export async function appendAtomically(warehouse: ClickHouseWarehouse, table: string, columns: AppendColumns): Promise<number> {
  const staging = stagingName(table);
  const before = await rowsHeld(warehouse, table);
  try {
    const rows = await stageRows(warehouse, table, staging, columns);
    await attachStagedPartitions(warehouse, staging, table);
    const grown = (await rowsHeld(warehouse, table)) - before;
    if (grown !== rows) throw new Error(`appendAtomically: ${table} grew by ${grown} rows, expected ${rows} (another writer, or a partial move)`);
    return rows;
  } finally {
    await warehouse.dropShardedTable(staging);
  }
}

/** Partitions attached by one ALTER (its commands run one after the other, as separate ALTERs did; a statement stays far below max_query_size). */
const PARTITIONS_PER_ALTER = 200;

/**
 * On each shard, attach every active partition of the staging local table to the target's local table: one
 * `ALTER TABLE … ATTACH PARTITION ID … FROM …, ATTACH PARTITION ID … FROM …` per shard (up to `PARTITIONS_PER_ALTER`
 * partitions), not one per partition (an ingest of two years by month sent 48 ALTERs, one round trip each).
 */
export function attachStagedPartitions(warehouse: ClickHouseWarehouse, staging: string, table: string): Promise<void> {
  return attachStagedTables(warehouse, [{ staging, table }]);
}

/**
 * `attachStagedPartitions` of several staging tables, in the order given (table after table, shard after shard, as
 * one call each did), their partitions asked of each shard's `system.parts` in one query for all of them (was: one
 * per table and shard, 6 requests for the 3 tables of a small ingest on 2 shards). Nothing writes to a staging table
 * once it is staged, so the partitions listed before the first attach are those each table's attach would have found.
 */
export async function attachStagedTables(warehouse: ClickHouseWarehouse, moves: readonly { staging: string; table: string }[]): Promise<void> {
  if (moves.length === 0) return;
  const db = warehouse.database;
  const names = moves.map(({ staging }) => `'${staging}_local'`).join(', ');
  const perShard = await warehouse.queryOnEachShard(
    `SELECT DISTINCT table, partition_id FROM system.parts WHERE database = '${db}' AND table IN (${names}) AND active ORDER BY table, partition_id`,
  );
  const partitionsOf = perShard.map((answer) => {
    const byTable = new Map<string, string[]>();
    for (const line of answer.split('\n').filter(Boolean)) {
      const [local, partition] = line.split('\t') as [string, string];
      byTable.set(local, [...(byTable.get(local) ?? []), partition]);
    }
    return byTable;
  });
  for (const { staging, table } of moves) {
    for (const [shard, byTable] of partitionsOf.entries()) {
      const partitions = byTable.get(`${staging}_local`) ?? [];
      for (let i = 0; i < partitions.length; i += PARTITIONS_PER_ALTER) {
        const attach = partitions.slice(i, i + PARTITIONS_PER_ALTER).map((partition) => `ATTACH PARTITION ID '${partition}' FROM ${db}.${staging}_local`);
        await warehouse.commandOnShard(shard, `ALTER TABLE ${db}.${table}_local ${attach.join(', ')}`);
      }
    }
  }
}
