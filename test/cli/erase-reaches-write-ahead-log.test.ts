/**
 * Regression (session 34's review): `clvkit erase` did not search the server's ingest write-ahead log beside the
 * warehouse (`<db>.ingest-wal/`), which keeps each batch sent to POST /api/events or /api/orders until it is applied:
 * an erased customer's lines stayed there, and a batch acknowledged before a crash brought them back to the next start
 * (left out of the warehouse as erased, but kept in the log). The erase now removes their lines from every record of the
 * log; a batch still to be applied is applied without them, its receipt's count unchanged (the lines counted as
 * quarantined); its Idempotency-Key is refused from then on (409), its body as sent being unknown.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKeyFile } from '../../src/privacy/keys/key-file.js';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { IngestQueue } from '../../src/server/ingest/ingest-queue.js';
import { normaliseBatch } from '../../src/server/ingest/normalise-batch.js';
import { WriteAheadLog } from '../../src/server/ingest/write-ahead-log.js';
import { encodeWalRecord, readWalRecords } from '../../src/server/ingest/wal-records.js';
import type { Keyring } from '../../src/privacy/keys/keyring.js';
import { createServerContext } from '../../src/server/open-server-context.js';
import { cli } from '../helpers/cli.js';
import { view, warehouseWithLog } from '../helpers/warehouse-with-log.js';
import { rawId } from '../privacy/privacy-fixture.js';

/** A batch set aside in the log's failed/ (the ingest could not take it), as the queue keeps it. */
function setAside(walDir: string, keyring: Keyring, records: Record<string, unknown>[]): string {
  const b = normaliseBatch(records, 'events');
  mkdirSync(join(walDir, 'failed'), { recursive: true });
  const file = join(walDir, 'failed', 'b009.wal');
  writeFileSync(file, encodeWalRecord({ id: 'b009', kind: 'events', idempotencyKey: null, receivedAt: '2026-10-01T10:40:00.000Z', actor: 'loader (token)', role: 'analyst', body: b.ndjson, records: b.records, fields: b.fields }, keyring));
  return file;
}

