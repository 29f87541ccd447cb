/**
 * The privacy officer asked for refused logins in the audit log: a wrong password and an unknown name were audited
 * (`login_failed`), but a login refused without its password being checked — the user name locked at the client's
 * network after failures in a row, or tried too often in a minute — left no entry at all. It is now `login_refused`
 * (the reason, the client's network, the lock's end), once per lock and at most once a minute per name and network
 * for the per-user limit: an attacker knocking at a lock for its 24 hours would otherwise write 10 entries a minute to
 * a log nothing ever purges, while the failures that lock it are bounded by the lock. Every login refusal names what
 * was typed as `login_attempts` keeps it (`attempt_name`: a user's name, else `~` and a keyed hash), never the text.
 */
import { describe, expect, it } from 'vitest';
import { attemptName, createLoginGuard } from '../../src/server/auth/login-guard.js';
import { readAuditEntries } from '../../src/privacy/warehouse/warehouse-audit.js';
import { passwordOf, useTestServers, type TestServer } from './server-fixture.js';

const open = useTestServers();
const loginPolicy = { maxFailures: 3, lockMs: 10 * 60_000, perUserPerMinute: 100 };
const entriesOf = async (server: TestServer, action: string) => (await readAuditEntries(server.context.state, { actor: 't', role: 'admin' })).filter((e) => e.action === action);
const everythingAudited = async (server: TestServer) => JSON.stringify(await readAuditEntries(server.context.state, { actor: 't', role: 'admin' }));

