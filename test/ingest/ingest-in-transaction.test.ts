import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { UserError } from '../../src/core/errors/user-error.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');
// Line 1 header; 3 malformed (CSV) / not an object (JSONL); 4 missing customer; 5 a copy of line 2.
const CSV = ['order_id,customer_id,order_date,product_id,quantity,unit_price', '1,C1,2023-01-01,P1,1,2.50', '2,C2,2023-01-02', '3,,2023-01-03,P3,1,1.00', '1,C1,2023-01-01,P1,1,2.50', '4,C4,2023-01-04,P4,2,1.00'];
const JSONL = [
  '{"order_id": "1", "customer_id": "C1", "order_date": "2023-01-01", "quantity": 1, "unit_price": 2.5}',
  '{"order_id": "2", "customer_id": "C2", "order_date": "2023-01-02", "quantity": 1, "unit_price": 3}',
  'not json',
  '{"order_id": "3", "customer_id": "", "order_date": "2023-01-03", "quantity": 1, "unit_price": 1}',
  '{"order_id": "1", "customer_id": "C1", "order_date": "2023-01-01", "quantity": 1, "unit_price": 2.5}',
];

async function lines(warehouse: Warehouse): Promise<{ accepted: unknown[]; quarantined: unknown[] }> {
  return {
    accepted: await warehouse.query('SELECT source_line AS line, order_id FROM transactions ORDER BY source_line'),
    quarantined: await warehouse.query('SELECT line, reason FROM quarantine ORDER BY line'),
  };
}

describe('ingestFiles inside a transaction the caller opened', () => {
  const scratch = useScratchWarehouse();

  for (const [kind, text, expected] of [
    ['CSV', CSV, { accepted: [{ line: 2, order_id: '1' }, { line: 6, order_id: '4' }], quarantined: [{ line: 3, reason: 'malformed_row' }, { line: 4, reason: 'missing_customer_id' }, { line: 5, reason: 'duplicate' }] }],
    ['JSON Lines', JSONL, { accepted: [{ line: 1, order_id: '1' }, { line: 2, order_id: '2' }], quarantined: [{ line: 3, reason: 'malformed_row' }, { line: 4, reason: 'missing_customer_id' }, { line: 5, reason: 'duplicate' }] }],
  ] as const) {
    it(`gives every ${kind} row the same line as outside one, keyed or not`, async () => {
      const path = join(scratch.dir, kind === 'CSV' ? 'orders.csv' : 'orders.jsonl');
      writeFileSync(path, `${text.join('\n')}\n`);
      for (const keyring of [undefined, keyringFromKey(generateKey())]) {
        await scratch.warehouse.execute('DELETE FROM transactions; DELETE FROM quarantine; DELETE FROM ingests');
        await ingestFiles(scratch.warehouse, [path], { now: NOW, ...(keyring ? { keyring } : {}) });
        const outside = await lines(scratch.warehouse);
        expect(outside).toEqual(expected);
        await scratch.warehouse.execute('DELETE FROM transactions; DELETE FROM quarantine; DELETE FROM ingests');
        const report = await scratch.warehouse.transaction(() => ingestFiles(scratch.warehouse, [path], { now: NOW, ...(keyring ? { keyring } : {}) }));
        expect(report).toMatchObject({ rowsRead: 5, accepted: 2, quarantined: 3 });
        expect(await lines(scratch.warehouse)).toEqual(expected);
      }
    });
  }

  it('fails with a clear message when the reader would have to read the file again (Latin-1 past the sampled head), which an open transaction cannot survive', async () => {
    const path = join(scratch.dir, 'late-latin1.csv');
    const head = `customer_id,date,amount\n${'C1,2023-01-01,10\n'.repeat(20_000)}`; // 340 kB of UTF-8 before the first Latin-1 byte
    writeFileSync(path, Buffer.concat([Buffer.from(head), Buffer.from('José,2023-01-02,5\n', 'latin1')]));
    const failure = scratch.warehouse.transaction(() => ingestFiles(scratch.warehouse, [path], { now: NOW }));
    await expect(failure).rejects.toBeInstanceOf(UserError);
    await expect(failure).rejects.toThrow(/cannot read .*late-latin1\.csv inside an open transaction/);
    // Outside a transaction the same file is read again as Latin-1.
    expect(await ingestFiles(scratch.warehouse, [path], { now: NOW })).toMatchObject({ rowsRead: 20_001, files: [{ encoding: 'latin-1' }] });
  });

  // review: the blank-separated reader's retry in another encoding ran inside the aborted transaction (an internal
  // "Current transaction is aborted"), where the CSV reader's is refused in one line
  it('fails with the same clear message for a blank-separated file in another encoding', async () => {
    const path = join(scratch.dir, 'blank.txt');
    writeFileSync(path, Buffer.from([...'customer_id date amount description\nJose 2023-01-01 10 \u20ac5-mug\nAna 2023-01-02 12 Musli\n'].map((c) => (c === '\u20ac' ? 0x80 : c.charCodeAt(0)))));
    const failure = scratch.warehouse.transaction(() => ingestFiles(scratch.warehouse, [path], { now: NOW, map: { description: 'description' } }));
    await expect(failure).rejects.toBeInstanceOf(UserError);
    await expect(failure).rejects.toThrow(/cannot read .*blank\.txt inside an open transaction/);
    expect(await ingestFiles(scratch.warehouse, [path], { now: NOW, map: { description: 'description' } })).toMatchObject({ rowsRead: 2, files: [{ encoding: 'windows-1252' }] });
  });

  it('rolls back with the caller: nothing of the file stays when the caller aborts', async () => {
    const path = join(scratch.dir, 'orders.csv');
    writeFileSync(path, `${CSV.join('\n')}\n`);
    await expect(
      scratch.warehouse.transaction(async () => {
        await ingestFiles(scratch.warehouse, [path], { now: NOW });
        throw new Error('caller aborts');
      }),
    ).rejects.toThrow('caller aborts');
    expect(await lines(scratch.warehouse)).toEqual({ accepted: [], quarantined: [] });
    expect(await ingestFiles(scratch.warehouse, [path], { now: NOW })).toMatchObject({ accepted: 2, quarantined: 3 });
  });
});
