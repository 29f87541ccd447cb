/**
 * The audit entries of a run the server started name its files by the run and the file — `file:<run id>/customers.csv`,
 * `file:<run id>/recommendations.csv`, the path inside the server's runs folder — not by their absolute path, which
 * is under `<db>.runs/` and so holds the warehouse's path, kept from clients (warehouse-path-kept-from-clients.test.ts).
 * An auditor still reads which run (the id `GET /api/runs` lists) and which file. `clvkit analyze --out DIR` keeps
 * naming its files by their path (the user's own folder: privacy-cli.test.ts).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import type { AuditResponse } from '../../src/server/routes/read-api-types.js';
import { openTestServer, runToEnd, sessionHeaders, type TestServer } from './server-fixture.js';

describe("a served run's audit entries name its files by run and name", () => {
  let server: TestServer;
  let runId = '';

  beforeAll(async () => {
    server = await openTestServer({ runFilesBesideWarehouse: true });
    await generateShop({ outDir: server.dir, customers: 120, seed: 9, products: 20, events: false });
    await ingestFiles(server.context.warehouse, [join(server.dir, 'transactions.csv')], { keyring: server.context.keyring });
    const analyst = await server.login('analyst');
    const started = await runToEnd(server, analyst, { skipReport: true, regularityCheck: false, churn: false });
    expect(started.view.status, started.view.error ?? '').toBe('finished');
    expect(started.summary!.outputs.recommendationsCsv).not.toBeNull(); // the positive control: both files written
    runId = (await server.app.inject({ method: 'GET', url: '/api/runs?limit=1', headers: sessionHeaders(analyst) })).json().runs[0].id;
  }, 240_000);
  afterAll(async () => server?.close());

  it('GET /api/audit: export_customers of <run id>/recommendations.csv and <run id>/customers.csv, and no server path', async () => {
    const answer = await server.app.inject({ method: 'GET', url: '/api/audit?limit=500', headers: sessionHeaders(await server.login('admin')) });
    expect(answer.statusCode).toBe(200);
    const { entries } = answer.json() as AuditResponse;
    const files = entries.filter((e) => e.action === 'export_customers').map((e) => ({ actor: e.actor, target: e.target, customers: e.rowCounts.customers }));
    expect(files.reverse()).toEqual([
      { actor: 'analyst', target: `file:${runId}/recommendations.csv`, customers: expect.any(Number) },
      { actor: 'analyst', target: `file:${runId}/customers.csv`, customers: expect.any(Number) },
    ]);
    expect(answer.body).not.toContain(server.dir);
  });
});
