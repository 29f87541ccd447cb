/**
 * A review of the AM/PM detection (session 42) found rows read with day and month swapped, silently:
 * - month-first dates with dashes and a time (`12-27-2023 11:41 PM`, `12-27-2023 23:41`) had only the day-first
 *   layout as a candidate: `10-09-2023` was read as 10 September, the days after the 12th quarantined, no warning;
 * - the day/month order was settled on the pair of layouts chosen in one round: 12-hour rows that read both ways were
 *   read month first although the same column's 24-hour rows (`25/08/2023 17:00`) can only be day/month, and those
 *   were then read month first too;
 * - a later round could switch the order (`%m/%d/%Y` then `%d/%m/%Y %H:%M`): one column read both ways.
 * The order is now decided once per column, before the layouts are chosen, from every layout of each order: the
 * values only month/day reads against those only day/month reads (the sample, then the whole column).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATE_SAMPLE_ROWS, detectDateFormat, parseDateSql } from '../../src/ingest/detect-date-format.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { useDateColumns } from '../helpers/date-columns.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

describe('one day/month order per column, decided from all its layouts', () => {
  const { warehouse: current, column } = useDateColumns();

  /** The column's values as the formats read them, `YYYY-MM-DD HH:MM` (null: not read). */
  const readAs = async (table: string, formats: readonly string[]) =>
    (await current().query(`SELECT strftime(${parseDateSql(current().dialect, 'trim(d)', formats)}, '%Y-%m-%d %H:%M') AS t FROM ${table} ORDER BY rowid`)).map((r) => r.t);

  it('month-first dashed dates with a 12-hour time (12-27-2023 11:41 PM) are read month first, none swapped', async () => {
    const t = await column('dashed_us_am_pm', ['10-09-2023 11:22 PM', '12-27-2023 11:41 PM', '09-01-2023 02:49 PM']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    // one value only one order reads, or under 1 in 20 of the column's: read so, with the ambiguity warning
    expect(detection).toMatchObject({ formats: ['%m-%d-%Y %I:%M %p'], parsedShare: 1 });
    expect(detection.warning).toBe("dates such as 10-09-2023 11:22 PM are ambiguous; read as month/day (%m-%d-%Y %I:%M %p); pass --date-format '%d-%m-%Y %I:%M %p' if they are day/month");
    expect(await readAs(t, detection.formats)).toEqual(['2023-10-09 23:22', '2023-12-27 23:41', '2023-09-01 14:49']);
  });

  it('month-first dashed dates with a 24-hour time (12-27-2023 23:41) are read month first, with or without seconds', async () => {
    const t = await column('dashed_us_24', ['10-09-2023 23:22', '12-27-2023 23:41', '09-01-2023 14:49']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection).toMatchObject({ formats: ['%m-%d-%Y %H:%M'], parsedShare: 1 });
    expect(detection.warning).toMatch(/^dates such as 10-09-2023 23:22 are ambiguous; read as month\/day/);
    expect(await readAs(t, detection.formats)).toEqual(['2023-10-09 23:22', '2023-12-27 23:41', '2023-09-01 14:49']);
    const s = await column('dashed_us_24_seconds', ['10-09-2023 23:22:05', '12-27-2023 23:41:00']);
    expect((await detectDateFormat(current(), s, 'd', { whole: s })).formats).toEqual(['%m-%d-%Y %H:%M:%S']);
  });

  it('dashed dates no value of which tells are read day first, as before, and now with the warning', async () => {
    const t = await column('dashed_flat', ['01-02-2023 10:00', '03-04-2023 11:00']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection.formats).toEqual(['%d-%m-%Y %H:%M']);
    expect(detection.warning).toBe("dates such as 01-02-2023 10:00 are ambiguous; read as day/month (%d-%m-%Y %H:%M); pass --date-format '%m-%d-%Y %H:%M' if they are month/day");
  });

  it("the 24-hour rows that can only be day/month decide the order of the 12-hour rows that read both ways", async () => {
    const twelve = Array.from({ length: 30 }, (_, i) => `${String((i % 12) + 1).padStart(2, '0')}/${String((i % 11) + 1).padStart(2, '0')}/2023 ${(i % 12) + 1}:05 PM`);
    const t = await column('clocks_decide', [...twelve, '25/08/2023 17:00', '03/04/2023 09:00']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    // one value only one order reads, or under 1 in 20 of the column's: read so, with the ambiguity warning
    expect(detection).toMatchObject({ formats: ['%d/%m/%Y %I:%M %p', '%d/%m/%Y %H:%M'], parsedShare: 1 });
    expect(detection.warning).toMatch(/ambiguous; read as day\/month/);
    expect((await readAs(t, detection.formats)).slice(-2)).toEqual(['2023-08-25 17:00', '2023-04-03 09:00']);
    expect((await readAs(t, detection.formats))[1]).toBe('2023-02-02 14:05');
  });

  it('a later round never reads the column in the other order (date-only rows, then date-times told only beyond the sample)', async () => {
    const head = ['04/10/2023', '09/03/2023', '06/10/2023', '05/04/2023 11:00', '02/03/2023 12:30'];
    const t = await column('rounds_keep_order', [...head, '25/10/2023 10:00']);
    await current().execute(`CREATE OR REPLACE TABLE rounds_keep_order_head AS SELECT * FROM ${t} LIMIT ${head.length}`);
    const detection = await detectDateFormat(current(), 'rounds_keep_order_head', 'd', { whole: t });
    expect(detection).toMatchObject({ formats: ['%d/%m/%Y', '%d/%m/%Y %H:%M'], parsedShare: 1 });
    expect(detection.warning).toMatch(/ambiguous; read as day\/month/);
    expect(await readAs(t, detection.formats)).toEqual(['2023-10-04 00:00', '2023-03-09 00:00', '2023-10-06 00:00', '2023-04-05 11:00', '2023-03-02 12:30', '2023-10-25 10:00']);
  });

  // the second review (session 42): the whole column was asked only with the layouts that read a sampled value, so a
  // value telling the order in another layout (a 24-hour time after 12-hour ones, a 12-hour one after 24-hour ones) was
  // never counted: the column was read in the default order, the ambiguous rows swapped
  it('a value beyond the sample in another layout tells the order: 12-hour rows, then a 24-hour day/month one', async () => {
    const head = ['04/10/2023 4:30 PM', '09/03/2023 11:00 AM', '06/10/2023 12:05 PM'];
    const t = await column('told_by_24_hour', [...head, '25/10/2023 10:00']);
    await current().execute(`CREATE OR REPLACE TABLE told_by_24_hour_head AS SELECT * FROM ${t} LIMIT ${head.length}`);
    const detection = await detectDateFormat(current(), 'told_by_24_hour_head', 'd', { whole: t });
    expect(detection.formats).toEqual(['%d/%m/%Y %I:%M %p']);
    expect((await readAs(t, detection.formats)).slice(0, 3)).toEqual(['2023-10-04 16:30', '2023-03-09 11:00', '2023-10-06 12:05']);
  });

  it('a value beyond the sample in another layout tells the order: 24-hour rows, then a 12-hour day/month one', async () => {
    // (day/month: with slashes and nothing to tell, month first is the default)
    const head = ['04/10/2023 16:30', '09/03/2023 11:00', '06/10/2023 12:05'];
    const t = await column('told_by_12_hour', [...head, '25/10/2023 4:00 PM']);
    await current().execute(`CREATE OR REPLACE TABLE told_by_12_hour_head AS SELECT * FROM ${t} LIMIT ${head.length}`);
    const detection = await detectDateFormat(current(), 'told_by_12_hour_head', 'd', { whole: t });
    expect(detection.formats).toEqual(['%d/%m/%Y %H:%M']);
    expect((await readAs(t, detection.formats)).slice(0, 3)).toEqual(['2023-10-04 16:30', '2023-03-09 11:00', '2023-10-06 12:05']);
  });

  it('a sample that cannot tell and a file that mixes both orders: the order most of the file reads, with the counts', async () => {
    const early = Array.from({ length: 20 }, (_, i) => `${String((i % 12) + 1).padStart(2, '0')}/${String((i % 11) + 1).padStart(2, '0')}/2011 10:00`);
    const t = await column('mostly_day_first', [...early, '13/01/2011 09:00', '14/01/2011 09:00', '01/13/2011 09:00']);
    await current().execute(`CREATE OR REPLACE TABLE mostly_day_first_head AS SELECT * FROM ${t} LIMIT ${early.length}`);
    const detection = await detectDateFormat(current(), 'mostly_day_first_head', 'd', { whole: t });
    expect(detection.formats).toEqual(['%d/%m/%Y %H:%M']);
    expect(detection.warning).toMatch(/^dates such as \d\d\/\d\d\/2011 10:00 are ambiguous; read as day\/month \(%d\/%m\/%Y %H:%M\) /);
    expect(detection.warning).toContain(
      "(in the file, 2 values read only as day/month and 1 only as month/day: the month/day one is quarantined as bad_date); pass --date-format '%m/%d/%Y %H:%M' if they are month/day",
    );
  });
});