describe('refused logins are audited', () => {
  it('a wrong password and an unknown name: login_failed, naming what was typed by its keyed hash only', async () => {
    const server = await open({ loginPolicy });
    const attempt = createLoginGuard(server.context, loginPolicy);
    const typed = 'Tr0ub4dor&3-pasted';
    expect(await attempt('analyst', 'a-wrong-password-1', '203.0.113.9')).toMatchObject({ ok: false, error: 'bad_credentials' });
    expect(await attempt(typed, 'a-wrong-password-2', '203.0.113.9')).toMatchObject({ ok: false, error: 'bad_credentials' });
    const failed = await entriesOf(server, 'login_failed');
    const hashed = attemptName(server.context.keyring, typed, null);
    expect(hashed).toMatch(/^~[0-9a-f]{32}$/);
    expect(failed.map((e) => [e.actor, e.role, e.target, e.details])).toEqual([
      ['analyst', 'analyst', 'server', { client_network: '203.0.113.0/24', reason: 'wrong password', failures_in_a_row: 1, attempt_name: 'analyst' }],
      ['unknown-user', 'none', 'server', { client_network: '203.0.113.0/24', reason: 'unknown user', failures_in_a_row: 1, attempt_name: hashed }],
    ]);
    // the same hash as login_attempts keeps: the entry and the attempt can be matched
    expect((await server.context.state.query('SELECT username FROM login_attempts ORDER BY ts')).map((r) => String(r.username))).toEqual(['analyst', hashed]);
    const all = await everythingAudited(server);
    for (const secret of ['Tr0ub4dor', 'a-wrong-password']) expect(all).not.toContain(secret);
  });

  it('a login refused at a lock is audited login_refused once per lock (not each knock), and again for the next lock', async () => {
    const server = await open({ loginPolicy });
    let t = Date.parse('2026-12-01T10:00:00Z');
    const attempt = createLoginGuard(server.context, loginPolicy, () => t);
    for (let i = 0; i < 3; i++) expect(await attempt('analyst', 'wrong-password!', '2001:db8:1:2::9')).toMatchObject({ ok: false, error: 'bad_credentials' });
    for (let i = 0; i < 4; i++) {
      t += 1_000;
      expect(await attempt('analyst', passwordOf('analyst'), '2001:db8:1:2::9')).toMatchObject({ ok: false, error: 'locked' });
    }
    const refused = await entriesOf(server, 'login_refused');
    expect(refused.map((e) => [e.actor, e.role, e.target, e.details])).toEqual([
      ['analyst', 'analyst', 'server', { client_network: '2001:db8:1::/48', reason: 'locked', failures_in_a_row: 3, locked_until: '2026-12-01T10:10:00.000Z', attempt_name: 'analyst' }],
    ]);
    // the refusals are not failures: login_attempts holds the three, the lock did not grow
    expect(Number((await server.context.state.query('SELECT count(*) AS n FROM login_attempts'))[0]!.n)).toBe(3);
    // the lock ends, one more failure locks again (twice as long): the next lock's first refusal is audited
    t = Date.parse('2026-12-01T10:10:00Z');
    expect(await attempt('analyst', 'wrong-password!', '2001:db8:1:2::9')).toMatchObject({ ok: false, error: 'bad_credentials' });
    t += 1_000;
    expect(await attempt('analyst', passwordOf('analyst'), '2001:db8:1:2::9')).toMatchObject({ ok: false, error: 'locked' });
    t += 1_000;
    expect(await attempt('analyst', passwordOf('analyst'), '2001:db8:1:2::9')).toMatchObject({ ok: false, error: 'locked' });
    expect((await entriesOf(server, 'login_refused')).map((e) => [e.details.failures_in_a_row, e.details.locked_until])).toEqual([
      [3, '2026-12-01T10:10:00.000Z'],
      [4, '2026-12-01T10:30:00.000Z'],
    ]);
    expect(await everythingAudited(server)).not.toContain(passwordOf('analyst'));
  });

  it('an unknown name locked at an address is refused as unknown-user with its keyed hash, never the text typed', async () => {
    const server = await open({ loginPolicy });
    const login = (username: string) => server.app.inject({ method: 'POST', url: '/api/login', payload: { username, password: 'pasted-secret-9' }, remoteAddress: '198.51.100.4' });
    const typed = 'ana@example.com';
    for (let i = 0; i < 3; i++) expect((await login(typed)).statusCode).toBe(401);
    const locked = await login(typed);
    expect([locked.statusCode, (locked.json() as { error: string }).error]).toEqual([429, 'locked']);
    const [refused, ...more] = await entriesOf(server, 'login_refused');
    expect(more).toEqual([]);
    expect([refused!.actor, refused!.role, refused!.details.reason, refused!.details.attempt_name]).toEqual(['unknown-user', 'none', 'locked', attemptName(server.context.keyring, typed, null)]);
    const all = await everythingAudited(server);
    for (const secret of ['ana@example.com', 'pasted-secret-9']) expect(all).not.toContain(secret);
  });

  it('the per-user limit: the first refusal in a minute is audited login_refused, the rest of that minute not', async () => {
    const server = await open({ loginPolicy: { ...loginPolicy, perUserPerMinute: 2 } });
    let t = Date.parse('2026-12-01T10:00:00Z');
    const attempt = createLoginGuard(server.context, { ...loginPolicy, perUserPerMinute: 2 }, () => t);
    expect(await attempt('viewer', passwordOf('viewer'), '203.0.113.9')).toMatchObject({ ok: true });
    expect(await attempt('viewer', passwordOf('viewer'), '203.0.113.9')).toMatchObject({ ok: true });
    for (let i = 0; i < 3; i++) {
      t += 1_000;
      expect(await attempt('viewer', passwordOf('viewer'), '203.0.113.9')).toMatchObject({ ok: false, error: 'too_many_attempts' });
    }
    t += 60_000; // a minute later the limit holds again (the refused attempts count towards it): audited once more
    for (let i = 0; i < 2; i++) expect(await attempt('viewer', passwordOf('viewer'), '203.0.113.9')).toMatchObject({ ok: true });
    expect(await attempt('viewer', passwordOf('viewer'), '203.0.113.9')).toMatchObject({ ok: false, error: 'too_many_attempts' });
    expect((await entriesOf(server, 'login_refused')).map((e) => [e.actor, e.role, e.details])).toEqual([
      ['viewer', 'viewer', { client_network: '203.0.113.0/24', reason: 'too many attempts', per_minute_limit: 2, attempt_name: 'viewer' }],
      ['viewer', 'viewer', { client_network: '203.0.113.0/24', reason: 'too many attempts', per_minute_limit: 2, attempt_name: 'viewer' }],
    ]);
  });
});
