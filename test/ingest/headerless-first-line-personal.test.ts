import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { formatIngestReport } from '../../src/ingest/ingest-report.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';
import { dumpWarehouseText } from '../privacy/privacy-fixture.js';

// A file without a header whose columns are all text (a contact list: phone as the id, name, e-mail) was read with
// its first line as the header: that customer's row was lost, and their phone, name and e-mail became "column names"
// — printed in the ingest report, stored in clear in ingests.report (mapping, unreadColumns) and quoted by the error
// "no column for required role … (columns found: 1:+44 7700 900000, 2:Chiara Vantorre, 3:chiara…@…)".
// A line holding an e-mail address or a phone number is a data line: no header names a column so.
const FIRST = ['+44 7700 900000', 'Chiara Vantorre', 'chiara.vantorre0@privmail.test'];
const LINES = [
  `${FIRST.join(',')},organic`,
  '+44 7700 900001,Eloise Quixley,eloise.quixley1@privmail.test,paid',
  '+44 7700 900002,Hamish Pemberly,hamish.pemberly2@privmail.test,organic',
  '+44 7700 900003,Greta Ombrelle,greta.ombrelle3@privmail.test,referral',
];
const NOW = new Date('2024-01-01T00:00:00Z');

describe('a headerless file whose first line holds personal data', () => {
  const scratch = useScratchWarehouse({ file: true });

  it('is read without a header: every row ingested, no value of the first line in the report or in clear in the warehouse', async () => {
    const path = join(scratch.dir, 'contacts.csv');
    writeFileSync(path, LINES.join('\n') + '\n');
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW, keyring: keyringFromKey(generateKey()), kind: 'customers', map: { customer_id: '1' } });
    expect(report.files[0]!.hasHeader).toBe(false);
    expect(report).toMatchObject({ rowsRead: 4, accepted: 4 });
    const text = formatIngestReport(report) + JSON.stringify(report) + (await dumpWarehouseText(scratch.warehouse));
    for (const value of FIRST) expect(text.includes(value), value).toBe(false);
  });

  it('is not quoted by the error naming the columns found', async () => {
    const path = join(scratch.dir, 'contacts.csv');
    writeFileSync(path, LINES.join('\n') + '\n');
    const error = await ingestFiles(scratch.warehouse, [path], { now: NOW, keyring: keyringFromKey(generateKey()), kind: 'customers' }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    const text = error ? `${error.message} ${(error as { hint?: string }).hint ?? ''}` : '';
    for (const value of FIRST) expect(text.includes(value), value).toBe(false);
  });

  it('in a workbook too: a first row holding contact details is data (it was always the header, and --no-header was not read)', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('contacts');
    for (const line of LINES) sheet.addRow(line.split(','));
    const path = join(scratch.dir, 'contacts.xlsx');
    await workbook.xlsx.writeFile(path);
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW, keyring: keyringFromKey(generateKey()), kind: 'customers', map: { customer_id: '1' } });
    expect(report.files[0]!.hasHeader).toBe(false);
    expect(report).toMatchObject({ rowsRead: 4, accepted: 4 });
    const text = formatIngestReport(report) + JSON.stringify(report) + (await dumpWarehouseText(scratch.warehouse));
    for (const value of FIRST) expect(text.includes(value), value).toBe(false);
  });

  it('a workbook read with --no-header (header: false) keeps its first row as data', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('orders');
    sheet.addRow(['Chiara Vantorre', '2023-01-02', 10]);
    sheet.addRow(['Eloise Quixley', '2023-01-03', 20]);
    const path = join(scratch.dir, 'orders.xlsx');
    await workbook.xlsx.writeFile(path);
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW, keyring: keyringFromKey(generateKey()), header: false, map: { customer_id: '1', date: '2', amount: '3' } });
    expect(report.files[0]!.hasHeader).toBe(false);
    expect(report).toMatchObject({ rowsRead: 2, accepted: 2 });
    expect(JSON.stringify(report)).not.toContain('Chiara');
  });
});
