/**
 * The privacy officer: refusals left no audit entry unless their route audited them itself (a failed login, the last
 * admin, an Idempotency-Key conflict) — 401 without a session or with a bad token, 403 for a role or a missing CSRF
 * token, 400, the login route's 429 `too_many_requests` and `no_users`, 409 "user exists", 404 on a DELETE. Every
 * 4xx answer of an API route is now audited `request_refused`, counted in tallies: one entry per actor (or, without
 * one, client network /24 or /48), route, status and code per minute (when the minute ends or the server closes), the
 * count in `refused`, so a flood of 401s writes one entry a minute, not one a request. A review found two holes: past
 * 20 tallies the rest were folded into `various`, a logged-in user's too — an outsider filling the window anonymised
 * an analyst's 403s on /api/audit; and anonymous tallies were per route, so a scanner wrote one entry per route a
 * minute. A logged-in user's or token's refusals are now never folded; anonymous ones are tallied per network, status
 * and code (the routes listed), past 20 such tallies by status and code alone (actor `various`). A failed login's
 * knocks at a lock the guard does not audit (it writes login_refused once per lock) are tallied too. The answers do
 * not wait for the entry.
 */
import { describe, expect, it } from 'vitest';
import { readAuditEntries } from '../../src/privacy/warehouse/warehouse-audit.js';
import { passwordOf, sessionHeaders, useTestServers, type TestServer } from './server-fixture.js';

const open = useTestServers();
const refusedEntries = async (server: TestServer) => {
  await server.app.close(); // the tallies of the minute are written when the server closes
  return (await readAuditEntries(server.context.state, { actor: 't', role: 'admin' })).filter((e) => e.action === 'request_refused');
};
const summary = (e: { actor: string; role: string; target: string | null; rowCounts: Record<string, number>; details: Record<string, unknown> }) => [e.actor, e.role, e.target, e.rowCounts.refused, e.details.status, e.details.error, e.details.client_network ?? null];

