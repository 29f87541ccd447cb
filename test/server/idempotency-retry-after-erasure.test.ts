/**
 * An honest retry of a batch `clvkit erase` shortened in the write-ahead log (user trial, session 42): the same sender
 * sending the same body under the same Idempotency-Key got 409 "… whose body an erasure changed since", since the
 * log kept only the shortened body and so no hash of the body as sent. The erasure now keeps that hash in the
 * rewritten record (authenticated with its header), and `ingest_batches.body_sha256` records it: the retry is
 * answered the first receipt (a replay: nothing stored, so nothing of the erased customer comes back), before and
 * after the batch is applied; another body under the key is refused as any other body is. A record an older clvkit
 * rewrote has no such hash: its key is still refused (409), the hint now naming the batch stored under it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { eraseFromWriteAheadLog } from '../../src/server/ingest/erase-from-write-ahead-log.js';
import { IngestQueue } from '../../src/server/ingest/ingest-queue.js';
import { normaliseBatch } from '../../src/server/ingest/normalise-batch.js';
import { writeAheadLogFolder } from '../../src/server/ingest/wal-folder.js';
import { encodeWalRecord, readWalRecords } from '../../src/server/ingest/wal-records.js';
import { WriteAheadLog } from '../../src/server/ingest/write-ahead-log.js';
import { createServerContext } from '../../src/server/open-server-context.js';

const view = (id: string, s: number) => ({ customer_id: id, ts: `2026-10-01T00:00:0${s}Z`, type: 'view', product_id: `P${s}` });
const sent = normaliseBatch([view('erin-secret', 1), view('bob', 2), view('erin-secret', 3)], 'events');
const other = normaliseBatch([view('carl', 4)], 'events');
const from = (body: typeof sent, key: string) => ({ ...body, kind: 'events' as const, idempotencyKey: key, actor: 'shop-a (token)', role: 'analyst' });

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A warehouse whose log holds `sent` under key k-1 from shop-a, acknowledged as batch b000001 (received 3). */
async function shopWithLoggedBatch() {
  const dir = mkdtempSync(join(tmpdir(), 'clvkit-idem-erased-'));
  dirs.push(dir);
  const db = join(dir, 'shop.duckdb');
  const { warehouse, keyring } = await openKeyedWarehouse({ db, create: true, requireKey: true });
  const context = createServerContext({ warehouse, dbPath: db, keyring: keyring! });
  const walDir = writeAheadLogFolder(db);
  const { log } = await WriteAheadLog.open(walDir, { keyring: keyring! });
  await log.append({ id: 'b000001', kind: 'events', idempotencyKey: 'k-1', receivedAt: new Date().toISOString(), actor: 'shop-a (token)', role: 'analyst', body: sent.ndjson, records: sent.records, fields: sent.fields });
  await log.close();
  return { db, warehouse, keyring: keyring!, context, walDir };
}

const erinsEvents = async (warehouse: Awaited<ReturnType<typeof shopWithLoggedBatch>>['warehouse'], token: string) =>
  Number((await warehouse.query(`SELECT count(*) AS n FROM events WHERE customer_id = '${token}'`))[0]!.n);

