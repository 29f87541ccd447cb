import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { SAMPLE_BYTES } from '../../src/ingest/inspect-source.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');

// Windows-1252 (what Excel on Windows saves as "CSV") writes € as 0x80 and curly quotes and dashes as 0x91–0x97, bytes
// that ISO Latin-1 leaves to control characters and the engine's Latin-1 reader refuses. Regression: such a file was
// refused ("cannot read … as CSV: Invalid Input Error: File is not latin-1 encoded", no way around it but converting
// it), a blank-separated one ended in an internal error, and so did a blank-separated file whose Latin-1 line sat past
// the sampled head ("CSV Error on Line: 20001").
describe('a file in Windows-1252', () => {
  const dir = scratchDir();
  const CP1252: Record<string, number> = { '€': 0x80, '“': 0x93, '”': 0x94, '–': 0x96 };
  /** `text` in Windows-1252 (its other characters are ASCII or Latin-1, one byte each) */
  const cp1252 = (text: string) => Buffer.from([...text].map((c) => CP1252[c] ?? c.charCodeAt(0)));
  const csv = 'customer_id,date,amount,description\nJosé,2023-01-01,10,“Deluxe” mug – €5\nAna,2023-01-02,12,Müsli\n';

  it.each([
    ['CSV', 'shop.csv', cp1252(csv)],
    ['gzip-compressed CSV', 'shop.csv.gz', gzipSync(cp1252(csv))],
    ['CSV with CRLF and LF line ends', 'crlf.csv', cp1252(csv.replace('\n', '\r\n'))],
    ['blank-separated text', 'shop.txt', cp1252('customer_id date amount description\nJosé 2023-01-01 10 €5-mug\nAna 2023-01-02 12 Müsli\n')],
  ])('%s: read, € and the quotes stored as written, the encoding named', async (_what, name, bytes) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    const warehouse = await memoryWarehouse();
    const report = await ingestFiles(warehouse, [path], { now: NOW, map: { description: 'description' } });
    const file = report.files[0]!;
    expect(file.encoding).toBe('windows-1252');
    expect([file.accepted, file.quarantined]).toEqual([2, 0]);
    const rows = await warehouse.query('SELECT description FROM transactions ORDER BY amount');
    expect(rows.map((r) => r.description)).toEqual([name.endsWith('.txt') ? '€5-mug' : '“Deluxe” mug – €5', 'Müsli']);
    await warehouse.close();
  });

  it('a blank-separated file with a Latin-1 line past the sampled head: read as Latin-1, not an internal error', async () => {
    const path = join(dir, 'late-latin1.txt');
    const lines = Array.from({ length: 20_000 }, (_, i) => `c${i % 500} 2023-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')} ${10 + (i % 50)}.5 mug\n`).join('');
    const bytes = Buffer.concat([Buffer.from(lines), Buffer.from('c7 2023-02-01 5 crème\n', 'latin1')]);
    expect(bytes.length).toBeGreaterThan(SAMPLE_BYTES);
    writeFileSync(path, bytes);
    const warehouse = await memoryWarehouse();
    const report = await ingestFiles(warehouse, [path], { now: NOW, map: { customer_id: '1', date: '2', amount: '3', description: '4' }, header: false, rules: { duplicate: false } });
    expect(report.files[0]!.encoding).toBe('latin-1');
    expect(report.files[0]!.rowsRead).toBe(20_001);
    const [row] = await warehouse.query(`SELECT description FROM transactions WHERE description <> 'mug'`);
    expect(row!.description).toBe('crème');
    await warehouse.close();
  });

  it('UTF-8 text beside Windows-1252 (mixed encodings): read as Windows-1252, the warning naming what it did to the UTF-8', async () => {
    const path = join(dir, 'mixed.csv');
    writeFileSync(path, Buffer.concat([Buffer.from('customer_id,date,amount,description\nc1,2023-01-01,10,mug €5\n', 'utf8'), cp1252('c2,2023-01-02,12,“tea”\n')]));
    const warehouse = await memoryWarehouse();
    const report = await ingestFiles(warehouse, [path], { now: NOW, map: { description: 'description' } });
    const file = report.files[0]!;
    expect(file.encoding).toBe('windows-1252');
    expect(file.accepted).toBe(2);
    expect(file.warnings.find((w) => /mixes encodings/.test(w))).toContain(`read as Windows-1252, and its UTF-8 text is stored garbled ('€' as 'â‚¬')`);
    await warehouse.close();
  });
});
