import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { createRandom } from '../../src/math/random.js';
import { openTestServer, type TestServer } from './server-fixture.js';

const day = (start: string, offset: number) => new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

// Regression (a new-user pass): a viewer's GET /api/campaigns/:audience?from=&to= stored an evaluation, so any read with
// an odd window replaced the one campaign compare, the report, /api/campaign-results and the playbook's measured lift
// use. A read computes and answers; only an explicit evaluation (campaign evaluate, POST by an analyst or admin) stores.
describe('GET /api/campaigns/:audience is a read: it stores nothing', () => {
  let server: TestServer;
  const as = (session: { cookie: string; csrf: string }) => ({ cookie: session.cookie, 'x-csrf-token': session.csrf });
  const stored = async () => (await server.context.warehouse.query("SELECT window_from, window_to FROM campaign_evaluations WHERE audience = 'spring'")).length;
  let viewer: { cookie: string; csrf: string };
  let marketer: { cookie: string; csrf: string };
  let analyst: { cookie: string; csrf: string };

  beforeAll(async () => {
    server = await openTestServer();
    [viewer, marketer, analyst] = [await server.login('viewer'), await server.login('marketer'), await server.login('analyst')];
    const random = createRandom(7);
    const lines = Array.from({ length: 300 }, (_, c) => `H${c},A${c},${day('2023-01-01', random.integer(365))},${(20 + 20 * random.uniform()).toFixed(2)}`);
    lines.push(...Array.from({ length: 120 }, (_, i) => `J${i},A${random.integer(300)},${day('2024-01-01', random.integer(60))},${(15 + 30 * random.uniform()).toFixed(2)}`));
    const file = join(server.dir, 'orders.csv');
    writeFileSync(file, `order_id,customer_id,date,amount\n${lines.join('\n')}\n`);
    await ingestFiles(server.context.warehouse, [file], { keyring: server.context.keyring });
    const drawn = await server.app.inject({ method: 'POST', url: '/api/audiences', payload: { name: 'spring', where: 'orders >= 1', holdout: 0.2, sendDate: '2024-01-01' }, headers: as(analyst) });
    expect(drawn.statusCode, drawn.body).toBe(201);
  }, 120_000);
  afterAll(async () => server.close());

  it("a viewer's GET answers the evaluation and stores none; an analyst's POST stores it; a later GET with an odd window leaves it as the one compare and the results read", async () => {
    const read = await server.app.inject({ method: 'GET', url: '/api/campaigns/spring?from=2024-01-01&to=2024-01-31', headers: as(viewer) });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().window).toMatchObject({ from: '2024-01-01', to: '2024-01-31' });
    expect(await stored()).toBe(0);

    const evaluated = await server.app.inject({ method: 'POST', url: '/api/campaigns/spring', payload: { from: '2024-01-01', to: '2024-01-31', costPerContact: 0.5 }, headers: as(analyst) });
    expect(evaluated.statusCode, evaluated.body).toBe(201);
    expect(evaluated.json().window).toMatchObject({ from: '2024-01-01', to: '2024-01-31' });
    expect(await stored()).toBe(1);

    const odd = await server.app.inject({ method: 'GET', url: '/api/campaigns/spring?from=2024-01-01&to=2024-01-03', headers: as(viewer) });
    expect(odd.statusCode, odd.body).toBe(200);
    expect(odd.json().window).toMatchObject({ from: '2024-01-01', to: '2024-01-03', days: 3 });
    expect(await stored()).toBe(1);
    const results = await server.app.inject({ method: 'GET', url: '/api/campaign-results', headers: as(viewer) });
    const listed = results.json().campaigns.campaigns.find((c: { audience: string }) => c.audience === 'spring');
    expect(listed.window).toEqual({ from: '2024-01-01', to: '2024-01-31', days: 31, lines: 57 });
    expect(listed.stale).toBeUndefined();
    expect(listed.cost).toBe(0.5 * evaluated.json().groups.treatment);
    // the reads are audited as views of aggregates, the stored evaluation as analysis (what the POST route requires)
    const audited = await server.context.warehouse.query("SELECT action, details FROM audit_log WHERE target = 'audience:spring' AND details LIKE '%/api/campaigns/%' ORDER BY seq");
    expect(audited.map((row) => [row.action, JSON.parse(String(row.details)).command])).toEqual([
      ['view_aggregates', 'GET /api/campaigns/:audience'],
      ['analyze', 'POST /api/campaigns/:audience'],
      ['view_aggregates', 'GET /api/campaigns/:audience'],
    ]);
  }, 60_000);

  it('POST /api/campaigns/:audience is refused to a viewer and a marketer (403), and stores nothing', async () => {
    const before = await stored();
    for (const session of [viewer, marketer]) {
      const refused = await server.app.inject({ method: 'POST', url: '/api/campaigns/spring', payload: { from: '2024-01-01', to: '2024-01-10' }, headers: as(session) });
      expect(refused.statusCode, refused.body).toBe(403);
    }
    expect(await stored()).toBe(before);
  }, 60_000);
});
