import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { createServerContext } from '../../src/server/open-server-context.js';
import { IngestQueue } from '../../src/server/ingest/ingest-queue.js';
import { normaliseBatch } from '../../src/server/ingest/normalise-batch.js';
import { WriteAheadLog } from '../../src/server/ingest/write-ahead-log.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { appendFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function open(dir: string) {
  const { warehouse, keyring } = await openKeyedWarehouse({ db: join(dir, 'shop.duckdb'), create: true, requireKey: true });
  return createServerContext({ warehouse, dbPath: join(dir, 'shop.duckdb'), keyring: keyring! });
}

const batch = (prefix: string, n: number) => normaliseBatch(Array.from({ length: n }, (_, i) => ({ customer_id: `${prefix}${i}`, ts: `2026-10-01T00:00:${String(i % 60).padStart(2, '0')}Z`, type: 'view', product_id: `P${i}` })), 'events');
const count = async (context: Awaited<ReturnType<typeof open>>) => Number((await context.warehouse.query("SELECT count(*) AS n FROM events WHERE source LIKE 'api-%'"))[0]!.n);

describe('the ingest write-ahead log on restart', () => {
  it('applies batches the log holds and the warehouse does not, once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clvkit-replay-'));
    dirs.push(dir);
    const walDir = join(dir, 'wal');
    const context = await open(dir);
    // acknowledged by a server that died before applying: only in the log
    const { log } = await WriteAheadLog.open(walDir, { keyring: context.keyring });
    for (const [i, prefix] of ['r1-', 'r2-'].entries()) {
      const b = batch(prefix, 30);
      await log.append({ id: `b00000${i}`, kind: 'events', idempotencyKey: `k${i}`, receivedAt: new Date().toISOString(), actor: 'loader (token)', role: 'analyst', body: b.ndjson, records: b.records, fields: b.fields });
    }
    await log.close();
    const first = await IngestQueue.open(context, { walDir });
    expect(first.replayed).toBe(2);
    await first.queue.drain();
    expect(await count(context)).toBe(60);
    await first.queue.close();
    // opened again: nothing left to apply, the keys still answer
    const second = await IngestQueue.open(context, { walDir });
    expect(second.replayed).toBe(0);
    const repeat = await second.queue.submit({ ...batch('r1-', 30), kind: 'events', idempotencyKey: 'k0', actor: 'loader (token)', role: 'analyst' });
    expect(repeat).toEqual({ receipt: { batchId: 'b000000', kind: 'events', received: 30 }, replay: true });
    await second.queue.close();
    expect(await count(context)).toBe(60);
    await context.warehouse.close();
  });

  it('records, without applying again, a group whose ingest committed before its batches were recorded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clvkit-replay-'));
    dirs.push(dir);
    const walDir = join(dir, 'wal');
    const context = await open(dir);
    const { queue } = await IngestQueue.open(context, { walDir });
    for (const prefix of ['g1-', 'g2-', 'g3-']) await queue.submit({ ...batch(prefix, 20), kind: 'events', idempotencyKey: null, actor: 'loader (token)', role: 'analyst' });
    await queue.drain();
    // the crash window: the ingest committed, its batch ids not yet recorded — and the log as it was then (a clean
    // close deletes the segment whose batches are all recorded)
    const segments = readdirSync(walDir).filter((f) => f.endsWith('.wal')).map((f) => [f, readFileSync(join(walDir, f))] as const);
    await queue.close();
    expect(await count(context)).toBe(60);
    for (const [f, bytes] of segments) writeFileSync(join(walDir, f), bytes);
    await context.warehouse.execute('DELETE FROM ingest_batches');
    const reopened = await IngestQueue.open(context, { walDir });
    expect(reopened.replayed).toBe(0);
    await reopened.queue.close();
    expect(await count(context)).toBe(60);
    const [recorded] = await context.warehouse.query('SELECT count(*) AS n, sum(accepted) AS accepted FROM ingest_batches');
    expect([Number(recorded!.n), Number(recorded!.accepted)]).toEqual([3, 60]);
    await context.warehouse.close();
  });

  it('a record torn by a crash (never acknowledged) ends the segment; the records before it are kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clvkit-replay-'));
    dirs.push(dir);
    const keyring = keyringFromKey(generateKey());
    const { log } = await WriteAheadLog.open(dir, { keyring });
    const b = batch('t-', 5);
    await log.append({ id: 'b1', kind: 'events', idempotencyKey: null, receivedAt: new Date().toISOString(), actor: 'a', role: 'analyst', body: b.ndjson, records: 5, fields: b.fields });
    await log.close();
    const segment = readdirSync(dir).find((f) => f.endsWith('.wal'))!;
    appendFileSync(join(dir, segment), '{"id":"b2","kind":"events","key":null,"at":"x","actor":"a","role":"analyst","records":5,"fields":[],"bytes":9999,"sha":"00"}\n{"customer');
    const reopened = await WriteAheadLog.open(dir, { keyring });
    expect(reopened.batches.map((x) => x.id)).toEqual(['b1']);
    expect(reopened.tornSegments).toBe(1);
    await reopened.log.close();
  });

  it('is readable by its owner only: the folder (a group being applied waits in apply/, in clear) and its segments', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'clvkit-replay-'));
    dirs.push(parent);
    const dir = join(parent, 'shop.duckdb.ingest-wal');
    const { log } = await WriteAheadLog.open(dir, { keyring: keyringFromKey(generateKey()) });
    const b = batch('jane.doe@example.com-', 2);
    await log.append({ id: 'b1', kind: 'events', idempotencyKey: null, receivedAt: new Date().toISOString(), actor: 'a', role: 'analyst', body: b.ndjson, records: 2, fields: b.fields });
    await log.close();
    const segment = readdirSync(dir).find((f) => f.endsWith('.wal'))!;
    expect((statSync(dir).mode & 0o777).toString(8)).toBe('700');
    expect((statSync(join(dir, segment)).mode & 0o777).toString(8)).toBe('600');
  });
});
