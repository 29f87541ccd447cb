/**
 * Every answer carries the browser's safety headers, and API answers are never cached: a review found none —
 * no nosniff, no frame protection (the dashboard could be framed: clickjacking of its admin actions), no
 * Content-Security-Policy, and API answers with customer data left to caches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServer, type TestServer } from './server-fixture.js';

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

  it('the login answer (it sets the session cookie and holds the CSRF token) is not stored either', async () => {
    const login = await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'viewer', password: 'password-for-viewer' } });
    expect(login.statusCode).toBe(200);
    expect(login.headers['cache-control']).toBe('no-store');
  });
});
