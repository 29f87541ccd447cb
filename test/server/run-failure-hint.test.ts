import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { RunJobs } from '../../src/server/runs/run-jobs.js';
import { openTestServer, type TestServer } from './server-fixture.js';

// Found by a user trial of the API: a run that failed kept only the first line of its error's message — "the
// warehouse holds no purchases to analyse", without the hint the CLI prints — and what a run says to an API client
// named the CLI (clvkit ingest, --min-group-size, --as-of, --map product_id, clvkit analyze --db <the server's file>)
// where the API has its own way (POST /api/orders, asOf, product_id, POST /api/runs).
describe('what a run started through the API says: its error keeps its hint, in the API\'s words', () => {
  let server: TestServer;
  let analyst: { cookie: string; csrf: string };
  const as = (session: { cookie: string; csrf: string }) => ({ cookie: session.cookie, 'x-csrf-token': session.csrf });
  const ingest = async (name: string, rows: readonly string[]) => {
    const file = join(server.dir, name);
    writeFileSync(file, `order_id,customer_id,date,amount\n${rows.map((r, i) => `${name}-${i},${r}`).join('\n')}\n`);
    await ingestFiles(server.context.warehouse, [file], { keyring: server.context.keyring });
  };
  /** starts a run and waits for its end; the run as GET /api/runs/:id answers it */
  const run = async (payload: Record<string, unknown>) => {
    const started = await server.app.inject({ method: 'POST', url: '/api/runs', payload: { skipReport: true, ...payload }, headers: as(analyst) });
    expect(started.statusCode, started.body).toBe(202);
    const id = (started.json() as { id: string }).id;
    for (;;) {
      const view = (await server.app.inject({ method: 'GET', url: `/api/runs/${id}`, headers: as(analyst) })).json() as { id: string; status: string; error: string | null; hint: string | null };
      if (view.status !== 'running') return view;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    server = await openTestServer();
    analyst = await server.login('analyst');
  });
  afterAll(async () => server.close());

  it('a warehouse without purchases: failed, with the hint to send orders (POST /api/orders), kept in server_runs', async () => {
    const failed = await run({});
    expect(failed).toMatchObject({ status: 'failed', error: 'the warehouse holds no purchases to analyse', hint: 'send orders first: POST /api/orders' });
    // read back from server_runs (another process's view of the run), not from the job in memory
    expect(await new RunJobs(server.context, server.dir).get(failed.id)).toMatchObject({ status: 'failed', error: 'the warehouse holds no purchases to analyse', hint: 'send orders first: POST /api/orders' });
    expect((await server.app.inject({ method: 'GET', url: '/api/runs', headers: as(analyst) })).json().runs[0]).toMatchObject({ id: failed.id, hint: 'send orders first: POST /api/orders' });
  }, 60_000);

  it('fewer customers than the minimum group size: the server\'s floor, and more orders to send', async () => {
    await ingest('three', ['P1,2023-01-15,10', 'P2,2023-02-15,20', 'P3,2023-03-15,30']);
    const failed = await run({});
    expect(failed).toMatchObject({
      status: 'failed',
      error: "3 customers in the data: fewer than the minimum group size (5, the server's), so every aggregate would describe individuals; nothing was written",
      hint: 'send the orders of more customers first (POST /api/orders); the floor is set where the server is started (clvkit serve --min-group-size 3 allows 3)',
    });
  }, 60_000);

  it('a finished run\'s warnings name asOf and product_id, not the CLI\'s --as-of and --map', async () => {
    const rows: string[] = [];
    for (let c = 1; c <= 60; c++) for (let k = 0; k < 1 + (c % 3); k++) rows.push(`Q${c},2023-${String(1 + ((c + 4 * k) % 12)).padStart(2, '0')}-15,${10 + c}`);
    await ingest('year', rows);
    const finished = await run({ asOf: '2024-06-30', skipPatterns: false });
    expect(finished).toMatchObject({ status: 'finished', error: null, hint: null });
    const overview = (await server.app.inject({ method: 'GET', url: '/api/overview', headers: as(analyst) })).json() as { run: { warnings: string[] } };
    expect(overview.run.warnings).toEqual(expect.arrayContaining([
      expect.stringMatching(/^asOf 2024-06-30 is 198 days after the last purchase \(2023-12-15\): .*; leave asOf out to analyse as of the last purchase$/),
      'cross-sell skipped: the data has no product column (send product_id with each order: POST /api/orders)',
    ]));
    expect(overview.run.warnings.join('\n')).not.toMatch(/--[a-z]|clvkit /);
  }, 120_000);
});