describe('erase and the ingest write-ahead log', () => {
  it("removes the erased customer's lines from the log's records; the batches are applied without them at the next start, their receipts as acknowledged", async () => {
    const { db, keyring, walDir } = await warehouseWithLog([
      { kind: 'events', records: [view(rawId(7), 1), view(rawId(8), 2), view(rawId(7), 3)] },
      { kind: 'orders', records: [{ order_id: 'api-1', customer_id: rawId(7), date: '2026-10-01', product_id: 'P1', quantity: 1, unit_price: 5 }] },
    ]);
    const aside = setAside(walDir, keyring, [view(rawId(9), 4), view(rawId(7), 5)]);
    const erase = await cli(['erase', rawId(7), '--db', db, '--role', 'admin', '--json']);
    expect(erase.code, erase.stderr).toBe(0);
    expect(JSON.parse(erase.stdout).writeAheadLog).toEqual({ folder: walDir, batchesSearched: 3, batchesRewritten: 3, lines: 4, heldBy: null });
    expect(readWalRecords(readFileSync(aside), keyring, aside).batches.map((b) => [b.records, b.erased, b.body.includes(rawId(7)), b.body.includes(rawId(9))])).toEqual([[1, 1, false, true]]);

    // what the log holds now, read as the server reads it
    const reopened = await WriteAheadLog.open(walDir, { keyring });
    expect(reopened.batches.map((b) => [b.id, b.records, b.erased])).toEqual([['b000', 1, 2], ['b001', 0, 1]]);
    expect(reopened.batches.map((b) => b.body).join('')).not.toContain(rawId(7));
    expect(reopened.batches[0]!.body).toContain(rawId(8));
    await reopened.log.close();

    // the next start applies them once: customer 8's view, nothing of customer 7; received = accepted + quarantined
    const { warehouse } = await openKeyedWarehouse({ db, keyFile: `${db}.key`, requireKey: true });
    try {
      const context = createServerContext({ warehouse, dbPath: db, keyring });
      const { queue, replayed } = await IngestQueue.open(context, { walDir });
      expect(replayed).toBe(2);
      await queue.drain();
      // another body under its key is refused (409), never answered with its receipt (session 41: a new body was
      // answered so and dropped); the erasure kept the hash of the body as sent, so it is told from that body
      // (idempotency-retry-after-erasure.test.ts: the same body is answered its receipt, nothing stored)
      await expect(queue.submit({ ...normaliseBatch([view(rawId(7), 1)], 'events'), kind: 'events', idempotencyKey: 'key-0', actor: 'loader (token)', role: 'analyst' })).rejects.toMatchObject({
        message: 'the Idempotency-Key key-0 was used for another body of events by this sender',
        reason: 'another body',
      });
      await queue.close();
      const tokenOf = createPseudonymiser(keyring);
      const events = await warehouse.query("SELECT customer_id FROM events WHERE source LIKE 'api-%'");
      expect(events.map((r) => r.customer_id)).toEqual([tokenOf(rawId(8))]);
      expect(Number((await warehouse.query(`SELECT count(*) AS n FROM transactions WHERE customer_id = '${tokenOf(rawId(7))}'`))[0]!.n)).toBe(0);
      const recorded = await warehouse.query('SELECT batch_id, accepted, quarantined FROM ingest_batches ORDER BY batch_id');
      expect(recorded.map((r) => [r.batch_id, Number(r.accepted), Number(r.quarantined)])).toEqual([['b000', 1, 2], ['b001', 0, 1]]);
    } finally {
      await warehouse.close();
    }
  });

  it("a batch an older clvkit set aside in clear (failed/<batch>.ndjson, before the log was encrypted) loses the erased customer's lines too", async () => {
    const { db, walDir } = await warehouseWithLog([]);
    mkdirSync(join(walDir, 'failed'), { recursive: true });
    const old = join(walDir, 'failed', 'b007.ndjson');
    writeFileSync(old, normaliseBatch([view(rawId(5), 1), view(rawId(6), 2), view(rawId(5), 3)], 'events').ndjson);
    const erase = await cli(['erase', rawId(5), '--db', db, '--role', 'admin', '--json']);
    expect(erase.code, erase.stderr).toBe(0);
    expect(JSON.parse(erase.stdout).writeAheadLog).toEqual({ folder: walDir, batchesSearched: 1, batchesRewritten: 1, lines: 2, heldBy: null });
    const left = readFileSync(old, 'utf8');
    expect(left).not.toContain(rawId(5));
    expect(left.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line).customer_id)).toEqual([rawId(6)]);
  });

  it('says what it removed from the log; leaves the log of a running server alone and says so', async () => {
    const { db, walDir } = await warehouseWithLog([{ kind: 'events', records: [view(rawId(3), 1), view(rawId(4), 2)] }]);
    const plain = await cli(['erase', rawId(3), '--db', db, '--role', 'admin']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain(`server write-ahead log: 1 line removed from 1 of 1 batch under ${walDir}\n`);

    // a live process holds the log (a server on this state file, on a cluster): its segments are not rewritten
    const segment = join(walDir, readdirSync(walDir).find((name) => name.endsWith('.wal'))!);
    const before = readFileSync(segment);
    writeFileSync(join(walDir, 'lock'), `${process.ppid}\n`);
    const held = await cli(['erase', rawId(4), '--db', db, '--role', 'admin', '--json']);
    expect(held.code, held.stderr).toBe(0);
    expect(JSON.parse(held.stdout).writeAheadLog).toEqual({ folder: walDir, batchesSearched: 0, batchesRewritten: 0, lines: 0, heldBy: process.ppid });
    expect(readFileSync(segment).equals(before)).toBe(true);
    const text = await cli(['erase', rawId(4), '--db', db, '--role', 'admin']);
    expect(text.stdout).toContain(`not reached: the server write-ahead log ${walDir}, held by process ${process.ppid} (a server running on this warehouse): stop it and erase again\n`);

    // a lock without a process id (never one clvkit makes: it is linked whole) is not taken for a dead holder's
    writeFileSync(join(walDir, 'lock'), '');
    const unknown = await cli(['erase', rawId(4), '--db', db, '--role', 'admin']);
    expect(unknown.code, unknown.stderr).toBe(0);
    expect(unknown.stdout).toContain(`not reached: the server write-ahead log ${walDir} has a lock file naming no live process to ask (no process id in it, or a takeover of it was interrupted): if no clvkit serve runs on this warehouse, remove ${walDir}/lock and erase again\n`);
    expect(readFileSync(segment).equals(before)).toBe(true);
    await expect(WriteAheadLog.open(walDir, { keyring: readKeyFile(`${db}.key`) })).rejects.toThrow(/has a lock file naming no live process to ask \(.*: no process id in it, or a takeover of it was interrupted\)/);
  });
});
