/**
 * Regression (sessions 36 and 37, found not fixed): a record of the ingest write-ahead log whose length or hash did not
 * check out was read as a tear, and the file read no further — the records after it, batches the server had
 * acknowledged, were dropped with no more than a count of torn segments. A crash tears only a file's last record (each
 * append is synced before the next is written, and a start never appends to an old file), so a record that fails its
 * check with a whole record after it is damage or an edit, not a tear: the log is now refused with one line naming the
 * file, the byte and the batches that follow, as a record that does not authenticate is. A tear at the end is still a
 * tear.
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors/user-error.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { encodeWalRecord, readWalRecords, type WalBatch } from '../../src/server/ingest/wal-records.js';

const keyring = keyringFromKey(generateKey());
const batch = (id: string): WalBatch => ({ id, kind: 'events', idempotencyKey: null, receivedAt: '2026-10-01T10:30:00.000Z', actor: 'loader (token)', role: 'analyst', body: `{"customer_id":"C-${id}","ts":"2026-10-01T10:00:00Z","type":"view"}\n`, records: 1, fields: ['customer_id', 'ts', 'type'] });
const records = ['b1', 'b2', 'b3'].map((id) => encodeWalRecord(batch(id), keyring));
const file = '/log/segment-00000001.wal';
const read = (bytes: Buffer) => readWalRecords(bytes, keyring, file);

/** The record with its header line changed by `edit` (the body untouched). */
function withHeader(record: Buffer, edit: (header: Record<string, unknown>) => void): Buffer {
  const newline = record.indexOf(0x0a);
  const header = JSON.parse(record.toString('utf8', 0, newline)) as Record<string, unknown>;
  edit(header);
  return Buffer.concat([Buffer.from(JSON.stringify(header) + '\n'), record.subarray(newline + 1)]);
}

/** What reading `bytes` throws (a UserError expected), as "message | hint". */
function refusal(bytes: Buffer): string {
  try {
    read(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return `${(error as UserError).message} | ${(error as UserError).hint}`;
  }
  throw new Error('read without an error');
}

describe('damage before whole records of the write-ahead log is no tear', () => {
  it.each([
    ['its hash changed', (h: Record<string, unknown>) => (h.sha = '0'.repeat(32))],
    ['its length changed', (h: Record<string, unknown>) => (h.bytes = Number(h.bytes) - 1)],
  ])('a middle record with %s is refused, naming the file, the byte and the batches after it', (_, edit) => {
    const damaged = Buffer.concat([records[0]!, withHeader(records[1]!, edit), records[2]!]);
    expect(refusal(damaged)).toMatch(new RegExp(`^the ingest write-ahead log ${file} is damaged at byte ${records[0]!.length}: .*; 1 whole record follows it \\(batch b3\\) \\| `));
  });

  it('a body byte flipped in the middle is refused too', () => {
    const middle = Buffer.from(records[1]!);
    middle[middle.length - 5] = middle[middle.length - 5]! ^ 0xff;
    expect(refusal(Buffer.concat([records[0]!, middle, records[2]!]))).toContain('1 whole record follows it (batch b3)');
  });

  it('a header line that does not parse, with whole records after it, is refused', () => {
    expect(refusal(Buffer.concat([records[0]!, Buffer.from('{"id":"b2","kin\n'), records[1]!, records[2]!]))).toContain('2 whole records follow it (batches b2, b3)');
  });

  it('a torn last record is still a tear: the records before it are read', () => {
    const whole = Buffer.concat(records);
    expect(read(whole.subarray(0, whole.length - 7))).toEqual({ batches: [batch('b1'), batch('b2')], torn: true });
    // a last record of the right length whose body never reached the disk (zeros) is a tear as well
    const zeroed = Buffer.from(records[2]!);
    zeroed.fill(0, zeroed.indexOf(0x0a) + 1, zeroed.length - 1);
    expect(read(Buffer.concat([records[0]!, records[1]!, zeroed]))).toEqual({ batches: [batch('b1'), batch('b2')], torn: true });
  });
});
