import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UserError } from '../core/errors/user-error.js';
import { openKeyedWarehouse } from '../privacy/keys/open-keyed-warehouse.js';
import { assertWarehouseKey } from '../privacy/keys/warehouse-key.js';
import type { Warehouse } from '../engine/warehouse.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import { hashTypedNamesKept } from './auth/login-guard.js';
import { countEntriesToMinimise } from './minimise-audit-entries.js';
import type { Role } from '../privacy/access/rbac.js';
import type { IngestFileReport } from '../ingest/ingest-report.js';
import type { ApplyFile } from './ingest/ingest-queue.js';
import { createServer, serverLoggerOptions, type CreateServerOptions } from './create-server.js';
import { createServerContext } from './open-server-context.js';
import { RunJobs } from './runs/run-jobs.js';
import { countUsers } from './auth/user-store.js';
import { assertClusterTakesDemo, demoAnalysisOnCluster } from './runs/demo-on-clickhouse.js';
import { retryClusterApply } from './retry-cluster-apply.js';
import { applyIngestedFile } from './ingest/apply-ingested-file.js';
import { writeAheadLogFolder } from './ingest/write-ahead-log.js';
import type { ServerApp } from './server-app.js';
import type { ServerContext } from './server-context.js';
import { runFilesFolder } from '../privacy/warehouse/erase-from-run-files.js';
import { errorMessage } from '../core/errors/error-message.js';
import { shellPath } from '../core/shell-word.js';

/** The data on a ClickHouse cluster (`serve --engine clickhouse`); the server's own tables stay in the DuckDB file `db`. */
export interface ServeClickHouseOptions {
  readonly url: string;
  readonly cluster?: string;
  readonly database?: string;
}

/** Whether `host` is this machine only: localhost, 127.0.0.0/8, ::1 (bracketed or IPv4-mapped too). 0.0.0.0, :: and any other name are not. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.replace(/^::ffff:/, '');
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

export interface StartServerOptions extends Pick<CreateServerOptions, 'secureCookies' | 'trustProxy' | 'webRoot' | 'requestTimeoutMs' | 'connectionTimeoutMs'> {
  /** the warehouse file (with `clickhouse`: the state file of accounts, tokens, runs, ingestion bookkeeping and audit) */
  readonly db: string;
  /** serve the data of a ClickHouse cluster (accounts and bookkeeping stay in `db`) */
  readonly clickhouse?: ServeClickHouseOptions;
  readonly keyFile?: string;
  readonly port: number;
  readonly host: string;
  /** ingest the bundled demo data and run one analysis before listening (when the warehouse has no finished run yet) */
  readonly demo?: boolean;
  readonly minGroupSize?: number;
  /** pino level (default info); 'silent' for none */
  readonly logLevel?: string;
  /** the ingestion write-ahead log (default `<db>.ingest-wal/`; `<db>.wal` is DuckDB's own) */
  readonly walDir?: string;
  /** where runs write their files (default `<db>.runs/`) */
  readonly runsDir?: string;
  /** serve a DuckDB file from a worker thread that owns it (default true; also off with CLVKIT_WAREHOUSE_THREAD=off) */
  readonly warehouseThread?: boolean;
  /** a line for the person who started the server (stderr) */
  readonly note?: (line: string) => void;
  /** a security warning for them (no user accounts; beyond this machine without Secure cookies): said even when `note` is muted (`serve --quiet`); default `note` */
  readonly warn?: (line: string) => void;
}

export interface StartedServer {
  readonly app: ServerApp;
  readonly context: ServerContext;
  readonly url: string;
  /** the thread id of the worker that owns the served DuckDB file; null when the warehouse is on this thread (`:memory:`, ClickHouse, CLVKIT_WAREHOUSE_THREAD=off) */
  readonly warehouseThreadId: number | null;
  /**
   * Resolves with the reason when the server stopped on its own: the worker
   * thread that owns the served DuckDB file died, every warehouse call failed
   * from then on (health too), so the server closed itself — stop the process
   * with a non-zero code and let the supervisor start it again (acknowledged
   * batches not yet applied are in the write-ahead log and are applied at the
   * next start). Pending for as long as the server runs otherwise.
   */
  readonly failure: Promise<Error>;
  /** graceful stop: no new connections, in-flight requests finished, the warehouse closed */
  close(): Promise<void>;
}

