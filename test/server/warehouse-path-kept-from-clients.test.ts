/**
 * The server's warehouse path is a server-side detail: a client learns nothing of its disk. A run started through the
 * API recorded it in run.json's `parameters.db` (the run file, and the summary `server_runs` keeps), and
 * `GET /api/privacy` — every role may read it — answered the key file's path (`<db>.key`) under `privacy.keys.path`.
 * Now the run records "the server's warehouse" and the server log (the operator's) names the path with the run's id;
 * the privacy answer says where the key comes from (`source`), its path null.
 *
 * The runs write their files beside the warehouse (`<db>.runs/`), as `clvkit serve --db` has them. `GET /api/audit`
 * (admins) is looked at too: the audit log recorded the run's customers.csv by its path on the server; it names it by
 * the run's id and the file's name now (run-files-audited-by-run-and-name.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import type { RunSummary } from '../../src/pipeline/run-summary.js';
import type { ServerContext } from '../../src/server/server-context.js';
import { openTestServer, runToEnd, sessionHeaders, type TestServer } from './server-fixture.js';

/** Every GET route a client reads after a run (the customer routes with a token of the list). */
const READ_ROUTES = ['/api/overview', '/api/value', '/api/model-card', '/api/segments', '/api/clusters', '/api/lifecycle', '/api/cohorts', '/api/cross-sell', '/api/events-summary', '/api/campaign-results', '/api/privacy', '/api/runs', '/api/health', '/api/me', '/api/audiences', '/api/playbook', '/api/customers?limit=3', '/api/ingest/status', '/api/audit?limit=500'];

describe("the server's warehouse path reaches no client", () => {
  let server: TestServer;
  let db = '';
  const logged: string[] = [];
  let summary: RunSummary;
  let runId = '';

  beforeAll(async () => {
    server = await openTestServer({ runFilesBesideWarehouse: true });
    db = join(server.dir, 'shop.duckdb');
    // the server's log, as clvkit serve gives the context fastify's (start-server.ts)
    const line = (object: object | string, message?: string) => void logged.push(`${typeof object === 'string' ? object : JSON.stringify(object)} ${message ?? ''}`);
    (server.context as { log: ServerContext['log'] }).log = { info: line, warn: line, error: line };
    await generateShop({ outDir: server.dir, customers: 150, seed: 5, products: 30, events: false });
    await ingestFiles(server.context.warehouse, [join(server.dir, 'transactions.csv')], { keyring: server.context.keyring });
    const analyst = await server.login('analyst');
    const started = await runToEnd(server, analyst, { skipPatterns: true, regularityCheck: false });
    expect(started.view.status, started.view.error ?? '').toBe('finished');
    summary = started.summary!;
    runId = (await server.app.inject({ method: 'GET', url: '/api/runs?limit=1', headers: sessionHeaders(analyst) })).json().runs[0].id;
  }, 240_000);
  afterAll(async () => server?.close());

  it("run.json and the stored summary record the server's warehouse, not its path; the server log names the path with the run", () => {
    expect(summary.parameters.db).toBe("the server's warehouse");
    const runJson = JSON.parse(readFileSync(summary.outputs.runJson, 'utf8')) as RunSummary;
    expect(runJson.outputs.runJson.startsWith(`${db}.runs/`)).toBe(true); // the run's files are beside the warehouse, as served
    expect(runJson.parameters).toEqual(summary.parameters);
    // the report's run section names the warehouse as run.json does
    const report = readFileSync(summary.outputs.reportHtml!, 'utf8');
    expect(report).toContain('<td>warehouse</td><td class="code">the server&#39;s warehouse</td>');
    expect(report).not.toContain(server.dir);
    expect(logged.find((l) => l.includes(runId) && l.includes(`"warehouse":"${db}"`))).toMatch(/analysis run started/);
  });

  it('no answer a client reads holds the path: every read route, as every role', async () => {
    for (const role of ['admin', 'analyst', 'marketer', 'viewer'] as const) {
      const headers = sessionHeaders(await server.login(role));
      for (const url of READ_ROUTES) {
        const answer = await server.app.inject({ method: 'GET', url, headers });
        if (answer.statusCode === 403) continue; // not this role's
        expect(answer.statusCode, `${role} ${url}: ${answer.body.slice(0, 200)}`).toBe(200);
        const at = answer.body.indexOf(server.dir);
        expect(at === -1 ? null : answer.body.slice(Math.max(0, at - 80), at + 80), `${role} ${url}`).toBeNull();
      }
    }
  }, 120_000);

  it('GET /api/privacy says where the key comes from, and which keys, without the key file\'s path', async () => {
    const answer = await server.app.inject({ method: 'GET', url: '/api/privacy', headers: sessionHeaders(await server.login('viewer')) });
    const keys = (answer.json() as { privacy: { keys: Record<string, unknown> } }).privacy.keys;
    expect(keys).toMatchObject({ source: 'file', activeKeyId: server.context.keyring!.activeKeyId, path: null });
  });
});
