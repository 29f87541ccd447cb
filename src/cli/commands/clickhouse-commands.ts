// The commands' ClickHouse forms (`--engine clickhouse`): loaded on first use (see lazy-function.ts), never at --help.
import { ingestRunWarnings, quarantinedRowsWarnings } from '../../ingest/ingest-run-warnings.js';
import { openClickHouseWarehouse } from '../../engine/clickhouse/clickhouse-warehouse.js';
import { assertWarehouseKey } from '../../privacy/keys/warehouse-key.js';
import { ingestFilesToClickHouse } from '../../ingest/ingest-files-to-clickhouse.js';
import type { IngestOptions } from '../../ingest/ingest-files.js';
import type { IngestReport } from '../../ingest/ingest-report.js';
import { KEY_ENV, KEY_FILE_ENV, loadKeyring } from '../../privacy/keys/load-keyring.js';
import { existsSync } from 'node:fs';
import { KeyError } from '../../core/errors/key-error.js';
import { warehouseKeyFilePath } from '../../privacy/keys/resolve-keyring.js';
import { resolveAccess, type AccessOptions } from '../../privacy/access/access.js';
import { permittedAction } from '../../privacy/access/rbac.js';
import { recordAudit } from '../../privacy/warehouse/warehouse-audit.js';
import { eraseCustomersOnClickHouse, type ClusterEraseResult } from '../../privacy/warehouse/erase-customers-on-clickhouse.js';
import { recordedOutFolders } from '../../privacy/warehouse/recorded-out-folders.js';
import { recordedAudienceFiles } from '../../privacy/warehouse/recorded-audience-files.js';
import { runFilesFolder } from '../../privacy/warehouse/erase-from-run-files.js';
import { openWriteAheadLogForErasure, type WriteAheadLogErasure } from '../../server/ingest/erase-from-write-ahead-log.js';
import type { ClickHouseWarehouse } from '../../engine/clickhouse/clickhouse-warehouse.js';
import type { ClickHouseTarget } from './clickhouse-target.js';
import { analyzeOnClickHouse } from '../../pipeline/analyze-on-clickhouse.js';
import type { AnalyzeOptions, RunSummary } from '../../pipeline/analyze.js';
import { ensureClusterSchema } from '../../engine/clickhouse/ensure-cluster-schema.js';
import type { Warehouse } from '../../engine/warehouse.js';
import type { Keyring } from '../../privacy/keys/keyring.js';
import { validateModels, type ValidateModelsOptions, type ValidateModelsResult } from '../../pipeline/validate-models.js';
import { applyRetentionOnClickHouse } from '../../privacy/warehouse/apply-retention-on-clickhouse.js';
import type { ApplyRetentionOptions, RetentionResult } from '../../privacy/warehouse/apply-retention.js';
import { createPseudonymiser } from '../../privacy/tokens/pseudonymise.js';
import { heldCustomerToken } from '../../privacy/warehouse/held-customer-token.js';
import type { InputSession, InputWarehouseOptions } from './input-warehouse.js';
import { rotateWarehouseKeyOnClickHouse } from '../../privacy/warehouse/rotate-warehouse-key-on-clickhouse.js';
import type { RotateWarehouseKeyOptions, RotateWarehouseKeyResult } from '../../privacy/warehouse/rotate-warehouse-key.js';
import { buildWarehousePrivacyReport, type WarehousePrivacyReport } from '../../privacy/warehouse/warehouse-privacy-report.js';
import { readAuditEntries, verifyWarehouseAudit, type WarehouseAuditVerification } from '../../privacy/warehouse/warehouse-audit.js';
import type { AuditEntry } from '../../privacy/warehouse/audit-log.js';

/**
 * Whether a command may create the cluster's database: only those that load files into it (ingest, and analyze or
 * validate given files); the others refuse a database that does not exist (a mistyped --clickhouse-database would
 * otherwise be created on every shard and read empty).
 */
type Creates = 'creates database' | 'database must exist';

/** Where a command that may create the cluster's database says it removed it again (stderr: `clvkit: …` lines). */
export type Say = (line: string) => void;

/** Open the cluster with the key given explicitly or in the environment, run `work`, close. */
async function onCluster<T>(target: ClickHouseTarget, work: (cluster: ClickHouseWarehouse, keyring: ReturnType<typeof loadKeyring>) => Promise<T>, creates: Creates = 'database must exist', say?: Say): Promise<T> {
  const keyring = loadKeyring(target.keyFile ? { keyFile: target.keyFile } : {});
  return onClusterWithoutKey(target, (cluster) => work(cluster, keyring), creates, say);
}

