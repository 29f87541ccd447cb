/**
 * A delimited file's detections (date format, UTC offsets, decimal separator, names in the customer column) sample its
 * first 20,000 rows — the dates, their first 20,000 non-empty values. The head is read once into a table
 * (`clv_stage_head`) instead of scanning the file's reader per sample; these guard that the samples stay the same rows:
 * past the head when its rows hold too few values, and that the head does not outlive the ingest.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2025-01-01T00:00:00Z');
const HEAD = 20_000;

function lines(count: number, line: (i: number) => string): string {
  return Array.from({ length: count }, (_, i) => line(i)).join('\n');
}

describe('samples from the head of a delimited file', () => {
  const scratch = useScratchWarehouse();

  it('reads the date format past the head when its first 20,000 rows have no date', async () => {
    const { warehouse, dir } = scratch;
    const file = join(dir, 'late-dates.csv');
    writeFileSync(file, `order_id,customer_id,order_date,amount\n${lines(HEAD, (i) => `E${i},C${i % 50},,1.5`)}\n${lines(300, (i) => `O${i},C${i % 50},${(i % 28) + 1}/12/2023,2.5`)}\n`);
    const report = await ingestFiles(warehouse, [file], { now: NOW });
    const [only] = report.files;
    expect(only!.dateFormats).toEqual(['%d/%m/%Y']);
    expect([only!.accepted, only!.rules.missing_date]).toEqual([300, HEAD]);
  });

  it('reads the UTC offset past the head when its first 20,000 rows have no date', async () => {
    const { warehouse, dir } = scratch;
    const file = join(dir, 'late-offsets.csv');
    writeFileSync(file, `order_id,customer_id,order_date,amount\n${lines(HEAD, (i) => `E${i},C${i % 50},,1.5`)}\n${lines(300, (i) => `O${i},C${i % 50},2023-12-${String((i % 28) + 1).padStart(2, '0')}T10:00:00+02:00,2.5`)}\n`);
    const report = await ingestFiles(warehouse, [file], { now: NOW });
    expect(report.files[0]!.timezone).toBe('+02:00');
    const [first] = await warehouse.query("SELECT strftime(min(ts), '%Y-%m-%d %H:%M') AS t FROM transactions");
    expect(first!.t).toBe('2023-12-01 10:00');
  });

  it('decides the decimal separator from the first 20,000 rows, as before (a decimal comma after them is no evidence)', async () => {
    const { warehouse, dir } = scratch;
    const file = join(dir, 'late-commas.csv');
    writeFileSync(file, `order_id;customer_id;order_date;amount\n${lines(HEAD, (i) => `A${i};C${i % 50};2023-12-01;3.25`)}\n${lines(10, (i) => `B${i};C${i % 50};2023-12-02;3,5`)}\n`);
    const report = await ingestFiles(warehouse, [file], { now: NOW });
    const [only] = report.files;
    expect(only!.decimalSeparator).toBe('.');
    expect([only!.accepted, only!.rules.bad_number]).toEqual([HEAD, 10]);
  });

  it('leaves no head table behind', async () => {
    const { warehouse, dir } = scratch;
    const file = join(dir, 'small.csv');
    writeFileSync(file, 'order_id,customer_id,order_date,amount\nO1,C1,2023-12-01,12.50\nO2,C2,2023-12-02,8.00\n');
    await ingestFiles(warehouse, [file], { now: NOW });
    const left = await warehouse.query("SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'clv_stage%'");
    expect(left).toEqual([]);
  });
});
