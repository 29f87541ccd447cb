import { EventEmitter } from 'node:events';
import { chmodSync, existsSync, readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isUserError, UserError } from '../../core/errors/user-error.js';
import { ConflictError } from '../../core/errors/conflict-error.js';
import { makeFolders } from '../../core/make-folders.js';
import { withoutServerPaths } from './run-error-words.js';
import { runAnalysis, type AnalyzeOptions } from '../../pipeline/analyze.js';
import { clickhouseAnalyzeOptions, withAnalysisScratchClaimed } from '../../pipeline/analyze-on-clickhouse.js';
import type { ClickHouseWarehouse } from '../../engine/clickhouse/clickhouse-warehouse.js';
import type { Row, Warehouse } from '../../engine/warehouse.js';
import type { ProgressEvent } from '../../pipeline/run-stages.js';
import type { PurchaseModelName } from '../../models/btyd/purchase-models.js';
import type { RunSummary } from '../../pipeline/run-summary.js';
import type { Actor, ServerContext } from '../server-context.js';

/** What a run started through the API may set (the rest as `clvkit analyze` defaults). */
export interface RunRequest {
  readonly asOf?: string;
  readonly timeUnit?: 'day' | 'week' | 'month';
  readonly skipPatterns?: boolean;
  readonly skipReport?: boolean;
  /** CLV horizon in months, yearly discount rate, margin share (analyze's --horizon-months, --discount-rate, --margin) */
  readonly horizonMonths?: number;
  readonly discountRatePerYear?: number;
  readonly margin?: number;
  /** days at the end held out to choose the value model (--holdout-days) */
  readonly holdoutDays?: number;
  /** the value model, chosen by the tournament when absent (--model) */
  readonly model?: PurchaseModelName;
  /** the honest tournament of BTYD and learned models (--learned-tournament) */
  readonly learnedTournament?: boolean;
  /** false: no MBG/CNBD-k run unasked when the value model's fit shows steady buyers (--no-regularity-check) */
  readonly regularityCheck?: boolean;
  /** false: no churn early warning (--no-churn); default true */
  readonly churn?: boolean;
  /** N of the churn early warning (--churn-days) */
  readonly churnDays?: number;
  /** the purchase occasion: a purchase day (default) or an order (--grain) */
  readonly grain?: 'day' | 'order';
  /** ingest the bundled demo data first (serve --demo) */
  readonly demo?: boolean;
}

export interface RunJobsOptions {
  /** on ClickHouse, a demo run: the bundled data ingested into the cluster and analysed there (`serve --demo --engine clickhouse`) */
  readonly demoOnCluster?: (options: AnalyzeOptions) => Promise<RunSummary>;
  /** on ClickHouse, the cluster itself (the context's warehouse is a serialising wrapper): a run's scratch tables are dropped there at its end */
  readonly cluster?: Pick<ClickHouseWarehouse, 'dropTemporaryTablesAfter' | 'scratchLeases'>;
}

export type RunStatus = 'running' | 'finished' | 'failed' | 'cancelled' | 'interrupted';

/** A run as the API shows it. */
export interface RunView {
  readonly id: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly startedBy: string;
  /** stage progress so far (start/end events) */
  readonly progress: ProgressEvent[];
  /** why it failed, was cancelled or interrupted (one line); null while running and when it finished */
  readonly error: string | null;
  /** what to do about `error` (the hint of the analysis's `UserError`, in the API's words); null without one */
  readonly hint: string | null;
}

class RunCancelled extends Error {
  constructor() {
    super('the run was cancelled');
  }
}

interface Job {
  view: RunView;
  cancelled: boolean;
  readonly events: EventEmitter;
  done?: Promise<RunSummary | null>;
}

const RUN_COLUMNS = 'run_id, status, started_at, finished_at, started_by, error, error_hint';

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v === null ? null : String(v));

/**
 * Analyses started through the API as background jobs on the served
 * warehouse, one at a time (two runs would rewrite the same derived tables):
 * the pipeline's own `runAnalysis`, its progress events kept for polling and
 * pushed to SSE listeners; a finished run's RunSummary (run.json) stored in
 * `server_runs`, which `context.latestRun()` reads. Cancelling takes effect
 * at the next stage boundary (a stage itself is not interrupted).
 */
export class RunJobs {
  readonly #jobs = new Map<string, Job>();
  #running: Job | null = null;