describe('refused requests are audited in tallies', () => {
  it('401, 403 (role and csrf), 400, 409 user exists, 404 on DELETE, 429 too_many_requests: each its entry', async () => {
    const server = await open({ loginsPerIpPerMinute: 2 });
    const admin = await server.login('admin');
    const viewer = await server.login('viewer');
    const status = async (options: { method: 'GET' | 'POST' | 'DELETE'; url: string; headers?: Record<string, string>; payload?: object }) => (await server.app.inject({ remoteAddress: '198.51.100.7', ...options })).statusCode;
    expect(await status({ method: 'GET', url: '/api/users' })).toBe(401);
    expect(await status({ method: 'GET', url: '/api/users' })).toBe(401);
    expect(await status({ method: 'GET', url: '/api/users', headers: { authorization: 'Bearer clv_nope_nope' } })).toBe(401);
    expect(await status({ method: 'GET', url: '/api/users', headers: { cookie: viewer.cookie } })).toBe(403);
    expect(await status({ method: 'POST', url: '/api/users', headers: { cookie: admin.cookie }, payload: { name: 'x', role: 'viewer', password: 'long-enough-password' } })).toBe(403);
    expect(await status({ method: 'POST', url: '/api/users', headers: sessionHeaders(admin), payload: { name: 'x', role: 'viewer', password: 'short' } })).toBe(400);
    expect(await status({ method: 'POST', url: '/api/users', headers: sessionHeaders(admin), payload: { name: 'viewer', role: 'viewer', password: 'long-enough-password' } })).toBe(409);
    expect(await status({ method: 'DELETE', url: '/api/users/nobody', headers: sessionHeaders(admin) })).toBe(404);
    // two logins from 198.51.100.7 (the fixture's came from its default address), the third within the minute is refused
    for (let i = 0; i < 2; i++) await status({ method: 'POST', url: '/api/login', payload: { username: 'analyst', password: passwordOf('analyst') } });
    expect(await status({ method: 'POST', url: '/api/login', payload: { username: 'analyst', password: passwordOf('analyst') } })).toBe(429);
    const entries = await refusedEntries(server);
    expect(entries.map(summary)).toEqual([
      ['anonymous', 'none', 'route:GET /api/users', 3, 401, 'unauthenticated', '198.51.100.0/24'],
      ['viewer', 'viewer', 'route:GET /api/users', 1, 403, 'forbidden', null],
      ['admin', 'admin', 'route:POST /api/users', 1, 403, 'csrf', null],
      ['admin', 'admin', 'route:POST /api/users', 1, 400, 'bad_request', null],
      ['admin', 'admin', 'route:POST /api/users', 1, 409, 'conflict', null],
      ['admin', 'admin', 'route:DELETE /api/users/:name', 1, 404, 'not_found', null],
      ['anonymous', 'none', 'route:POST /api/login', 1, 429, 'too_many_requests', '198.51.100.0/24'],
    ]);
    // the full address is not kept, nor the path's own values
    expect(JSON.stringify(entries)).not.toContain('198.51.100.7');
    expect(JSON.stringify(entries)).not.toContain('nobody');
  });

  it('a server without accounts: the refused login (no_users) is audited', async () => {
    const server = await open({ users: false });
    expect((await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'ana', password: 'whatever-it-is' }, remoteAddress: '2001:db8:7:8::1' })).statusCode).toBe(401);
    expect((await refusedEntries(server)).map(summary)).toEqual([['anonymous', 'none', 'route:POST /api/login', 1, 401, 'no_users', '2001:db8:7::/48']]);
  });

  it('refusals a route audits itself (a wrong password: login_failed) are not counted twice', async () => {
    const server = await open();
    expect((await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'analyst', password: 'a-wrong-password' } })).statusCode).toBe(401);
    expect(await refusedEntries(server)).toEqual([]);
  });

  it('a flood of 401s: one entry per network and minute; from many networks at most 20 tallies, the rest counted together', async () => {
    const server = await open();
    for (let i = 0; i < 300; i++) expect((await server.app.inject({ method: 'GET', url: '/api/users', remoteAddress: '203.0.113.5' })).statusCode).toBe(401);
    for (let i = 0; i < 40; i++) expect((await server.app.inject({ method: 'GET', url: '/api/users', remoteAddress: `10.0.${i}.1` })).statusCode).toBe(401);
    const entries = await refusedEntries(server);
    expect(entries).toHaveLength(21);
    expect(summary(entries[0]!)).toEqual(['anonymous', 'none', 'route:GET /api/users', 300, 401, 'unauthenticated', '203.0.113.0/24']);
    expect(entries.slice(1, 20).map((e) => e.details.client_network)).toEqual(Array.from({ length: 19 }, (_, i) => `10.0.${i}.0/24`));
    expect(summary(entries[20]!)).toEqual(['various', 'none', 'route:various', 21, 401, 'unauthenticated', null]);
    expect(entries.reduce((n, e) => n + e.rowCounts.refused!, 0)).toBe(340);
  });

  it('named-refusals-never-folded-into-various: an outsider filling the tallies does not anonymise a logged-in user\'s 403s', async () => {
    const server = await open();
    const analyst = await server.login('analyst');
    for (let i = 0; i < 40; i++) expect((await server.app.inject({ method: 'GET', url: '/api/users', remoteAddress: `10.1.${i}.1` })).statusCode).toBe(401);
    for (let i = 0; i < 3; i++) expect((await server.app.inject({ method: 'GET', url: '/api/audit', headers: { cookie: analyst.cookie } })).statusCode).toBe(403);
    const entries = await refusedEntries(server);
    expect(entries.filter((e) => e.actor !== 'anonymous' && e.actor !== 'various').map(summary)).toEqual([['analyst', 'analyst', 'route:GET /api/audit', 3, 403, 'forbidden', null]]);
    expect(entries.filter((e) => e.actor === 'various').map(summary)).toEqual([['various', 'none', 'route:various', 20, 401, 'unauthenticated', null]]);
  });

  it('anonymous-refusals-by-network-and-code: a scanner knocking at many routes writes one entry per network, status and code', async () => {
    const server = await open();
    const routes = ['/api/users', '/api/audit', '/api/customers', '/api/segments', '/api/tokens', '/api/runs'];
    for (let round = 0; round < 5; round++) for (const url of routes) expect((await server.app.inject({ method: 'GET', url, remoteAddress: '192.0.2.44' })).statusCode).toBe(401);
    const entries = await refusedEntries(server);
    expect(entries.map(summary)).toEqual([['anonymous', 'none', 'route:various', 30, 401, 'unauthenticated', '192.0.2.0/24']]);
    expect(entries[0]!.details.routes).toEqual(routes.map((url) => `GET ${url}`));
  });

  it('login-knocks-past-the-guard-entry-are-tallied: a locked login\'s knocks the guard does not audit are counted', async () => {
    const server = await open({ loginPolicy: { maxFailures: 2, lockMs: 10 * 60_000, perUserPerMinute: 100 } });
    const login = (password: string) => server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'analyst', password }, remoteAddress: '198.51.100.8' });
    for (let i = 0; i < 2; i++) expect((await login('a-wrong-password')).statusCode).toBe(401);
    for (let i = 0; i < 4; i++) expect((await login(passwordOf('analyst'))).statusCode).toBe(429);
    const all = await readAuditEntries(server.context.state, { actor: 't', role: 'admin' });
    expect(all.filter((e) => e.action === 'login_refused')).toHaveLength(1);
    expect((await refusedEntries(server)).map(summary)).toEqual([['anonymous', 'none', 'route:POST /api/login', 3, 429, 'locked', '198.51.100.0/24']]);
  });

  it('the minute\'s tallies are written when it ends, without waiting for the server to close', async () => {
    const server = await open({ refusalAuditWindowMs: 200 });
    expect((await server.app.inject({ method: 'GET', url: '/api/users' })).statusCode).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const written = (await readAuditEntries(server.context.state, { actor: 't', role: 'admin' })).filter((e) => e.action === 'request_refused');
    expect(written.map((e) => e.rowCounts.refused)).toEqual([1]);
  });
});
