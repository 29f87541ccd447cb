/**
 * A user trial (session 42): order times written on a 12-hour clock ("12/1/2010 8:26 AM", "2010-12-01 08:26:00 PM",
 * "1/12/2010 12:05:00 PM") fit no detected format — only the refusal's hint named %I and %p. The detection now tries
 * the 12-hour layouts of the 24-hour ones it tries (year first, month/day and day/month with slashes, day/month with
 * dots and dashes; with and without seconds; AM/PM in any case), under the same day/month rules: month first when the
 * column cannot tell (with the warning), day first when a value only it reads is anywhere in the column, one order per
 * column. 12 AM is midnight, 12 PM noon; a 24-hour layout never reads an AM/PM value (8:26 PM is not 08:26).
 */
import { describe, expect, it } from 'vitest';
import { detectDateFormat, parseDateSql } from '../../src/ingest/detect-date-format.js';
import { guessColumnRoles } from '../../src/ingest/guess-column-roles.js';
import { useDateColumns } from '../helpers/date-columns.js';

describe('12-hour AM/PM dates are detected', () => {
  const { warehouse: current, column } = useDateColumns();

  /** The column's values as the formats read them, 24-hour `YYYY-MM-DD HH:MM:SS` (null: not read). */
  const readAs = async (table: string, formats: readonly string[]) =>
    (await current().query(`SELECT strftime(${parseDateSql(current().dialect, 'trim(d)', formats)}, '%Y-%m-%d %H:%M:%S') AS t FROM ${table} ORDER BY rowid`)).map((r) => r.t);

  it('month first without seconds (12/1/2010 8:26 AM): read month/day, the PM rows 12 hours on', async () => {
    const t = await column('us_minutes', ['12/1/2010 8:26 AM', '12/1/2010 8:26 PM', '12/13/2010 11:59 PM']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection).toEqual({ formats: ['%m/%d/%Y %I:%M %p'], parsedShare: 1 });
    expect(await readAs(t, detection.formats)).toEqual(['2010-12-01 08:26:00', '2010-12-01 20:26:00', '2010-12-13 23:59:00']);
  });

  it('year first with seconds (2010-12-01 08:26:00 PM), which the ISO cast does not read', async () => {
    const t = await column('year_first', ['2010-12-01 08:26:00 PM', '2010-12-02 09:00:05 AM']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection).toEqual({ formats: ['%Y-%m-%d %I:%M:%S %p'], parsedShare: 1 });
    expect(await readAs(t, detection.formats)).toEqual(['2010-12-01 20:26:00', '2010-12-02 09:00:05']);
  });

  it('12 AM is midnight and 12 PM noon; am/pm in any case', async () => {
    const t = await column('twelves', ['12/13/2010 12:05:00 AM', '12/13/2010 12:05:00 PM', '12/14/2010 12:30:00 am', '12/14/2010 12:30:00 pm', '12/15/2010 1:00:00 Pm', '12/15/2010 1:00:00 aM']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection).toEqual({ formats: ['%m/%d/%Y %I:%M:%S %p'], parsedShare: 1 });
    expect(await readAs(t, detection.formats)).toEqual(['2010-12-13 00:05:00', '2010-12-13 12:05:00', '2010-12-14 00:30:00', '2010-12-14 12:30:00', '2010-12-15 13:00:00', '2010-12-15 01:00:00']);
  });

  it('day first when a day after the 12th shows it (13/12/2010 12:05:00 PM), also beyond the sample', async () => {
    const t = await column('day_first', ['1/12/2010 12:05:00 PM', '2/12/2010 9:15:00 AM', '13/12/2010 4:00:00 PM']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection).toMatchObject({ formats: ['%d/%m/%Y %I:%M:%S %p'], parsedShare: 1 });
    // one value only day/month reads: read so, with the ambiguity warning
    expect(detection.warning).toMatch(/^dates such as 1\/12\/2010 12:05:00 PM are ambiguous; read as day\/month/);
    expect(await readAs(t, detection.formats)).toEqual(['2010-12-01 12:05:00', '2010-12-02 09:15:00', '2010-12-13 16:00:00']);
    // the first two alone cannot tell: read month first, as 24-hour dates are, with the warning naming the other order
    await current().execute(`CREATE OR REPLACE TABLE day_first_head AS SELECT * FROM ${t} LIMIT 2`);
    const head = await detectDateFormat(current(), 'day_first_head', 'd', { whole: t });
    expect(head.formats).toEqual(['%d/%m/%Y %I:%M:%S %p']);
    const alone = await detectDateFormat(current(), 'day_first_head', 'd', { whole: 'day_first_head' });
    expect(alone.formats).toEqual(['%m/%d/%Y %I:%M:%S %p']);
    expect(alone.warning).toBe("dates such as 1/12/2010 12:05:00 PM are ambiguous; read as month/day (%m/%d/%Y %I:%M:%S %p); pass --date-format '%d/%m/%Y %I:%M:%S %p' if they are day/month");
  });

  it('dotted and dashed dates are day first, as their 24-hour layouts', async () => {
    const dotted = await column('dotted', ['25.01.2023 02:30 am', '05.01.2023 11:30 pm']);
    expect(await detectDateFormat(current(), dotted, 'd', { whole: dotted })).toEqual({ formats: ['%d.%m.%Y %I:%M %p'], parsedShare: 1 });
    const dashed = await column('dashed', ['01-11-2011 08:16:00 AM', '15-11-2011 09:30:00 PM']);
    expect(await detectDateFormat(current(), dashed, 'd', { whole: dashed })).toEqual({ formats: ['%d-%m-%Y %I:%M:%S %p'], parsedShare: 1 });
    expect(await readAs(dashed, ['%d-%m-%Y %I:%M:%S %p'])).toEqual(['2011-11-01 08:16:00', '2011-11-15 21:30:00']);
  });

  it('one day/month order per column: day-first AM/PM values beside month-first ones are told and left unread', async () => {
    const t = await column('mixed_orders', ['01/13/2023 10:15 AM', '01/14/2023 11:00 PM', '01/15/2023 09:30 AM', '13/01/2023 10:15 PM']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection.formats).toEqual(['%m/%d/%Y %I:%M %p']);
    expect(detection.warning).toBe("dates are written both month/day and day/month: read as month/day (%m/%d/%Y %I:%M %p, such as 01/13/2023 10:15 AM); 1 value read only as day/month (such as 13/01/2023 10:15 PM) is quarantined as bad_date; pass --date-format '%d/%m/%Y %I:%M %p' if they are day/month");
    expect(await readAs(t, detection.formats)).toEqual(['2023-01-13 10:15:00', '2023-01-14 23:00:00', '2023-01-15 09:30:00', null]);
  });

  it('values no 12-hour reading fits are left unread, never moved to another hour: 13 PM, 0 AM, a 24-hour layout on an AM/PM value', async () => {
    const t = await column('bad_hours', ['12/1/2010 8:26 AM', '12/2/2010 9:26 PM', '12/3/2010 13:26 PM', '12/4/2010 0:26 AM', '12/32/2010 8:26 AM']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection.formats).toEqual(['%m/%d/%Y %I:%M %p']);
    expect(await readAs(t, detection.formats)).toEqual(['2010-12-01 08:26:00', '2010-12-02 21:26:00', null, null, null]);
    // read with the 24-hour layout (as --date-format '%m/%d/%Y %H:%M' would), no AM/PM value is read, PM or not
    expect(await readAs(t, ['%m/%d/%Y %H:%M'])).toEqual([null, null, null, null, null]);
  });

  it('a column with 12-hour and 24-hour values reads each with its own layout, in one order', async () => {
    const t = await column('both_clocks', ['12/13/2010 8:26 PM', '12/14/2010 9:00 AM', '12/15/2010 20:26']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection).toEqual({ formats: ['%m/%d/%Y %I:%M %p', '%m/%d/%Y %H:%M'], parsedShare: 1 });
    expect(await readAs(t, detection.formats)).toEqual(['2010-12-13 20:26:00', '2010-12-14 09:00:00', '2010-12-15 20:26:00']);
  });

  it('a file without a header: its 12-hour date column is guessed as the date', async () => {
    await current().execute(`CREATE OR REPLACE TABLE headerless (c1 VARCHAR, c2 VARCHAR, c3 VARCHAR)`);
    await current().append('headerless', {
      c1: ['C17850', 'C13047', 'C12583', 'C17850'],
      c2: ['12/1/2010 8:26 AM', '12/1/2010 2:45 PM', '12/2/2010 10:03:00 am', '12/13/2010 12:05 PM'],
      c3: ['15.30', '22.00', '7.95', '104.10'],
    });
    expect((await guessColumnRoles(current(), 'headerless', ['c1', 'c2', 'c3'])).mapping.date).toBe('c2');
  });
});
