/**
 * An Idempotency-Key names a batch of one sender, and one body: a review found the receipts were kept per kind
 * and key only, so a second sender that happened to use a key another had used (or a sender that reused a key for a
 * new batch) got 202 `idempotent-replay: true` with the first batch's receipt, and its records were never stored.
 * Receipts are now kept per kind, sender and key with the hash of the body: another sender's key is another batch, the
 * same key with another body is refused (409), the same sender sending the same body again still gets the first
 * receipt — also after a restart, from `ingest_batches` and from the write-ahead log.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { createServerContext } from '../../src/server/open-server-context.js';
import { IngestQueue } from '../../src/server/ingest/ingest-queue.js';
import { normaliseBatch } from '../../src/server/ingest/normalise-batch.js';
import { WriteAheadLog } from '../../src/server/ingest/write-ahead-log.js';
import { createApiToken } from '../../src/server/auth/token-store.js';
import { openTestServer, type TestServer } from './server-fixture.js';

const event = (id: string) => JSON.stringify({ customer_id: id, ts: '2026-11-01T10:00:00Z', type: 'view', product_id: 'P1' });
const batch = (prefix: string, n: number) => normaliseBatch(Array.from({ length: n }, (_, i) => ({ customer_id: `${prefix}${i}`, ts: `2026-10-01T00:00:${String(i % 60).padStart(2, '0')}Z`, type: 'view', product_id: `P${i}` })), 'events');

const dirs: string[] = [];
const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('Idempotency-Key: per sender and body', () => {
  async function twoSenders() {
    const server = await openTestServer();
    servers.push(server);
    const a = (await createApiToken(server.context.warehouse, { name: 'shop-a', role: 'analyst', expiresDays: 30 })).token;
    const b = (await createApiToken(server.context.warehouse, { name: 'shop-b', role: 'analyst', expiresDays: 30 })).token;
    const admin = await server.login('admin');
    const post = (token: string, body: string, key: string) =>
      server.app.inject({ method: 'POST', url: '/api/events', payload: body, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', 'idempotency-key': key } });
    const count = async (prefix: string) => {
      const response = await server.app.inject({ method: 'GET', url: `/api/events/count?prefix=${prefix}`, headers: { cookie: admin.cookie } });
      expect(response.statusCode, response.body).toBe(200);
      return (response.json() as { count: number }).count;
    };
    return { server, a, b, post, count };
  }

  it("another sender's batch under a key already used is stored, with a receipt of its own", async () => {
    const { a, b, post, count } = await twoSenders();
    const first = await post(a, [event('sa-1'), event('sa-2')].join('\n'), 'batch-1');
    const second = await post(b, [event('sb-1'), event('sb-2'), event('sb-3')].join('\n'), 'batch-1');
    expect(first.statusCode, first.body).toBe(202);
    expect(second.statusCode, second.body).toBe(202);
    expect(second.headers['idempotent-replay']).toBeUndefined();
    expect(second.json()).toMatchObject({ kind: 'events', received: 3 });
    expect((second.json() as { batchId: string }).batchId).not.toBe((first.json() as { batchId: string }).batchId);
    expect(await count('sa-')).toBe(2);
    expect(await count('sb-')).toBe(3);
  });

  it('the same key with another body is refused (409) and nothing of it is stored; the same body again replays', async () => {
    const { a, post, count } = await twoSenders();
    const body = [event('same-1'), event('same-2')].join('\n');
    const first = await post(a, body, 'k-7');
    const other = await post(a, [event('other-1')].join('\n'), 'k-7');
    expect(other.statusCode, other.body).toBe(409);
    expect(other.json()).toMatchObject({ error: 'conflict', message: 'the Idempotency-Key k-7 was used for another body of events by this sender' });
    const again = await post(a, body, 'k-7');
    expect(again.statusCode).toBe(202);
    expect(again.headers['idempotent-replay']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await count('same-')).toBe(2);
    expect(await count('other-')).toBe(0);
  });

  it('after a restart: receipts read from ingest_batches and from the write-ahead log keep sender and body', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clvkit-idem-'));
    dirs.push(dir);
    const walDir = join(dir, 'wal');
    const db = join(dir, 'shop.duckdb');
    const { warehouse, keyring } = await openKeyedWarehouse({ db, create: true, requireKey: true });
    const context = createServerContext({ warehouse, dbPath: db, keyring: keyring! });
    const applied = batch('ap-', 3);
    const first = await IngestQueue.open(context, { walDir });
    await first.queue.submit({ ...applied, kind: 'events', idempotencyKey: 'k-applied', actor: 'shop-a (token)', role: 'analyst' });
    await first.queue.close();
    // acknowledged by a server that died before applying: only in the log
    const waiting = batch('wl-', 4);
    const { log } = await WriteAheadLog.open(walDir, { keyring: context.keyring });
    await log.append({ id: 'b000001', kind: 'events', idempotencyKey: 'k-waiting', receivedAt: new Date().toISOString(), actor: 'shop-a (token)', role: 'analyst', body: waiting.ndjson, records: waiting.records, fields: waiting.fields });
    await log.close();
    const { queue } = await IngestQueue.open(context, { walDir });
    for (const [key, sent] of [['k-applied', applied], ['k-waiting', waiting]] as const) {
      expect((await queue.submit({ ...sent, kind: 'events', idempotencyKey: key, actor: 'shop-a (token)', role: 'analyst' })).replay).toBe(true);
      await expect(queue.submit({ ...batch('x-', 2), kind: 'events', idempotencyKey: key, actor: 'shop-a (token)', role: 'analyst' })).rejects.toThrow(`the Idempotency-Key ${key} was used for another body`);
      expect((await queue.submit({ ...batch(`${key}-b-`, 2), kind: 'events', idempotencyKey: key, actor: 'shop-b (token)', role: 'analyst' })).replay).toBe(false);
    }
    await queue.close();
    const rows = await warehouse.query('SELECT idempotency_key, sender, accepted FROM ingest_batches ORDER BY idempotency_key, accepted');
    // the sender kept as a keyed hash: one per sender, naming nobody
    const a = String(rows.find((r) => Number(r.accepted) === 3)!.sender);
    const b = String(rows.find((r) => r.idempotency_key === 'k-applied' && Number(r.accepted) === 2)!.sender);
    expect([a, b].every((s) => /^s[0-9a-f]{32}$/.test(s)) && a !== b).toBe(true);
    expect(rows.map((r) => [r.idempotency_key, r.sender, Number(r.accepted)])).toEqual([
      ['k-applied', b, 2],
      ['k-applied', a, 3],
      ['k-waiting', b, 2],
      ['k-waiting', a, 4],
    ]);
    await warehouse.close();
  });

  it('a key recorded before senders were kept (sender NULL) is refused for every sender, never answered with that receipt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clvkit-idem-'));
    dirs.push(dir);
    const db = join(dir, 'shop.duckdb');
    const { warehouse, keyring } = await openKeyedWarehouse({ db, create: true, requireKey: true });
    const context = createServerContext({ warehouse, dbPath: db, keyring: keyring! });
    await warehouse.execute("INSERT INTO ingest_batches (batch_id, kind, idempotency_key, received_at, applied_at, accepted, quarantined) VALUES ('b0old', 'events', 'k-old', TIMESTAMP '2026-01-01 00:00:00', TIMESTAMP '2026-01-01 00:00:01', 5, 0)");
    const { queue } = await IngestQueue.open(context, { walDir: join(dir, 'wal') });
    await expect(queue.submit({ ...batch('o-', 2), kind: 'events', idempotencyKey: 'k-old', actor: 'shop-a (token)', role: 'analyst' })).rejects.toThrow('the Idempotency-Key k-old was used for a batch of events recorded before this server kept who sent each batch');
    expect((await queue.submit({ ...batch('o-', 2), kind: 'events', idempotencyKey: 'k-new', actor: 'shop-a (token)', role: 'analyst' })).replay).toBe(false);
    await queue.close();
    await warehouse.close();
  });
});