describe('an honest retry of a batch an erasure shortened in the write-ahead log', () => {
  it('the same sender, key and body: the first receipt (a replay, nothing stored), before and after the batch is applied; another body: 409', async () => {
    const { db, warehouse, keyring, context, walDir } = await shopWithLoggedBatch();
    const erin = createPseudonymiser(keyring)('erin-secret');
    expect((await eraseFromWriteAheadLog(db, [erin], keyring)).lines).toBe(2);
    const first = { batchId: 'b000001', kind: 'events', received: 3 };
    const { queue } = await IngestQueue.open(context, { walDir });
    expect(await queue.submit(from(sent, 'k-1'))).toEqual({ receipt: first, replay: true });
    await expect(queue.submit(from(other, 'k-1'))).rejects.toMatchObject({ reason: 'another body', message: 'the Idempotency-Key k-1 was used for another body of events by this sender' });
    await queue.drain();
    await queue.close();
    expect(await erinsEvents(warehouse, erin)).toBe(0);
    // applied: ingest_batches keeps the hash of the body as sent, so the receipt outlives the log's record
    const recorded = await warehouse.query("SELECT batch_id, accepted, quarantined, body_sha256 IS NOT NULL AS hashed FROM ingest_batches WHERE idempotency_key = 'k-1'");
    expect(recorded.map((r) => [r.batch_id, Number(r.accepted), Number(r.quarantined), r.hashed])).toEqual([['b000001', 1, 2, true]]);
    const { queue: again } = await IngestQueue.open(context, { walDir });
    expect(await again.submit(from(sent, 'k-1'))).toEqual({ receipt: first, replay: true });
    await expect(again.submit(from(other, 'k-1'))).rejects.toMatchObject({ reason: 'another body' });
    await again.drain();
    await again.close();
    expect(await erinsEvents(warehouse, erin)).toBe(0);
    expect(Number((await warehouse.query("SELECT count(*) AS n FROM ingest_batches WHERE idempotency_key = 'k-1'"))[0]!.n)).toBe(1);
    await warehouse.close();
  });

  it('a second erasure of the same batch keeps the hash of the body as first sent', async () => {
    const { db, warehouse, keyring, context, walDir } = await shopWithLoggedBatch();
    const tokenOf = createPseudonymiser(keyring);
    expect((await eraseFromWriteAheadLog(db, [tokenOf('erin-secret')], keyring)).lines).toBe(2);
    expect((await eraseFromWriteAheadLog(db, [tokenOf('bob')], keyring)).lines).toBe(1);
    const { queue } = await IngestQueue.open(context, { walDir });
    expect(await queue.submit(from(sent, 'k-1'))).toEqual({ receipt: { batchId: 'b000001', kind: 'events', received: 3 }, replay: true });
    await queue.drain();
    await queue.close();
    await warehouse.close();
  });

  it("the kept hash is bound to the record: an altered one does not authenticate (a retry of another body cannot be let in by editing it)", async () => {
    const { db, warehouse, keyring, walDir } = await shopWithLoggedBatch();
    expect((await eraseFromWriteAheadLog(db, [createPseudonymiser(keyring)('erin-secret')], keyring)).lines).toBe(2);
    const [segment] = readdirSync(walDir).filter((name) => name.endsWith('.wal'));
    const file = join(walDir, segment!);
    const data = readFileSync(file);
    const newline = data.indexOf(0x0a);
    const header = JSON.parse(data.toString('utf8', 0, newline)) as { sent?: string };
    expect(header.sent).toMatch(/^[0-9a-f]{64}$/);
    const altered = Buffer.concat([Buffer.from(JSON.stringify({ ...header, sent: '0'.repeat(64) }), 'utf8'), data.subarray(newline)]);
    expect(() => readWalRecords(altered, keyring, file)).toThrow(/batch b000001 in the ingest write-ahead log .* does not authenticate/);
    await warehouse.close();
  });

  it('a record an older clvkit shortened (no hash of the body as sent): 409, the hint naming the batch stored under the key', async () => {
    const { db, warehouse, keyring, context, walDir } = await shopWithLoggedBatch();
    expect((await eraseFromWriteAheadLog(db, [createPseudonymiser(keyring)('erin-secret')], keyring)).lines).toBe(2);
    // written again as the older clvkit wrote it: the shortened body and its count, no hash of the body as sent
    const [segment] = readdirSync(walDir).filter((name) => name.endsWith('.wal'));
    const file = join(walDir, segment!);
    const [record] = readWalRecords(readFileSync(file), keyring, file).batches;
    const { sentSha256: _dropped, ...older } = record as typeof record & { sentSha256?: string };
    writeFileSync(file, encodeWalRecord(older, keyring));
    const { queue } = await IngestQueue.open(context, { walDir });
    await expect(queue.submit(from(sent, 'k-1'))).rejects.toMatchObject({
      reason: 'changed by an erasure',
      message: 'the Idempotency-Key k-1 was used for a batch of events whose body an erasure changed since',
      hint: 'if this is that batch, it is stored already as batch b000001 (3 records received; the lines of erased customers are not stored): do not send it again; else send it under a new Idempotency-Key (nothing of it was stored)',
    });
    await queue.drain();
    await queue.close();
    await warehouse.close();
  });
});
