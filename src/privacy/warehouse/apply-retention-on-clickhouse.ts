import type { ClickHouseWarehouse } from '../../engine/clickhouse/clickhouse-warehouse.js';
import { listCustomerTables } from '../keys/encrypted-columns.js';
import { assertWarehouseKey } from '../keys/warehouse-key.js';
import { CUSTOMER_RECORD_TABLES, RETENTION_TABLES, planRetention, recordRetention, type ApplyRetentionOptions, type RetentionResult } from './apply-retention.js';

/** Scratch tables of the tokens of customers left with nothing: a plain table on every shard, and one on the entry node. */
const GONE_ON_SHARDS = 'clv_retention_gone';
const GONE_ON_ENTRY = 'clv_retention_gone_entry';

/**
 * `applyRetention` on a ClickHouse cluster: the same rows go, the same policy
 * is recorded and the same audit entry is appended (in the cluster's
 * `audit_log`), with the same result. How it differs: every delete is a
 * mutation (`ALTER TABLE … DELETE` on each shard's local table of a sharded
 * table, on the entry node's table of a derived one) that is waited for and
 * then checked — the condition counted again must find no row, else it
 * throws, so a purge is never reported that has not happened. A mutation on
 * a shard cannot read the other shards, so no condition reads a sharded
 * table: the ingests started before the quarantine cutoff are read first,
 * and the tokens of the customers left with nothing are written to a
 * scratch table beside the purged one (on every shard, or on the entry
 * node) and deleted with `customer_id IN` that table — one mutation per
 * table however many they are. ClickHouse has no
 * transactions: a failure part way leaves the tables purged so far purged
 * (re-running the same command finishes the job); nothing to compact
 * (ClickHouse rewrites the affected parts itself).
 *
 * Requires `apply_retention` (admin).
 *
 * Example: `await applyRetentionOnClickHouse(cluster, { keyring, role: 'admin', periods: { transactions: '3y' } })` → `{ deleted: { transactions: 1200, customers: 7, … }, … }`
 */
export async function applyRetentionOnClickHouse(cluster: ClickHouseWarehouse, options: ApplyRetentionOptions): Promise<RetentionResult> {
  const plan = planRetention(options);
  const { cutoffs } = plan;
  await assertWarehouseKey(cluster, options.keyring);
  const d = cluster.dialect;
  const deleted: Record<string, number> = {};
  const purge = async (table: string, where: string) => {
    const count = async () => Number((await cluster.query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`))[0]!.n);
    const n = await count();
    deleted[table] = (deleted[table] ?? 0) + n;
    if (n === 0) return;
    await cluster.execute(`DELETE FROM ${table} WHERE ${where}`); // plain names (the catalogue's): the mutation rewrite reads them unquoted
    const left = await count();
    if (left !== 0) throw new Error(`applyRetentionOnClickHouse: ${left} rows past retention are still in ${table} after the delete`);
  };
  // The customers' tokens as a table beside the one purged (on every shard for a sharded table, on the entry node
  // for a derived one): one mutation per table whatever their number, `customer_id IN table` read where it runs.
  const purgeCustomers = async (table: string, tokens: readonly string[], where: string) => {
    deleted[table] = tokens.length === 0 ? 0 : Number((await cluster.query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`))[0]!.n);
    if (deleted[table] === 0) return;
    const sharded = (await cluster.isShardedTable(table)) === true;
    const run = (sql: string) => (sharded ? cluster.commandOnEachShard(sql) : cluster.execute(sql));
    const scratch = `${cluster.database}.${sharded ? GONE_ON_SHARDS : GONE_ON_ENTRY}`;
    await run(`DROP TABLE IF EXISTS ${scratch}`);
    await run(`CREATE TABLE ${scratch} (customer_id String) ENGINE = MergeTree ORDER BY customer_id`);
    try {
      // an INSERT's values are not bound by max_query_size: one statement for every token
      await run(`INSERT INTO ${scratch} VALUES ${tokens.map((t) => `(${d.literal(t)})`).join(', ')}`);
      await cluster.waitForMutations([await cluster.alterWhereHeld(table, `DELETE WHERE customer_id IN ${scratch}`)]);
    } finally {
      await run(`DROP TABLE IF EXISTS ${scratch}`);
    }
    const left = Number((await cluster.query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`))[0]!.n);
    if (left !== 0) throw new Error(`applyRetentionOnClickHouse: ${left} rows of customers with nothing left are still in ${table} after the delete`);
  };
  if (cutoffs.transactions) await purge('transactions', `ts < ${d.timestamp(cutoffs.transactions)}`);
  if (cutoffs.events) await purge('events', `ts < ${d.timestamp(cutoffs.events)}`);
  if (cutoffs.login_attempts) await purge('login_attempts', `ts < ${d.timestamp(cutoffs.login_attempts)}`);
  if (cutoffs.api_tokens) await purge('api_tokens', `COALESCE(revoked_at, expires_at) < ${d.timestamp(cutoffs.api_tokens)}`);
  if (cutoffs.quarantine) {
    // COALESCE(ts, the ingest's start) < cutoff, with the ingests read first
    const cutoff = d.timestamp(cutoffs.quarantine);
    const ingests = (await cluster.query(`SELECT ingest_id FROM ingests WHERE started_at < ${cutoff} ORDER BY ingest_id`)).map((r) => Number(r.ingest_id));
    await purge('quarantine', ingests.length > 0 ? `(ts < ${cutoff} OR (ts IS NULL AND ingest_id IN (${ingests.join(', ')})))` : `ts < ${cutoff}`);
  }
  // Customers with nothing left (read once, after the purges above), as applyRetention decides them
  const kept = 'SELECT customer_id FROM transactions UNION ALL SELECT customer_id FROM events WHERE customer_id IS NOT NULL';
  const nothingLeft = `customer_id NOT IN (SELECT customer_id FROM (${kept}) k)`;
  const withNothingLeft = async (table: string) => (await cluster.query(`SELECT DISTINCT customer_id FROM ${table} WHERE ${nothingLeft}`)).map((r) => String(r.customer_id));
  const derived: string[] = [];
  for (const table of await listCustomerTables(cluster)) {
    if ((RETENTION_TABLES as readonly string[]).includes(table)) continue;
    if (CUSTOMER_RECORD_TABLES.includes(table)) await purgeCustomers(table, await withNothingLeft(table), nothingLeft);
    else derived.push(table);
  }
  const purgedSource = (deleted.transactions ?? 0) + (deleted.events ?? 0) > 0;
  for (const table of derived) {
    if (purgedSource) await purge(table, '1 = 1');
    else await purgeCustomers(table, await withNothingLeft(table), nothingLeft);
  }
  return recordRetention(cluster, options.keyring, plan, deleted, purgedSource ? derived : []);
}
