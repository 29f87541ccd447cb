/**
 * The privacy officer: the audit log is kept for the life of the warehouse (retention does not purge it: its hash
 * chain is the proof), yet every login entry (`login`, `login_failed`, `login_refused`) kept the client's full IP
 * address. They now keep the client's network only — an IPv4 address's /24, an IPv6 address's /48 (an IPv4-mapped
 * address as IPv4) — as `client_network`; the full address (the lock's unit) stays in `login_attempts` alone, which
 * `retention apply --login-attempts` purges.
 */
import { describe, expect, it } from 'vitest';
import { createLoginGuard } from '../../src/server/auth/login-guard.js';
import { readAuditEntries } from '../../src/privacy/warehouse/warehouse-audit.js';
import { passwordOf, useTestServers } from './server-fixture.js';

const open = useTestServers();
const loginPolicy = { maxFailures: 2, lockMs: 10 * 60_000, perUserPerMinute: 100 };

describe('login entries keep the client network, not the address', () => {
  it('IPv4 as its /24, IPv6 as its /48, IPv4-mapped IPv6 as IPv4: in login, login_failed and login_refused', async () => {
    const server = await open({ loginPolicy });
    const attempt = createLoginGuard(server.context, loginPolicy);
    expect(await attempt('analyst', passwordOf('analyst'), '203.0.113.9')).toMatchObject({ ok: true });
    expect(await attempt('viewer', 'a-wrong-password-1', '::ffff:198.51.100.77')).toMatchObject({ ok: false, error: 'bad_credentials' });
    for (let i = 0; i < 2; i++) expect(await attempt('marketer', 'a-wrong-password-2', '2001:db8:1:2::9')).toMatchObject({ ok: false, error: 'bad_credentials' });
    expect(await attempt('marketer', passwordOf('marketer'), '2001:db8:1:2::9')).toMatchObject({ ok: false, error: 'locked' });
    const entries = (await readAuditEntries(server.context.state, { actor: 't', role: 'admin' })).filter((e) => e.action.startsWith('login'));
    expect(entries.map((e) => [e.action, e.actor, e.details.client_network, 'ip' in e.details])).toEqual([
      ['login', 'analyst', '203.0.113.0/24', false],
      ['login_failed', 'viewer', '198.51.100.0/24', false],
      ['login_failed', 'marketer', '2001:db8:1::/48', false],
      ['login_failed', 'marketer', '2001:db8:1::/48', false],
      ['login_refused', 'marketer', '2001:db8:1::/48', false],
    ]);
    const all = JSON.stringify(entries);
    for (const address of ['203.0.113.9', '198.51.100.77', '2001:db8:1:2']) expect(all).not.toContain(address);
    // the lock still counts by the client's own address (its /64): login_attempts keeps it, for its retention period
    expect((await server.context.state.query("SELECT DISTINCT ip FROM login_attempts WHERE username = 'marketer'")).map((r) => String(r.ip))).toEqual(['2001:db8:1:2::/64']);
  });
});
