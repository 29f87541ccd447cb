/**
 * Regression (session 36's review): a record of the ingest write-ahead log bound only the batch's id, kind, sender and
 * role into its body's tag; the rest of its header — the record count (the receipt's `received`), the idempotency key
 * (what a repeated request is answered), the time received, the lines an erasure took out, the fields — was read as it
 * stood, so an altered header went through unnoticed: a batch recorded with other counts, another key's receipt. The
 * whole header (bar the body's length and hash, which the body itself checks) is now the body's additional
 * authenticated data (`enc: 'v2'`), and a record whose header was altered is refused with one line naming the batch and
 * the file. A record the previous clvkit wrote (`enc: 'v1'`) is still read — it may be an acknowledged batch waiting in
 * the log across the upgrade — and one altered to pass for it is refused.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyError } from '../../src/core/errors/key-error.js';
import { encryptBytes } from '../../src/privacy/keys/encryption.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { encodeWalRecord, readWalRecords, type WalBatch } from '../../src/server/ingest/wal-records.js';

const keyring = keyringFromKey(generateKey());
const body = '{"customer_id":"C1","ts":"2026-10-01T10:00:00Z","type":"view"}\n{"customer_id":"C2","ts":"2026-10-01T10:01:00Z","type":"view"}\n';
const batch: WalBatch = { id: 'b001', kind: 'events', idempotencyKey: 'key-1', receivedAt: '2026-10-01T10:30:00.000Z', actor: 'loader (token)', role: 'analyst', body, records: 2, erased: 1, fields: ['customer_id', 'ts', 'type'] };

/** The record with its header line changed by `edit` (the body untouched). */
function withHeader(record: Buffer, edit: (header: Record<string, unknown>) => void): Buffer {
  const newline = record.indexOf(0x0a);
  const header = JSON.parse(record.toString('utf8', 0, newline)) as Record<string, unknown>;
  edit(header);
  return Buffer.concat([Buffer.from(JSON.stringify(header) + '\n'), record.subarray(newline + 1)]);
}

const read = (bytes: Buffer) => readWalRecords(bytes, keyring, '/log/segment-00000001.wal');

describe('a write-ahead log record’s header is authenticated with its body', () => {
  it('reads a record as written', () => {
    expect(read(encodeWalRecord(batch, keyring))).toEqual({ batches: [batch], torn: false });
  });

  it.each([
    ['the record count', (h: Record<string, unknown>) => (h.records = 200)],
    ['the idempotency key', (h: Record<string, unknown>) => (h.key = 'key-2')],
    ['the time received', (h: Record<string, unknown>) => (h.at = '2026-10-02T10:30:00.000Z')],
    ['the lines an erasure took out', (h: Record<string, unknown>) => delete h.erased],
    ['the fields', (h: Record<string, unknown>) => (h.fields = ['customer_id', 'ts', 'type', 'query'])],
    ['the sender', (h: Record<string, unknown>) => (h.actor = 'someone else')],
    ['the form, to pass for the previous one', (h: Record<string, unknown>) => (h.enc = 'v1')],
  ])('refuses a record whose header was altered: %s', (_, edit) => {
    const altered = withHeader(encodeWalRecord(batch, keyring), edit);
    expect(() => read(altered)).toThrow(KeyError);
    expect(() => read(altered)).toThrow(/^batch b001 in the ingest write-ahead log \/log\/segment-00000001\.wal does not authenticate: its header or body was altered, or another key wrote it$/);
  });

  it('still reads a record the previous clvkit wrote (enc v1: id, kind, sender and role bound)', () => {
    const keyId = keyring.rootKeyId;
    const stored = encryptBytes(Buffer.from(body), keyring, keyId, `ingest-wal\0b001\0events\0loader (token)\0analyst`);
    const header = { id: 'b001', kind: 'events', key: 'key-1', at: batch.receivedAt, actor: batch.actor, role: batch.role, records: 2, erased: 1, fields: batch.fields, bytes: stored.length, sha: createHash('sha256').update(stored).digest('hex').slice(0, 32), enc: 'v1', keyId };
    const record = Buffer.concat([Buffer.from(JSON.stringify(header) + '\n'), stored, Buffer.from('\n')]);
    expect(read(record)).toEqual({ batches: [{ ...batch, form: 'v1' }], torn: false });
  });
});
