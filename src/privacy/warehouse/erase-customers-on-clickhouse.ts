import { UserError } from '../../core/errors/user-error.js';
import type { ClickHouseWarehouse } from '../../engine/clickhouse/clickhouse-warehouse.js';
import { deleteCustomerRows } from '../../engine/clickhouse/delete-customer-rows.js';
import { rowsLeftPerCustomer, settleCustomerRows, type RowsFound } from './customer-rows-on-every-shard.js';
import { COPY_MARKERS, runningCopies } from '../../engine/clickhouse/copy-ingest-to-clickhouse.js';
import { changeBesideCopies, CLUSTER_ROUNDS, countsLeft } from './rounds-beside-copies.js';
import { ensureClusterSchema } from '../../engine/clickhouse/ensure-cluster-schema.js';
import { listCustomerTables } from '../keys/encrypted-columns.js';
import { assertWarehouseKey } from '../keys/warehouse-key.js';
import { recordAudit } from './warehouse-audit.js';
import { resolveAccess } from '../access/access.js';
import { assertCan } from '../access/rbac.js';
import { countCustomerRows, tablesWithRows, tokensToErase, type EraseOptions, type ErasedCustomer } from './erase-customers.js';
import { failedBeforeDeleteError, failedEraseDetails, failedEraseError, rowsLeftAfterFailure } from './failed-erase-on-clickhouse.js';
import { recordErasedTokens } from '../../engine/erased-customers.js';
import { keepErasedQuarantinePlaces } from './erased-quarantine-places.js';
import { errorMessage } from '../../core/errors/error-message.js';

export interface ClusterEraseResult {
  /** the tokens of the ids given (a token given is itself) */
  readonly tokens: readonly string[];
  /** rows deleted per customer and table, as `eraseCustomers` reports them */
  readonly customers: readonly ErasedCustomer[];
  /** tables searched: every base table with a customer_id column */
  readonly tables: readonly string[];
  /** rows deleted per table (all customers), checked gone */
  readonly rowCounts: Readonly<Record<string, number>>;
  readonly rows: number;
  /** scratch tables of writers no longer running (a killed ingest's staging tables, a killed analysis' staged and TEMP tables: `dropOrphanedScratch`), dropped before the search and before the last count */
  readonly stagingDropped: number;
  /** the tables counted on every shard at the end, and found without these customers' rows (every table with a customer_id: `customerRowsOnEveryShard`) */
  readonly tablesChecked: number;
  /**
   * The server's `old_parts_lifetime` (the largest over the shards): a delete is a mutation that writes new data parts
   * without the rows and leaves the old ones on disk, inactive (no query reads them), until the server's cleanup deletes
   * them once this many seconds have passed (480 by default; the next cleanup pass, up to 30 s later). 18.16 has no command that drops them sooner.
   */
  readonly oldPartsLifetimeSeconds: number;
}

export interface ClusterEraseOptions extends EraseOptions {
  /** how long to wait for ingest copies running when the rows are gone (default 300 s) */
  readonly copyWaitSeconds?: number;
}

/**
 * How many times an erasure deletes rows of its customers (the first delete
 * included): a delete mutation does not reach parts attached after it was
 * made (an ingest copy's), so the rows are counted again after each delete
 * and deleted again while some are left — up to this many deletes; rows still
 * there then make the erase fail, audited, naming them.
 */
export const ERASE_ROUNDS = CLUSTER_ROUNDS;

/** Adds to `deleted` the rows `found` counted in `table` (same customers, same order). */
function addTable(deleted: ErasedCustomer[], found: readonly ErasedCustomer[], table: string): void {
  found.forEach((customer, i) => {
    const n = customer.rowCounts[table];
    if (n === undefined) return;
    const before = deleted[i]!;
    deleted[i] = { token: before.token, rowCounts: { ...before.rowCounts, [table]: (before.rowCounts[table] ?? 0) + n }, rows: before.rows + n };
  });
}

