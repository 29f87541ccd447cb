import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { monthlyShopRows } from '../helpers/monthly-shop.js';
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

  it('an expired API token: an admin creates a new one through POST /api/tokens (or the CLI), not only clvkit tokens create', async () => {
    const token = await server.token('analyst', 1);
    await server.context.warehouse.execute("UPDATE api_tokens SET expires_at = TIMESTAMP '2020-01-01' WHERE name = 'analyst-machine'");
    const refused = await server.app.inject({ method: 'GET', url: '/api/audiences', headers: { authorization: `Bearer ${token}` } });
    expect(refused.statusCode, refused.body).toBe(401);
    expect(refused.json()).toEqual({ error: 'unauthenticated', message: 'the API token has expired', hint: 'an admin creates a new one (POST /api/tokens, or clvkit tokens create)' });
  });

  it('a warehouse without transactions: send orders first (POST /api/orders), not clvkit ingest, and never the server\'s file', async () => {
    for (const [url, payload] of [['/api/audiences/count', { where: "stage = 'new'" }], ['/api/audiences', { name: 'early', where: "stage = 'new'" }]] as const) {
      const response = await server.app.inject({ method: 'POST', url, payload, headers: as(analyst) });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toEqual({ error: 'bad_request', message: 'the warehouse holds no transactions', hint: 'send orders first: POST /api/orders' });
    }
  });

  it('(the shop: 60 customers with 1–12 orders on the 15th of months of 2023; the data ends on 2023-12-15)', async () => {
    await ingest('year', monthlyShopRows());
  });

  it('the first draw scores the warehouse and says so without the CLI\'s analyze --db', async () => {
    const drawn = await server.app.inject({ method: 'POST', url: '/api/audiences', payload: { name: 'spring', where: 'orders >= 1', holdout: 0.3 }, headers: as(analyst) });
    expect(drawn.statusCode, drawn.body).toBe(201);
    expect(drawn.json()).toMatchObject({ sendDate: '2023-12-16', members: 60 });
    expect(drawn.json().notes[0]).toBe('the warehouse has no customer_summary yet: running the analysis stages (summary, value models, churn, segments, lifecycle, events) into it first');
  }, 60_000);

  it('POST /api/playbook/run with a budget and no evaluated campaign: the reason names POST /api/campaigns/:audience (which stores an evaluation; GET does not), not clvkit campaign evaluate', async () => {
    const ran = await server.app.inject({ method: 'POST', url: '/api/playbook/run', payload: { budget: 20, prefix: 'budget-' }, headers: as(analyst) });
    expect(ran.statusCode, ran.body).toBe(200);
    const reason = 'no past campaign with a control group has been evaluated (POST /api/campaigns/:audience)';
    expect(ran.json().targeting).toMatchObject({ basis: 'value × P(alive)', reason });
    expect(ran.json().notes).toContain(`the budget ranks customers by value × P(alive) (predicted CLV × the play’s lift): ${reason}`);
  }, 60_000);

  const campaign = (query: string) => server.app.inject({ method: 'GET', url: `/api/campaigns/spring?${query}`, headers: as(marketer) });

  it('GET /api/campaigns/:audience refuses a window in the API\'s words: send from=…, send the orders (POST /api/orders), not --from or clvkit ingest', async () => {
    const before = await campaign('from=2023-11-01&to=2023-11-30');
    expect(before.statusCode, before.body).toBe(400);
    expect(before.json()).toEqual({ error: 'bad_request', message: 'the window 2023-11-01 … 2023-11-30 ends before the send date 2023-12-16 of audience spring', hint: 'responses are purchases from the send date on: send from=2023-12-16 or later' });
    const none = await campaign('from=2023-12-16&to=2023-12-31');
    expect(none.statusCode, none.body).toBe(400);
    expect(none.json()).toEqual({ error: 'bad_request', message: 'no transactions between 2023-12-16 and 2023-12-31: the campaign has no transactions after it (the data ends on 2023-12-15)', hint: 'send the orders of the response window first: POST /api/orders' });
  });

  it('(responses: an order of each of 30 customers from 2024-01-05 to 2024-01-20)', async () => {
    await ingest('january', Array.from({ length: 30 }, (_, i) => `P${1 + 2 * i},2024-01-${String(5 + (i % 16)).padStart(2, '0')},${20 + i}`));
  });

  it('GET /api/campaigns/:audience names from, to and costPerContact and the routes in its warnings and unavailable, not --from, --to, --cost-per-contact or clvkit analyze; audited as the route', async () => {
    const measured = await campaign('from=2023-12-10&to=2024-01-31');
    expect(measured.statusCode, measured.body).toBe(200);
    const result = measured.json() as { window: unknown; warnings: string[]; unavailable: Record<string, string> };
    expect(result.window).toEqual({ from: '2023-12-16', to: '2024-01-20', days: 36, requestedTo: '2024-01-31', lines: 30 }); // measured to the end of the data
    expect(result.warnings).toEqual(expect.arrayContaining([
      'from 2023-12-10 is before the send date 2023-12-16: purchases before it cannot be responses, the window starts on 2023-12-16',
      'the data ends on 2024-01-20, before to 2024-01-31: the window may be cut short; measured over 2023-12-16 … 2024-01-20 (36 days), and the campaign results (GET /api/campaign-results) mark the evaluation stale once transactions after 2024-01-20 are sent',
    ]));
    expect(result.unavailable.roi).toBe('no costPerContact given');
    expect(result.unavailable.predictedClvChange).toBe('needs predicted CLV when the audience was drawn and from an analysis of data after the send date 2023-12-16: start one after the window (POST /api/runs)');
    expect(measured.body).not.toMatch(/--[a-z]|clvkit [a-z]/);
    const [audited] = await server.context.warehouse.query("SELECT details FROM audit_log WHERE target = 'audience:spring' AND action = 'view_aggregates' ORDER BY seq DESC LIMIT 1");
    expect(JSON.parse(String(audited!.details))).toMatchObject({ command: 'GET /api/campaigns/:audience', from: '2023-12-16', to: '2024-01-31' });
  }, 60_000);

  it('a draw on scores older than the data says to start an analysis (POST /api/runs, with asOf for a backtest), not clvkit analyze --db', async () => {
    const draw = async (payload: Record<string, unknown>) => {
      const response = await server.app.inject({ method: 'POST', url: '/api/audiences', payload: { where: 'orders >= 1', ...payload }, headers: as(marketer) });
      expect(response.statusCode, response.body).toBe(201);
      return response.json().notes as string[];
    };
    expect(await draw({ name: 'after-january' })).toContain('the scores and stages describe the data to 2023-12-15, the warehouse holds purchases to 2024-01-20: start an analysis (POST /api/runs) to refresh them before drawing on new data');
    expect(await draw({ name: 'backtest', sendDate: '2024-01-10' })).toContain('the scores and stages describe the data to 2023-12-15, the warehouse holds purchases to 2024-01-09 before the send date 2024-01-10: start an analysis (POST /api/runs with "asOf": "2024-01-09") to refresh them before drawing on new data');
  }, 60_000);

  it('an audience whose members were erased: a new one drawn through POST /api/audiences, not clvkit audience create', async () => {
    const warehouse = server.context.warehouse;
    await warehouse.execute("DELETE FROM audience_members WHERE audience = 'spring' AND group_name = 'control'");
    const evaluated = await server.app.inject({ method: 'GET', url: '/api/campaigns/spring?from=2023-12-16&to=2024-01-31', headers: as(marketer) });
    expect(evaluated.statusCode, evaluated.body).toBe(400);
    expect(evaluated.json()).toEqual({ error: 'bad_request', message: 'audience spring has a control group of zero left (its members were erased or purged): there is nothing to compare', hint: 'draw a new audience (POST /api/audiences): its members are no longer in the warehouse' });
    await warehouse.execute("DELETE FROM audience_members WHERE audience = 'spring'");
    const exported = await server.app.inject({ method: 'GET', url: '/api/audiences/spring/export?format=csv', headers: as(marketer) });
    expect(exported.statusCode, exported.body).toBe(400);
    expect(exported.json()).toEqual({ error: 'bad_request', message: 'audience spring has no members left (erased or purged)', hint: 'draw it again: POST /api/audiences' });
  });
});
