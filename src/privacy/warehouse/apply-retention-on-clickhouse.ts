import type { ClickHouseWarehouse } from '../../engine/clickhouse/clickhouse-warehouse.js';
import { UserError } from '../../core/errors/user-error.js';
import { changeBesideCopies, countsLeft } from './rounds-beside-copies.js';
import { listCustomerTables } from '../keys/encrypted-columns.js';
import { assertWarehouseKey } from '../keys/warehouse-key.js';
import { countRowsWhere } from '../../engine/union-all.js';
import { CUSTOMER_RECORD_TABLES, CUSTOMERS_WITH_ROWS, RETENTION_TABLES, countRetention, customersWithNothingHeld, dryRunResult, pastRetentionConditions, planRetention, refuseEmptying, recordRetention, type ApplyRetentionOptions, type RetentionPlan, type RetentionResult } from './apply-retention.js';
import { errorMessage } from '../../core/errors/error-message.js';

/** Scratch tables of the tokens of customers left with nothing: a plain table on every shard, and one on the entry node. */
const GONE_ON_SHARDS = 'clv_retention_gone';
const GONE_ON_ENTRY = 'clv_retention_gone_entry';

/**
 * `applyRetention` on a ClickHouse cluster: the same rows go, the same policy
 * is recorded and the same audit entry is appended (in the cluster's
 * `audit_log`), with the same result. How it differs: every delete is a
 * mutation (`ALTER TABLE … DELETE` on each shard's local table of a sharded
 * table, on the entry node's table of a derived one) that is waited for. A
 * mutation on a shard cannot read the other shards, so no condition reads a
 * sharded table: the ingests started before the quarantine cutoff are read
 * first (those of the quarantine cutoff, and those of profile files in the
 * transactions period), and the tokens of the customers left with nothing
 * within its period (`customersWithNothingHeld`) are written to a
 * scratch table beside the purged one (on every shard, or on the entry node)
 * and deleted with `customer_id IN` that table — one mutation per table
 * however many they are.
 *
 * An ingest copy running beside the purge may attach rows past the cutoff
 * after it (staged before: a mutation does not reach parts attached after
 * it), so the purge is made in rounds (`changeBesideCopies`, as an erase):
 * after each one the rows past their cutoff, and the customer records of
 * customers left with nothing, are counted again, whatever `ingest_copies`
 * says, and purged again while any is left; once none is, the purge waits
 * for the copies marked running (up to `copyWaitSeconds`, default 300 s) and
 * counts again. Rows still there after `CLUSTER_ROUNDS` purges, or a copy
 * still running after the wait, fail it with one line (`UserError`, naming
 * what is left) — after the audit entry of what was deleted, which is
 * written in every case once anything was (a failure of the cluster part
 * way too: `details.failed`). ClickHouse has no transactions: a failure part
 * way leaves the tables purged so far purged (re-running the same command
 * finishes the job); nothing to compact (ClickHouse rewrites the affected
 * parts itself). `dryRun` and `allowEmpty` as on DuckDB: the counts are
 * made first, with the conditions of the purge and its check.
 *
 * Requires `apply_retention` (admin).
 *
 * Example: `await applyRetentionOnClickHouse(cluster, { keyring, role: 'admin', periods: { transactions: '3y' } })` → `{ deleted: { transactions: 1200, customers: 7, … }, … }`
 */
