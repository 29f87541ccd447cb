import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServer, type TestServer } from './server-fixture.js';

// Found by a user trial of the API: error bodies had no hint, and a request the schema refused was answered in the
// validator's words — "body must NOT have additional properties" (not naming the field), "querystring /limit must be
// integer", a name's regular expression, "Body is not valid JSON but content-type is set to 'application/json'",
// "body must have required property 'username'" to a login with `name`, "querystring must have required property
// 'from'" — where the routes that did it well named the field and what to send.
describe('every API error says what is wrong (message) and, apart, what to do (hint)', () => {
  let server: TestServer;
  let analyst: { cookie: string; csrf: string };
  const as = (session: { cookie: string; csrf: string }) => ({ cookie: session.cookie, 'x-csrf-token': session.csrf });

  beforeAll(async () => {
    server = await openTestServer();
    analyst = await server.login('analyst');
  });
  afterAll(async () => server.close());

  const post = (url: string, payload: unknown, extra: Record<string, string> = {}) => server.app.inject({ method: 'POST', url, payload: payload as string, headers: { ...as(analyst), ...extra } });
  const get = (url: string) => server.app.inject({ method: 'GET', url, headers: as(analyst) });

  it('a body field the route does not take is named, with the fields it takes', async () => {
    for (const [payload, name] of [[{ bogus: 1 }, 'bogus'], [{ colour: 'red' }, 'colour']] as const) {
      const response = await post('/api/runs', payload);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toEqual({
        error: 'bad_request',
        message: `body field ${name} is not one POST /api/runs takes (it takes asOf, timeUnit, skipPatterns, skipReport, horizonMonths, discountRatePerYear, margin, holdoutDays, model, churn, churnDays, learnedTournament, regularityCheck and grain)`,
        hint: `leave ${name} out; GET /openapi.json (or /docs) describes the body fields of POST /api/runs`,
      });
    }
    // a field it takes, out of range: what the value must be (the trial's {"horizonMonths": -3}, refused as unknown before it was taken)
    expect((await post('/api/runs', { horizonMonths: -3 })).json()).toEqual({
      error: 'bad_request',
      message: 'body field horizonMonths must be months of future value to predict, a whole number from 1 to 600 (default 12) (got -3)',
      hint: 'e.g. "horizonMonths": 12',
    });
    // a near miss is named
    const near = await post('/api/runs', { asof: '2024-01-01' });
    expect(near.json().hint).toBe('did you mean asOf? e.g. {"asOf": "2024-03-01"}');
  });

  it('a query parameter of the wrong type says what it must be and what was sent', async () => {
    const response = await get('/api/runs?limit=abc');
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toEqual({ error: 'bad_request', message: 'query parameter limit must be an integer from 1 to 500 (got "abc")', hint: 'e.g. limit=50' });
  });

  it("a name that does not fit the pattern is described in words, not by its regular expression", async () => {
    const response = await post('/api/audiences', { name: '../x', where: 'orders >= 1' });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toEqual({
      error: 'bad_request',
      message: `body field name must be a name of letters, digits, '_', '.' and '-', starting with a letter or digit, up to 80 characters (got "../x")`,
      hint: 'e.g. "name": "spring-2024"',
    });
    const path = await get('/api/audiences/..x%20y');
    expect(path.json()).toEqual({ error: 'bad_request', message: `path parameter name must be a name of letters, digits, '_', '.' and '-', starting with a letter or digit, up to 80 characters (got "..x y")`, hint: 'e.g. GET /api/audiences/spring-2024' });
  });

  it('a body that is not JSON, or empty, is said so with an example of the route\'s body', async () => {
    const broken = await post('/api/audiences/count', '{"where": ', { 'content-type': 'application/json' });
    expect(broken.statusCode, broken.body).toBe(400);
    expect(broken.json()).toEqual({ error: 'bad_request', message: 'the body is not valid JSON', hint: `send one JSON object with double-quoted names and text, e.g. {"where": "stage IN ('at_risk','dormant') AND predicted_clv_12m > 50"}` });
    const empty = await post('/api/runs', '', { 'content-type': 'application/json' });
    expect(empty.json()).toEqual({ error: 'bad_request', message: 'the body is empty, but its content-type is application/json', hint: 'send a JSON object ({} when no field is set), or no content-type header' });
    const list = await post('/api/runs', [1]);
    expect(list.json()).toEqual({ error: 'bad_request', message: 'the body must be a JSON object (got a list)', hint: 'send e.g. {"asOf": "2024-03-01", "horizonMonths": 12}' });
  });

  it('a login with name in place of username: the field missing, the one sent instead, and an example (the password never shown back)', async () => {
    const response = await server.app.inject({ method: 'POST', url: '/api/login', payload: { name: 'analyst', password: 'secret-password' } });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toEqual({
      error: 'bad_request',
      message: 'body field username is missing (POST /api/login needs username and password; it got name, which it does not take)',
      hint: 'send username in place of name, e.g. {"username": "ana", "password": "…"}',
    });
    const long = await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'analyst', password: 'p'.repeat(1025) } });
    expect(long.json().message).toBe('body field password must be text of 1 to 1,024 characters');
    const object = await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'analyst', password: { typed: 'hunter2-secret' } } });
    expect(object.json().message).toBe('body field password must be text of 1 to 1,024 characters');
    expect(object.body).not.toContain('hunter2');
  });

  it('GET /api/campaigns/:audience without from or to names them, with an example on the path sent', async () => {
    const response = await get('/api/campaigns/nope');
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toEqual({
      error: 'bad_request',
      message: 'query parameter from is missing (GET /api/campaigns/:audience needs from and to)',
      hint: 'send e.g. GET /api/campaigns/nope?from=2024-03-01&to=2024-03-31',
    });
    const badDay = await get('/api/campaigns/nope?from=March&to=2024-03-31');
    expect(badDay.json()).toEqual({ error: 'bad_request', message: 'query parameter from must be a day, YYYY-MM-DD: the first day of the response window (got "March")', hint: 'e.g. from=2024-03-01' });
  });

  it('a number out of range, a value outside a list and a header say what is allowed', async () => {
    const holdout = await post('/api/audiences', { name: 'x', where: 'orders >= 1', holdout: 2 });
    expect(holdout.json()).toEqual({ error: 'bad_request', message: 'body field holdout must be the share held out as the control group: a number between 0 and 1 (both excluded; default 0.1) (got 2)', hint: 'e.g. "holdout": 0.1' });
    const unit = await post('/api/runs', { timeUnit: 'fortnight' });
    expect(unit.json()).toEqual({ error: 'bad_request', message: 'body field timeUnit must be one of: "day", "week", "month" (got "fortnight")', hint: 'e.g. "timeUnit": "day"' });
    const key = await server.app.inject({ method: 'POST', url: '/api/orders', payload: [{}], headers: { ...as(analyst), 'idempotency-key': 'a b' } });
    expect(key.json()).toEqual({ error: 'bad_request', message: 'header idempotency-key must be a key of 1 to 200 printable ASCII characters without spaces (got "a b")', hint: 'e.g. idempotency-key: orders-2024-03-01-0001' });
  });

  it('errors the routes and the auth hook answer themselves carry a hint apart from the message', async () => {
    const cases: [string, Promise<{ statusCode: number; json(): unknown }>, unknown][] = [
      ['no run', get('/api/runs/nosuch'), { error: 'not_found', message: 'no run nosuch', hint: 'GET /api/runs lists the runs, newest first' }],
      ['no route', get('/api/nosuch'), { error: 'not_found', message: 'no route GET /api/nosuch', hint: 'GET /openapi.json (or /docs) lists the routes' }],
      ['no audience', get('/api/audiences/nosuch'), { error: 'not_found', message: 'no audience nosuch', hint: 'none is stored yet: POST /api/audiences makes one' }],
      ['no session', server.app.inject({ method: 'GET', url: '/api/runs' }), { error: 'unauthenticated', message: 'this route needs a session or an API token', hint: 'log in (POST /api/login) or send Authorization: Bearer TOKEN' }],
      ['a role that may not', get('/api/audit'), { error: 'forbidden', message: 'role analyst may not read_audit (read and verify the audit log)', hint: 'roles allowed: admin: log in as a user of one of them, or ask an admin for such an account or API token' }],
      ['no analysis yet', get('/api/overview'), { error: 'no_run', message: 'no analysis has finished on this warehouse yet', hint: 'start one (POST /api/runs), then follow it (GET /api/runs/:id)' }],
      ['a wrong password', server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'analyst', password: 'not-the-password' } }), { error: 'bad_credentials', message: 'wrong user name or password', hint: 'check both; after 5 failures in a row the user is locked at this address for 15 minutes' }],
      ['a bad day (a UserError)', get('/api/campaigns/nope?from=2024-02-30&to=2024-03-31'), { error: 'bad_request', message: 'from 2024-02-30 is not a date', hint: 'send it as YYYY-MM-DD, e.g. from=2024-03-01' }],
    ];
    for (const [what, answer, body] of cases) expect((await answer).json(), what).toEqual(body);
  });

  it('the OpenAPI document gives every API route the error schema { error, message, hint }', async () => {
    const doc = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { required?: string[]; properties?: Record<string, unknown> } }> }> }>> };
    const routes = Object.entries(doc.paths).filter(([path]) => path.startsWith('/api/')).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ route: `${method} ${path}`, op })));
    expect(routes.length).toBeGreaterThan(30);
    for (const { route, op } of routes) {
      const schema = op.responses['4XX']?.content?.['application/json']?.schema;
      expect(schema?.required, route).toEqual(['error', 'message', 'hint']);
    }
  });
});
