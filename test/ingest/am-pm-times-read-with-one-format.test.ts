/**
 * A user trial (session 40): order times written on a 12-hour clock ("1/15/2023 2:30:05 PM") fit no detected format,
 * and the hint offered '%d/%m/%Y %H:%M' — nothing about AM/PM, so the user tried one format for the AM rows and another
 * for the PM ones. One format reads them: %I for the hour (1–12) and %p for AM/PM. The hint now says so, with a format
 * built from the value shown, and that format reads every row at its 24-hour time. (Session 42: the detection reads
 * 12-hour times written with a space before AM/PM, am-pm-dates-detected.test.ts; the hint is for the layouts it does
 * not try, such as no space before the PM.)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { amPmFormatHint } from '../../src/ingest/detect-date-format.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('12-hour AM/PM times: one --date-format, and the hint says which', () => {
  it('amPmFormatHint builds the format from the value shown; none for a 24-hour value', () => {
    expect(amPmFormatHint('1/15/2023 2:30:05 PM')).toBe("12-hour times read with %I for the hour and %p for AM/PM, in one format: --date-format '%m/%d/%Y %I:%M:%S %p'");
    expect(amPmFormatHint('25.01.2023 02:30 am')).toBe("12-hour times read with %I for the hour and %p for AM/PM, in one format: --date-format '%d.%m.%Y %I:%M %p'");
    expect(amPmFormatHint('2023-01-15 2:30 PM')).toBe("12-hour times read with %I for the hour and %p for AM/PM, in one format: --date-format '%Y-%m-%d %I:%M %p'");
    expect(amPmFormatHint('1/15/2023 14:30')).toBeNull();
  });

  it('the refusal of a 12-hour layout not detected hints the one format, and that format reads AM and PM rows alike, 12 AM as midnight', async () => {
    const dir = scratchDir();
    const file = join(dir, 'orders.csv');
    writeFileSync(file, 'order_id,customer_id,date,amount\n1,A,1/15/2023 2:30:05PM,5\n2,B,1/16/2023 11:05:00AM,6\n3,C,1/17/2023 12:10:00AM,7\n4,D,1/18/2023 12:45:00PM,7\n');
    const db = join(dir, 'w.duckdb');
    const refused = await cli(['ingest', file, '--db', db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`clvkit: error: no date format fits column 'date' of orders.csv (e.g. "1/15/2023 2:30:05PM") (hint: 12-hour times read with %I for the hour and %p for AM/PM, in one format: --date-format '%m/%d/%Y %I:%M:%S%p')\n`);

    const read = await cli(['ingest', file, '--db', db, '--date-format', '%m/%d/%Y %I:%M:%S%p']);
    expect(read.code, read.stderr).toBe(0);
    const warehouse = await openDuckDbWarehouse(db);
    try {
      const rows = await warehouse.query('SELECT strftime(ts, \'%Y-%m-%d %H:%M:%S\') AS t FROM transactions ORDER BY ts');
      expect(rows.map((r) => r.t)).toEqual(['2023-01-15 14:30:05', '2023-01-16 11:05:00', '2023-01-17 00:10:00', '2023-01-18 12:45:00']);
    } finally {
      await warehouse.close();
    }
  }, 60_000);
});
