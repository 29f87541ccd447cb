import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { describeQuarantineDetail, quarantineExamples } from '../../src/pipeline/quarantine-examples.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');
const HEADER = 'order_id,customer_id,order_date,product_id,quantity,unit_price';
const HELD = '1,C1,2023-01-01,P1,1,2.50';
const LINES = [
  HEADER,
  '2,CUST-20417,2023-01-02,P2,1,3.00', // 2: accepted
  HELD, // 3: duplicate of a held row
  '2,CUST-20417,2023-01-02,P2,1,3.00', // 4: duplicate of line 2
  '5,CUST-77,31/31/2023,P5,1,1.00', // 5: bad_date
  '6,CUST-78,zhang.li@example.com,P6,1,1.00', // 6: bad_date whose "date" is personal data
];
const ENVELOPE = /v1:k[0-9a-f]{10}:/;

// Regression: the report's quarantine examples showed the AES-GCM envelope of bad_date and duplicate details (and a
// masked envelope, "v***", as the row) whenever the warehouse had a key — on both engines, since the examples are read
// from the quarantine table as stored.
describe("the report's quarantine examples show readable, masked text, never an envelope", () => {
  const scratch = useScratchWarehouse();

  async function ingestWithKey() {
    const held = join(scratch.dir, 'held.csv');
    const next = join(scratch.dir, 'next.csv');
    writeFileSync(held, `${HEADER}\n${HELD}\n`);
    writeFileSync(next, `${LINES.join('\n')}\n`);
    const keyring = keyringFromKey(generateKey());
    await ingestFiles(scratch.warehouse, [held], { now: NOW, keyring });
    const ingest = await ingestFiles(scratch.warehouse, [next], { now: NOW, keyring });
    return { keyring, run: { ingest } as never };
  }

  it('opens the text with the key for a role that may see masked data, masks it, and describes duplicates by the row they copy', async () => {
    const { keyring, run } = await ingestWithKey();
    const examples = (await quarantineExamples(scratch.warehouse, run, { keyring, role: 'analyst' })).filter((e) => e.source === 'next.csv');
    expect(examples).toEqual([
      { source: 'next.csv', line: 5, reason: 'bad_date', detail: 'date: 31/31/2023', raw: '5,C***,31/31/2023,P***,1,1.00' },
      { source: 'next.csv', line: 6, reason: 'bad_date', detail: 'date: z***', raw: '6,C***,z***,P***,1,1.00' },
      { source: 'next.csv', line: 3, reason: 'duplicate', detail: 'copy of a row the warehouse already held; its text is not stored (held already)', raw: '' },
      { source: 'next.csv', line: 4, reason: 'duplicate', detail: 'duplicate of line 2 of next.csv; its text is not stored (held already)', raw: '' },
    ]);
    for (const example of examples) expect(JSON.stringify(example)).not.toMatch(ENVELOPE);
    expect(JSON.stringify(examples)).not.toMatch(/CUST-|zhang|example\.com/);
  });

  it('without the key, or for a role that may not see masked data, shows place, reason and a note, and no envelope', async () => {
    const { keyring, run } = await ingestWithKey();
    for (const viewer of [{}, { keyring, role: 'viewer' }]) {
      const examples = (await quarantineExamples(scratch.warehouse, run, viewer)).filter((e) => e.source === 'next.csv');
      expect(examples.map((e) => [e.line, e.reason, e.raw])).toEqual([[5, 'bad_date', ''], [6, 'bad_date', ''], [3, 'duplicate', ''], [4, 'duplicate', '']]);
      expect(examples.map((e) => e.detail)).toEqual([
        'text encrypted: not shown without the warehouse key',
        'text encrypted: not shown without the warehouse key',
        'copy of a row the warehouse already held; its text is not stored (held already)', // no envelope at all: nothing to hide
        'text encrypted: not shown without the warehouse key',
      ]);
      expect(JSON.stringify(examples)).not.toMatch(ENVELOPE);
    }
  });

  it('describes details: a duplicate by its line and file, a date as read only when it looks like one', () => {
    expect(describeQuarantineDetail('duplicate', 'same as line 17', 'orders.csv', true)).toBe('duplicate of line 17 of orders.csv');
    expect(describeQuarantineDetail('duplicate', null, 'orders.csv', true)).toBe('copy of a row the warehouse already held');
    expect(describeQuarantineDetail('bad_date', 'date: 12/31/2023 10:00 PM', 'orders.csv', true)).toBe('date: 12/31/2023 10:00 PM');
    expect(describeQuarantineDetail('bad_date', 'date: Zhang Li', 'orders.csv', true)).toBe('date: Z***');
    expect(describeQuarantineDetail('missing_customer_id', 'same as line 6', 'orders.csv', true)).toBe('s***');
  });
});
