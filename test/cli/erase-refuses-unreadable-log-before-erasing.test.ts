/**
 * Regression (session 36): `clvkit erase` on a warehouse whose ingest write-ahead log holds a record that does not
 * authenticate (altered, or written under another key) failed half-way: the customer's warehouse rows were deleted and
 * committed, the error came from the log after them, and the warehouse file was left uncompacted (the deleted rows'
 * bytes still in it) — while a second erase found no such customer and never reached the log. The log is read whole
 * before anything is erased: the erase is refused in one line naming the file, with a hint, and nothing is changed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { cli } from '../helpers/cli.js';
import { view, warehouseWithLog } from '../helpers/warehouse-with-log.js';
import { rawId } from '../privacy/privacy-fixture.js';

/** The warehouse rows of the customer `id` (transactions and quarantine). */
async function rowsOf(db: string, id: string): Promise<number> {
  const { warehouse, keyring } = await openKeyedWarehouse({ db, keyFile: `${db}.key`, requireKey: true });
  try {
    const token = createPseudonymiser(keyring!)(id);
    const [row] = await warehouse.query(`SELECT (SELECT count(*) FROM transactions WHERE customer_id = '${token}') + (SELECT count(*) FROM quarantine WHERE customer_id = '${token}') AS n`);
    return Number(row!.n);
  } finally {
    await warehouse.close();
  }
}

describe('erase and a write-ahead log it cannot read', () => {
  it('refuses before erasing anything, naming the file; once the file is moved out the erase completes', async () => {
    const { dir, db, walDir } = await warehouseWithLog([{ kind: 'events', records: [view(rawId(7), 1), view(rawId(8), 2)] }]);
    // the record's header altered: its count no longer the one its tag was made with
    const segment = join(walDir, 'segment-00000001.wal');
    const bytes = readFileSync(segment);
    const headerEnd = bytes.indexOf(0x0a);
    const header = JSON.parse(bytes.toString('utf8', 0, headerEnd)) as { records: number };
    expect(header.records).toBe(2);
    writeFileSync(segment, Buffer.concat([Buffer.from(JSON.stringify({ ...header, records: 3 })), bytes.subarray(headerEnd)]));

    const before = await rowsOf(db, rawId(7));
    expect(before).toBeGreaterThan(0);
    const erase = await cli(['erase', rawId(7), '--db', db, '--role', 'admin']);
    expect(erase.code, erase.stdout + erase.stderr).toBe(2);
    expect(erase.stderr.trim().split('\n')).toHaveLength(1);
    expect(erase.stderr).toContain('segment-00000001.wal');
    expect(erase.stderr).toMatch(/hint:/);
    expect(erase.stderr).not.toMatch(/\n\s+at /);
    // nothing erased: the customer is still there, and still found by a second try
    expect(await rowsOf(db, rawId(7))).toBe(before);

    // the file moved out of the log, as the hint says: the erase completes
    writeFileSync(join(dir, 'moved-out.wal'), readFileSync(segment));
    writeFileSync(segment, '');
    const again = await cli(['erase', rawId(7), '--db', db, '--role', 'admin', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).customers).toHaveLength(1);
    expect(await rowsOf(db, rawId(7))).toBe(0);
  });

  it('refuses a log damaged before whole records — not read as a torn tail, which would leave the customer in the batches after it', async () => {
    const { db, walDir } = await warehouseWithLog([
      { kind: 'events', records: [view(rawId(8), 1)] },
      { kind: 'events', records: [view(rawId(7), 2)] },
    ]);
    const segment = join(walDir, 'segment-00000001.wal');
    const bytes = readFileSync(segment);
    // the first record's hash altered: its body no longer checks out, and the second record follows whole
    const headerEnd = bytes.indexOf(0x0a);
    const header = JSON.parse(bytes.toString('utf8', 0, headerEnd)) as { sha: string };
    writeFileSync(segment, Buffer.concat([Buffer.from(JSON.stringify({ ...header, sha: '0'.repeat(32) })), bytes.subarray(headerEnd)]));
    const before = await rowsOf(db, rawId(7));
    const erase = await cli(['erase', rawId(7), '--db', db, '--role', 'admin']);
    expect(erase.code, erase.stdout + erase.stderr).toBe(2);
    expect(erase.stderr.trim().split('\n')).toHaveLength(1);
    expect(erase.stderr).toMatch(/segment-00000001\.wal is damaged at byte 0: its body's hash does not match; 1 whole record follows it/);
    expect(erase.stderr).not.toMatch(/\n\s+at /);
    expect(await rowsOf(db, rawId(7))).toBe(before);
  });
});
