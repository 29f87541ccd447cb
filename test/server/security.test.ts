import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionStore } from '../../src/server/auth/session-store.js';
import { openTestServer, passwordOf, type TestServer } from './server-fixture.js';

const SECRET = 'secret-beside-the-dashboard-7f3a';

describe('static files: the dashboard and path traversal', () => {
  let server: TestServer;
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'clvkit-web-'));
    mkdirSync(join(root, 'dist', 'assets'), { recursive: true });
    writeFileSync(join(root, 'dist', 'index.html'), '<!doctype html><title>clvkit dashboard</title>');
    writeFileSync(join(root, 'dist', 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(root, 'secret.txt'), SECRET);
    writeFileSync(join(root, 'dist', '.env'), SECRET);
    server = await openTestServer({ webRoot: join(root, 'dist') });
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves the dashboard, its assets, and index.html for its client-side routes', async () => {
    expect((await server.app.inject({ method: 'GET', url: '/' })).body).toContain('clvkit dashboard');
    expect((await server.app.inject({ method: 'GET', url: '/assets/app.js' })).body).toBe('console.log(1)');
    expect((await server.app.inject({ method: 'GET', url: '/customers/c_abc' })).body).toContain('clvkit dashboard');
    const missingApi = await server.app.inject({ method: 'GET', url: '/api/no-such-route' });
    expect(missingApi.statusCode).toBe(404);
    expect(missingApi.json()).toMatchObject({ error: 'not_found' });
  });

  it('never serves a file outside web/dist, however the path is encoded, nor dotfiles', async () => {
    for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt', '/..%2fsecret.txt', '/..%5csecret.txt', '/assets/../../secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/%252e%252e/secret.txt', '//..//secret.txt', '/.env', '/%2eenv', `/${'..%2f'.repeat(8)}etc/passwd`]) {
      const response = await server.app.inject({ method: 'GET', url });
      expect(response.body, url).not.toContain(SECRET);
      expect(response.body, url).not.toMatch(/root:x:0:0/);
      expect([400, 403, 404], `${url}: ${response.statusCode}`).toContain(response.statusCode);
    }
  });
});

describe('bodies, timeouts, lockout', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer({ requestTimeoutMs: 1_500, loginsPerIpPerMinute: 1000, loginPolicy: { maxFailures: 3, lockMs: 60_000, perUserPerMinute: 100 } });
  });
  afterAll(async () => server.close());

  it('an oversized body is 413 (1 MiB for most routes, 16 MiB for ingest)', async () => {
    const login = await server.app.inject({ method: 'POST', url: '/api/login', payload: JSON.stringify({ username: 'admin', password: 'x'.repeat(2 << 20) }), headers: { 'content-type': 'application/json' } });
    expect(login.statusCode).toBe(413);
    expect(login.json()).toMatchObject({ error: 'payload_too_large' });
    const token = await server.token('admin');
    const events = await server.app.inject({ method: 'POST', url: '/api/events', payload: 'x'.repeat(17 << 20), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' } });
    expect(events.statusCode).toBe(413);
  });

  it('a client that stalls in the middle of its body is cut off after the request timeout', async () => {
    const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const started = Date.now();
    const outcome = await new Promise<{ closedAfterMs: number; closedBy: 'server' | 'this test'; answer: string }>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"username":');
      });
      let answer = '';
      let closedBy: 'server' | 'this test' = 'server';
      socket.on('data', (d) => (answer += d.toString()));
      socket.on('close', () => resolve({ closedAfterMs: Date.now() - started, closedBy, answer }));
      socket.on('error', () => undefined);
      // a bound on a hang: 10× the request timeout (1.5 s); who closed it is the behaviour, not how soon
      const giveUp = setTimeout(() => ((closedBy = 'this test'), socket.destroy()), 15_000);
      socket.on('close', () => clearTimeout(giveUp));
    });
    expect(outcome.closedBy).toBe('server');
    // not before the request timeout (a lower bound: load only makes it later)
    expect(outcome.closedAfterMs).toBeGreaterThanOrEqual(1_000);
    if (outcome.answer) expect(outcome.answer).toMatch(/^HTTP\/1\.1 408/);
  }, 20_000);

  it('locks a user after repeated failed logins (even for the right password), audits each failure, and says when to retry', async () => {
    for (let i = 0; i < 3; i++) expect((await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'analyst', password: `wrong-${i}` } })).statusCode).toBe(401);
    const locked = await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'analyst', password: passwordOf('analyst') } });
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ error: 'locked' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    const failures = await server.context.warehouse.query("SELECT actor, details FROM audit_log WHERE action = 'login_failed'");
    expect(failures.length).toBe(3);
    expect(failures.every((f) => f.actor === 'analyst')).toBe(true);
    expect(String(failures[0]!.details)).not.toContain('wrong-0'); // never the password typed
    // another user is not locked
    expect((await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'viewer', password: passwordOf('viewer') } })).statusCode).toBe(200);
  });

  it('SQL in a user name, an idempotency key or a count prefix is data, never SQL', async () => {
    expect((await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: "admin' OR '1'='1' --", password: 'whatever-it-is' } })).statusCode).toBe(401);
    const token = await server.token('admin');
    const key = "k');DROP/**/TABLE/**/events;--";
    const sent = await server.app.inject({ method: 'POST', url: '/api/events', payload: '{"customer_id":"sq-1","ts":"2026-01-01T00:00:00Z","type":"view"}', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', 'idempotency-key': key } });
    expect(sent.statusCode).toBe(202);
    const admin = await server.login('admin');
    const count = await server.app.inject({ method: 'GET', url: `/api/events/count?prefix=${encodeURIComponent("' OR 1=1 --")}`, headers: { cookie: admin.cookie } });
    expect(count.json()).toEqual({ count: 0 });
    expect((await server.app.inject({ method: 'GET', url: '/api/events/count?prefix=sq-', headers: { cookie: admin.cookie } })).json()).toEqual({ count: 1 });
    const [stored] = await server.context.warehouse.query('SELECT idempotency_key FROM ingest_batches');
    expect(stored!.idempotency_key).toBe(key);
    const run = await server.app.inject({ method: 'GET', url: `/api/runs/${encodeURIComponent("x' OR '1'='1")}`, headers: { cookie: admin.cookie } });
    expect(run.statusCode).toBe(400);
  });
});

describe('sessions', () => {
  it('end after the idle time and after the absolute lifetime', () => {
    let now = 0;
    const store = new SessionStore({ idleMs: 1_000, absoluteMs: 5_000, now: () => now });
    const idle = store.create({ name: 'a', role: 'viewer' });
    now = 999;
    expect(store.get(idle.id)?.name).toBe('a');
    now = 2_000;
    expect(store.get(idle.id)).toBeNull();
    const busy = store.create({ name: 'b', role: 'viewer' });
    for (now = 2_500; now < 7_000; now += 500) expect(store.get(busy.id)?.name).toBe('b');
    now = 7_100;
    expect(store.get(busy.id)).toBeNull();
  });
});
