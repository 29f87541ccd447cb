import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredRoutes } from '../../src/server/create-server.js';
import { openTestServer, type TestServer } from './server-fixture.js';

/** Texts that would change a query if a filter were pasted into SQL. */
const ATTACKS = ["' OR '1'='1", "x'; DROP TABLE transactions; --", "x') UNION SELECT original_id_enc, original_id_enc FROM customer_reid --", "%' OR 1=1 --", '1 OR 1=1', "\\'; SELECT 1; --"];

describe('SQL injection through every query filter of every GET route (generated from the routes’ schemas)', () => {
  let server: TestServer;
  let admin: { cookie: string; csrf: string };
  beforeAll(async () => {
    server = await openTestServer();
    admin = await server.login('admin');
    // one customer with an original id on record, so that a leak would show
    const token = await server.token('admin');
    await server.app.inject({ method: 'POST', url: '/api/events', payload: '{"customer_id":"victim-0001","ts":"2026-01-01T00:00:00Z","type":"view"}', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' } });
    await server.app.inject({ method: 'GET', url: '/api/events/count?prefix=v', headers: { cookie: admin.cookie } });
  });
  afterAll(async () => server.close());

  it('answers 2xx or 4xx, never 500, never a re-identification envelope, and leaves the tables in place', async () => {
    const routes = declaredRoutes(server.app).filter((r) => r.method === 'GET' && r.url.startsWith('/api/') && r.query.length > 0);
    expect(routes.map((r) => r.url)).toEqual(expect.arrayContaining(['/api/events/count', '/api/campaigns/:audience']));
    const failures: string[] = [];
    let tried = 0;
    for (const route of routes) {
      const path = route.url.replace(/:([A-Za-z_]+)/g, 'no-such-name');
      for (const name of route.query) {
        for (const attack of ATTACKS) {
          tried++;
          const response = await server.app.inject({ method: 'GET', url: `${path}?${name}=${encodeURIComponent(attack)}`, headers: { cookie: admin.cookie } });
          if (response.statusCode >= 500) failures.push(`${path}?${name}=${attack}: ${response.statusCode} ${response.body.slice(0, 200)}`);
          if (/v1:k[0-9a-f]+:/.test(response.body)) failures.push(`${path}?${name}=${attack}: an encrypted value in the answer`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(tried).toBeGreaterThan(ATTACKS.length);
    const [tables] = await server.context.warehouse.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name IN ('transactions', 'events', 'customer_reid', 'audit_log')");
    expect(Number(tables!.n)).toBe(4);
  }, 120_000);
});
