import { afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { ROLES, type Role } from '../../src/privacy/access/rbac.js';
import { createServer, type CreateServerOptions } from '../../src/server/create-server.js';
import { createServerContext } from '../../src/server/open-server-context.js';
import { hashPassword } from '../../src/server/auth/password-hash.js';
import { addUser } from '../../src/server/auth/user-store.js';
import { createApiToken } from '../../src/server/auth/token-store.js';
import type { ServerApp } from '../../src/server/server-app.js';
import type { ServerContext } from '../../src/server/server-context.js';
import type { RunSummary } from '../../src/pipeline/run-summary.js';
import { RunJobs } from '../../src/server/runs/run-jobs.js';
import { runFilesFolder } from '../../src/privacy/warehouse/erase-from-run-files.js';

/** The password of the fixture user of each role (one user per role, named after it). */
export const passwordOf = (role: Role) => `password-for-${role}`;

export interface TestServer {
  readonly app: ServerApp;
  readonly context: ServerContext;
  readonly dir: string;
  /** logs in as the user of `role`: the cookie header and the CSRF token */
  login(role: Role): Promise<{ cookie: string; csrf: string }>;
  /** an API token of `role` */
  token(role: Role, expiresDays?: number): Promise<string>;
  close(): Promise<void>;
}

/**
 * A server on a fresh keyed warehouse file in a temp folder, with one user per
 * role (`admin`, `analyst`, … with `passwordOf(role)`), not listening: drive
 * it with `app.inject`.
 */
export async function openTestServer(options: CreateServerOptions & { users?: boolean; db?: string; runFilesBesideWarehouse?: boolean; minGroupSize?: number } = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'clvkit-server-'));
  const db = options.db ?? join(dir, 'shop.duckdb'); // an existing warehouse (e.g. analysed by the CLI), left in place on close
  const { warehouse, keyring } = await openKeyedWarehouse({ db, create: true, requireKey: true });
  // minGroupSize: the server's k-floor, as `clvkit serve --min-group-size` sets it (default 5)
  const context = createServerContext({ warehouse, dbPath: db, keyring: keyring!, ...(options.minGroupSize !== undefined ? { minGroupSize: options.minGroupSize } : {}) });
  if (options.users !== false) {
    for (const role of ROLES) await addUser(context.warehouse, { name: role, role, passwordHash: await hashPassword(passwordOf(role)) });
  }
  // runFilesBesideWarehouse: the runs write their files in <db>.runs/, as `clvkit serve --db <db>` has them (default: a scratch folder)
  const { db: _db, runFilesBesideWarehouse, minGroupSize: _k, ...serverOptions } = options;
  const runs = runFilesBesideWarehouse ? { runs: new RunJobs(context, runFilesFolder(db)) } : {};
  const app = await createServer(context, { logger: false, loginsPerIpPerMinute: 1000, ...runs, ...serverOptions });
  return {
    app,
    context,
    dir,
    async login(role) {
      const response = await app.inject({ method: 'POST', url: '/api/login', payload: { username: role, password: passwordOf(role) } });
      if (response.statusCode !== 200) throw new Error(`login as ${role}: ${response.statusCode} ${response.body}`);
      const cookie = response.cookies.find((c) => c.name === 'clvkit_session')!;
      return { cookie: `clvkit_session=${cookie.value}`, csrf: (response.json() as { csrfToken: string }).csrfToken };
    },
    async token(role, expiresDays = 30) {
      return (await createApiToken(context.warehouse, { name: `${role}-machine`, role, expiresDays })).token;
    },
    async close() {
      await app.close();
      await context.warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A session's headers: the cookie and the CSRF token (`TestServer.login`). */
export const sessionHeaders = (session: { cookie: string; csrf: string }) => ({ cookie: session.cookie, 'x-csrf-token': session.csrf });

/**
 * Starts a run (`POST /api/runs` with `payload`, as `session`), waits for it to end, and returns its view (status,
 * error, hint) and the summary it stored (run.json; null when it did not finish).
 */
export async function runToEnd(server: TestServer, session: { cookie: string; csrf: string }, payload: Record<string, unknown>): Promise<{ view: { status: string; error: string | null; hint: string | null }; summary: RunSummary | null }> {
  const started = await server.app.inject({ method: 'POST', url: '/api/runs', payload, headers: sessionHeaders(session) });
  if (started.statusCode !== 202) throw new Error(`POST /api/runs: ${started.statusCode} ${started.body}`);
  const id = (started.json() as { id: string }).id;
  let view = { status: 'running', error: null, hint: null } as { status: string; error: string | null; hint: string | null };
  while (view.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 200));
    view = (await server.app.inject({ method: 'GET', url: `/api/runs/${id}`, headers: sessionHeaders(session) })).json();
  }
  const [row] = await server.context.state.query(`SELECT summary FROM server_runs WHERE run_id = '${id}'`);
  return { view, summary: row?.summary ? (JSON.parse(String(row.summary)) as RunSummary) : null };
}

/**
 * Servers a test file opens, each closed after its test.
 *
 * Example: `const open = useTestServers(); … const server = await open({ loginPolicy });`
 */
export function useTestServers(): (options?: Parameters<typeof openTestServer>[0]) => Promise<TestServer> {
  const servers: TestServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });
  return async (options = {}) => {
    const server = await openTestServer(options);
    servers.push(server);
    return server;
  };
}