  constructor(
    private readonly context: ServerContext,
    /** runs write their files (customers.csv, report.html, run.json) in a folder per run here */
    private readonly runsDir: string,
    private readonly options: RunJobsOptions = {},
  ) {}

  /** Marks runs a previous server process left running as interrupted (called once at start-up). */
  async recover(): Promise<number> {
    const warehouse = this.context.state;
    const [row] = await warehouse.query("SELECT count(*) AS n FROM server_runs WHERE status = 'running'");
    await warehouse.execute(`UPDATE server_runs SET status = 'interrupted', error = 'the server stopped during the run', error_hint = ${warehouse.dialect.literal(AGAIN)} WHERE status = 'running'`);
    // the runs an earlier server left (0755 folders, 0644 files before session 41): the owner's only from the start, not
    // from the next run on
    if (existsSync(this.runsDir)) {
      ownerOnlyFolder(this.runsDir);
      const notOwnerOnly = ownerOnlyFiles(this.runsDir);
      if (notOwnerOnly.length > 0) this.context.log.warn({ files: notOwnerOnly }, 'run files whose mode could not be made 0600/0700');
    }
    return Number(row!.n);
  }

  /** Starts a run; `RunConflictError` (a `ConflictError`: 409) while another runs. Resolves when the job is recorded, not when it ends. */
  async start(actor: Actor, request: RunRequest): Promise<{ view: RunView; done: Promise<RunSummary | null> }> {
    if (this.#running) throw new RunConflictError(this.#running.view.id);
    const id = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}-${randomBytes(3).toString('hex')}`;
    const view: RunView = { id, status: 'running', startedAt: new Date().toISOString(), finishedAt: null, startedBy: actor.name, progress: [], error: null, hint: null };
    const job: Job = { view, cancelled: false, events: new EventEmitter() };
    this.#jobs.set(id, job);
    this.#running = job;
    const warehouse = this.context.state;
    const d = warehouse.dialect;
    await warehouse.execute(`INSERT INTO server_runs (run_id, status, started_at, started_by) VALUES (${d.literal(id)}, 'running', ${d.timestamp(view.startedAt)}, ${d.literal(actor.name)})`);
    const done = this.#run(job, actor, request);
    // nothing else may await it (POST /api/runs answers at once): a failure past the run's own catch is logged, never
    // an unhandled rejection that ends the server
    done.catch((thrown: unknown) => this.context.log.error({ runId: job.view.id, err: thrown }, 'analysis run ended with an error'));
    job.done = done;
    return { view, done };
  }

  /** A run on the cluster, its scratch tables claimed in one statement before it and dropped at its end (through the cluster itself: the context's warehouse wraps it). */
  #onCluster<T>(work: () => Promise<T>): Promise<T> {
    const cluster = this.options.cluster;
    return cluster ? cluster.dropTemporaryTablesAfter(() => withAnalysisScratchClaimed(cluster, work)) : work();
  }

  async #run(job: Job, actor: Actor, request: RunRequest): Promise<RunSummary | null> {
    const { warehouse, state, keyring, minGroupSize } = this.context;
    const d = state.dialect;
    const outDir = join(this.runsDir, job.view.id);
    let summary: RunSummary | null = null;
    let status: RunStatus = 'finished';
    let error: string | null = null;
    let hint: string | null = null;
    try {
      // the run's files hold customer tokens, scores and the report: the server owner's only (folders 0700, and each
      // file 0600 once written below; until then the folder keeps everyone else out whatever the writer's mode)
      makeFolders(outDir, { mode: 0o700 }); // the runs folder too when missing
      ownerOnlyFolder(this.runsDir);
      ownerOnlyFolder(outDir);
      // run.json records "the server's warehouse" (a client may learn of the run, not of the server's disk): the path is the operator's, in the log
      this.context.log.info({ runId: job.view.id, warehouse: this.context.dbPath, outDir }, 'analysis run started');
      const options: AnalyzeOptions = {
        db: this.context.dbPath,
        outDir,
        demo: request.demo === true,
        ...(request.asOf ? { asOf: request.asOf } : {}),
        ...(request.timeUnit ? { timeUnit: request.timeUnit } : {}),
        skipPatterns: request.skipPatterns === true,
        skipReport: request.skipReport === true,
        ...(request.horizonMonths !== undefined ? { horizonMonths: request.horizonMonths } : {}),
        ...(request.discountRatePerYear !== undefined ? { discountRatePerYear: request.discountRatePerYear } : {}),
        ...(request.margin !== undefined ? { margin: request.margin } : {}),
        ...(request.holdoutDays !== undefined ? { holdoutDays: request.holdoutDays } : {}),
        ...(request.model !== undefined ? { model: request.model } : {}),
        ...(request.learnedTournament !== undefined ? { learnedTournament: request.learnedTournament } : {}),
        ...(request.regularityCheck !== undefined ? { regularityCheck: request.regularityCheck } : {}),
        ...(request.churn === false ? { skipChurn: true } : {}),
        ...(request.churnDays !== undefined ? { churnDays: request.churnDays } : {}),
        ...(request.grain !== undefined ? { grain: request.grain } : {}),
        keyring,
        role: actor.role,
        // the run's files stay on the server's disk: nothing serves them, the retention purge does not reach them and an
        // erasure only removes its tokens' lines (erase-from-run-files.ts) — so customers.csv holds tokens and scores,
        // never contact details (the API shows those by role)
        exportPii: [],
        actor: actor.kind === 'token' ? `${actor.name} (token)` : actor.name,
        minGroupSize,
        // what the run says (its failure's hint, its warnings) names the API's fields and routes
        api: true,
        onProgress: (event) => {
          if (job.cancelled) throw new RunCancelled();
          job.view = { ...job.view, progress: [...job.view.progress, event] };
          job.events.emit('progress', event);
        },
      };
      if (this.context.engine === 'clickhouse') {
        if (request.demo && !this.options.demoOnCluster) throw new UserError('this server cannot load the demo into its cluster', 'start it with clvkit serve --demo --engine clickhouse');
        // on ClickHouse: as analyze --engine clickhouse (the files were ingested before, no events); a demo run ingests the bundled data into the cluster first
        summary = request.demo ? await this.options.demoOnCluster!(options) : await this.#onCluster(() => runAnalysis(warehouse, { ...clickhouseAnalyzeOptions(options), onProgress: options.onProgress! }));
      } else summary = await runAnalysis(warehouse, options);
    } catch (thrown) {
      status = thrown instanceof RunCancelled ? 'cancelled' : 'failed';
      // a client learns why, not where on the server's disk (the run's folder is beside the warehouse): paths in
      // words (run-error-words.ts); the log keeps the whole message with the run's id
      const places = { runDir: outDir, runsDir: this.runsDir, db: this.context.dbPath };
      error = withoutServerPaths(thrown instanceof Error ? thrown.message.split('\n')[0]! : String(thrown), places).slice(0, 500);
      hint = status === 'cancelled' ? AGAIN : isUserError(thrown) ? (thrown.hint === undefined ? null : withoutServerPaths(thrown.hint.split('\n')[0]!, places).slice(0, 500)) : 'the server log has the details (a failure that is not bad input is a bug)';
      if (status === 'failed') this.context.log.error({ runId: job.view.id, err: thrown }, 'analysis run failed');
    }
    const notOwnerOnly = existsSync(outDir) ? ownerOnlyFiles(outDir) : [];
    if (notOwnerOnly.length > 0) this.context.log.warn({ runId: job.view.id, files: notOwnerOnly }, 'run files whose mode could not be made 0600/0700 (they stay in the run folder, 0700)');
    const finishedAt = new Date().toISOString();
    await state.execute(
      `UPDATE server_runs SET status = ${d.literal(status)}, finished_at = ${d.timestamp(finishedAt)}, summary = ${summary ? d.literal(JSON.stringify(summary)) : 'NULL'}, error = ${error === null ? 'NULL' : d.literal(error)}, error_hint = ${hint === null ? 'NULL' : d.literal(hint)} WHERE run_id = ${d.literal(job.view.id)}`,
    );
    job.view = { ...job.view, status, finishedAt, error, hint };
    this.#running = null;
    job.events.emit('end', job.view);
    return summary;
  }

  /** Asks a running job to stop at the next stage boundary; the view as it stands, null when unknown. */
  async cancel(id: string): Promise<RunView | null> {
    const job = this.#jobs.get(id);
    if (!job) return (await this.get(id)) ?? null;
    if (job.view.status === 'running') job.cancelled = true;
    return job.view;
  }

  /**
   * Where runs are recorded: the state warehouse (this server's runs; on DuckDB also `clvkit analyze --db`'s), and on
   * ClickHouse the cluster too, where `clvkit analyze --engine clickhouse` records its runs (analyze-on-clickhouse.ts).
   */
  #recorded(): Warehouse[] {
    const { state, warehouse } = this.context;
    return state === warehouse ? [state] : [state, warehouse];
  }

  /** A run: in memory while this process ran it, else from `server_runs`. */
  async get(id: string): Promise<RunView | null> {
    const job = this.#jobs.get(id);
    if (job) return job.view;
    for (const held of this.#recorded()) {
      const [row] = await held.query(`SELECT ${RUN_COLUMNS} FROM server_runs WHERE run_id = ${held.dialect.literal(id)}`);
      if (row) return viewOf(row);
    }
    return null;
  }

  /** The newest runs first. */
  async list(limit = 50): Promise<RunView[]> {
    const n = Math.max(1, Math.min(500, Math.floor(limit)));
    const rows: Row[] = [];
    for (const held of this.#recorded()) rows.push(...(await held.query(`SELECT ${RUN_COLUMNS} FROM server_runs ORDER BY started_at DESC, run_id DESC LIMIT ${n}`)));
    const views = rows.map((row) => this.#jobs.get(String(row.run_id))?.view ?? viewOf(row));
    return views.sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).slice(0, n);
  }

  /** Progress and end events of a job this process runs (SSE); null when it is not running here. */
  listen(id: string, onProgress: (event: ProgressEvent) => void, onEnd: (view: RunView) => void): (() => void) | null {
    const job = this.#jobs.get(id);
    if (!job || job.view.status !== 'running') return null;
    job.events.on('progress', onProgress);
    job.events.on('end', onEnd);
    return () => {
      job.events.off('progress', onProgress);
      job.events.off('end', onEnd);
    };
  }

  /** Server shutdown: the running job is cancelled (it stops at the next stage boundary) and awaited, so that the warehouse closes after it. */
  async shutdown(): Promise<void> {
    const job = this.#running;
    if (!job) return;
    job.cancelled = true;
    await job.done?.catch(() => null);
  }

  /** The running job's id, if any (graceful shutdown waits for it or cancels it). */
  get running(): string | null {
    return this.#running?.view.id ?? null;
  }
}

/** A run was asked for while another runs. */
export class RunConflictError extends ConflictError {
  constructor(readonly runningId: string) {
    super(`run ${runningId} is still running`, `wait for it (GET /api/runs/${runningId}) or cancel it (DELETE /api/runs/${runningId})`);
  }
}

function viewOf(row: Record<string, unknown>): RunView {
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return { id: String(row.run_id), status: String(row.status) as RunStatus, startedAt: iso(row.started_at)!, finishedAt: iso(row.finished_at), startedBy: String(row.started_by), progress: [], error: text(row.error), hint: text(row.error_hint) };
}

/** The hint of a run that was cancelled or interrupted: nothing was stored, it can be started again. */
const AGAIN = 'the warehouse keeps its previous analysis: start the run again (POST /api/runs)';

/** A folder the server's owner only reaches (0700): a runs folder an earlier server made 0755 too. Another user's is left (EPERM): the run's own folder keeps them out. */
function ownerOnlyFolder(path: string): void {
  try {
    chmodSync(path, 0o700);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
  }
}

/**
 * What a run wrote in its folder, the server owner's only: files 0600, folders 0700 (symlinks left alone). A file or
 * folder whose mode cannot be changed (a mount that refuses chmod, an immutable file, one gone meanwhile) is passed
 * over and named in the answer, for the server's log: it sits in the run's 0700 folder, and the server goes on — a
 * throw here ended the server process (nothing awaits a run's promise).
 *
 * Example: `ownerOnlyFiles('/srv/shop.duckdb.runs/r1')` → `[]`
 */
export function ownerOnlyFiles(folder: string, chmod: (path: string, mode: number) => void = chmodSync): string[] {
  const failed: string[] = [];
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return [folder];
  }
  for (const entry of entries) {
    const path = join(folder, entry.name);
    try {
      if (entry.isDirectory()) chmod(path, 0o700);
      else if (entry.isFile()) chmod(path, 0o600);
    } catch {
      failed.push(path);
    }
    if (entry.isDirectory()) failed.push(...ownerOnlyFiles(path, chmod));
  }
  return failed;
}
