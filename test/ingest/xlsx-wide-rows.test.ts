import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

// An XLSX row with values in cells beyond the header's columns: those values were dropped without a word and the row
// accepted. A delimited file's row with more fields than the header is quarantined as malformed_row; so is this one
// now, its text and the cell count kept. A row whose extra cells are empty is read as before.
describe('XLSX rows wider than the header', () => {
  it('are quarantined as malformed_row (values beyond the header), rows with only empty extra cells accepted', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('orders');
    sheet.addRow(['CustomerID', 'InvoiceDate', 'Amount']);
    sheet.addRow(['c1', '2023-01-01', 10]); // line 2
    sheet.addRow(['c2', '2023-01-02', 20, 'stray note']); // line 3: a value beyond the header
    sheet.addRow(['c3', '2023-01-03', 30, null, 99]); // line 4: a value two cells beyond
    sheet.addRow(['c4', '2023-01-04', 40, '']); // line 5: an empty extra cell only
    const path = join(scratchDir(), 'orders.xlsx');
    await workbook.xlsx.writeFile(path);
    const warehouse = await memoryWarehouse();
    try {
      const report = await ingestFiles(warehouse, [path], { now: new Date('2024-01-01T00:00:00Z') });
      expect(report).toMatchObject({ rowsRead: 4, accepted: 2, quarantined: 2 });
      expect(report.rules.malformed_row).toBe(2);
      const accepted = await warehouse.query('SELECT customer_id, amount FROM transactions ORDER BY customer_id');
      expect(accepted.map((r) => [r.customer_id, r.amount])).toEqual([
        ['c1', 10],
        ['c4', 40],
      ]);
      const quarantined = await warehouse.query('SELECT line, reason, raw, detail FROM quarantine ORDER BY line');
      expect(quarantined).toEqual([
        { line: 3, reason: 'malformed_row', raw: 'c2 2023-01-02 20 stray note', detail: 'the row has values in 4 cells, the header names 3 columns' },
        { line: 4, reason: 'malformed_row', raw: 'c3 2023-01-03 30  99', detail: 'the row has values in 5 cells, the header names 3 columns' },
      ]);
    } finally {
      await warehouse.close();
    }
  });
});
