import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { formatIngestReport } from '../../src/ingest/ingest-report.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

// A file with a header and an empty header cell: the cell's column was named from 0 (the engine's column1 for the
// second column), while a file without a header names its columns from 1 and --map counts positions from 1 (note=2
// took the column the report called column1). An empty header cell is now named by its 1-based position, as
// everything else the user sees: the second column is column2, by position and by name.
const NOW = new Date('2024-01-01T00:00:00Z');

async function xlsxWithEmptyHeaderCell(): Promise<string> {
  const ExcelJS = (await import('exceljs')).default;
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('orders');
  sheet.addRow(['CustomerID', null, 'InvoiceDate', 'Amount']);
  sheet.addRow(['c1', 'a note', '2023-01-01', 10]);
  sheet.addRow(['c2', 'another', '2023-01-02', 20, 'beyond']); // a cell beyond the header: the 5th column
  const path = join(scratchDir(), 'orders.xlsx');
  await workbook.xlsx.writeFile(path);
  return path;
}

describe('an empty header cell', () => {
  it('is named by its 1-based position in a delimited file (column2 for the second column), as --map counts it', async () => {
    const path = join(scratchDir(), 'orders.csv');
    writeFileSync(path, 'customer_id,,date,amount\nC1,first note,2023-01-02,10.50\nC2,,2023-01-03,20.00\n');
    const warehouse = await memoryWarehouse();
    try {
      const report = await ingestFiles(warehouse, [path], { now: NOW });
      expect(report.files[0]!.hasHeader).toBe(true);
      expect(report.files[0]!.unreadColumns).toEqual(['column2']);
      expect(formatIngestReport(report)).toContain('not read (not stored): column2');
      // by position and by the name the report gave it: the same column
      for (const note of ['2', 'column2']) {
        const other = await memoryWarehouse(1);
        try {
          const mapped = await ingestFiles(other, [path], { now: NOW, map: { note } });
          expect(mapped.files[0]!.mapping).toMatchObject({ note: 'column2' });
          expect(mapped.files[0]!.unreadColumns).toEqual([]);
        } finally {
          await other.close();
        }
      }
    } finally {
      await warehouse.close();
    }
  });

  it('is named by its 1-based position in a worksheet too, and so are the cells beyond the header', async () => {
    const path = await xlsxWithEmptyHeaderCell();
    const warehouse = await memoryWarehouse();
    try {
      const report = await ingestFiles(warehouse, [path], { now: NOW });
      expect(report.files[0]!.unreadColumns).toEqual(['column2', 'column5']);
      expect(report.files[0]!.warnings).toContain('cells beyond the header: column E (read as column5) has values on 1 row; not stored (to keep one, map it to a role: --map <role>=column5, e.g. note)');
    } finally {
      await warehouse.close();
    }
  });
});
