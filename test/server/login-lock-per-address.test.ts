/**
 * Failed logins lock a user name at the address they came from, not for everyone: a review found that five wrong
 * passwords from anywhere locked `admin` for 15 minutes even for the right password, and nothing could unlock it —
 * anyone could lock the admins out. Failures are now counted per user name and client address (since that address's
 * last success); the lock grows at each further failure after one ends; an admin unlocks a user
 * (`POST /api/users/:name/unlock`, `clvkit users unlock NAME`, audited `user_unlock`), and replacing a user clears its locks.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLoginGuard } from '../../src/server/auth/login-guard.js';
import { readAuditEntries } from '../../src/privacy/warehouse/warehouse-audit.js';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';
import { openTestServer, passwordOf, type TestServer } from './server-fixture.js';

const loginPolicy = { maxFailures: 3, lockMs: 10 * 60_000, perUserPerMinute: 100 };
const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function open() {
  const server = await openTestServer({ loginPolicy });
  servers.push(server);
  const login = (username: string, password: string, remoteAddress: string) => server.app.inject({ method: 'POST', url: '/api/login', payload: { username, password }, remoteAddress });
  return { server, login };
}

describe('failed logins lock a user name at one address', () => {
  it('failures from one address do not lock the right password out from another', async () => {
    const { login } = await open();
    for (let i = 0; i < 3; i++) expect((await login('admin', `wrong-${i}-password`, '203.0.113.9')).statusCode).toBe(401);
    const there = await login('admin', passwordOf('admin'), '203.0.113.9');
    expect([there.statusCode, (there.json() as { error: string }).error]).toEqual([429, 'locked']);
    const elsewhere = await login('admin', passwordOf('admin'), '198.51.100.4');
    expect(elsewhere.statusCode, elsewhere.body).toBe(200);
    // the success elsewhere does not lift the lock of the address that failed
    expect((await login('admin', passwordOf('admin'), '203.0.113.9')).statusCode).toBe(429);
  });

  it('the lock grows with each failure after one ends', async () => {
    const { server } = await open();
    let t = Date.parse('2026-12-01T10:00:00Z');
    const attempt = createLoginGuard(server.context, loginPolicy, () => t);
    for (let i = 0; i < 3; i++) expect(await attempt('analyst', 'wrong-password!', '203.0.113.9')).toMatchObject({ ok: false, error: 'bad_credentials' });
    expect(await attempt('analyst', passwordOf('analyst'), '203.0.113.9')).toMatchObject({ ok: false, error: 'locked', retryAfterS: 600 });
    t += 600_000; // the first lock ended: one more failure locks for twice as long
    expect(await attempt('analyst', 'wrong-password!', '203.0.113.9')).toMatchObject({ ok: false, error: 'bad_credentials' });
    expect(await attempt('analyst', passwordOf('analyst'), '203.0.113.9')).toMatchObject({ ok: false, error: 'locked', retryAfterS: 1_200 });
    t += 1_200_000;
    expect(await attempt('analyst', passwordOf('analyst'), '203.0.113.9')).toMatchObject({ ok: true });
  });

  it('an admin unlocks a user (POST /api/users/:name/unlock, audited); replacing a user clears its locks', async () => {
    const { server, login } = await open();
    const admin = await server.login('admin');
    const asAdmin = (url: string, payload?: object) => server.app.inject({ method: 'POST', url, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf }, ...(payload ? { payload } : {}) });
    for (let i = 0; i < 3; i++) await login('viewer', 'wrong password!', '203.0.113.9');
    expect((await login('viewer', passwordOf('viewer'), '203.0.113.9')).statusCode).toBe(429);
    const unlocked = await asAdmin('/api/users/viewer/unlock');
    expect([unlocked.statusCode, unlocked.json()]).toEqual([200, { name: 'viewer', failuresCleared: 3 }]);
    expect((await login('viewer', passwordOf('viewer'), '203.0.113.9')).statusCode).toBe(200);
    const entries = await readAuditEntries(server.context.warehouse, { actor: 't', role: 'admin' });
    expect(entries.filter((e) => e.action === 'user_unlock').map((e) => [e.actor, e.details.user])).toEqual([['admin', 'viewer']]);
    expect((await asAdmin('/api/users/nobody/unlock')).statusCode).toBe(404);

    for (let i = 0; i < 3; i++) await login('marketer', 'wrong password!', '203.0.113.9');
    expect((await login('marketer', passwordOf('marketer'), '203.0.113.9')).statusCode).toBe(429);
    expect((await asAdmin('/api/users', { name: 'marketer', role: 'marketer', password: 'a-new-long-password', replace: true })).statusCode).toBe(201);
    expect((await login('marketer', 'a-new-long-password', '203.0.113.9')).statusCode).toBe(200);
  });

  it('clvkit users unlock NAME clears the failed logins of a user, audited', async () => {
    const db = join(scratchDir(), 'shop.duckdb');
    process.env.CLVKIT_PASSWORD = 'correct horse battery';
    try {
      expect((await cli(['users', 'add', 'ana', '--role', 'admin', '--db', db])).code).toBe(0);
    } finally {
      delete process.env.CLVKIT_PASSWORD;
    }
    const { warehouse } = await openKeyedWarehouse({ db, requireKey: true });
    await warehouse.execute("INSERT INTO login_attempts (ts, username, ip, ok) VALUES (TIMESTAMP '2026-12-01 10:00:00', 'ana', '203.0.113.9', false), (TIMESTAMP '2026-12-01 10:00:01', 'ana', '203.0.113.9', false)");
    await warehouse.close();
    const unlocked = await cli(['users', 'unlock', 'ana', '--db', db]);
    expect([unlocked.code, unlocked.stdout], unlocked.stderr).toEqual([0, 'unlocked user ana (2 failed logins cleared)\n']);
    const unknown = await cli(['users', 'unlock', 'bob', '--db', db]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no user bob/);
    const after = await openKeyedWarehouse({ db, requireKey: true });
    try {
      expect(Number((await after.warehouse.query("SELECT count(*) AS n FROM login_attempts WHERE NOT ok"))[0]!.n)).toBe(0);
      expect((await after.warehouse.query("SELECT action FROM audit_log WHERE action = 'user_unlock'")).length).toBe(1);
    } finally {
      await after.warehouse.close();
    }
  });
});
