/**
 * Dropping one ingest: the rows a file brought are removed, so that the file
 * — read with the wrong options (dates month-first, a wrong `--map`) — can be
 * ingested again. `ingests` keeps its row (ids are never reused; the audit
 * log names it) and `dropped_ingests` records the drop, after which the
 * file's SHA-256 no longer marks it as held.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { UserError } from '../core/errors/user-error.js';
import { recordDroppedIngest } from '../engine/dropped-ingests.js';
import { markDerivedTablesStale } from '../engine/derived-tables-stale.js';
import { literalLists } from '../engine/literal-lists.js';
import { warehouseFlags } from '../engine/warehouse-flags.js';
import type { ClickHouseWarehouse } from '../engine/clickhouse/clickhouse-warehouse.js';
import { resolveAccess, type AccessOptions } from '../privacy/access/access.js';
import { assertCan } from '../privacy/access/rbac.js';
import { listCustomerTables } from '../privacy/keys/encrypted-columns.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import { assertWarehouseKey } from '../privacy/keys/warehouse-key.js';
import { recordAudit } from '../privacy/warehouse/warehouse-audit.js';
import { ingestedFileOf, INGEST_ROW_TABLES, PII_COLUMNS, planDrop, PROFILE_COLUMNS, type DropPlan, type IngestedFile, type IngestRecordRow } from './drop-ingest-plan.js';
import { readStoredAnalysis } from '../pipeline/stored-analysis.js';
import { errorMessage } from '../core/errors/error-message.js';

export interface DropIngestOptions extends AccessOptions {
  /** the warehouse key (the audit entry is keyed with it) */
  readonly keyring: Keyring;
  readonly now?: Date;
  /** why, for the audit entry: `replace` when `ingest --replace` drops it to read the same file again */
  readonly reason?: 'drop' | 'replace';
}

export interface DroppedIngest extends IngestedFile {
  /** rows deleted per table (its own rows, and the records and derived rows of customers of whom nothing else was held) */
  readonly deleted: Readonly<Record<string, number>>;
  readonly rows: number;
  /** customers of its accepted rows of whom nothing else was held: gone from every table (customer_reid, contact data, derived rows) */
  readonly customersRemoved: number;
  /** profiles it last wrote of customers who stay, with contact data: their profile values cleared, the contact data kept */
  readonly profilesCleared: number;
  /** rows its report counted that were not held any more (erased, purged by retention, rewritten by a later profile file) */
  readonly notHeld: Readonly<Record<string, number>>;
  /** the derived tables were marked as describing the data before the drop (until the next analysis) */
  readonly derivedStale: boolean;
  readonly warnings: readonly string[];
}

/**
 * Removes everything one ingest added: its rows in `transactions`, `events`
 * and `quarantine` (by `ingest_id`), the profiles it wrote (a profile file's
 * row per customer: the row goes, or — a customer who stays, the row holding
 * contact data — its profile values are cleared; the values earlier files
 * gave, in rows of their own, are the customer's again), and for the customers of its rows of whom
 * nothing else is held (no transaction or event of another ingest, no
 * profile another file last wrote, no audience membership) their
 * `customer_reid` entry, `customers` row and derived rows (summary,
 * scores…): the warehouse's counts are those it had before the ingest. The
 * derived tables of the customers who stay still count the dropped rows: they
 * are marked stale (`markDerivedTablesStale`) until the next analysis — unless
 * the analysis never counted them: the ingest accepted no row (every row
 * quarantined: an analysis never reads the quarantine) or began after the
 * analysis was stored (`analysisCounted`). Then
 * the drop is recorded (`dropped_ingests`: the file can be ingested again)
 * and audited (`drop_ingest`, target `ingest:<id>`, rows per table). On
 * DuckDB all in one transaction, then CHECKPOINT; on ClickHouse every delete
 * is a mutation on each shard, waited for, and the rows are checked gone.
 *
 * Not undone: customers erased since stay erased (`erased_customers` is
 * untouched: a file holding their rows is refused again, `--leave-out-erased`
 * leaves their rows out); contact data a transaction file gave customers who
 * stay is kept, and so is the contact data in a profile file's rows; in a
 * DuckDB file written before each file had rows of its own (one merged row
 * per customer) the values an earlier profile file gave that this one
 * replaced are not restored. Refused (one line): an unknown or dropped
 * ingest, and an ingest of whose rows a later ingest left out copies as
 * held (overlapping exports: drop that one first).
 *
 * Requires `drop_ingest` (admin).
 *
 * Example: `await dropIngest(wh, 2, { keyring, role: 'admin' })` → `{ ingestId: 2, deleted: { transactions: 19576, quarantine: 41166, customer_reid: 12, … }, … }`
 */
