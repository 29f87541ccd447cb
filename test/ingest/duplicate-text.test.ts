import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { quarantineContext } from '../../src/privacy/keys/encrypted-columns.js';
import { decryptValue } from '../../src/privacy/keys/encryption.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');
const HEADER = 'order_id,customer_id,order_date,product_id,quantity,unit_price';
const HELD = '1,C1,2023-01-01,P1,1,2.50';
const LINES = [
  HEADER,
  '2,C2,2023-01-02,P2,1,3.00', // 2: accepted
  HELD, // 3: duplicate, held by the warehouse already
  '2,C2,2023-01-02,P2,1,3.00', // 4: duplicate, a copy of line 2
  '4,,2023-01-04,P4,1,1.00', // 5: missing_customer_id
  '4,,2023-01-04,P4,1,1.00', // 6: missing_customer_id, and a copy of line 5: rejected for its own reason, its text kept
];

describe("duplicateText: 'reference' by default (a row rejected as an exact duplicate keeps its line, reason and detail, not its text); 'text' keeps it", () => {
  const scratch = useScratchWarehouse();

  it('by default stores no text for duplicates, the same counts, lines and details, and every other rejected row encrypted as before', async () => {
    const held = join(scratch.dir, 'held.csv');
    const next = join(scratch.dir, 'next.csv');
    writeFileSync(held, `${HEADER}\n${HELD}\n`);
    writeFileSync(next, `${LINES.join('\n')}\n`);
    const keyring = keyringFromKey(generateKey());
    await ingestFiles(scratch.warehouse, [held], { now: NOW, keyring });
    const report = await ingestFiles(scratch.warehouse, [next], { now: NOW, keyring });
    expect(report).toMatchObject({ rowsRead: 5, accepted: 1, quarantined: 4 });
    expect(report.rules).toMatchObject({ duplicate: 2, missing_customer_id: 2 });
    const ingestId = Number(report.files[0]!.ingestId);
    const rows = await scratch.warehouse.query(`SELECT line, raw, reason, detail FROM quarantine WHERE ingest_id = ${ingestId} ORDER BY line`);
    const open = (value: unknown, line: number) => (value === null ? null : decryptValue(String(value), keyring, { context: quarantineContext(ingestId, line) }));
    expect(rows.map((r) => ({ line: r.line, raw: open(r.raw, Number(r.line)), reason: r.reason, detail: open(r.detail, Number(r.line)) }))).toEqual([
      { line: 3, raw: null, reason: 'duplicate', detail: null },
      { line: 4, raw: null, reason: 'duplicate', detail: 'same as line 2' },
      { line: 5, raw: LINES[4], reason: 'missing_customer_id', detail: null },
      { line: 6, raw: LINES[5], reason: 'missing_customer_id', detail: 'same as line 5' },
    ]);
    // 'text' (clvkit ingest --keep-duplicate-text) keeps it: the same file into a fresh warehouse quarantines both
    // duplicates with their text, encrypted for their own line, and the same counts and details.
    await scratch.warehouse.execute('DELETE FROM transactions; DELETE FROM quarantine; DELETE FROM ingests');
    await ingestFiles(scratch.warehouse, [held], { now: NOW, keyring });
    const again = await ingestFiles(scratch.warehouse, [next], { now: NOW, keyring, duplicateText: 'text' });
    expect(again).toMatchObject({ rowsRead: 5, accepted: 1, quarantined: 4 });
    const againId = Number(again.files[0]!.ingestId);
    const withText = await scratch.warehouse.query(`SELECT line, raw, detail FROM quarantine WHERE ingest_id = ${againId} AND reason = 'duplicate' ORDER BY line`);
    const openAgain = (value: unknown, line: number) => (value === null ? null : decryptValue(String(value), keyring, { context: quarantineContext(againId, line) }));
    expect(withText.map((r) => ({ line: r.line, raw: openAgain(r.raw, Number(r.line)), detail: openAgain(r.detail, Number(r.line)) }))).toEqual([
      { line: 3, raw: HELD, detail: null },
      { line: 4, raw: LINES[1], detail: 'same as line 2' },
    ]);
  });
});
