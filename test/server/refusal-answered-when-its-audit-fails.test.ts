/**
 * A refusal is audited (login_refused, user_*_refused, ingest_refused), but an audit log that cannot be written must
 * not change the refusal's answer: the review of session 42 found a login refused at a lock answered 500 without
 * Retry-After (429 with it), and a last-admin or Idempotency-Key refusal 500 (409) while the audit write failed — the
 * client lost the reason, and nothing was granted either way. The refusal is answered as it is, the failed write is
 * in the server's log, and the next refusal of the same lock tries to audit it again.
 */
import { describe, expect, it } from 'vitest';
import { createLoginGuard } from '../../src/server/auth/login-guard.js';
import { createApiToken } from '../../src/server/auth/token-store.js';
import { readAuditEntries } from '../../src/privacy/warehouse/warehouse-audit.js';
import { passwordOf, sessionHeaders, useTestServers, type TestServer } from './server-fixture.js';

const open = useTestServers();
const loginPolicy = { maxFailures: 3, lockMs: 10 * 60_000, perUserPerMinute: 100 };

/** Makes the server's audit writes fail from now on; returns what puts them back. */
function breakAudit(server: TestServer): () => void {
  const audit = server.context.audit;
  (server.context as { audit: unknown }).audit = () => Promise.reject(new Error('audit log unwritable'));
  return () => {
    (server.context as { audit: unknown }).audit = audit;
  };
}

describe('a refusal is answered as it is when its audit entry cannot be written', () => {
  it('a login refused at a lock: locked (429 with its wait), and audited at the next refusal once the log works', async () => {
    const server = await open({ loginPolicy });
    let t = Date.parse('2026-12-01T10:00:00Z');
    const attempt = createLoginGuard(server.context, loginPolicy, () => t);
    for (let i = 0; i < 3; i++) expect(await attempt('analyst', 'wrong-password!', '203.0.113.7')).toMatchObject({ ok: false, error: 'bad_credentials' });
    const restore = breakAudit(server);
    t += 1_000;
    expect(await attempt('analyst', passwordOf('analyst'), '203.0.113.7')).toMatchObject({ ok: false, statusCode: 429, error: 'locked', retryAfterS: 599 });
    restore();
    t += 1_000;
    expect(await attempt('analyst', passwordOf('analyst'), '203.0.113.7')).toMatchObject({ ok: false, statusCode: 429, error: 'locked' });
    const refused = (await readAuditEntries(server.context.state, { actor: 't', role: 'admin' })).filter((e) => e.action === 'login_refused');
    expect(refused).toHaveLength(1);
  });

  it('the last admin removed (409) and a key naming another body (409): the same answers', async () => {
    const server = await open();
    const admin = await server.login('admin');
    const token = (await createApiToken(server.context.warehouse, { name: 'shop-a', role: 'analyst', expiresDays: 30 })).token;
    const post = (body: string) => server.app.inject({ method: 'POST', url: '/api/events', payload: body, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', 'idempotency-key': 'k-1' } });
    const event = (id: string) => JSON.stringify({ customer_id: id, ts: '2026-11-01T10:00:00Z', type: 'view', product_id: 'P1' });
    expect((await post(event('a'))).statusCode).toBe(202);
    const restore = breakAudit(server);
    try {
      const removed = await server.app.inject({ method: 'DELETE', url: '/api/users/admin', headers: sessionHeaders(admin) });
      expect([removed.statusCode, removed.json().error]).toEqual([409, 'conflict']);
      const other = await post(event('b'));
      expect([other.statusCode, other.json().error]).toEqual([409, 'conflict']);
    } finally {
      restore();
    }
  });
});