/**
 * `onCluster` for a command that reads or writes what the cluster holds: its schema ensured (audit log, key record),
 * then the key checked against the one the cluster was written with (`assertWarehouseKey`: a one-line `KeyError`, exit
 * 2) before `work` reads or writes anything — as `openKeyedWarehouse` checks a DuckDB file's. Another key would sign
 * audit entries the cluster's chain cannot verify, and make other tokens for the same customers.
 */
function onKeyedCluster<T>(target: ClickHouseTarget, work: (cluster: ClickHouseWarehouse, keyring: Keyring) => Promise<T>, creates: Creates = 'database must exist', say?: Say): Promise<T> {
  return onCluster(target, async (cluster, keyring) => {
    await ensureClusterSchema(cluster);
    await assertWarehouseKey(cluster, keyring);
    return work(cluster, keyring);
  }, creates, say);
}

/**
 * Open the cluster, run `work`, close (for what needs no key: listing the audit log). A command that created the
 * database and failed before anything was ingested into it (a refused file) removes it again and says so (`say`), as
 * `ingest --db new.duckdb` removes a new warehouse file (discard-new-warehouse.ts): else the empty database stayed on
 * every shard, and later commands named it among the databases holding clvkit data.
 */
async function onClusterWithoutKey<T>(target: ClickHouseTarget, work: (cluster: ClickHouseWarehouse) => Promise<T>, creates: Creates = 'database must exist', say?: Say): Promise<T> {
  const cluster = await openClickHouseWarehouse(target.url, {
    ...(target.cluster ? { cluster: target.cluster } : {}),
    ...(target.database ? { database: target.database } : {}),
    createDatabase: creates === 'creates database',
  });
  try {
    return await work(cluster);
  } catch (error) {
    if (cluster.createdDatabase && (await holdsNoRows(cluster))) {
      await cluster.dropDatabase();
      say?.(`clvkit: nothing was ingested: removed the new database ${cluster.database} again (the ClickHouse cluster at ${cluster.location})`);
    }
    throw error;
  } finally {
    await cluster.close();
  }
}

/**
 * Whether the cluster's database holds no row on any node (entry and every shard: no active part with rows, but for
 * the schema's own record) and only
 * tables whose rows `system.parts` counts (MergeTree, and Distributed tables and views over them): a refused first
 * ingest's database is removed again only then; false when that cannot be read.
 */
async function holdsNoRows(cluster: ClickHouseWarehouse): Promise<boolean> {
  const db = cluster.dialect.literal(cluster.database);
  // (the schema's own record, `warehouse_meta`, written when the tables are made, aside)
  const sql = `SELECT (SELECT count() FROM system.parts WHERE database = ${db} AND active AND rows > 0 AND table NOT IN ('warehouse_meta', 'warehouse_meta_local')) + (SELECT count() FROM system.tables WHERE database = ${db} AND engine NOT LIKE '%MergeTree' AND engine NOT IN ('Distributed', 'View', 'MaterializedView')) AS n`;
  try {
    const entry = await cluster.query(sql);
    const shards = await cluster.queryOnEachShard(sql);
    return Number(entry[0]?.n) === 0 && shards.every((n) => Number(n) === 0);
  } catch {
    return false; // the cluster did not answer: leave the database as it is
  }
}

/** The cluster as a run or report names it: the entry node's origin (never the user and password of --clickhouse-url), cluster and database. */
function clusterLabel(cluster: ClickHouseWarehouse): string {
  return `${cluster.location} (${cluster.cluster}/${cluster.database})`;
}

/** `clvkit ingest --engine clickhouse` */
export function runClickHouseIngest(target: ClickHouseTarget, files: readonly string[], options: IngestOptions, say?: Say): Promise<IngestReport> {
  return onCluster(target, (cluster, keyring) => ingestFilesToClickHouse(cluster, files, { ...options, keyring }), 'creates database', say);
}

/**
 * The key of a command that names the state file of a server on the cluster (`--db STATE`), found as `serve --engine
 * clickhouse --db STATE` finds it: `--key-file`, else `CLVKIT_KEY` or `CLVKIT_KEY_FILE`, else `STATE.key` beside the
 * state file; none of them is a one-line `KeyError` naming all three.
 */