/**
 * `clvkit serve`: opens the warehouse with its key (created for `--demo`),
 * runs the demo analysis when asked and none exists, builds the server and
 * listens. The caller wires signals to `close` (see `stopOnSignals`).
 */
export async function startServer(options: StartServerOptions): Promise<StartedServer> {
  const note = options.note ?? (() => undefined);
  const warn = options.warn ?? note;
  if (!options.demo && options.db !== ':memory:' && !existsSync(options.db)) {
    throw new UserError(
      options.clickhouse ? `no state file ${options.db}` : `no warehouse ${options.db}`,
      options.clickhouse ? `the accounts live in a local DuckDB file: create it with its first admin, clvkit users add NAME --role admin --db ${shellPath(options.db)} [--key-file KEY], then serve --engine clickhouse --db ${shellPath(options.db)}` : `pass --db PATH of an existing warehouse, or start with --demo to load the bundled data into it (clvkit serve --demo --db ${shellPath(options.db)})`,
    );
  }
  // the cluster first: serve --demo on a cluster holding other data is refused before the state file is created
  const data = options.clickhouse ? await openClusterData(options.clickhouse) : null;
  let keyed: Awaited<ReturnType<typeof openKeyedWarehouse>>;
  try {
    if (data && options.demo) await assertClusterTakesDemo(data.cluster, options.db);
    keyed = await openKeyedWarehouse({ db: options.db, requireKey: true, create: options.demo === true && options.db !== ':memory:', ...(options.keyFile ? { keyFile: options.keyFile } : {}) });
  } catch (error) {
    await data?.cluster.close();
    throw error;
  }
  const { keyring } = keyed;
  // a DuckDB file is served from a worker thread (created, migrated and key-checked above, then handed over), so that
  // the ingest of acknowledged batches does not hold up the event loop; CLVKIT_WAREHOUSE_THREAD=off keeps it on this thread
  const thread = !options.clickhouse && options.db !== ':memory:' && options.warehouseThread !== false && process.env.CLVKIT_WAREHOUSE_THREAD !== 'off' ? await handOverToThread(keyed.warehouse, options) : null;
  const opened = thread?.warehouse ?? keyed.warehouse;
  let closed = false;
  let context: ServerContext | null = null;
  const toClose: Warehouse[] = [opened, ...(data ? [data.cluster] : [])];
  const ephemeral: string[] = [];
  try {
    const app0Logger = options.logLevel === 'silent' ? false : serverLoggerOptions(options.logLevel ?? 'info');
    // the cluster's tokens must be this key's (KeyError, exit 2, before anything is served or loaded)
    if (data) await assertWarehouseKey(data.cluster, keyring!);
    context = createServerContext({ warehouse: data?.cluster ?? opened, ...(data ? { state: opened } : {}), dbPath: options.db, keyring: keyring!, ...(options.minGroupSize ? { minGroupSize: options.minGroupSize } : {}) });
    toClose.splice(0, toClose.length, ...new Set([context.warehouse, context.state]));
    // an in-memory warehouse's run files and write-ahead log live as long as it does: removed when the server closes,
    // and a fresh folder each start (named after the pid, a folder a killed server left would be read by a later one of
    // the same pid: its acknowledged batches replayed into this warehouse, its runs reported as interrupted)
    const memoryFolder = (kind: string) => {
      const dir = mkdtempSync(join(tmpdir(), `clvkit-${kind}-`));
      ephemeral.push(dir);
      return dir;
    };
    const runsDir = options.runsDir ?? (options.db === ':memory:' ? memoryFolder('runs') : runFilesFolder(options.db));
    // serve --demo on ClickHouse: the demo run ingests the bundled data into the cluster and analyses it there
    const runs = new RunJobs(context, runsDir, data ? { cluster: data.cluster, ...(options.demo ? { demoOnCluster: demoAnalysisOnCluster(data.cluster, keyring!) } : {}) } : {});
    const interrupted = await runs.recover();
    // names typed at the login before they were kept as keyed hashes (a password pasted in the name field)
    await hashTypedNamesKept(context.state, keyring!);
    // audit entries an older clvkit wrote with a client's full address or an Idempotency-Key in clear (the log is never
    // purged): rewritten by the operator's command, which checks their recorded head first, never here
    const toMinimise = await countEntriesToMinimise(context.state);
    if (toMinimise > 0) note(`${toMinimise} audit entries written by an older clvkit hold full client addresses or Idempotency-Keys: with the server stopped, run clvkit audit minimise --db ${shellPath(options.db)} --head SEQ:HASH (the head you last recorded; docs/privacy.md)`);
    if (interrupted > 0) note(`${interrupted} run(s) were interrupted when the server last stopped`);
    const ctx0 = context;
    // the cluster's ingest audits into a scratch DuckDB of its own: each applied group is audited in the state file instead
    const applyFile = data ? data.applyFile(keyring!, (options, report) => ctx0.audit({ name: options.actor, role: options.role as Role }, { action: 'ingest', target: `table:${options.kind}`, rowCounts: { rows_read: report.rowsRead, accepted: report.accepted, quarantined: report.quarantined }, details: { source: report.source, engine: 'clickhouse', ingest_id: report.ingestId ?? 0 } }), (attempt, error) => ctx0.log.warn({ attempt, err: error }, 'the cluster did not answer while applying ingested batches; trying again')) : undefined;
    const app = await createServer(context, { logger: app0Logger, runs, ...(applyFile ? { applyFile } : {}), ...(thread ? { applyGroup: thread.applyGroup, warehouseLost: thread.died } : {}), onReplay: (n) => n > 0 && note(`applying ${n} acknowledged batch(es) from the write-ahead log`), walDir: options.walDir ?? (options.db === ':memory:' ? memoryFolder('wal') : writeAheadLogFolder(options.db)), ...pick(options) });
    (context as { log: ServerContext['log'] }).log = app.log;
    if (options.demo && !(await context.latestRun())) {
      note('loading the bundled demo data and analysing it (a few minutes, once; later starts skip it)…');
      const { view, done } = await runs.start({ name: 'clvkit serve --demo', role: 'admin', kind: 'session' }, { demo: true });
      await done;
      const ended = await runs.get(view.id);
      if (ended?.status !== 'finished') throw new UserError(`the demo analysis did not finish: ${ended?.error ?? 'unknown error'}`, 'run clvkit analyze --demo to see the full error');
    }
    // without an account every login answers no_users: said once here, with the command that adds one (it needs the file the server holds)
    if ((await countUsers(context.state)) === 0) {
      warn(options.db === ':memory:' ? 'no user accounts in the in-memory warehouse: every login fails (no_users); serve a warehouse file made with clvkit users add NAME --role admin --db PATH' : `no user accounts in ${options.db}: every login fails (no_users) until one is added — stop the server, run clvkit users add NAME --role admin --db ${shellPath(options.db)}, and serve again`);
    }
    // beyond this machine, a cookie not marked Secure and the login's passwords cross the network in clear without TLS
    if (!isLoopbackHost(options.host) && options.secureCookies !== true) {
      warn(`listening on ${options.host}, beyond this machine, without --secure-cookies: the session cookie and the passwords typed at the login cross the network in clear unless a TLS proxy is in front — serve behind TLS and pass --secure-cookies`);
    }
    const address = await app.listen({ port: options.port, host: options.host });
    const url = address.replace('[::1]', 'localhost');
    const ctx = context;
    const close = async () => {
      if (closed) return;
      closed = true;
      await app.close();
      for (const w of toClose) await w.close();
      for (const dir of ephemeral) rmSync(dir, { recursive: true, force: true });
    };
    // the warehouse thread died: not half-alive — stop serving (health failed with every other call) and say why
    const failure = thread
      ? thread.died.then(async (reason) => {
          app.log.fatal({ err: reason }, 'the warehouse thread died: the server stops');
          await close().catch(() => undefined);
          return reason;
        })
      : new Promise<Error>(() => undefined);
    return { app, context: ctx, url, warehouseThreadId: thread?.threadId ?? null, failure, close };
  } catch (error) {
    if (!closed) for (const w of toClose) await w.close();
    for (const dir of ephemeral) rmSync(dir, { recursive: true, force: true });
    closed = true;
    throw error;
  }
}

