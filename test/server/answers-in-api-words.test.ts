import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { openTestServer, type TestServer } from './server-fixture.js';

// Found by a sweep of what the actions say to an API client: hints, notes and the reasons in an answer named the
// CLI's flags and commands (--from, --cost-per-contact, clvkit ingest, clvkit analyze --db, clvkit campaign evaluate)
// and, on an empty warehouse, the server's file — where the client sends a query field or calls a route.
describe("what the actions say through the API is in the API's words", () => {
  let server: TestServer;
  let analyst: { cookie: string; csrf: string };
  let marketer: { cookie: string; csrf: string };
  const as = (session: { cookie: string; csrf: string }) => ({ cookie: session.cookie, 'x-csrf-token': session.csrf });
  /** ingests order lines `customer_id,date,amount` (a file through the file ingest, as the event endpoint applies them) */
  const ingest = async (name: string, rows: readonly string[]) => {
    const file = join(server.dir, name);
    writeFileSync(file, `order_id,customer_id,date,amount\n${rows.map((r, i) => `${name}-${i},${r}`).join('\n')}\n`);
    await ingestFiles(server.context.warehouse, [file], { keyring: server.context.keyring });
  };

  beforeAll(async () => {
    server = await openTestServer();
    analyst = await server.login('analyst');
    marketer = await server.login('marketer');
  });
  afterAll(async () => server.close());

  it('a warehouse without transactions: send orders first (POST /api/orders), not clvkit ingest, and never the server\'s file', async () => {
    for (const [url, payload] of [['/api/audiences/count', { where: "stage = 'new'" }], ['/api/audiences', { name: 'early', where: "stage = 'new'" }]] as const) {
      const response = await server.app.inject({ method: 'POST', url, payload, headers: as(analyst) });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toEqual({ error: 'bad_request', message: 'the warehouse holds no transactions (hint: send orders first: POST /api/orders)' });
    }
  });

  it('(the shop: 60 customers with 1–3 orders on the 15th of months of 2023; the data ends on 2023-12-15)', async () => {
    const rows: string[] = [];
    for (let c = 1; c <= 60; c++) for (let k = 0; k < 1 + (c % 3); k++) rows.push(`P${c},2023-${String(1 + ((c + 4 * k) % 12)).padStart(2, '0')}-15,${10 + c}`);
    await ingest('year', rows);
  });

  it('the first draw scores the warehouse and says so without the CLI\'s analyze --db', async () => {
    const drawn = await server.app.inject({ method: 'POST', url: '/api/audiences', payload: { name: 'spring', where: 'orders >= 1', holdout: 0.3 }, headers: as(analyst) });
    expect(drawn.statusCode, drawn.body).toBe(201);
    expect(drawn.json()).toMatchObject({ sendDate: '2023-12-16', members: 60 });
    expect(drawn.json().notes[0]).toBe('the warehouse has no customer_summary yet: running the analysis stages (summary, value models, churn, segments, lifecycle, events) into it first');
  }, 60_000);

  it('POST /api/playbook/run with a budget and no evaluated campaign: the reason names GET /api/campaigns/:audience, not clvkit campaign evaluate', async () => {
    const ran = await server.app.inject({ method: 'POST', url: '/api/playbook/run', payload: { budget: 20, prefix: 'budget-' }, headers: as(analyst) });
    expect(ran.statusCode, ran.body).toBe(200);
    const reason = 'no past campaign with a control group has been evaluated (GET /api/campaigns/:audience)';
    expect(ran.json().targeting).toMatchObject({ basis: 'value × P(alive)', reason });
    expect(ran.json().notes).toContain(`the budget ranks customers by value × P(alive) (predicted CLV × the play’s lift): ${reason}`);
  }, 60_000);

  it('(newer data: an order of each of 30 customers from 2024-01-05 to 2024-01-20)', async () => {
    await ingest('january', Array.from({ length: 30 }, (_, i) => `P${1 + 2 * i},2024-01-${String(5 + (i % 16)).padStart(2, '0')},${20 + i}`));
  });

  it('a draw on scores older than the data says to start an analysis (POST /api/runs, with asOf for a backtest), not clvkit analyze --db', async () => {
    const draw = async (payload: Record<string, unknown>) => {
      const response = await server.app.inject({ method: 'POST', url: '/api/audiences', payload: { where: 'orders >= 1', ...payload }, headers: as(marketer) });
      expect(response.statusCode, response.body).toBe(201);
      return response.json().notes as string[];
    };
    expect(await draw({ name: 'after-january' })).toContain('the scores and stages describe the data to 2023-12-15, the warehouse holds purchases to 2024-01-20: start an analysis (POST /api/runs) to refresh them before drawing on new data');
    expect(await draw({ name: 'backtest', sendDate: '2024-01-10' })).toContain('the scores and stages describe the data to 2023-12-15, the warehouse holds purchases to 2024-01-09 before the send date 2024-01-10: start an analysis (POST /api/runs with "asOf": "2024-01-09") to refresh them before drawing on new data');
  }, 60_000);
});