export function targetWithStateKey(target: ClickHouseTarget, stateDb: string, env: NodeJS.ProcessEnv = process.env): ClickHouseTarget {
  if (target.keyFile || [KEY_ENV, KEY_FILE_ENV].some((name) => (env[name] ?? '').trim() !== '')) return target;
  const beside = warehouseKeyFilePath(stateDb);
  if (stateDb !== ':memory:' && existsSync(beside)) return { ...target, keyFile: beside };
  throw new KeyError(
    `no encryption key: no --key-file, ${KEY_ENV} or ${KEY_FILE_ENV}, and no ${beside} beside the state file ${stateDb}`,
    `pass the cluster's key with --key-file <path> or ${KEY_ENV}, or --db the state file of the server on this cluster (serve --engine clickhouse --db STATE keeps its key in STATE.key)`,
  );
}

/** `clvkit erase --engine clickhouse [--db STATE]`: the key as `targetWithStateKey` finds it. */
export function runClickHouseErase(target: ClickHouseTarget, ids: readonly string[], access: AccessOptions, stateDb: string): Promise<ClusterEraseResult & { readonly outFoldersNotReached: readonly string[]; readonly audienceFilesNotReached: readonly string[]; readonly writeAheadLog: WriteAheadLogErasure }> {
  return onCluster(targetWithStateKey(target, stateDb), async (cluster, keyring) => {
    // the ingest write-ahead log of a server on the cluster, beside its state file (left alone while it runs): read
    // whole before anything is erased, so that a record it cannot read refuses the erasure instead of ending it half-way
    const log = await openWriteAheadLogForErasure(stateDb, keyring);
    try {
      const erased = await eraseCustomersOnClickHouse(cluster, ids, { ...access, keyring });
      return {
        ...erased,
        // the --out folders of the analyses recorded on the cluster, named as not reached (recorded-out-folders.ts)
        outFoldersNotReached: await recordedOutFolders(cluster, runFilesFolder(stateDb)),
        // the audience files exported from the cluster (audited there) that hold these customers (recorded-audience-files.ts)
        audienceFilesNotReached: await recordedAudienceFiles(cluster, erased.tokens),
        writeAheadLog: log.erase(erased.tokens),
      };
    } finally {
      log.release();
    }
  });
}

/** `clvkit analyze --engine clickhouse` */
export async function runClickHouseAnalyze(target: ClickHouseTarget, options: AnalyzeOptions, say?: Say): Promise<RunSummary> {
  const loads = [options.files, options.eventFiles, options.customerFiles].some((files) => (files ?? []).length > 0);
  return onCluster(target, async (cluster, keyring) => (await analyzeOnClickHouse(cluster, { ...options, keyring, db: clusterLabel(cluster) })).run, loads ? 'creates database' : 'database must exist', say);
}

/** The audience, playbook and campaign commands on a cluster: the warehouse schema ensured (audiences, audit log) and the key checked (`onKeyedCluster`), then `work`. */
export function withClusterActionWarehouse<T>(target: ClickHouseTarget, work: (warehouse: Warehouse, keyring: Keyring) => Promise<T>): Promise<T> {
  return onKeyedCluster(target, work);
}

/**
 * A read command on a cluster (`clvkit segments --engine clickhouse`): the
 * role may view aggregates, `work` runs on the cluster's transactions, and
 * the read is audited there as `withInputWarehouse` audits it on DuckDB.
 */
export function withClusterReadWarehouse<T>(target: ClickHouseTarget, access: AccessOptions, command: string, work: (warehouse: Warehouse) => Promise<T>): Promise<T> {
  return withClusterInputWarehouse(target, access, (warehouse) => work(warehouse), { command });
}

/**
 * `clvkit validate --engine clickhouse`: the files (if any) ingested into the
 * cluster first, then the tournaments on what the cluster holds; the read
 * audited in the cluster's log as `validate --db` audits it on DuckDB (one
 * view_aggregates entry, target warehouse, the command).
 */
export async function runClickHouseValidate(target: ClickHouseTarget, files: readonly string[], ingest: IngestOptions, options: ValidateModelsOptions, say?: Say): Promise<ValidateModelsResult> {
  const access = resolveAccess({});
  const action = permittedAction(access.role, ['view_aggregates']);
  return onKeyedCluster(target, async (cluster, keyring) => {
    // the files' warnings (dates read month-first, columns guessed, …) first, as on DuckDB (the mix of files with and
    // without order values: validateModels says it, of what the cluster holds)
    const ingested = files.length > 0 ? await ingestFilesToClickHouse(cluster, files, { ...ingest, keyring, mixedOrderValuesWarning: false }) : null;
    const validated = await validateModels(cluster, options);
    await recordAudit(cluster, keyring, access, { action, target: 'warehouse', details: { command: 'validate' } });
    return ingested ? { ...validated, warnings: [...quarantinedRowsWarnings(ingested.files, ingest, 'the cluster'), ...ingestRunWarnings(ingested), ...validated.warnings] } : validated;
  }, files.length > 0 ? 'creates database' : 'database must exist', say);
}

