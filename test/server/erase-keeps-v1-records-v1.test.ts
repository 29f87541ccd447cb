/**
 * Regression (session 40's review, L2): a record of the previous clvkit (`enc: 'v1'`) binds only its id, kind, sender
 * and role into its tag; its idempotency key, counts and fields are read as they stand. An erase that rewrote its file
 * wrote every record as `v2`, binding the whole header — so a v1 header altered by someone able to write to the log
 * folder (another idempotency key, say) came out of the erase authenticated. The erase now writes a v1 record as v1:
 * what it never bound stays unbound, and a v2 record stays v2.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encryptBytes } from '../../src/privacy/keys/encryption.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { eraseFromWriteAheadLog } from '../../src/server/ingest/erase-from-write-ahead-log.js';
import { encodeWalRecord, readWalRecords, type WalBatch } from '../../src/server/ingest/wal-records.js';
import { writeAheadLogFolder } from '../../src/server/ingest/write-ahead-log.js';
import { scratchDir } from '../helpers/warehouse.js';

const keyring = keyringFromKey(generateKey());
const line = (customer: string) => `{"customer_id":"${customer}","ts":"2026-10-01T10:00:00Z","type":"view"}\n`;

/** A v1 record as the previous clvkit wrote it, its idempotency key `key` (unbound in v1). */
function v1Record(id: string, body: string, key: string): Buffer {
  const stored = encryptBytes(Buffer.from(body), keyring, keyring.rootKeyId, `ingest-wal\0${id}\0events\0loader (token)\0analyst`);
  const header = { id, kind: 'events', key, at: '2026-10-01T10:30:00.000Z', actor: 'loader (token)', role: 'analyst', records: body.split('\n').filter(Boolean).length, fields: ['customer_id', 'ts', 'type'], bytes: stored.length, sha: createHash('sha256').update(stored).digest('hex').slice(0, 32), enc: 'v1', keyId: keyring.rootKeyId };
  return Buffer.concat([Buffer.from(JSON.stringify(header) + '\n'), stored, Buffer.from('\n')]);
}

const forms = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('{"id"')).map((l) => [JSON.parse(l).id, JSON.parse(l).enc, JSON.parse(l).key]);

describe('an erase keeps a v1 record v1', () => {
  it('what v1 never bound (an idempotency key altered on disk) is not bound by the rewrite; a v2 record stays v2', async () => {
    const db = join(scratchDir(), 'shop.duckdb');
    const dir = writeAheadLogFolder(db);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const segment = join(dir, 'segment-00000001.wal');
    const v2: WalBatch = { id: 'b002', kind: 'events', idempotencyKey: 'key-2', receivedAt: '2026-10-01T11:00:00.000Z', actor: 'loader (token)', role: 'analyst', body: line('C1') + line('C3'), records: 2, fields: ['customer_id', 'ts', 'type'] };
    // b001's key as someone with write access to the folder changed it: v1 reads it as it stands
    writeFileSync(segment, Buffer.concat([v1Record('b001', line('C1') + line('C2'), 'forged-key'), encodeWalRecord(v2, keyring)]));
    const erased = await eraseFromWriteAheadLog(db, [createPseudonymiser(keyring)('C1')], keyring);
    expect(erased).toMatchObject({ batchesRewritten: 2, lines: 2 });
    expect(forms(segment)).toEqual([['b001', 'v1', 'forged-key'], ['b002', 'v2', 'key-2']]);
    // and both still read, without C1
    const { batches } = readWalRecords(readFileSync(segment), keyring, segment);
    expect(batches.map((b) => [b.id, b.body, b.records, b.erased, b.form])).toEqual([['b001', line('C2'), 1, 1, 'v1'], ['b002', line('C3'), 1, 1, undefined]]);
  });
});