// The review's s1.csv in small: the date sample holds 12-hour (60%) and 24-hour rows on days 1–12 only; the 24-hour rows
// after it (days 13–31) can only be day/month. Before, the 12-hour layout won the first round, its pair tied over the
// whole column, so it was read month first with the warning; the second round then read the 24-hour rows day first
// (their pair told by the later rows): one column in both orders, the 12-hour rows swapped.
describe('an ingest whose 12-hour rows cannot tell the order and whose 24-hour rows past the sample can', () => {
  const scratch = useScratchWarehouse();

  // two rows of 20,002 tell the order: read so, with the ambiguity warning (under 1 in 20 of the column)
  it('reads every row day/month: nothing quarantined, the early rows not swapped, the order said to be thinly told', async () => {
    const lines = ['order_id,customer_id,date,amount'];
    for (let i = 0; i < DATE_SAMPLE_ROWS; i++) lines.push(`o${i},c${i % 500},${String((i % 12) + 1).padStart(2, '0')}/03/2024 ${i % 5 < 3 ? '4:30 PM' : '16:30'},5`);
    lines.push('x1,c1,13/03/2024 10:00,7', 'x2,c2,31/03/2024 10:00,8');
    const path = join(scratch.dir, 'clocks.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    const report = await ingestFiles(scratch.warehouse, [path], { now: new Date('2025-01-01T00:00:00Z') });
    expect(report.files[0]!.dateFormats).toEqual(['%d/%m/%Y %I:%M %p', '%d/%m/%Y %H:%M']);
    expect(report.files[0]!.rules.bad_date).toBe(0);
    expect(report.files[0]!.warnings.filter((w) => /month\/day|ambiguous/.test(w))).toEqual([
      "dates such as 01/03/2024 4:30 PM are ambiguous; read as day/month (%d/%m/%Y %I:%M %p); pass --date-format '%m/%d/%Y %I:%M %p' if they are month/day",
    ]);
    const [span] = await scratch.warehouse.query(`SELECT strftime(min(ts), '%Y-%m-%d') AS first, strftime(max(ts), '%Y-%m-%d') AS last, count(DISTINCT month(ts)) AS months, count(*) FILTER (WHERE hour(ts) = 16) AS afternoons FROM transactions`);
    expect([span!.first, span!.last, Number(span!.months), Number(span!.afternoons)]).toEqual(['2024-03-01', '2024-03-31', 1, DATE_SAMPLE_ROWS]);
  }, 60_000);
});
