import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { formatIngestReport } from '../../src/ingest/ingest-report.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

// A file without a header: its columns were named from 0 (column0, column1, …, the engine's names) in the ingest report,
// run.json and the human report, while --map and the warnings count positions from 1 (customer_id=1). They now agree:
// column1 is the first column, the one --map customer_id=1 takes.
const NOW = new Date('2024-01-01T00:00:00Z');

describe('the columns of a file without a header', () => {
  it('are named from 1 in a delimited file, as --map and the warnings count them', async () => {
    const dir = scratchDir();
    const path = join(dir, 'orders.csv');
    writeFileSync(path, 'C1,O1,2023-01-02,10.50\nC2,O2,2023-01-03,20.00\nC1,O3,2023-02-04,7.25\n');
    const warehouse = await memoryWarehouse();
    try {
      const report = await ingestFiles(warehouse, [path], { now: NOW, map: { customer_id: '1', order_id: '2', date: '3', amount: '4' } });
      expect(report.files[0]!.hasHeader).toBe(false);
      expect(report.files[0]!.mapping).toEqual({ customer_id: 'column1', order_id: 'column2', date: 'column3', amount: 'column4' });
      expect(formatIngestReport(report)).toContain('columns: customer_id=column1, order_id=column2, date=column3, amount=column4');
      // by name, the same column as by position
      const other = await memoryWarehouse(1);
      try {
        const byName = await ingestFiles(other, [path], { now: NOW, map: { customer_id: 'column1', order_id: 'column2', date: 'column3', amount: 'column4' } });
        expect(byName).toMatchObject({ accepted: 3 });
        const [row] = await other.query("SELECT count(DISTINCT customer_id) AS n FROM transactions");
        expect(Number(row!.n)).toBe(2);
      } finally {
        await other.close();
      }
    } finally {
      await warehouse.close();
    }
  });

  it('are named from 1 in a whitespace-separated file (the CDNOW layout), guessed or not', async () => {
    const path = join(scratchDir(), 'cdnow.txt');
    writeFileSync(path, ' 00004 0001 19970101  2   29.33\n 00004 0001 19970118  2   29.73\n 00021 0002 19970101  3   63.34\n');
    const warehouse = await memoryWarehouse();
    try {
      const guessed = await ingestFiles(warehouse, [path], { now: NOW });
      expect(guessed.files[0]!.mapping).toMatchObject({ customer_id: 'column1', date: 'column3', quantity: 'column4', amount: 'column5' });
      expect(guessed.files[0]!.unreadColumns).toEqual(['column2']);
      const text = formatIngestReport(guessed);
      expect(text).toContain('columns: customer_id=column1 (guessed), date=column3 (guessed), quantity=column4 (guessed), amount=column5 (guessed)');
      expect(text).toContain('not read (not stored): column2\n');
    } finally {
      await warehouse.close();
    }
  });
});
