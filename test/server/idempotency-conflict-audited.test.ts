/**
 * The privacy officer asked for refused ingest batches in the audit log: a batch refused 409 because its
 * Idempotency-Key names another batch (the same sender's other body; a batch an erasure changed since; a key recorded
 * before senders were kept) left no entry, though every stored batch is audited (`ingest`). It is now
 * `ingest_refused` on `table:<kind>`, by the sender, with the key's keyed hash, the reason and the records refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { readAuditEntries } from '../../src/privacy/warehouse/warehouse-audit.js';
import { createServerContext } from '../../src/server/open-server-context.js';
import { IdempotencyConflictError, IngestQueue } from '../../src/server/ingest/ingest-queue.js';
import { normaliseBatch } from '../../src/server/ingest/normalise-batch.js';
import { idempotencyKeyTag } from '../../src/server/ingest/batch-receipts.js';
import { createApiToken } from '../../src/server/auth/token-store.js';
import { useTestServers } from './server-fixture.js';

const open = useTestServers();
const event = (id: string) => JSON.stringify({ customer_id: id, ts: '2026-11-01T10:00:00Z', type: 'view', product_id: 'P1' });
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('an Idempotency-Key conflict is audited', () => {
  it('the same key with another body (409): ingest_refused by the sender, with key, reason and records; a replay is not', async () => {
    const server = await open();
    const token = (await createApiToken(server.context.warehouse, { name: 'shop-a', role: 'analyst', expiresDays: 30 })).token;
    const post = (kind: string, body: string, key: string) =>
      server.app.inject({ method: 'POST', url: `/api/${kind}`, payload: body, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', 'idempotency-key': key } });
    const body = [event('same-1'), event('same-2')].join('\n');
    expect((await post('events', body, 'k-7')).statusCode).toBe(202);
    expect((await post('events', body, 'k-7')).headers['idempotent-replay']).toBe('true');
    const other = await post('events', [event('other-1'), event('other-2'), event('other-3')].join('\n'), 'k-7');
    expect(other.statusCode, other.body).toBe(409);
    const entries = await readAuditEntries(server.context.state, { actor: 't', role: 'admin' });
    expect(entries.filter((e) => e.action === 'ingest_refused').map((e) => [e.actor, e.role, e.target, e.rowCounts, e.details])).toEqual([
      ['shop-a (token)', 'analyst', 'table:events', { refused: 3 }, { command: 'POST /api/events', idempotency_key_tag: idempotencyKeyTag(server.context.keyring, 'k-7'), reason: 'another body' }],
    ]);
    // the customer ids sent are not in the entry
    expect(JSON.stringify(entries.filter((e) => e.action === 'ingest_refused'))).not.toContain('other-1');
  });

  it('each kind of conflict says its reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clvkit-idem-audit-'));
    dirs.push(dir);
    const db = join(dir, 'shop.duckdb');
    const { warehouse, keyring } = await openKeyedWarehouse({ db, create: true, requireKey: true });
    try {
      const context = createServerContext({ warehouse, dbPath: db, keyring: keyring! });
      await warehouse.execute("INSERT INTO ingest_batches (batch_id, kind, idempotency_key, received_at, applied_at, accepted, quarantined) VALUES ('b0old', 'events', 'k-old', TIMESTAMP '2026-01-01 00:00:00', TIMESTAMP '2026-01-01 00:00:01', 5, 0)");
      const { queue } = await IngestQueue.open(context, { walDir: join(dir, 'wal') });
      const submit = (prefix: string, key: string) => queue.submit({ ...normaliseBatch([{ customer_id: `${prefix}1`, ts: '2026-10-01T00:00:00Z', type: 'view', product_id: 'P1' }], 'events'), kind: 'events', idempotencyKey: key, actor: 'shop-a (token)', role: 'analyst' });
      const reasonOf = (promise: Promise<unknown>) => promise.then(() => 'stored', (error: unknown) => (error instanceof IdempotencyConflictError ? error.reason : String(error)));
      expect(await reasonOf(submit('o-', 'k-old'))).toBe('recorded before senders were kept');
      expect(await reasonOf(submit('n-', 'k-new'))).toBe('stored');
      expect(await reasonOf(submit('m-', 'k-new'))).toBe('another body');
      await queue.close();
    } finally {
      await warehouse.close();
    }
  });
});
