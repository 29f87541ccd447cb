/**
 * The privacy officer: `ingest_refused` entries kept the Idempotency-Key in clear — a client's own text (an order
 * number, an e-mail address, whatever the shop chose) in a log that is never purged. The entry now keeps a keyed hash
 * of it (`idempotency_key_tag`: HMAC under the warehouse's root key, as `ingest_batches.sender` is kept), which tells
 * two refusals of the same key apart from others and names nothing.
 */
import { describe, expect, it } from 'vitest';
import { keyedTag } from '../../src/privacy/warehouse/audit-log.js';
import { readAuditEntries } from '../../src/privacy/warehouse/warehouse-audit.js';
import { createApiToken } from '../../src/server/auth/token-store.js';
import { useTestServers } from './server-fixture.js';

const open = useTestServers();
const event = (id: string) => JSON.stringify({ customer_id: id, ts: '2026-11-01T10:00:00Z', type: 'view', product_id: 'P1' });

describe('a refused Idempotency-Key is audited by its keyed hash', () => {
  it('ingest_refused keeps idempotency_key_tag, never the key sent', async () => {
    const server = await open();
    const token = (await createApiToken(server.context.warehouse, { name: 'shop-a', role: 'analyst', expiresDays: 30 })).token;
    const key = 'order-jane.doe@example.com';
    const post = (body: string) => server.app.inject({ method: 'POST', url: '/api/events', payload: body, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', 'idempotency-key': key } });
    expect((await post(event('a-1'))).statusCode).toBe(202);
    expect((await post(event('b-1'))).statusCode).toBe(409);
    expect((await post(event('c-1'))).statusCode).toBe(409);
    const refused = (await readAuditEntries(server.context.state, { actor: 't', role: 'admin' })).filter((e) => e.action === 'ingest_refused');
    const tag = keyedTag(server.context.keyring, 'idempotency-key', key);
    expect(tag).toMatch(/^[0-9a-f]{32}$/);
    expect(refused.map((e) => e.details)).toEqual([
      { command: 'POST /api/events', idempotency_key_tag: tag, reason: 'another body' },
      { command: 'POST /api/events', idempotency_key_tag: tag, reason: 'another body' },
    ]);
    expect(JSON.stringify(refused)).not.toContain('jane.doe');
  });
});