export async function applyRetentionOnClickHouse(cluster: ClickHouseWarehouse, options: ApplyRetentionOptions & { readonly copyWaitSeconds?: number }): Promise<RetentionResult> {
  const plan = planRetention(options);
  await assertWarehouseKey(cluster, options.keyring);
  // what the purge would take, counted first (the dry run's result; the guard against emptying the warehouse)
  if (options.dryRun || !options.allowEmpty) {
    const counts = await countRetention(cluster, await pastRetention(cluster, plan), await nothingHeld(cluster, plan, true));
    if (options.dryRun) return dryRunResult(plan, counts, options.allowEmpty);
    refuseEmptying(plan, counts);
  }
  const waitSeconds = options.copyWaitSeconds ?? 300;
  const deleted: Record<string, number> = {};
  const derived: string[] = [];
  const withoutRecord = await customersWithoutRecord(cluster); // before: a retention must not add to them
  let outcome;
  try {
    outcome = await changeBesideCopies(cluster, {
      waitSeconds,
      left: async () => {
        const left = await rowsPastRetention(cluster, plan);
        return Object.keys(left).length > 0 ? left : null;
      },
      always: true,
      change: () => purgeOnce(cluster, plan, deleted, derived),
    });
  } catch (error) {
    const message = errorMessage(error);
    const rows = Object.values(deleted).reduce((a, b) => a + b, 0);
    if (rows > 0) {
      await recordRetention(cluster, options.keyring, plan, deleted, emptied(deleted, derived), { failed: message }, false).catch((auditError: unknown) => {
        throw new Error(`retention: ${rows} rows were deleted but their audit entry could not be written: ${errorMessage(auditError)}; the retention had failed before: ${message}`, { cause: auditError });
      });
    }
    throw error;
  }
  const left = outcome.left ?? {};
  const lost = Math.max(0, (await customersWithoutRecord(cluster)) - withoutRecord);
  const details = {
    ...(outcome.rounds > 1 || outcome.left || outcome.stillRunning.length > 0 ? { rounds: outcome.rounds } : {}),
    ...(outcome.left ? { rows_left: left } : {}),
    ...(outcome.stillRunning.length > 0 ? { copies_still_running: [...outcome.stillRunning] } : {}),
    ...(lost > 0 ? { customers_without_record: lost } : {}),
  };
  // the policy counts as applied (the privacy report) only when nothing past it is left and no copy may still add to it
  const result = await recordRetention(cluster, options.keyring, plan, deleted, emptied(deleted, derived), details, !outcome.left && outcome.stillRunning.length === 0);
  if (lost > 0) {
    throw new UserError(
      `retention deleted ${result.rows.toLocaleString('en-US')} rows (audited), but ${lost.toLocaleString('en-US')} more customer${lost === 1 ? '' : 's'} with transactions or events now ${lost === 1 ? 'has' : 'have'} no customer_reid row (the encrypted original id): rows attached after their record was purged`,
      'find them with SELECT DISTINCT customer_id FROM transactions WHERE customer_id NOT IN (SELECT customer_id FROM customer_reid) (and events) and restore their customer_reid rows from a backup; docs/privacy.md',
    );
  }
  if (outcome.left) {
    throw new UserError(
      `retention deleted ${result.rows} rows (audited), but ${countsLeft(left, 'past retention')} after ${outcome.rounds} purges: an ingest copy attached them after each delete`,
      'run the same retention again once the ingests running now have ended',
    );
  }
  if (outcome.stillRunning.length > 0) {
    throw new UserError(
      `retention deleted ${result.rows.toLocaleString('en-US')} rows (audited), but ingest cop${outcome.stillRunning.length === 1 ? 'y' : 'ies'} ${outcome.stillRunning.join(', ')} still ran after ${waitSeconds} s: rows past retention staged there before the purge may land after it`,
      'run the same retention again once that ingest has ended (a copy that stopped is discarded by the next ingest and adds nothing)',
    );
  }
  return result;
}

/** The derived tables emptied: every one once any transaction or event went. */
function emptied(deleted: Readonly<Record<string, number>>, derived: readonly string[]): string[] {
  return (deleted.transactions ?? 0) + (deleted.events ?? 0) > 0 ? [...new Set(derived)] : [];
}

/** The customers with nothing left within its period, as applyRetention decides them (`beforePurge`: counted before the purge, as a dry run does; the ingests of profile files started in the transactions period read first: a mutation cannot read the ingests table). */
async function nothingHeld(cluster: ClickHouseWarehouse, plan: RetentionPlan, beforePurge = false): Promise<string> {
  const { cutoffs } = plan;
  if (!cutoffs.transactions) return customersWithNothingHeld(cluster.dialect, cutoffs, '', beforePurge);
  const ingests = (await cluster.query(`SELECT ingest_id FROM ingests WHERE started_at >= ${cluster.dialect.timestamp(cutoffs.transactions)} ORDER BY ingest_id`)).map((r) => Number(r.ingest_id));
  return customersWithNothingHeld(cluster.dialect, cutoffs, ingests.length > 0 ? `ingest_id IN (${ingests.join(', ')})` : '', beforePurge);
}

/** Each table with a period and the condition of its rows past it (pastRetentionConditions), the ingests started before the quarantine cutoff read first: a mutation cannot run the correlated subquery. */
async function pastRetention(cluster: ClickHouseWarehouse, plan: RetentionPlan): Promise<[string, string][]> {
  const { cutoffs } = plan;
  const d = cluster.dialect;
  const ingests = cutoffs.quarantine ? (await cluster.query(`SELECT ingest_id FROM ingests WHERE started_at < ${d.timestamp(cutoffs.quarantine)} ORDER BY ingest_id`)).map((r) => Number(r.ingest_id)) : [];
  // COALESCE(ts, the ingest's start) < cutoff, with the ingests read first
  return pastRetentionConditions(d, cutoffs, (cutoff) => (ingests.length > 0 ? `(ts < ${cutoff} OR (ts IS NULL AND ingest_id IN (${ingests.join(', ')})))` : `ts < ${cutoff}`));
}