/** How many marks `ingest_copies` holds (a copy adds some as it starts and ends). */
async function copyMarks(cluster: ClickHouseWarehouse): Promise<number> {
  return Number((await cluster.query(`SELECT count(*) AS n FROM ${COPY_MARKERS}`))[0]!.n);
}

/**
 * The rows of `table` a delete that failed part way took (its ALTER ran on
 * some shards, not on others): the rows counted before it (`found`, when
 * `ingest_copies` held `marks` marks) less those `left` once the mutations
 * made are done, per customer — a lower bound (`lowerBound`) when an ingest
 * copy ran meanwhile (one is running now, or the marks changed: no clock
 * needed): rows it attached after the count are subtracted though the
 * mutation did not take them. Null when that cannot be told (the cluster
 * fails the look at `ingest_copies`).
 */
async function rowsTakenByFailedDelete(cluster: ClickHouseWarehouse, table: string, found: readonly ErasedCustomer[], left: readonly ErasedCustomer[], marks: number): Promise<{ taken: ErasedCustomer[]; lowerBound: boolean } | null> {
  const taken = found.map((customer, i) => {
    const n = (customer.rowCounts[table] ?? 0) - (left[i]!.rowCounts[table] ?? 0);
    return { token: customer.token, rowCounts: n > 0 ? { [table]: n } : {}, rows: Math.max(n, 0) };
  });
  try {
    return { taken, lowerBound: (await copyMarks(cluster)) !== marks || (await runningCopies(cluster)).length > 0 };
  } catch {
    return null; // whether a copy ran meanwhile cannot be told: the rows taken are not counted
  }
}

/** The one-line error of an erase that deleted what it found but left rows (`left`, after `rounds` deletes) or a copy still running; null when it is done. */
function unfinishedError(rows: number, rounds: number, left: readonly ErasedCustomer[], searched: readonly string[], stillRunning: readonly number[], waitSeconds: number): UserError | null {
  if (left.length > 0) {
    const perTable = Object.fromEntries(tablesWithRows(left, searched).map((table) => [table, left.reduce((sum, c) => sum + (c.rowCounts[table] ?? 0), 0)]));
    return new UserError(
      `erased ${rows} rows (audited), but ${countsLeft(perTable, 'of these customers')} after ${rounds} deletions: an ingest copy attached them after each delete`,
      'run the same erase again once the ingests running now have ended',
    );
  }
  if (stillRunning.length > 0) {
    return new UserError(
      `erased ${rows.toLocaleString('en-US')} rows (audited), but ingest cop${stillRunning.length === 1 ? 'y' : 'ies'} ${stillRunning.join(', ')} still ran after ${waitSeconds} s: rows of these customers staged there before the erasure may land after it`,
      'run the same erase again once that ingest has ended (a copy that stopped is discarded by the next ingest and adds nothing)',
    );
  }
  return null;
}

/**
 * The one-line error of an erase whose last look (`settleCustomerRows`) still found rows of its customers: in a running
 * writer's scratch tables after the wait, or in a table the delete did not search; null when there are none.
 */
function heldElsewhereError(rows: number, found: readonly RowsFound[], waitSeconds: number): UserError | null {
  if (found.length === 0) return null;
  const running = { staging: ' (a running ingest\'s staging table)', run: ' (a running analysis\' table)' };
  const where = [...new Set(found.map((f) => `${f.table} on shard ${f.shard + 1}${f.scratch ? running[f.scratch] : ''}`))];
  const n = found.reduce((sum, f) => sum + f.rows, 0);
  const scratchOnly = found.every((f) => f.scratch);
  return new UserError(
    `erased ${rows.toLocaleString('en-US')} rows (audited), but ${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'} of these customers ${n === 1 ? 'is' : 'are'} still held in ${where.slice(0, 3).join(', ')}${where.length > 3 ? ` and ${where.length - 3} more` : ''}${scratchOnly ? ` after ${waitSeconds} s` : ''}`,
    scratchOnly ? 'run the same erase again once the ingest or analysis running now has ended (a killed one\'s tables are dropped a minute after it stopped)' : 'run the same erase again; if the rows stay, report it with the table named',
  );
}

