/**
 * A run started through the API that fails says why in words that name no path on the server's disk: its error and
 * hint (GET /api/runs/:id, the list, `server_runs`) said the paths of the run's folder under `<db>.runs/` — the
 * warehouse's path, which the server keeps from every client (warehouse-path-kept-from-clients.test.ts). The server's
 * log keeps the whole message, paths and all, with the run's id.
 *
 * The failure: `<db>.runs` is a file, so the run's folder cannot be made ("the folder <db>.runs/<id> goes through
 * <db>.runs, which is a file, not a folder").
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { RunJobs } from '../../src/server/runs/run-jobs.js';
import type { ServerContext } from '../../src/server/server-context.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { openTestServer, runToEnd, sessionHeaders, type TestServer } from './server-fixture.js';

describe("a failed run's error names no server path", () => {
  let server: TestServer;
  let db = '';
  const logged: { object: unknown; message: string | undefined }[] = [];

  beforeAll(async () => {
    server = await openTestServer({ runFilesBesideWarehouse: true });
    db = join(server.dir, 'shop.duckdb');
    // the server's log, as clvkit serve gives the context fastify's (start-server.ts)
    const line = (object: unknown, message?: string) => void logged.push({ object, message });
    (server.context as { log: ServerContext['log'] }).log = { info: line, warn: line, error: line };
    await generateShop({ outDir: server.dir, customers: 60, seed: 5, products: 10, events: false });
    await ingestFiles(server.context.warehouse, [join(server.dir, 'transactions.csv')], { keyring: server.context.keyring });
    writeFileSync(`${db}.runs`, 'not a folder\n'); // where the runs' folders go: the run cannot make its own
  }, 120_000);
  afterAll(async () => server?.close());

  it('the API says the run failed in neutral words; the server log has the paths', async () => {
    const analyst = await server.login('analyst');
    const { view } = await runToEnd(server, analyst, { skipPatterns: true, skipReport: true });
    const id = (await server.app.inject({ method: 'GET', url: '/api/runs?limit=1', headers: sessionHeaders(analyst) })).json().runs[0].id as string;
    expect(view.status).toBe('failed');
    expect(view.error).toBe("the run's folder goes through the server's runs folder, which is a file, not a folder");
    expect(view.hint).toBe('check the path: only its last part may be a file');
    // as every reader of the run has it: the list, and server_runs read back by another RunJobs (another process's view)
    const listed = (await server.app.inject({ method: 'GET', url: '/api/runs', headers: sessionHeaders(analyst) })).json().runs[0];
    const stored = await new RunJobs(server.context, `${db}.runs`).get(id);
    for (const answer of [view, listed, stored]) expect(JSON.stringify(answer)).not.toContain(server.dir);
    expect(listed).toMatchObject({ id, error: view.error, hint: view.hint });
    expect(stored).toMatchObject({ error: view.error, hint: view.hint });
    // the operator's log names the paths, with the run
    const failed = logged.find((l) => l.message === 'analysis run failed');
    expect(failed?.object).toMatchObject({ runId: id });
    expect(((failed!.object as { err: Error }).err).message).toBe(`the folder ${db}.runs/${id} goes through ${db}.runs, which is a file, not a folder`);
  }, 120_000);
});
