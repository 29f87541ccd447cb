/**
 * Regression (open since session 36): a record of the ingest write-ahead log whose header has no `enc` was read as a
 * batch in clear — the form of a log written before the bodies were encrypted. Every clvkit since writes each record
 * encrypted and authenticated, so such a record was either that old or written by someone else: anyone who could
 * write to the log folder could add a batch (with any customer ids, sender and role) without the key, and the server
 * applied it at its next start. Worse, an erasure that rewrote the file re-encoded the record under the key, so the
 * forgery came out authenticated. A record without `enc` is now refused in one line naming the batch and the file,
 * at the server's start and by an erasure before it changes anything.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors/user-error.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { eraseFromWriteAheadLog } from '../../src/server/ingest/erase-from-write-ahead-log.js';
import { WriteAheadLog, writeAheadLogFolder } from '../../src/server/ingest/write-ahead-log.js';
import { encodeWalRecord, readWalRecords, type WalBatch } from '../../src/server/ingest/wal-records.js';
import { scratchDir } from '../helpers/warehouse.js';

const keyring = keyringFromKey(generateKey());
const body = '{"customer_id":"C1","ts":"2026-10-01T10:00:00Z","type":"view"}\n';
const batch: WalBatch = { id: 'b001', kind: 'events', idempotencyKey: null, receivedAt: '2026-10-01T10:30:00.000Z', actor: 'loader (token)', role: 'analyst', body, records: 1, fields: ['customer_id', 'ts', 'type'] };

/** A record as a log without encryption held it: the header without `enc`, the body in clear, its length and hash right. */
function plainRecord(id: string, customer: string): Buffer {
  const stored = Buffer.from(`{"customer_id":"${customer}","ts":"2026-10-01T11:00:00Z","type":"view"}\n`);
  const header = { id, kind: 'events', key: null, at: '2026-10-01T11:00:00.000Z', actor: 'admin', role: 'admin', records: 1, fields: ['customer_id', 'ts', 'type'], bytes: stored.length, sha: createHash('sha256').update(stored).digest('hex').slice(0, 32) };
  return Buffer.concat([Buffer.from(JSON.stringify(header) + '\n'), stored, Buffer.from('\n')]);
}

const refusal = (id: string, file: string) =>
  new RegExp(`^batch ${id} in the ingest write-ahead log ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not encrypted: `);

describe('a write-ahead log record without encryption is refused, not read', () => {
  it('refuses a record in clear, alone or after an encrypted one, naming the batch and the file', () => {
    const file = '/log/segment-00000001.wal';
    for (const data of [plainRecord('b002', 'C9'), Buffer.concat([encodeWalRecord(batch, keyring), plainRecord('b002', 'C9')])]) {
      expect(() => readWalRecords(data, keyring, file)).toThrow(UserError);
      expect(() => readWalRecords(data, keyring, file)).toThrow(refusal('b002', file));
    }
    // the encrypted record alone is read as before
    expect(readWalRecords(encodeWalRecord(batch, keyring), keyring, file)).toEqual({ batches: [batch], torn: false });
  });

  it('the server does not start on a log holding one, and says what to do', async () => {
    const dir = join(scratchDir(), 'wal');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'segment-00000001.wal'), Buffer.concat([encodeWalRecord(batch, keyring), plainRecord('b002', 'C9')]));
    const opened = WriteAheadLog.open(dir, { keyring });
    await expect(opened).rejects.toThrow(refusal('b002', join(dir, 'segment-00000001.wal')));
    await expect(WriteAheadLog.open(dir, { keyring })).rejects.toMatchObject({ hint: expect.stringMatching(/move the file out of the log folder/) });
  });

  it('an erasure refuses it before changing anything: the record is not re-encrypted under the key', async () => {
    const db = join(scratchDir(), 'shop.duckdb');
    const dir = writeAheadLogFolder(db);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const segment = join(dir, 'segment-00000001.wal');
    const bytes = Buffer.concat([encodeWalRecord(batch, keyring), plainRecord('b002', 'C9')]);
    writeFileSync(segment, bytes);
    // erasing C1 (the encrypted record's customer) rewrites the file: the record in clear must not come out encrypted
    await expect(eraseFromWriteAheadLog(db, [createPseudonymiser(keyring)('C1')], keyring)).rejects.toThrow(refusal('b002', segment));
    expect(readFileSync(segment).equals(bytes)).toBe(true);
  });
});
