/**
 * GA4's BigQuery export writes `event_timestamp` as microseconds since the epoch (16 digits). A QA pass (session 34,
 * finding 4) could not read it: no format fitted (only epoch_s, epoch_ms), `--date-format epoch_us` was read as a
 * literal strptime text (every date bad_date) and the hint offered only strptime examples. Now `epoch_us` is a format,
 * detected from the digits (15–16: 1973–2286) and nameable with --date-format, beside epoch_s (9–10) and epoch_ms (12–13).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { detectDateFormat } from '../../src/ingest/detect-date-format.js';
import { useDateColumns } from '../helpers/date-columns.js';
import { scratchDir, withMemoryWarehouse, writeLines } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');

describe('epoch timestamps in seconds, milliseconds and microseconds', () => {
  const { warehouse: current, column } = useDateColumns();

  it('are told apart by their digits', async () => {
    expect((await detectDateFormat(current(), await column('us', ['1640301656000000', '1640301787123456']), 'd')).formats).toEqual(['epoch_us']);
    expect((await detectDateFormat(current(), await column('ms', ['1640301656000', '1640301787123']), 'd')).formats).toEqual(['epoch_ms']);
    expect((await detectDateFormat(current(), await column('s', ['1640301656', '1640301787']), 'd')).formats).toEqual(['epoch_s']);
  });

  it('a GA4-style event file: read as microseconds without a flag, the times to the microsecond', async () => {
    const dir = scratchDir();
    const path = writeLines(dir, 'ga4.csv', ['event_name,event_timestamp,user_pseudo_id,ga_session_id', 'view_item,1640301656000000,a1,1640301656', 'add_to_cart,1640301787123456,a1,1640301656']);
    await withMemoryWarehouse(async (warehouse) => {
      const report = await ingestFiles(warehouse, [path], { now: NOW, kind: 'events', map: { session_id: 'ga_session_id', anonymous_id: 'user_pseudo_id' } });
      expect(report.files[0]).toMatchObject({ dateFormats: ['epoch_us'], accepted: 2 });
      const rows = await warehouse.query('SELECT CAST(ts AS VARCHAR) AS ts FROM events ORDER BY ts');
      expect(rows.map((r) => r.ts)).toEqual(['2021-12-23 23:20:56', '2021-12-23 23:23:07.123456']);
    });
  });

  it('--date-format epoch_us reads them too; a value of other digits is bad_date', async () => {
    const dir = scratchDir();
    const path = writeLines(dir, 'us.csv', ['session_id,anonymous_id,ts,type', 'S1,a1,1640301656000000,view', 'S1,a1,1640301656000,view']);
    await withMemoryWarehouse(async (warehouse) => {
      const report = await ingestFiles(warehouse, [path], { now: NOW, dateFormats: ['epoch_us'] });
      expect(report.files[0]).toMatchObject({ dateFormats: ['epoch_us'], accepted: 1, rules: { bad_date: 1 } });
    });
  });

  it('the hints name every epoch format', async () => {
    const dir = scratchDir();
    await withMemoryWarehouse(async (warehouse) => {
      const nameless = await ingestFiles(warehouse, [writeLines(dir, 'a.csv', ['session_id,ts,type', 'S1,2023-01-01,view'])], { now: NOW, dateFormats: ['epoch_ns'] }).catch((e: unknown) => e);
      expect(nameless).toMatchObject({ hint: "use strptime codes, e.g. '%d/%m/%Y %H:%M', or iso, epoch_s, epoch_ms, epoch_us" });
      const unread = await ingestFiles(warehouse, [writeLines(dir, 'b.csv', ['session_id,ts,type', 'S1,someday,view'])], { now: NOW }).catch((e: unknown) => e);
      expect(unread).toMatchObject({ hint: expect.stringContaining('epoch_s, epoch_ms, epoch_us for epoch seconds, milliseconds, microseconds') });
    });
  });
});

describe('a 16-digit value is not taken for a date by the guess of a headerless file', () => {
  it('the role guess does not try epoch formats (a product or card number of 16 digits is no date)', async () => {
    const dir = scratchDir();
    const path = writeLines(dir, 'noheader.csv', ['C1,2023-01-05,1640301656000000,10.50', 'C2,2023-01-06,1640301787000000,12.00', 'C1,2023-02-07,1640309999000000,8.25']);
    await withMemoryWarehouse(async (warehouse) => {
      const report = await ingestFiles(warehouse, [path], { now: NOW });
      expect(report.files[0]!.mapping.date).toBe('column2');
    });
  });
});
