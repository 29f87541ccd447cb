import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { monthlyShopRows } from '../helpers/monthly-shop.js';
import { openTestServer, type TestServer } from './server-fixture.js';

// Found by a trial of the API as an analyst and a marketer would use it: bad input answered with a 500, a run
// accepted then failed on a date no calendar has, an unknown audience answered 400 with the server's file path,
// and a value outside a fixed list answered with "must be equal to constant" four times over.
describe('bad input to the API is a 4xx problem that says what to send', () => {
  let server: TestServer;
  let analyst: { cookie: string; csrf: string };
  let marketer: { cookie: string; csrf: string };
  const as = (session: { cookie: string; csrf: string }) => ({ cookie: session.cookie, 'x-csrf-token': session.csrf });

  beforeAll(async () => {
    server = await openTestServer();
    analyst = await server.login('analyst');
    marketer = await server.login('marketer');
    // 60 customers with 1–12 orders in 2023 (monthlyShopRows): enough for an audience to be drawn (scored on the first draw)
    const file = join(server.dir, 'orders.csv');
    const lines = ['order_id,customer_id,date,amount', ...monthlyShopRows().map((row, i) => `O${i},${row}`)];
    writeFileSync(file, `${lines.join('\n')}\n`);
    await ingestFiles(server.context.warehouse, [file], { keyring: server.context.keyring });
  });
  afterAll(async () => server.close());

  it('POST /api/audiences with a sendDate no calendar has: 400 naming sendDate (it was a 500 from the INSERT)', async () => {
    // the analyst's first draw scores the warehouse (a marketer may not analyse)
    const scored = await server.app.inject({ method: 'POST', url: '/api/audiences', payload: { name: 'scored', where: 'orders >= 1' }, headers: as(analyst) });
    expect(scored.statusCode, scored.body).toBe(201);
    for (const sendDate of ['2023-13-45', '2024-02-30']) {
      const response = await server.app.inject({ method: 'POST', url: '/api/audiences', payload: { name: `bad-${sendDate}`, where: 'orders >= 1', sendDate }, headers: as(marketer) });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toEqual({ error: 'bad_request', message: `sendDate ${sendDate} is not a date`, hint: 'send it as YYYY-MM-DD, e.g. "sendDate": "2024-03-01"' });
    }
    const [row] = await server.context.warehouse.query('SELECT count(*) AS n FROM audiences');
    expect(Number(row!.n)).toBe(1);
    // a real day still draws
    const drawn = await server.app.inject({ method: 'POST', url: '/api/audiences', payload: { name: 'good', where: 'orders >= 1', sendDate: '2024-01-02' }, headers: as(marketer) });
    expect(drawn.statusCode, drawn.body).toBe(201);
  }, 60_000);

  it('POST /api/runs with an asOf no calendar has: 400 naming asOf, no run started (it was 202, then a failed run saying --as-of)', async () => {
    const before = (await server.app.inject({ method: 'GET', url: '/api/runs', headers: as(analyst) })).json() as { runs: unknown[] };
    const response = await server.app.inject({ method: 'POST', url: '/api/runs', payload: { asOf: '2023-02-30', skipPatterns: true, skipReport: true }, headers: as(analyst) });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toEqual({ error: 'bad_request', message: 'asOf 2023-02-30 is not a date', hint: 'send it as YYYY-MM-DD, e.g. "asOf": "2024-03-01"' });
    const after = (await server.app.inject({ method: 'GET', url: '/api/runs', headers: as(analyst) })).json() as { runs: unknown[] };
    expect(after.runs).toHaveLength(before.runs.length);
  });

  it('an audience that is not stored: 404 naming the route that lists them, never the server\'s warehouse path (it was 400 "no audience x in /…/shop.duckdb")', async () => {
    const requests = [
      { method: 'GET', url: '/api/audiences/nosuch' },
      { method: 'GET', url: '/api/audiences/nosuch/export?format=csv' },
      { method: 'DELETE', url: '/api/audiences/nosuch' },
      { method: 'GET', url: '/api/campaigns/nosuch?from=2024-01-01&to=2024-01-31' },
    ] as const;
    for (const r of requests) {
      const response = await server.app.inject({ ...r, headers: as(marketer) });
      expect(response.statusCode, `${r.method} ${r.url}: ${response.body}`).toBe(404);
      expect(response.json()).toEqual({ error: 'not_found', message: 'no audience nosuch', hint: expect.stringMatching(/^GET \/api\/audiences lists them: .*scored/) });
      expect(response.body).not.toContain(server.dir);
      expect(response.body).not.toMatch(/duckdb|--db/);
    }
  });

  it('an audience route looks the audience up once: no query of its own before the action (the 404 comes from the action\'s NotFoundError)', async () => {
    const warehouse = server.context.warehouse;
    const sql: string[] = [];
    const query = warehouse.query;
    const spy = vi.spyOn(warehouse, 'query').mockImplementation((text: string) => (sql.push(text), query(text)));
    try {
      const lookups = async (method: 'GET' | 'DELETE', url: string) => {
        sql.length = 0;
        const response = await server.app.inject({ method, url, headers: as(marketer) });
        return { status: response.statusCode, lookups: sql.filter((q) => /FROM audiences WHERE name =/.test(q)) };
      };
      expect(await lookups('GET', '/api/audiences/scored')).toEqual({ status: 200, lookups: ["SELECT * FROM audiences WHERE name = 'scored'"] });
      for (const [method, url] of [['GET', '/api/audiences/nosuch'], ['GET', '/api/audiences/nosuch/export?format=json'], ['DELETE', '/api/audiences/nosuch'], ['GET', '/api/campaigns/nosuch?from=2024-01-01&to=2024-01-31']] as const) {
        expect({ url, ...(await lookups(method, url)) }).toEqual({ url, status: 404, lookups: ["SELECT * FROM audiences WHERE name = 'nosuch'"] });
      }
    } finally {
      spy.mockRestore();
    }
  });

  it('a value outside a fixed list is refused with the list (it said "must be equal to constant" once per allowed value)', async () => {
    const cases = [
      { method: 'GET', url: '/api/customers?tier=x', session: analyst, message: 'query parameter tier must be one of: "high", "medium", "low" (got "x")', hint: 'e.g. tier=high' },
      { method: 'GET', url: '/api/customers?stage=bogus', session: analyst, message: 'query parameter stage must be one of: "prospect", "new", "active", "reactivated", "at_risk", "dormant", "churned" (got "bogus")', hint: 'e.g. stage=prospect' },
      { method: 'GET', url: '/api/audiences/scored/export?format=xml', session: marketer, message: 'query parameter format must be one of: "csv", "json" (got "xml")', hint: 'e.g. format=csv' },
      { method: 'POST', url: '/api/runs', payload: { timeUnit: 'fortnight' }, session: analyst, message: 'body field timeUnit must be one of: "day", "week", "month" (got "fortnight")', hint: 'e.g. "timeUnit": "day"' },
    ] as const;
    for (const c of cases) {
      const response = await server.app.inject({ method: c.method, url: c.url, ...('payload' in c ? { payload: c.payload } : {}), headers: as(c.session) });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toEqual({ error: 'bad_request', message: c.message, hint: c.hint });
    }
    // a number out of range says the range
    const limit = await server.app.inject({ method: 'GET', url: '/api/customers?limit=0', headers: as(analyst) });
    expect(limit.json()).toEqual({ error: 'bad_request', message: 'query parameter limit must be an integer from 1 to 200 (got 0)', hint: 'e.g. limit=25' });
  });

  it('GET /api/campaigns/:audience with a from or to no calendar has: 400 naming the query field (it named the CLI\'s --from)', async () => {
    for (const [query, field, value] of [['from=2024-02-30&to=2024-03-31', 'from', '2024-02-30'], ['from=2024-01-01&to=2024-13-01', 'to', '2024-13-01']] as const) {
      const response = await server.app.inject({ method: 'GET', url: `/api/campaigns/scored?${query}`, headers: as(marketer) });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toEqual({ error: 'bad_request', message: `${field} ${value} is not a date`, hint: `send it as YYYY-MM-DD, e.g. ${field}=2024-03-01` });
    }
  });

  // Regression (a user trial, from the CLI): a text a category column never holds, inside a filter that matches others,
  // was accepted silently (value_tier = 'top' OR segment = 'Champions' drew exactly the Champions)
  it('a text a category column never holds is refused by the count and the draw alike, listing the values (400)', async () => {
    // the analyst's first count scores the warehouse if no draw has yet (a marketer may not analyse)
    const scored = await server.app.inject({ method: 'POST', url: '/api/audiences/count', payload: { where: "value_tier = 'high'" }, headers: as(analyst) });
    expect(scored.statusCode, scored.body).toBe(200);
    for (const [url, payload] of [['/api/audiences/count', { where: "value_tier = 'top' OR segment = 'Champions'" }], ['/api/audiences', { name: 'top', where: "value_tier = 'top' OR segment = 'Champions'" }]] as const) {
      const response = await server.app.inject({ method: 'POST', url, payload, headers: as(marketer) });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json(), url).toEqual({ error: 'bad_request', message: "where: 'top' at character 14 is not a value of value_tier", hint: 'value_tier is one of high, medium, low' });
    }
    const [row] = await server.context.warehouse.query("SELECT count(*) AS n FROM audiences WHERE name = 'top'");
    expect(Number(row!.n)).toBe(0);
  }, 60_000);

  it('a filter the grammar refuses is explained in the API\'s words: the field where, not the CLI\'s --where (the dashboard showed "Cannot count: --where: …")', async () => {
    const cases = [
      { where: 'bogus > 1', message: /^where: unknown column bogus at character 1$/, hint: /^columns: / },
      { where: 'stage = ', message: /^where: expected a value but found the end of the expression$/, hint: /^e\.g\. "where": "stage IN \('at_risk','dormant'\) AND predicted_clv_12m > 50" \(docs\/actions\.md lists the columns\)$/ },
      { where: "orders > 'many'", message: /^where: orders is a number, compared with 'many'$/, hint: /^compare it with a number, e\.g\. orders > 10$/ },
      // a day no calendar has: the parser's own words, which the server's rewrite of '--where: …' missed
      { where: "last_purchase > '2024-13-01'", message: /^where last_purchase 2024-13-01 is not a date$/, hint: /^write it as YYYY-MM-DD, e\.g\. last_purchase <= '2024-06-30'$/ },
    ];
    for (const c of cases) {
      for (const [url, payload] of [['/api/audiences/count', { where: c.where }], ['/api/audiences', { name: 'refused', where: c.where }]] as const) {
        const response = await server.app.inject({ method: 'POST', url, payload, headers: as(marketer) });
        expect(response.statusCode, response.body).toBe(400);
        expect(response.json().message, url).toMatch(c.message);
        expect(response.json().hint, url).toMatch(c.hint);
        expect(response.body).not.toMatch(/--where/);
      }
    }
  });
});