/** The audit details of an erase that fails with `unfinishedError`: those of a failed delete, and the copies still running (no customer's erasure is `complete` while one may land rows). */
function unfinishedDetails(customers: readonly ErasedCustomer[], left: readonly ErasedCustomer[], stillRunning: readonly number[], error: UserError): Record<string, unknown>[] {
  const counted = left.length > 0 ? left : customers.map((c) => ({ token: c.token, rowCounts: {}, rows: 0 }));
  const details = failedEraseDetails(customers, { left: [...counted], settled: true }, error, null, false);
  if (stillRunning.length === 0) return details;
  return details.map((d) => ({ ...d, outcome: d.outcome === 'complete' ? 'partial' : d.outcome, copies_still_running: [...stillRunning] }));
}

/**
 * Right to erasure on a ClickHouse cluster: the ids' tokens (recomputed with
 * the key, or given and held: `tokensToErase`, as `eraseCustomers` does) are deleted from every base table with a
 * `customer_id` (the tables `eraseCustomers` searches), on every shard,
 * once the tokens are recorded in `erased_customers` (after the checks and
 * the first count, just before the first delete: a copy running beside it
 * is verified without their rows, a later ingest refuses them; an erase
 * that fails before that records nothing). The
 * rows are counted per customer and table before each delete: those counts
 * are the report, its totals and the audit entries. After each delete the
 * rows are counted again (a delete mutation does not reach the parts an
 * ingest copy attaches after it was made) and deleted again, up to
 * `ERASE_ROUNDS` deletes; once they are gone the erase waits for the ingest
 * copies marked running (their rows were staged before: not data yet, not
 * erased) and counts and deletes what they attached. The scratch tables of
 * killed writers (an ingest's staging tables, an analysis' staged and TEMP
 * tables) are dropped first (`dropOrphanedScratch`, scratch-leases.ts), and
 * the last count covers every table of every shard (`settleCustomerRows`).
 * As on DuckDB the key
 * must be the warehouse's, and one audit entry per customer (`erase`,
 * `customer:<token>`, rows per table) goes to the cluster's `audit_log` —
 * also when the erase fails once a delete was sent (the rows deleted so
 * far: a table's `ALTER` one shard took and another refused is counted
 * after its mutation, by the rows left; when they cannot be counted the
 * entries name the table, `rows_may_be_deleted_uncounted_from`; each entry
 * of a failed erase also says `outcome`, the rows left and what refused, and
 * the erase fails with one line: `failed-erase-on-clickhouse.ts`). A quarantined row leaves a row with nothing of it at
 * its place, written before each delete, as on DuckDB (erased-quarantine-places.ts). Rows still there after the last delete, or a copy still running
 * after the wait, fail it with one line (`UserError`) after that audit, whose entries say so in the same fields; a failure
 * before any delete is sent is one line too, nothing deleted or audited.
 * ClickHouse rewrites the affected parts itself (no file to compact); the parts replaced stay on disk, inactive (no
 * query reads them), until the server's cleanup deletes them once `old_parts_lifetime` has passed
 * (`oldPartsLifetimeSeconds`; its next pass, every `cleanup_delay_period`, 30 s by default).
 * Requires `erase` (admin).
 *
 * Example: `await eraseCustomersOnClickHouse(cluster, ['C-1001'], { keyring, role: 'admin' })` → `{ tokens: ['c_…'], rowCounts: { transactions: 12, … }, rows: 13, … }`
 */
