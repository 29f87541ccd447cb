/**
 * Regressions (session 41, security review): an Idempotency-Key's receipt is answered again only for a batch that is
 * stored, and only for the body it was sent with.
 * 1. The receipt was remembered before the write-ahead log append: a concurrent repeat of the request (a client
 *    retrying after a timeout) got 202 `idempotent-replay` at once, and when the first append then failed (ENOSPC) the
 *    repeat had been told a batch was stored that never was. A repeat now waits for the first append and answers what
 *    it ends in: the receipt, or the same failure (and the key is free again).
 * 2. A batch an erasure shortened in the log has no hash of its body as sent, and that was taken for a match: the same
 *    sender sending a new body under the key got the old receipt and its records were dropped for good. A new body
 *    under such a key is now refused (409), before and after the batch is applied (since session 42 the erasure keeps
 *    the hash of the body as sent, so it is refused as any other body is, and the same body is answered its receipt:
 *    idempotency-retry-after-erasure.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { eraseFromWriteAheadLog } from '../../src/server/ingest/erase-from-write-ahead-log.js';
import { IngestQueue } from '../../src/server/ingest/ingest-queue.js';
import { normaliseBatch } from '../../src/server/ingest/normalise-batch.js';
import { writeAheadLogFolder } from '../../src/server/ingest/wal-folder.js';
import { WriteAheadLog } from '../../src/server/ingest/write-ahead-log.js';
import { createServerContext } from '../../src/server/open-server-context.js';

const batch = (prefix: string, n: number) => normaliseBatch(Array.from({ length: n }, (_, i) => ({ customer_id: `${prefix}${i}`, ts: `2026-10-01T00:00:${String(i % 60).padStart(2, '0')}Z`, type: 'view', product_id: `P${i}` })), 'events');
const from = (sent: ReturnType<typeof batch>, key: string) => ({ ...sent, kind: 'events' as const, idempotencyKey: key, actor: 'shop-a (token)', role: 'analyst' });

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function openShop() {
  const dir = mkdtempSync(join(tmpdir(), 'clvkit-idem-stored-'));
  dirs.push(dir);
  const db = join(dir, 'shop.duckdb');
  const { warehouse, keyring } = await openKeyedWarehouse({ db, create: true, requireKey: true });
  const context = createServerContext({ warehouse, dbPath: db, keyring: keyring! });
  return { db, warehouse, keyring: keyring!, context, walDir: writeAheadLogFolder(db) };
}

/** The queue's next log append held until `release` (then done, or failed with `error`); later appends as before. */
function holdAppends(queue: IngestQueue) {
  const wal = (queue as unknown as { wal: WriteAheadLog }).wal;
  const append = wal.append.bind(wal);
  let release!: (error: Error | null) => void;
  const released = new Promise<Error | null>((resolve) => (release = resolve));
  let calls = 0;
  wal.append = async (entry) => {
    if (calls++ === 0) {
      const error = await released;
      if (error) throw error;
    }
    return append(entry);
  };
  return { release, calls: () => calls };
}

/** Lets every pending promise callback and I/O callback run once. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('Idempotency-Key receipts: only for a stored batch', () => {
  it('a concurrent repeat while the first append fails gets the same failure, never a replay, and the key is free after', async () => {
    const { warehouse, context, walDir } = await openShop();
    const { queue } = await IngestQueue.open(context, { walDir });
    const held = holdAppends(queue);
    const sent = batch('r-', 3);
    const first = queue.submit(from(sent, 'k-retry'));
    const repeat = queue.submit(from(sent, 'k-retry'));
    let repeatDone = false;
    repeat.then(() => (repeatDone = true), () => (repeatDone = true));
    await settle();
    expect(repeatDone).toBe(false); // waits for the first append
    expect(held.calls()).toBe(1); // held, and the repeat appends nothing of its own
    held.release(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
    await expect(first).rejects.toThrow('ENOSPC');
    await expect(repeat).rejects.toThrow('ENOSPC');
    // the key names no stored batch: the client's next try stores it
    const again = await queue.submit(from(sent, 'k-retry'));
    expect(again.replay).toBe(false);
    expect(again.receipt).toMatchObject({ kind: 'events', received: 3 });
    await queue.drain();
    await queue.close();
    expect((await warehouse.query("SELECT batch_id, accepted FROM ingest_batches WHERE idempotency_key = 'k-retry'")).map((r) => [r.batch_id, Number(r.accepted)])).toEqual([[again.receipt.batchId, 3]]);
    await warehouse.close();
  });

  it('a concurrent repeat while the first append succeeds answers the first receipt once it is stored', async () => {
    const { warehouse, context, walDir } = await openShop();
    const { queue } = await IngestQueue.open(context, { walDir });
    const held = holdAppends(queue);
    const sent = batch('s-', 2);
    const first = queue.submit(from(sent, 'k-ok'));
    const repeat = queue.submit(from(sent, 'k-ok'));
    const other = queue.submit(from(batch('t-', 1), 'k-ok')).catch((error: unknown) => error);
    await settle();
    held.release(null);
    const [a, b] = await Promise.all([first, repeat]);
    expect(a.replay).toBe(false);
    expect(b).toEqual({ receipt: a.receipt, replay: true });
    expect(await other).toMatchObject({ message: 'the Idempotency-Key k-ok was used for another body of events by this sender' });
    expect(held.calls()).toBe(1);
    await queue.drain();
    await queue.close();
    expect(Number((await warehouse.query("SELECT count(*) AS n FROM ingest_batches WHERE idempotency_key = 'k-ok'"))[0]!.n)).toBe(1);
    await warehouse.close();
  });

  it('a key whose batch an erasure shortened in the log is refused (409) for a new body, not answered with its receipt — before and after it is applied', async () => {
    const { db, warehouse, keyring, context, walDir } = await openShop();
    const sent = normaliseBatch([
      { customer_id: 'erin-secret', ts: '2026-10-01T00:00:01Z', type: 'view', product_id: 'P1' },
      { customer_id: 'bob', ts: '2026-10-01T00:00:02Z', type: 'view', product_id: 'P2' },
    ], 'events');
    const { log } = await WriteAheadLog.open(walDir, { keyring });
    await log.append({ id: 'b000001', kind: 'events', idempotencyKey: 'k-erased', receivedAt: new Date().toISOString(), actor: 'shop-a (token)', role: 'analyst', body: sent.ndjson, records: sent.records, fields: sent.fields });
    await log.close();
    expect((await eraseFromWriteAheadLog(db, [createPseudonymiser(keyring)('erin-secret')], keyring)).lines).toBe(1);
    const refused = (queue: IngestQueue, body: ReturnType<typeof batch>) =>
      expect(queue.submit(from(body, 'k-erased'))).rejects.toMatchObject({
        message: 'the Idempotency-Key k-erased was used for another body of events by this sender',
        hint: 'a key names one batch: send this one under a new Idempotency-Key (nothing of it was stored)',
      });
    const { queue: first } = await IngestQueue.open(context, { walDir });
    await refused(first, batch('new-', 4));
    await first.drain();
    await first.close();
    // applied: ingest_batches keeps the hash of its body as sent (the erasure kept it)
    const { queue: second } = await IngestQueue.open(context, { walDir });
    await refused(second, batch('new-', 4));
    await second.close();
    expect(Number((await warehouse.query("SELECT count(*) AS n FROM ingest_batches WHERE idempotency_key = 'k-erased'"))[0]!.n)).toBe(1);
    await warehouse.close();
  });
});