/** Closes the warehouse opened on this thread and opens it in the warehouse thread (`openWarehouseThread`). */
async function handOverToThread(opened: Warehouse, options: StartServerOptions) {
  await opened.close();
  const { openWarehouseThread } = await import('./ingest/warehouse-thread.js');
  return openWarehouseThread({ db: options.db, ...(options.keyFile ? { keyFile: options.keyFile } : {}) });
}

/**
 * The cluster of `serve --engine clickhouse` with the schema in place, and
 * how an ingested group's file is loaded there: the cluster's ingest path
 * (`ingestFilesToClickHouse`: the file ingest's rules and tokens on this
 * machine, then the rows copied to the cluster).
 */
async function openClusterData(target: ServeClickHouseOptions) {
  const { openClickHouseWarehouse } = await import('../engine/clickhouse/clickhouse-warehouse.js');
  const { ensureClusterSchema } = await import('../engine/clickhouse/ensure-cluster-schema.js');
  const { ingestFilesToClickHouse } = await import('../ingest/ingest-files-to-clickhouse.js');
  const cluster = await openClickHouseWarehouse(target.url, { ...(target.cluster ? { cluster: target.cluster } : {}), ...(target.database ? { database: target.database } : {}) });
  try {
    await ensureClusterSchema(cluster);
  } catch (error) {
    await cluster.close();
    throw error;
  }
  const applyFile =
    (keyring: Keyring, onIngested: (options: Parameters<ApplyFile>[1], report: IngestFileReport) => Promise<void>, onRetry: (attempt: number, error: unknown) => void): ApplyFile =>
    async (file, options) => {
      // the cluster not answering for a moment: the group's copy again (it is one unit; a retry discards what a broken attempt left)
      const { ingestId, report } = await retryClusterApply(() => applyIngestedFile((paths, o) => ingestFilesToClickHouse(cluster, paths, o), file, options, keyring), { onRetry: (attempt, error) => onRetry(attempt, error) });
      if (report && !report.alreadyIngested) await onIngested(options, report);
      return { ingestId };
    };
  return { cluster, applyFile };
}

function pick(options: StartServerOptions): Partial<CreateServerOptions> {
  return {
    ...(options.secureCookies !== undefined ? { secureCookies: options.secureCookies } : {}),
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
    ...(options.webRoot !== undefined ? { webRoot: options.webRoot } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    ...(options.connectionTimeoutMs !== undefined ? { connectionTimeoutMs: options.connectionTimeoutMs } : {}),
  };
}

/**
 * SIGTERM and SIGINT stop the server gracefully (once; a second signal
 * exits at once). Resolves when the server has stopped.
 */
export function stopOnSignals(server: StartedServer, note: (line: string) => void = () => undefined): Promise<void> {
  return new Promise((resolveStopped) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) process.exit(130);
      stopping = true;
      note(`${signal}: stopping (finishing requests in flight, closing the warehouse)…`);
      server.close().then(
        () => resolveStopped(),
        (error: unknown) => {
          note(`error while stopping: ${errorMessage(error)}`);
          resolveStopped();
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}
