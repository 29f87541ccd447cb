/**
 * Every answer carries the browser's safety headers, and API answers are never cached: a review found none —
 * no nosniff, no frame protection (the dashboard could be framed: clickjacking of its admin actions), no
 * Content-Security-Policy, and API answers with customer data left to caches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServer, runToEnd, sessionHeaders, type TestServer } from './server-fixture.js';

const CSP = "default-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'";

describe('security headers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer();
  });
  afterAll(async () => server.close());

  it('the dashboard, the API (answers and errors) and the docs: nosniff, no referrer, no framing, the CSP', async () => {
    const admin = await server.login('admin');
    const answers = {
      dashboard: await server.app.inject({ method: 'GET', url: '/' }),
      me: await server.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: admin.cookie } }),
      unauthenticated: await server.app.inject({ method: 'GET', url: '/api/users' }),
      notFound: await server.app.inject({ method: 'GET', url: '/api/no-such-route', headers: { cookie: admin.cookie } }),
      openapi: await server.app.inject({ method: 'GET', url: '/openapi.json' }),
    };
    for (const [name, answer] of Object.entries(answers)) {
      expect(
        { status: answer.statusCode < 500, nosniff: answer.headers['x-content-type-options'], referrer: answer.headers['referrer-policy'], frame: answer.headers['x-frame-options'], csp: answer.headers['content-security-policy'] },
        name,
      ).toEqual({ status: true, nosniff: 'nosniff', referrer: 'no-referrer', frame: 'DENY', csp: CSP });
    }
    expect(answers.me.statusCode).toBe(200);
    expect(answers.unauthenticated.statusCode).toBe(401);
    for (const name of ['me', 'unauthenticated', 'notFound'] as const) expect(answers[name].headers['cache-control'], name).toBe('no-store');
    expect(answers.dashboard.headers['cache-control']).not.toBe('no-store');
  });

  it("a run's server-sent events (written past fastify's hooks) carry them too, and are not stored", async () => {
    const analyst = await server.login('analyst');
    await runToEnd(server, analyst, { skipReport: true }); // fails at once (no purchases): a run whose stream ends at once
    const id = (await server.app.inject({ method: 'GET', url: '/api/runs?limit=1', headers: sessionHeaders(analyst) })).json().runs[0].id as string;
    const stream = await server.app.inject({ method: 'GET', url: `/api/runs/${id}/events`, headers: sessionHeaders(analyst) });
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect({ nosniff: stream.headers['x-content-type-options'], referrer: stream.headers['referrer-policy'], frame: stream.headers['x-frame-options'], csp: stream.headers['content-security-policy'], cache: stream.headers['cache-control'] }).toEqual({ nosniff: 'nosniff', referrer: 'no-referrer', frame: 'DENY', csp: CSP, cache: 'no-store' });
  });

  it('the login answer (it sets the session cookie and holds the CSRF token) is not stored either', async () => {
    const login = await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'viewer', password: 'password-for-viewer' } });
    expect(login.statusCode).toBe(200);
    expect(login.headers['cache-control']).toBe('no-store');
  });
});
