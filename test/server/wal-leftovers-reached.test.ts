/**
 * Regression (session 36's review): a crash in the middle of a file replacement in the ingest write-ahead log leaves
 * its scratch file beside the file it was replacing — `<file>.tmp-<hex>` (replaceFileDurably), `<file>.erasing-<pid>`
 * (an erase by an older clvkit), `failed/<batch>.wal.tmp` (a batch set aside by an older clvkit). Each holds the
 * batches' customer lines (encrypted; an older set-aside `.ndjson` one in clear), and neither `clvkit erase` nor the
 * server looked at them: an erased customer's lines stayed there for good. Now the log is settled when it is opened and
 * before an erase searches it: a scratch file whose batches the file it replaced (or a segment) still holds is deleted;
 * one holding a batch found nowhere else (its target gone: a power loss after the batch was recorded set aside, before
 * the rename reached the disk) is put in the target's place — a segment, or failed/ — where replay and erase reach it.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKey, keyringFromKey, type Keyring } from '../../src/privacy/keys/keyring.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { eraseFromWriteAheadLog } from '../../src/server/ingest/erase-from-write-ahead-log.js';
import { normaliseBatch } from '../../src/server/ingest/normalise-batch.js';
import { encodeWalRecord, readWalRecords, type WalBatch } from '../../src/server/ingest/wal-records.js';
import { WriteAheadLog } from '../../src/server/ingest/write-ahead-log.js';
import { scratchDir } from '../helpers/warehouse.js';

const view = (id: string, minute: number) => ({ customer_id: id, ts: `2026-10-01T10:${String(minute).padStart(2, '0')}:00Z`, type: 'view', product_id: 'P1' });

function batch(id: string, customers: readonly string[]): WalBatch {
  const b = normaliseBatch(customers.map((c, i) => view(c, i)), 'events');
  return { id, kind: 'events', idempotencyKey: null, receivedAt: '2026-10-01T10:30:00.000Z', actor: 'loader (token)', role: 'analyst', body: b.ndjson, records: b.records, fields: b.fields };
}

const records = (keyring: Keyring, ...batches: WalBatch[]) => Buffer.concat(batches.map((b) => encodeWalRecord(b, keyring)));

/** Every file under the log folder, by its path inside it. */
const filesIn = (walDir: string) => readdirSync(walDir, { recursive: true, encoding: 'utf8' }).filter((name) => /\.(wal|ndjson)/.test(name)).sort();

/** The customers of every batch any file of the log holds (decrypted), and the clear .ndjson lines. */
function customersIn(walDir: string, keyring: Keyring): string[] {
  return filesIn(walDir).flatMap((name) => {
    const bytes = readFileSync(join(walDir, name));
    const bodies = name.includes('.ndjson') ? [bytes.toString('utf8')] : readWalRecords(bytes, keyring, name).batches.map((b) => b.body);
    return bodies.flatMap((body) => body.split('\n').filter((line) => line !== '').map((line) => String(JSON.parse(line).customer_id)));
  });
}

describe('scratch files a crash left in the ingest write-ahead log', () => {
  it("erase reaches them: the erased customer's lines are in no file of the log afterwards, and no acknowledged batch is lost", async () => {
    const dir = scratchDir();
    const db = join(dir, 'wh.duckdb');
    const walDir = `${db}.ingest-wal`;
    const keyring = keyringFromKey(generateKey());
    mkdirSync(join(walDir, 'failed'), { recursive: true, mode: 0o700 });
    // segment 1 and the copy an erase of customer C was writing when it crashed (C already out of it)
    writeFileSync(join(walDir, 'segment-00000001.wal'), records(keyring, batch('b001', ['A', 'B', 'C'])));
    writeFileSync(join(walDir, 'segment-00000001.wal.erasing-4242'), records(keyring, batch('b001', ['A', 'B'])));
    // a batch set aside, and the copy of a later replacement of it that a crash left
    writeFileSync(join(walDir, 'failed', 'b002.wal'), records(keyring, batch('b002', ['A', 'D'])));
    writeFileSync(join(walDir, 'failed', 'b002.wal.tmp-0a1b2c'), records(keyring, batch('b002', ['A', 'D'])));
    // a batch set aside by an older clvkit whose rename a power loss undid: the scratch is its only copy
    writeFileSync(join(walDir, 'failed', 'b003.wal.tmp'), records(keyring, batch('b003', ['A', 'E'])));
    // an older erase's copy of a batch set aside in clear
    writeFileSync(join(walDir, 'failed', 'b004.ndjson'), normaliseBatch([view('A', 1), view('F', 2)], 'events').ndjson);
    writeFileSync(join(walDir, 'failed', 'b004.ndjson.erasing-77'), normaliseBatch([view('A', 1), view('F', 2)], 'events').ndjson);
    expect(customersIn(walDir, keyring).filter((c) => c === 'A')).toHaveLength(7);

    const result = await eraseFromWriteAheadLog(db, [createPseudonymiser(keyring)('A')], keyring);

    expect(customersIn(walDir, keyring)).toEqual(expect.not.arrayContaining(['A']));
    expect(filesIn(walDir)).toEqual(['failed/b002.wal', 'failed/b003.wal', 'failed/b004.ndjson', 'segment-00000001.wal']);
    expect(customersIn(walDir, keyring).sort()).toEqual(['B', 'C', 'D', 'E', 'F']);
    expect(result).toMatchObject({ folder: walDir, batchesSearched: 4, batchesRewritten: 4, lines: 4, heldBy: null });
  });

  it('opening the log deletes a scratch file its target supersedes and replays a batch only a scratch file holds', async () => {
    const dir = scratchDir();
    const walDir = join(dir, 'wh.duckdb.ingest-wal');
    const keyring = keyringFromKey(generateKey());
    mkdirSync(walDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(walDir, 'segment-00000002.wal'), records(keyring, batch('b010', ['A']), batch('b011', ['B'])));
    writeFileSync(join(walDir, 'segment-00000002.wal.tmp-abcdef'), records(keyring, batch('b010', ['A']), { ...batch('b011', ['B']), body: '', records: 0, erased: 1 }));
    // segment 1 gone (released by an older server after the erase crashed), its copy left: what it holds is read again
    writeFileSync(join(walDir, 'segment-00000001.wal.erasing-99'), records(keyring, batch('b009', ['C'])));
    // a set-aside copy of a batch a segment holds too: kept (whether it was recorded set aside is the warehouse's to say)
    mkdirSync(join(walDir, 'failed'));
    writeFileSync(join(walDir, 'failed', 'b011.wal.tmp-0f0f0f'), records(keyring, batch('b011', ['B'])));
    // a torn scratch with nothing whole in it: nothing to keep
    writeFileSync(join(walDir, 'segment-00000002.wal.erasing-98'), records(keyring, batch('b010', ['A'])).subarray(0, 40));

    const { log, batches } = await WriteAheadLog.open(walDir, { keyring });
    await log.close();
    expect(batches.map((b) => [b.id, b.body.includes('"C"') || b.body.includes('"A"') || b.body.includes('"B"')])).toEqual([['b010', true], ['b011', true], ['b009', true]]);
    expect(readdirSync(walDir).filter((name) => name !== 'lock').sort()).toEqual(['failed', 'segment-00000002.wal', 'segment-00000003.wal']);
    expect(readdirSync(join(walDir, 'failed'))).toEqual(['b011.wal']);
  });
});