export async function dropIngest(warehouse: Warehouse, ingestId: number, options: DropIngestOptions): Promise<DroppedIngest> {
  const access = resolveAccess(options);
  assertCan(access.role, 'drop_ingest');
  await assertWarehouseKey(warehouse, options.keyring);
  if (warehouse.dialect.name === 'clickhouse') return dropOnCluster(warehouse as ClickHouseWarehouse, ingestId, options, options.now ?? new Date());
  const result = await dropInTransaction(warehouse, ingestId, options);
  await warehouse.execute('CHECKPOINT');
  return result;
}

/**
 * `dropIngest` on DuckDB as one transaction — or as part of the caller's (`ingest --replace`: the drop and the new
 * ingest commit together), without the CHECKPOINT, which the caller runs after its commit. The role is checked here too.
 */
export async function dropInTransaction(warehouse: Warehouse, ingestId: number, options: DropIngestOptions): Promise<DroppedIngest> {
  assertCan(resolveAccess(options).role, 'drop_ingest');
  const now = options.now ?? new Date();
  return warehouse.transaction(async () => {
    const plan = await planDrop(warehouse, ingestId, () => listCustomerTables(warehouse));
    const deleted: Record<string, number> = {};
    await removeRows(warehouse, plan, deleted);
    return finish(warehouse, plan, deleted, options, now);
  });
}

