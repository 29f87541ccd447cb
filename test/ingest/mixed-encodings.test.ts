import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { SAMPLE_BYTES } from '../../src/ingest/inspect-source.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');

// A file of UTF-8 lines with one Latin-1 line is read as Latin-1 as a whole (the reader takes one encoding per file):
// every UTF-8 character is then stored garbled ('café' as 'cafÃ©'). Regression: nothing said so — 9,000 lines of a
// file whose one Latin-1 line sat past the sampled head were stored as 'cafÃ© item' without a word.
describe('a file mixing UTF-8 and Latin-1 lines', () => {
  const dir = scratchDir();
  const utf8Lines = (n: number) => Array.from({ length: n }, (_, i) => `c${i % 97},2023-01-${String(1 + (i % 28)).padStart(2, '0')},${10 + (i % 50)}.5,café item ${i}\n`).join('');

  it.each([
    ['in the sampled head', 60],
    ['past the sampled head', 9_000],
  ])('the Latin-1 line %s: read as Latin-1, with a warning naming what it did to the UTF-8 text', async (_where, lines) => {
    const path = join(dir, `mixed-${lines}.csv`);
    const bytes = Buffer.concat([Buffer.from(`customer_id,date,amount,description\n${utf8Lines(lines)}`, 'utf8'), Buffer.from('c1,2023-02-01,5,crème\n', 'latin1')]);
    if (lines > 1_000) expect(bytes.length).toBeGreaterThan(SAMPLE_BYTES);
    writeFileSync(path, bytes);
    const warehouse = await memoryWarehouse();
    const report = await ingestFiles(warehouse, [path], { now: NOW, map: { description: 'description' } });
    const file = report.files[0]!;
    expect(file.encoding).toBe('latin-1');
    expect(file.accepted).toBe(lines + 1);
    const warning = file.warnings.find((w) => /UTF-8/.test(w));
    expect(warning).toBeDefined();
    expect(warning).toContain(`'é' as 'Ã©'`);
    await warehouse.close();
  });

  it('a file in Latin-1 throughout gets no such warning', async () => {
    const path = join(dir, 'latin1.csv');
    writeFileSync(path, Buffer.from('customer_id,date,amount,description\nJosé,2023-01-01,10,Müsli\nAna,2023-01-02,12,crème brûlée\n', 'latin1'));
    const warehouse = await memoryWarehouse();
    const report = await ingestFiles(warehouse, [path], { now: NOW, map: { description: 'description' } });
    expect(report.files[0]!.encoding).toBe('latin-1');
    expect(report.files[0]!.warnings.filter((w) => /UTF-8/.test(w))).toEqual([]);
    await warehouse.close();
  });
});