export async function eraseCustomersOnClickHouse(cluster: ClickHouseWarehouse, customerIds: readonly string[], options: ClusterEraseOptions): Promise<ClusterEraseResult> {
  const access = resolveAccess(options);
  assertCan(access.role, 'erase');
  if (customerIds.length === 0) throw new UserError('no customer id given', 'pass the id as it appears in the input files, e.g. clvkit erase 17850');
  let stagingDropped = 0;
  let tables: string[];
  let tokens: string[];
  try {
    // the audit log, erased_customers; the scratch tables of killed writers (a crashed ingest's staging tables, an
    // analysis' staged and TEMP tables, rows of customers among them) dropped, their rows with them; a running writer's
    // are kept, and counted at the end (settleCustomerRows)
    await ensureClusterSchema(cluster, { onSweep: (dropped) => (stagingDropped = dropped.length) });
    await assertWarehouseKey(cluster, options.keyring);
    tables = await listCustomerTables(cluster);
    // ids pseudonymised, tokens held erased as themselves, an unheld token refused (before anything is recorded)
    tokens = await tokensToErase(cluster, customerIds, options.keyring, tables);
  } catch (error) {
    throw failedBeforeDeleteError(error);
  }
  const waitSeconds = options.copyWaitSeconds ?? 300;
  const customers: ErasedCustomer[] = tokens.map((token) => ({ token, rowCounts: {}, rows: 0 }));
  let searched = tables;
  let left: ErasedCustomer[] = [];
  let stillRunning: readonly number[] = [];
  let elsewhere: RowsFound[] = [];
  let tablesChecked = 0;
  let rounds = 0;
  // set before a table's ALTER is sent (a shard may take it though another refuses it): the erase is audited from then on
  let mutated = false;
  // the table whose ALTER was sent and not yet taken by every shard, with the rows counted before it
  let sending = null as { table: string; found: ErasedCustomer[]; marks: number } | null;
  let failure: { error: unknown } | null = null;
  // the tokens go to erased_customers once the checks and counts before the first delete passed (a failure there leaves
  // nothing recorded: the next ingest of the customer's file is not refused while all its rows are still there), and
  // before that delete: a copy beside it verifies its rows without theirs, a later ingest refuses them
  let recorded = false;
  const erasedAt = new Date();
  const recordTokens = async () => {
    if (recorded) return;
    await recordErasedTokens(cluster, tokens, erasedAt);
    recorded = true;
  };
  try {
    const outcome = await changeBesideCopies(cluster, {
      waitSeconds,
      rounds: ERASE_ROUNDS,
      left: async (afterWait) => {
        if (afterWait) searched = [...new Set([...tables, ...(await listCustomerTables(cluster))])]; // a copy may have made a table
        const marks = await copyMarks(cluster); // to tell, if a delete fails part way, whether a copy ran since the count
        const found = await countCustomerRows(cluster, tokens, searched);
        const held = tablesWithRows(found, searched);
        return held.length > 0 ? { found, held, marks } : null;
      },
      change: async (left) => {
        const { found, held, marks } = left!;
        await recordTokens();
        rounds += 1;
        // their quarantined rows stay counted by their ingests: a row with nothing of them at each place, before the delete
        if (held.includes('quarantine')) await keepErasedQuarantinePlaces(cluster, tokens);
        // counted as deleted once the table's mutation is made: it takes every row counted (and any attached since the count)
        await deleteCustomerRows(cluster, tokens, held, {
          beforeMutation: (table) => {
            mutated = true;
            sending = { table, found, marks };
          },
          onMutation: (table) => {
            sending = null;
            addTable(customers, found, table);
          },
        });
      },
    });
    left = outcome.left?.found ?? [];
    stillRunning = outcome.stillRunning;
    await recordTokens(); // nothing to delete: recorded all the same (a later file of theirs is refused)
    if (left.length === 0 && stillRunning.length === 0) {
      // the last look, over every table of every shard with a customer_id (scratch tables, tables nobody listed), not only
      // those searched: what "checked gone" says (a killed ingest's staging table used to keep the rows, unsaid)
      const settled = await settleCustomerRows(cluster, tokens, waitSeconds);
      stagingDropped += settled.scratchDropped.length;
      tablesChecked = settled.tablesCounted;
      elsewhere = settled.found;
    }
  } catch (error) {
    failure = { error };
  }
  // an ALTER some shards took and another refused: the rows it deleted are counted (or, when they cannot be, the table named)
  let uncounted: string | null = null;
  let lowerBound: string | null = null; // the table whose rows taken are counted short if a copy attached some meanwhile
  const refused = sending?.table ?? null; // the table whose ALTER a shard refused, if that was the failure
  // the rows left, counted once the mutations the shards took are done: what a refused ALTER took and each entry's rows_left
  const leftAfterFailure = failure && mutated ? await rowsLeftAfterFailure(cluster, customers, searched) : null;
  if (failure && sending) {
    // counted only once the mutations the shards took are done: before, a row counted left may still be taken
    const counted = leftAfterFailure?.settled ? await rowsTakenByFailedDelete(cluster, sending.table, sending.found, leftAfterFailure.left, sending.marks) : null;
    if (counted) addTable(customers, counted.taken, sending.table);
    else uncounted = sending.table;
    if (counted?.lowerBound) lowerBound = sending.table;
  }
  const rows = customers.reduce((sum, c) => sum + c.rows, 0);
  // rows still there after the last delete, or a copy still running after the wait: the erase fails after its audit, whose
  // entries say so as those of a failed delete do
  const unfinished = failure ? null : unfinishedError(rows, rounds, left, searched, stillRunning, waitSeconds) ?? heldElsewhereError(rows, elsewhere, waitSeconds);
  if (unfinished && elsewhere.length > 0) left = rowsLeftPerCustomer(tokens, elsewhere);
  if (!failure || mutated) {
    try {
      const details = {
        tables_searched: tables.length,
        ...(uncounted ? { rows_may_be_deleted_uncounted_from: uncounted } : {}),
        ...(lowerBound ? { rows_deleted_at_least_from: lowerBound } : {}),
      };
      // a failed erase's entries say so: outcome, the rows left, what refused
      const failed = failure
        ? failedEraseDetails(customers, leftAfterFailure, failure.error, refused, uncounted !== null)
        : unfinished ? unfinishedDetails(customers, left, stillRunning, unfinished) : [];
      for (const [i, { token, rowCounts }] of customers.entries()) {
        await recordAudit(cluster, options.keyring, access, { action: 'erase', target: { customerToken: token }, rowCounts, details: { ...details, ...failed[i] } });
      }
    } catch (error) {
      const first = failure ? `; the erase had failed before: ${errorMessage(failure.error)}` : '';
      throw new Error(`erase: ${rows} rows were deleted but their audit entries could not be written: ${errorMessage(error)}${first}`, { cause: error });
    }
  }
  if (failure) throw mutated ? failedEraseError(customers, failure.error, refused) : failedBeforeDeleteError(failure.error);
  if (unfinished) throw unfinished;
  const erasedFrom = tablesWithRows(customers, [...new Set([...tables, ...customers.flatMap((c) => Object.keys(c.rowCounts))])]);
  const rowCounts = Object.fromEntries(erasedFrom.map((table) => [table, customers.reduce((sum, c) => sum + (c.rowCounts[table] ?? 0), 0)]));
  return { tokens, customers, tables, rowCounts, rows, stagingDropped, tablesChecked, oldPartsLifetimeSeconds: await oldPartsLifetime(cluster) };
}

/** The seconds the shards keep a part a mutation or merge replaced before deleting it (`old_parts_lifetime`; the largest over the shards). */
async function oldPartsLifetime(cluster: ClickHouseWarehouse): Promise<number> {
  const answers = await cluster.queryOnEachShard("SELECT value FROM system.merge_tree_settings WHERE name = 'old_parts_lifetime'");
  return Math.max(...answers.map(Number));
}
