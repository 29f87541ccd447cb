/**
 * A served, analysed shop for the dashboard and read-API tests: a seeded
 * synthetic shop (300 customers; profiles with e-mail, name and phone mapped, so stored encrypted) ingested by the CLI
 * into a keyed warehouse file, one user per role added by the CLI
 * (`clvkit users add NAME --role ROLE`, password from CLVKIT_PASSWORD), the
 * server built on it, and one analysis run through the server's run jobs
 * (stored in `server_runs`, which the read routes serve) — or, with
 * `cliAnalysis`, a transactions file of the test's own analysed by `clvkit
 * analyze` (the CLI records its run in the same table), or, with `analysedWarehouse`, a copy of a warehouse file the
 * CLI analysed once for several test files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { ROLES, type Role } from '../../src/privacy/access/rbac.js';
import { createServer, type CreateServerOptions } from '../../src/server/create-server.js';
import { createServerContext } from '../../src/server/open-server-context.js';
import { RunJobs } from '../../src/server/runs/run-jobs.js';
import type { ServerApp } from '../../src/server/server-app.js';
import type { ServerContext } from '../../src/server/server-context.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { cli } from '../helpers/cli.js';

/** The password of the user of each role (one user per role, named after it). */
export const dashboardPassword = (role: Role) => `dashboard-password-${role}`;

export interface ServedShop {
  readonly app: ServerApp;
  readonly context: ServerContext;
  readonly dir: string;
  readonly db: string;
  /** the run the fixture started (finished) */
  readonly runId: string;
  /** logs in as the user of `role` (inject): the cookie header and the CSRF token */
  login(role: Role): Promise<{ cookie: string; csrf: string }>;
  close(): Promise<void>;
}

export interface ServedShopOptions extends Pick<CreateServerOptions, 'webRoot'> {
  readonly customers?: number;
  /** behaviour events generated and ingested too (`clvkit ingest FILE --kind events`), so the run has an events summary */
  readonly events?: boolean;
  /**
   * Instead of the synthetic shop and a server run: the transactions file `transactions(dir)` writes (its path
   * returned), analysed by the CLI — `clvkit analyze FILE --db DB --out DIR/out …args`, recorded in the warehouse as
   * the CLI records its runs, and served as the latest run.
   */
  readonly cliAnalysis?: { readonly transactions: (dir: string) => string; readonly args: readonly string[] };
  /**
   * Instead of either: a warehouse file analysed already (a shared fixture's), copied into the shop's folder by
   * `copy(dir)`, which returns the copy's path — its users added and its latest run served, as with `cliAnalysis`.
   */
  readonly analysedWarehouse?: { readonly copy: (dir: string) => Promise<string> };
}

async function mustSucceed(args: string[], env: Record<string, string> = {}): Promise<string> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const run = await cli(args);
    if (run.code !== 0) throw new Error(`clvkit ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
    return run.stdout;
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export async function openServedShop(options: ServedShopOptions = {}): Promise<ServedShop> {
  const dir = mkdtempSync(join(tmpdir(), 'clvkit-dashboard-'));
  const db = join(dir, 'shop.duckdb');
  if (options.cliAnalysis) return openCliAnalysedShop(dir, db, options.cliAnalysis, options);
  if (options.analysedWarehouse) return openAnalysedShop(dir, await options.analysedWarehouse.copy(dir), options);
  await generateShop({ outDir: join(dir, 'shop'), customers: options.customers ?? 300, seed: 11, events: options.events === true });
  await mustSucceed(['ingest', join(dir, 'shop', 'transactions.csv'), '--db', db, '--json']);
  // profiles with their personal data kept (encrypted): e-mail, name and phone are mapped explicitly
  await mustSucceed(['ingest', join(dir, 'shop', 'customers.csv'), '--kind', 'customers', '--map', 'email=email', '--map', 'name=name', '--map', 'phone=phone', '--db', db, '--json']);
  if (options.events) await mustSucceed(['ingest', join(dir, 'shop', 'events.csv'), '--kind', 'events', '--db', db, '--json']);
  for (const role of ROLES) await mustSucceed(['users', 'add', role, '--role', role, '--db', db], { CLVKIT_PASSWORD: dashboardPassword(role) });
  const { app, context, runs } = await serve(dir, db, options);
  const { view, done } = await runs.start({ name: 'fixture', role: 'admin', kind: 'session' }, { skipReport: true });
  await done;
  const ended = await runs.get(view.id);
  if (ended?.status !== 'finished') throw new Error(`the fixture's analysis did not finish: ${ended?.error}`);
  return servedShop(app, context, dir, db, view.id);
}

/** The server on the warehouse file, with its run jobs. */
async function serve(dir: string, db: string, options: ServedShopOptions): Promise<{ app: ServerApp; context: ServerContext; runs: RunJobs }> {
  const { warehouse, keyring } = await openKeyedWarehouse({ db, requireKey: true });
  const context = createServerContext({ warehouse, dbPath: db, keyring: keyring! });
  const runs = new RunJobs(context, join(dir, 'runs'));
  const app = await createServer(context, { logger: false, loginsPerIpPerMinute: 1000, runs, walDir: join(dir, 'wal'), ...(options.webRoot ? { webRoot: options.webRoot } : {}) });
  return { app, context, runs };
}

/** A shop analysed by the CLI (ServedShopOptions.cliAnalysis), its users added, served. */
async function openCliAnalysedShop(dir: string, db: string, analysis: NonNullable<ServedShopOptions['cliAnalysis']>, options: ServedShopOptions): Promise<ServedShop> {
  await mustSucceed(['analyze', analysis.transactions(dir), '--db', db, '--out', join(dir, 'out'), ...analysis.args]);
  return openAnalysedShop(dir, db, options);
}

/** A warehouse file holding an analysis the CLI recorded: its users added, served. */
async function openAnalysedShop(dir: string, db: string, options: ServedShopOptions): Promise<ServedShop> {
  for (const role of ROLES) await mustSucceed(['users', 'add', role, '--role', role, '--db', db], { CLVKIT_PASSWORD: dashboardPassword(role) });
  const { app, context } = await serve(dir, db, options);
  const latest = await context.latestRun();
  if (!latest) throw new Error('the CLI analysis was not recorded in the warehouse');
  return servedShop(app, context, dir, db, latest.id);
}

function servedShop(app: ServerApp, context: ServerContext, dir: string, db: string, runId: string): ServedShop {
  return {
    app,
    context,
    dir,
    db,
    runId,
    async login(role) {
      const response = await app.inject({ method: 'POST', url: '/api/login', payload: { username: role, password: dashboardPassword(role) } });
      if (response.statusCode !== 200) throw new Error(`login as ${role}: ${response.statusCode} ${response.body}`);
      const cookie = response.cookies.find((c) => c.name === 'clvkit_session')!;
      return { cookie: `clvkit_session=${cookie.value}`, csrf: (response.json() as { csrfToken: string }).csrfToken };
    },
    async close() {
      await app.close();
      await context.warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