/** Customers with a transaction or event and no `customer_reid` row (0 without that table). */
async function customersWithoutRecord(cluster: ClickHouseWarehouse): Promise<number> {
  if (!(await listCustomerTables(cluster)).includes('customer_reid')) return 0;
  return Number((await cluster.query(`SELECT count(DISTINCT customer_id) AS n FROM (${CUSTOMERS_WITH_ROWS}) k WHERE customer_id NOT IN (SELECT customer_id FROM customer_reid)`))[0]!.n);
}

const countWhere = async (cluster: ClickHouseWarehouse, table: string, where: string) => Number((await cluster.query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`))[0]!.n);

/** Rows a purge should have taken, per table (none: `{}`): past their cutoff, and customer records of customers with nothing left. */
async function rowsPastRetention(cluster: ClickHouseWarehouse, plan: RetentionPlan): Promise<Record<string, number>> {
  const left: Record<string, number> = {};
  const tables = await listCustomerTables(cluster);
  const gone = await nothingHeld(cluster, plan);
  const checks = [...(await pastRetention(cluster, plan)), ...CUSTOMER_RECORD_TABLES.filter((t) => tables.includes(t)).map((t) => [t, gone] as [string, string])];
  // every count in one query (countRowsWhere)
  (await countRowsWhere(cluster, checks)).forEach((n, i) => {
    if (n > 0) left[checks[i]![0]] = n;
  });
  return left;
}

/** One round of the purge: rows past their cutoff, then customers with nothing left, then the derived tables; adds what went to `deleted`. */
async function purgeOnce(cluster: ClickHouseWarehouse, plan: RetentionPlan, deleted: Record<string, number>, derived: string[]): Promise<void> {
  const d = cluster.dialect;
  // `n` rows of `table` (`where`) deleted by `run`, counted once it succeeded; a refused one counts what it took (what is gone, best effort)
  const counted = async (table: string, where: string, n: number, run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (error) {
      const taken = n - (await countWhere(cluster, table, where).catch(() => n));
      if (taken > 0) deleted[table] = (deleted[table] ?? 0) + taken;
      throw error;
    }
    deleted[table] = (deleted[table] ?? 0) + n;
  };
  const purge = async (table: string, where: string) => {
    const n = await countWhere(cluster, table, where);
    if (n > 0) await counted(table, where, n, () => cluster.execute(`DELETE FROM ${table} WHERE ${where}`)); // plain names (the catalogue's): the mutation rewrite reads them unquoted
    else deleted[table] = deleted[table] ?? 0;
  };
  // The customers' tokens as a table beside the one purged (on every shard for a sharded table, on the entry node
  // for a derived one): one mutation per table whatever their number, `customer_id IN table` read where it runs.
  const purgeCustomers = async (table: string) => {
    // their tokens and rows in one query (the condition read once)
    const perCustomer = await cluster.query(`SELECT customer_id, count(*) AS n FROM ${table} WHERE ${nothingLeft} GROUP BY customer_id`);
    const tokens = perCustomer.map((r) => String(r.customer_id));
    const n = perCustomer.reduce((sum, r) => sum + Number(r.n), 0);
    if (n === 0) {
      deleted[table] = deleted[table] ?? 0;
      return;
    }
    const sharded = (await cluster.isShardedTable(table)) === true;
    const run = (sql: string) => (sharded ? cluster.commandOnEachShard(sql) : cluster.execute(sql));
    const scratch = `${cluster.database}.${sharded ? GONE_ON_SHARDS : GONE_ON_ENTRY}`;
    await run(`DROP TABLE IF EXISTS ${scratch}`);
    await run(`CREATE TABLE ${scratch} (customer_id String) ENGINE = MergeTree ORDER BY customer_id`);
    try {
      // an INSERT's values are not bound by max_query_size: one statement for every token
      await run(`INSERT INTO ${scratch} VALUES ${tokens.map((t) => `(${d.literal(t)})`).join(', ')}`);
      await counted(table, nothingLeft, n, async () => cluster.waitForMutations([await cluster.alterWhereHeld(table, `DELETE WHERE customer_id IN ${scratch}`)]));
    } finally {
      await run(`DROP TABLE IF EXISTS ${scratch}`);
    }
  };
  for (const [table, where] of await pastRetention(cluster, plan)) await purge(table, where);
  // Customers with nothing left within its period (read once, after the purges above), as applyRetention decides them
  const nothingLeft = await nothingHeld(cluster, plan);
  const derivedNow: string[] = [];
  for (const table of await listCustomerTables(cluster)) {
    if ((RETENTION_TABLES as readonly string[]).includes(table)) continue;
    if (CUSTOMER_RECORD_TABLES.includes(table)) await purgeCustomers(table);
    else derivedNow.push(table);
  }
  const purgedSource = (deleted.transactions ?? 0) + (deleted.events ?? 0) > 0;
  for (const table of derivedNow) {
    derived.push(table);
    if (purgedSource) await purge(table, '1 = 1');
    else await purgeCustomers(table);
  }
}