/** `clvkit retention apply --engine clickhouse`: the schema ensured (audit log, server tables), then the purge on every shard, waited for and checked. */
export function runClickHouseRetention(target: ClickHouseTarget, options: Omit<ApplyRetentionOptions, 'keyring'>): Promise<RetentionResult> {
  return onCluster(target, async (cluster, keyring) => {
    // the key is checked there (assertWarehouseKey), after the role and the plan; a dry run changes nothing (the key is checked by applyRetentionOnClickHouse)
    if (!options.dryRun) await ensureClusterSchema(cluster);
    return applyRetentionOnClickHouse(cluster, { ...options, keyring });
  });
}

/**
 * `withInputWarehouse` for a cluster (customer, recommend, rules, sequences
 * `--engine clickhouse`): the role must allow one of `options.actions`
 * (default view aggregates), `work` runs on what the cluster holds, ids given
 * are turned into their tokens with the key, and the read is audited in the
 * cluster's `audit_log` — by the entries `work` records, else by one entry.
 */
export function withClusterInputWarehouse<T>(target: ClickHouseTarget, access: AccessOptions, work: (warehouse: Warehouse, session: InputSession) => Promise<T>, options: InputWarehouseOptions = {}): Promise<T> {
  const resolved = resolveAccess(access);
  const action = permittedAction(resolved.role, options.actions ?? ['view_aggregates']);
  return onKeyedCluster(target, async (cluster, keyring) => {
    const tokenOf = createPseudonymiser(keyring);
    let recorded = 0;
    const session: InputSession = {
      action,
      record: async (record) => {
        await recordAudit(cluster, keyring, resolved, record);
        recorded++;
      },
      storedId: (id) => heldCustomerToken(cluster, id, tokenOf), // a token as pasted is that token, as erase reads it (an original id shaped like one too)
      role: resolved.role,
      keyring,
    };
    const result = await work(cluster, session);
    if (recorded === 0) await session.record({ action, target: 'warehouse', details: { command: options.command ?? 'read' } });
    return result;
  });
}

/** `clvkit keys rotate --engine clickhouse`: the key file (--key-file) rotated, the cluster's envelopes moved to the new key, audited on the cluster. */
export function runClickHouseKeyRotation(target: ClickHouseTarget, options: Omit<RotateWarehouseKeyOptions, 'keyring'>): Promise<RotateWarehouseKeyResult> {
  return onCluster(target, async (cluster, keyring) => {
    await ensureClusterSchema(cluster); // the key is checked there (assertWarehouseKey), after the role and the plan
    return rotateWarehouseKeyOnClickHouse(cluster, { ...options, keyring });
  });
}

/** `clvkit privacy report --engine clickhouse`: the report over the cluster's tables, its values checked there. */
export function runClickHousePrivacyReport(target: ClickHouseTarget, access: AccessOptions): Promise<WarehousePrivacyReport> {
  return onKeyedCluster(target, async (cluster, keyring) => {
    return { ...(await buildWarehousePrivacyReport(cluster, { ...access, keyring })), warehouse: clusterLabel(cluster) };
  });
}

/**
 * `clvkit audit verify|list --engine clickhouse`: the cluster's own `audit_log`
 * — where the commands run with `--engine clickhouse` record. (`serve --engine
 * clickhouse` keeps its log in the server's state file: `audit … --db STATE`.)
 */
export function runClickHouseAuditVerify(target: ClickHouseTarget, access: AccessOptions, head?: { seq: number; hash: string }): Promise<WarehouseAuditVerification> {
  // another key than the cluster's is said as such (KeyError), not reported as entries altered outside clvkit
  return onCluster(target, async (cluster, keyring) => {
    await assertWarehouseKey(cluster, keyring);
    return verifyWarehouseAudit(cluster, keyring, access, head ? { head } : {});
  });
}

/** `clvkit audit list --engine clickhouse` (no key needed; a --key-file given is checked against the cluster's, as on DuckDB). */
export function runClickHouseAuditList(target: ClickHouseTarget, access: AccessOptions): Promise<AuditEntry[]> {
  if (target.keyFile === undefined) return onClusterWithoutKey(target, (cluster) => readAuditEntries(cluster, access));
  return onCluster(target, async (cluster, keyring) => {
    await assertWarehouseKey(cluster, keyring);
    return readAuditEntries(cluster, access);
  });
}
