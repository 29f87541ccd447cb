import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors/user-error.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2025-01-01T00:00:00Z');

// strptime's %Y reads "24" as the year 24: a file of 13.01.24 dates was accepted whole, dated 0024-01-13.
describe('two-digit years are never stored as the years 13 or 24', () => {
  const scratch = useScratchWarehouse();

  it('a file of two-digit years stops with a hint that names %y', async () => {
    const file = join(scratch.dir, 'short-years.csv');
    writeFileSync(file, 'customer_id,date,amount\n1,13.01.24,5\n2,14.02.24,6\n3,28.03.24,7\n');
    const error = await ingestFiles(scratch.warehouse, [file], { now: NOW }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/no date format fits column 'date' of short-years\.csv \(e\.g\. "13\.01\.24"\)/);
    expect((error as UserError).hint).toMatch(/%y/);
    const [held] = await scratch.warehouse.query('SELECT count(*) AS n FROM transactions');
    expect(Number(held!.n)).toBe(0);
  });

  it('with --date-format %d.%m.%y they are read as 2024', async () => {
    const file = join(scratch.dir, 'short-years.csv');
    writeFileSync(file, 'customer_id,date,amount\n1,13.01.24,5\n2,14.02.24,6\n');
    const report = await ingestFiles(scratch.warehouse, [file], { now: NOW, dateFormats: ['%d.%m.%y'] });
    expect(report.accepted).toBe(2);
    const rows = await scratch.warehouse.query('SELECT CAST(ts AS VARCHAR) AS ts FROM transactions ORDER BY ts');
    expect(rows.map((r) => r.ts)).toEqual(['2024-01-13 00:00:00', '2024-02-14 00:00:00']);
  });

  it('a two-digit year among four-digit ones under %d/%m/%Y is quarantined as bad_date, and the counts add up', async () => {
    const file = join(scratch.dir, 'one-short-year.csv');
    writeFileSync(file, 'customer_id,date,amount\n1,13/01/2024,5\n2,14/02/2024,6\n3,15/03/24,7\n');
    const report = await ingestFiles(scratch.warehouse, [file], { now: NOW, dateFormats: ['%d/%m/%Y'] });
    expect([report.rowsRead, report.accepted, report.quarantined, report.rules.bad_date]).toEqual([3, 2, 1, 1]);
    const [oldest] = await scratch.warehouse.query('SELECT CAST(min(ts) AS VARCHAR) AS ts FROM transactions');
    expect(oldest!.ts).toBe('2024-01-13 00:00:00');
    const quarantined = await scratch.warehouse.query('SELECT line, reason FROM quarantine');
    expect(quarantined).toEqual([{ line: 4, reason: 'bad_date' }]);
  });
});
