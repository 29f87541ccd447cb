import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { ingestFiles, type IngestStep } from '../../src/ingest/ingest-files.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');
const HEADER = 'order_id,customer_id,order_date,product_id,quantity,unit_price,country';

/** Order line i (1-based): every 25th has no customer id; days and customers cycle so lines are all distinct. */
function orderLine(i: number): string {
  const customer = i % 25 === 0 ? '' : `C${i % 7}`;
  return `${1000 + i},${customer},2023-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')} 10:00:00,P${i % 5},${1 + (i % 3)},${(2.5 + i).toFixed(2)},UK`;
}

function writeLines(path: string, count: number): string {
  writeFileSync(path, [HEADER, ...Array.from({ length: count }, (_, k) => orderLine(k + 1))].join('\n') + '\n');
  return path;
}

async function count(warehouse: Warehouse, sql: string): Promise<number> {
  const [row] = await warehouse.query(sql);
  return Number(row!.n);
}

describe('re-ingest and append', () => {
  const scratch = useScratchWarehouse();

  it('recognises a held file by its hash before staging it, and writes nothing', async () => {
    const keyring = keyringFromKey(generateKey());
    const file = writeLines(join(scratch.dir, 'orders.csv'), 100);
    await ingestFiles(scratch.warehouse, [file], { now: NOW, keyring });
    const before = await count(scratch.warehouse, 'SELECT count(*) AS n FROM transactions');
    const steps: IngestStep[] = [];
    const again = await ingestFiles(scratch.warehouse, [file], { now: NOW, keyring, onStep: (step) => steps.push(step) });
    expect(steps).toEqual(['inspect']);
    expect(again.files[0]).toMatchObject({ alreadyIngested: true, ingestId: 1, rowsRead: 0, accepted: 0 });
    expect(await count(scratch.warehouse, 'SELECT count(*) AS n FROM transactions')).toBe(before);
    expect(await count(scratch.warehouse, 'SELECT count(*) AS n FROM ingests')).toBe(1);
  });

  it('adds only the new rows of a file that overlaps the warehouse by 90%, keyed', async () => {
    const keyring = keyringFromKey(generateKey());
    const held = writeLines(join(scratch.dir, 'first-90.csv'), 90);
    const whole = writeLines(join(scratch.dir, 'all-100.csv'), 100);
    const first = await ingestFiles(scratch.warehouse, [held], { now: NOW, keyring });
    expect(first).toMatchObject({ rowsRead: 90, accepted: 87, quarantined: 3 }); // lines with i = 25, 50, 75 have no id
    const next = await ingestFiles(scratch.warehouse, [whole], { now: NOW, keyring });
    // 87 held rows are duplicates, the 3 id-less rows are quarantined again for that, 10 lines are new (i = 100 has no id)
    expect(next).toMatchObject({ rowsRead: 100, accepted: 9, quarantined: 91 });
    expect(next.rules).toMatchObject({ duplicate: 87, missing_customer_id: 4 });
    const added = await scratch.warehouse.query(`SELECT source_line AS line FROM transactions WHERE ingest_id = ${next.files[0]!.ingestId} ORDER BY source_line`);
    expect(added.map((r) => Number(r.line))).toEqual([92, 93, 94, 95, 96, 97, 98, 99, 100]);
    expect(await count(scratch.warehouse, 'SELECT count(*) AS n FROM transactions')).toBe(96);
    expect(await count(scratch.warehouse, 'SELECT count(DISTINCT row_hash) AS n FROM transactions')).toBe(96);
  });

  it('keeps the line as read in the quarantine for a rejected row (rebuilt from its fields)', async () => {
    const file = writeLines(join(scratch.dir, 'orders.csv'), 30);
    await ingestFiles(scratch.warehouse, [file], { now: NOW });
    const rows = await scratch.warehouse.query("SELECT line, raw, reason FROM quarantine WHERE reason = 'missing_customer_id'");
    expect(rows).toEqual([{ line: 26, raw: orderLine(25), reason: 'missing_customer_id' }]);
  });
});
