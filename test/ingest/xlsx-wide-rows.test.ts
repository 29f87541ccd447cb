import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

// An XLSX row with values in cells beyond the header's columns: once dropped without a word and the row accepted,
// then quarantined whole as malformed_row — every order that had a note typed beside it was lost to the analysis.
// In a worksheet a cell has its column, so the named cells of such a row cannot have shifted: the cells beyond the
// header form an unnamed column, as a header cell left empty does in a delimited file (`a,b,c,` → column4, by its
// 1-based position: empty-header-cells-named-from-one.test.ts). It is read as column4 (column D)…, not stored unless mapped, named under "not read", and a warning says where and on how many rows.
async function wideWorkbook(): Promise<string> {
  const ExcelJS = (await import('exceljs')).default;
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('orders');
  sheet.addRow(['CustomerID', 'InvoiceDate', 'Amount']);
  sheet.addRow(['c1', '2023-01-01', 10]); // line 2
  sheet.addRow(['c2', '2023-01-02', 20, 'stray note']); // line 3: a value beyond the header (column D)
  sheet.addRow(['c3', '2023-01-03', 30, null, 99]); // line 4: a value two cells beyond (column E)
  sheet.addRow(['c4', '2023-01-04', 40, '']); // line 5: an empty extra cell only
  sheet.addRow(['c5', '2023-01-05', 50, 'another note']); // line 6
  const path = join(scratchDir(), 'orders.xlsx');
  await workbook.xlsx.writeFile(path);
  return path;
}

describe('XLSX rows wider than the header', () => {
  it('are kept; the cells beyond the header are an unnamed column, not stored, and a warning names it', async () => {
    const path = await wideWorkbook();
    const warehouse = await memoryWarehouse();
    try {
      const report = await ingestFiles(warehouse, [path], { now: new Date('2024-01-01T00:00:00Z') });
      expect(report).toMatchObject({ rowsRead: 5, accepted: 5, quarantined: 0 });
      expect(report.rules.malformed_row).toBe(0);
      const accepted = await warehouse.query('SELECT customer_id, amount FROM transactions ORDER BY customer_id');
      expect(accepted.map((r) => [r.customer_id, r.amount])).toEqual([['c1', 10], ['c2', 20], ['c3', 30], ['c4', 40], ['c5', 50]]);
      const file = report.files[0]!;
      expect(file.unreadColumns).toEqual(['column4', 'column5']);
      expect(file.warnings).toEqual(['cells beyond the header: column D (read as column4) has values on 2 rows, column E (read as column5) on 1 row; not stored (to keep one, map it to a role: --map <role>=column4, e.g. note)']);
    } finally {
      await warehouse.close();
    }
  });

  it('the unnamed column can be mapped: its values are kept (a note, encrypted)', async () => {
    const path = await wideWorkbook();
    const warehouse = await memoryWarehouse();
    try {
      const report = await ingestFiles(warehouse, [path], { now: new Date('2024-01-01T00:00:00Z'), map: { note: 'column4' } });
      expect(report).toMatchObject({ rowsRead: 5, accepted: 5, quarantined: 0 });
      expect(report.files[0]!.unreadColumns).toEqual(['column5']);
      expect(report.files[0]!.warnings).toEqual(['cells beyond the header: column E (read as column5) has values on 1 row; not stored (to keep one, map it to a role: --map <role>=column5, e.g. note)']);
      const notes = await warehouse.query('SELECT count(note_enc) AS n FROM customers');
      expect(Number(notes[0]!.n)).toBe(2); // c2's and c5's notes, as envelopes
      const blank = await warehouse.query("SELECT count(*) AS n FROM customers WHERE note_enc LIKE '%note%'");
      expect(Number(blank[0]!.n)).toBe(0);
    } finally {
      await warehouse.close();
    }
  });
});
