import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { openTestServer, type TestServer } from './server-fixture.js';

// Found by the api-hints session: a viewer, who reads aggregates only, could learn groups of fewer than k customers
// from the audiences' sizes left after erasures (GET /api/audiences) and from a campaign's refusal, which named the
// small group's size ('the control group … has 4 customers').
describe('audience sizes below the k-floor, for a role that reads aggregates only', () => {
  let server: TestServer;
  const as = (session: { cookie: string; csrf: string }) => ({ cookie: session.cookie, 'x-csrf-token': session.csrf });
  let analyst: { cookie: string; csrf: string };
  let viewer: { cookie: string; csrf: string };

  beforeAll(async () => {
    server = await openTestServer();
    analyst = await server.login('analyst');
    viewer = await server.login('viewer');
    await generateShop({ outDir: server.dir, customers: 300, seed: 9, products: 40 });
    await ingestFiles(server.context.warehouse, [join(server.dir, 'transactions.csv')], { keyring: server.context.keyring });
    const drawn = await server.app.inject({ method: 'POST', url: '/api/audiences', payload: { name: 'all', where: 'orders >= 1', holdout: 0.2, sendDate: '2030-01-01' }, headers: as(analyst) });
    expect(drawn.statusCode, drawn.body).toBe(201);
    // erasures left three customers in the control group
    await server.context.warehouse.execute("DELETE FROM audience_members WHERE audience = 'all' AND group_name = 'control' AND customer_id NOT IN (SELECT customer_id FROM audience_members WHERE audience = 'all' AND group_name = 'control' ORDER BY customer_id LIMIT 3)");
  }, 120_000);
  afterAll(async () => server.close());

  it('GET /api/audiences and /api/audiences/:name: null and belowMinGroupSize for a viewer, the counts for an analyst', async () => {
    for (const url of ['/api/audiences', '/api/audiences/all']) {
      const seen = (await server.app.inject({ method: 'GET', url, headers: as(viewer) })).json();
      const audience = url === '/api/audiences' ? seen.audiences[0] : seen;
      expect(audience).toMatchObject({ name: 'all', control: null, belowMinGroupSize: true });
      expect(audience.treatment).toBeGreaterThan(200);
      const full = (await server.app.inject({ method: 'GET', url, headers: as(analyst) })).json();
      expect(url === '/api/audiences' ? full.audiences[0] : full).toMatchObject({ name: 'all', control: 3, belowMinGroupSize: false });
    }
  });

  it('a campaign refused for a small group does not name its size through the API', async () => {
    const answer = await server.app.inject({ method: 'GET', url: '/api/campaigns/all?from=2030-01-01&to=2030-01-31', headers: as(viewer) });
    expect(answer.statusCode, answer.body).toBe(400);
    expect(answer.json().message).toMatch(/^the control group of all has fewer customers than the minimum group size \d+: its figures would describe individuals$/);
  });
});