/** The drop's deletes (the same statements on both engines; on a cluster each is a mutation, waited for); adds the rows deleted per table to `deleted`. */
async function removeRows(warehouse: Warehouse, plan: DropPlan, deleted: Record<string, number>): Promise<void> {
  const d = warehouse.dialect;
  const id = plan.ingest.ingestId;
  const add = (table: string, n: number) => {
    if (n > 0) deleted[table] = (deleted[table] ?? 0) + n;
  };
  const deleteWhere = async (table: string, where: string) => {
    const [row] = await warehouse.query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`);
    const n = Number(row!.n);
    if (n === 0) return;
    await warehouse.execute(`DELETE FROM ${table} WHERE ${where}`);
    add(table, n);
  };
  // the customers of whom nothing else is held: their records and derived rows first (on a cluster a failure part way
  // then leaves the ingest's rows, and the same drop again finds and finishes the rest)
  const tables = await listCustomerTables(warehouse);
  const records = ['customer_reid', 'customers', ...plan.derivedTables].filter((t) => tables.includes(t));
  for (const list of literalLists(d, plan.gone)) {
    for (const table of records) await deleteWhere(table, `customer_id IN (${list})`);
  }
  // the profiles it last wrote of customers who stay: without contact data the row goes, with it the profile values are cleared
  const noPii = PII_COLUMNS.map((c) => `${c} IS NULL`).join(' AND ');
  await deleteWhere('customers', `ingest_id = ${id} AND ${noPii}`);
  if (plan.profiles.withContactData > 0) await clearProfiles(warehouse, id);
  for (const table of INGEST_ROW_TABLES) if (table !== 'customers') await deleteWhere(table, `ingest_id = ${id}`);
}

/**
 * Clears the profile values (and the ingest id) of the rows of `customers` that ingest `id` last wrote. A row written
 * before `write_seq` was kept is ordered by its ingest id (current-customers.ts): it keeps that place as its
 * `write_seq`, so that the contact data it keeps stays as recent as it was (at 0 it would tie with, or fall behind,
 * the contact data of an older transaction file).
 */
async function clearProfiles(warehouse: Warehouse, id: number): Promise<void> {
  const set = [...PROFILE_COLUMNS, 'ingest_id'].map((c) => `${c} = NULL`).concat(`write_seq = COALESCE(write_seq, ingest_id)`).join(', ');
  if (warehouse.dialect.name === 'clickhouse') {
    const cluster = warehouse as ClickHouseWarehouse;
    await cluster.waitForMutations([await cluster.alterWhereHeld('customers', `UPDATE ${set} WHERE ingest_id = ${id}`)]);
  } else {
    await warehouse.execute(`UPDATE customers SET ${set} WHERE ingest_id = ${id}`);
  }
}

/**
 * Whether the analysis the warehouse holds may count rows of `ingest`: not when the ingest accepted no row (every row
 * quarantined: an analysis never reads the quarantine), nor when it began after that analysis was stored (its rows came
 * later). Judged by the ingest's record, not by the rows a drop deletes: a drop run again on a cluster deletes only what
 * is left. An analysis stored before its time was recorded may count it.
 */
async function analysisCounted(warehouse: Warehouse, ingest: IngestRecordRow): Promise<boolean> {
  if (ingest.accepted === 0) return false;
  const storedAt = (await readStoredAnalysis(warehouse))?.storedAt;
  return !(storedAt && Date.parse(ingest.startedAt) > Date.parse(storedAt));
}

/**
 * The derived tables marked stale, the audit entry, then the drop recorded (`dropped_ingests`) — last: on a cluster
 * (no transaction) a failure before it leaves the drop to be run again, never a drop recorded and not audited; the
 * result.
 */
async function finish(warehouse: Warehouse, plan: DropPlan, deleted: Record<string, number>, options: DropIngestOptions, now: Date, more: Record<string, string> = {}): Promise<DroppedIngest> {
  const { ingest } = plan;
  const derivedStale = (await analysisCounted(warehouse, ingest)) && (await markDerivedTablesStale(warehouse, { action: 'drop_ingest', ingestId: ingest.ingestId, source: ingest.source, at: now.toISOString() }));
  const rows = Object.values(deleted).reduce((a, b) => a + b, 0);
  await recordAudit(warehouse, options.keyring, resolveAccess(options), {
    action: 'drop_ingest',
    target: `ingest:${ingest.ingestId}`,
    rowCounts: deleted,
    details: {
      ingest_id: ingest.ingestId,
      source: ingest.source,
      kind: ingest.kind,
      file_sha256: ingest.sha256,
      ingested_at: ingest.startedAt,
      reason: options.reason ?? 'drop',
      customers_removed: plan.goneCustomers,
      profiles_cleared: plan.profiles.withContactData,
      not_held: { ...plan.notHeld },
      derived_tables_stale: derivedStale,
      ...more,
    },
  });
  await recordDroppedIngest(warehouse, ingest.ingestId, now);
  return {
    ...ingestedFileOf(ingest),
    deleted,
    rows,
    customersRemoved: plan.goneCustomers,
    profilesCleared: plan.profiles.withContactData,
    notHeld: plan.notHeld,
    derivedStale,
    warnings: dropWarnings(plan),
  };
}

/** What the drop could not undo, in words. */
function dropWarnings(plan: DropPlan): string[] {
  const warnings: string[] = [];
  const fmt = (n: number) => n.toLocaleString('en-US');
  const notHeld = Object.entries(plan.notHeld);
  if (notHeld.length > 0) {
    warnings.push(
      `${notHeld.map(([table, n]) => `${fmt(n)} ${table} row${n === 1 ? '' : 's'}`).join(' and ')} of this ingest ${notHeld.length === 1 && notHeld[0]![1] === 1 ? 'was' : 'were'} no longer held (erased, purged by retention${plan.ingest.kind === 'customers' ? ', or rewritten by a later profile file' : ''})${
        plan.erasedCustomers ? ': customers erased stay erased, so ingesting the file again is refused while it holds rows of theirs — clvkit ingest --leave-out-erased leaves those rows out' : ''
      }`,
    );
  }
  if (plan.contactDataKept > 0) {
    warnings.push(`the contact data this file gave ${fmt(plan.contactDataKept)} customer${plan.contactDataKept === 1 ? '' : 's'} with rows from other files is kept (a drop does not take contact data back); ingesting the file again writes it anew`);
  }
  if (plan.profiles.withContactData > 0) {
    const one = plan.profiles.withContactData === 1;
    warnings.push(
      `${fmt(plan.profiles.withContactData)} profile${one ? '' : 's'} this file wrote ${one ? 'belongs to a customer' : 'belong to customers'} who stay${one ? 's' : ''} and ${one ? 'holds' : 'hold'} contact data: the sign-up, acquisition and demographic values are cleared, the contact data kept (a drop does not take contact data back)`,
    );
  }
  return warnings;
}

/**
 * The drop on a cluster: the plan read first, then the same deletes as mutations (waited for); the rows of the ingest and
 * the records of the customers removed are then counted again on every shard and must be gone. ClickHouse has no
 * transactions: a failure part way leaves what was deleted deleted (audited, `details.failed`), and the same drop again
 * finishes it (the drop is recorded only once everything is gone).
 */
async function dropOnCluster(cluster: ClickHouseWarehouse, ingestId: number, options: DropIngestOptions, now: Date): Promise<DroppedIngest> {
  const plan = await planDrop(cluster, ingestId, () => listCustomerTables(cluster));
  const deleted: Record<string, number> = {};
  const again = warehouseFlags(cluster);
  try {
    await removeRows(cluster, plan, deleted);
    const left = await rowsLeft(cluster, plan);
    if (left.length > 0) throw new UserError(`drop of ingest ${ingestId}: rows are still on the cluster after the deletes: ${left.join(', ')}`, `run the same drop again (clvkit ingests drop ${ingestId} ${again}); one writer per database (docs/server.md)`);
  } catch (error) {
    const message = errorMessage(error);
    if (Object.keys(deleted).length > 0) {
      await recordAudit(cluster, options.keyring, resolveAccess(options), {
        action: 'drop_ingest',
        target: `ingest:${ingestId}`,
        rowCounts: deleted,
        details: { ingest_id: ingestId, source: plan.ingest.source, reason: options.reason ?? 'drop', failed: message },
      }).catch((auditError: unknown) => {
        throw new Error(`drop of ingest ${ingestId}: rows were deleted but their audit entry could not be written: ${errorMessage(auditError)}; the drop had failed before: ${message}`, { cause: auditError });
      });
    }
    throw error instanceof UserError ? error : new UserError(`drop of ingest ${ingestId} failed part way: ${message.split('\n')[0]}`, `what was deleted is audited; run the same drop again to finish it (clvkit ingests drop ${ingestId} ${again})`);
  }
  return finish(cluster, plan, deleted, options, now, { checked: 'rows gone on every shard' });
}

/** The rows the drop should have removed and that are still there, as `table (n)`. */
async function rowsLeft(cluster: ClickHouseWarehouse, plan: DropPlan): Promise<string[]> {
  const left: string[] = [];
  const id = plan.ingest.ingestId;
  const checks: [string, string][] = INGEST_ROW_TABLES.map((table) => [table, `ingest_id = ${id}`]);
  for (const list of literalLists(cluster.dialect, plan.gone)) checks.push(['customer_reid', `customer_id IN (${list})`], ['customers', `customer_id IN (${list})`]);
  for (const [table, where] of checks) {
    const [row] = await cluster.query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`);
    if (Number(row!.n) > 0) left.push(`${table} (${Number(row!.n)})`);
  }
  return left;
}
