/**
 * A review of the per-separator day/month order (session 43) found rows stored swapped, silently or nearly:
 * - R1: one value only month/day reads (`01.13.2023`, a typo in a German export) made a whole dotted column month
 *   first, every other row stored swapped without a warning (300 rows: 257 swapped; 20,000: 18,425);
 * - R2: a separator absent from the rows sampled (one `04-15-2023` after 20,000 dotted rows) lent its order to the
 *   dotted rows, and its own row was quarantined uncounted;
 * - dots that cannot tell took month/day from telling slashes (a US export merged with a German one), and a column no
 *   separator of which tells was read in one order (German dots month first beside US slashes).
 */
import { describe, expect, it } from 'vitest';
import { detectDateFormat, parseDateSql } from '../../src/ingest/detect-date-format.js';
import { useDateColumns } from '../helpers/date-columns.js';

/** `n` German dates of the first week of March, day first with dots (each reads both ways). */
const germanWeek = (n: number, time = '') => Array.from({ length: n }, (_, i) => `0${1 + (i % 7)}.03.2023${time}`);

describe('a value or two only month/day reads do not make a dotted column month first', () => {
  const { warehouse: current, column } = useDateColumns();

  const readAs = async (table: string, formats: readonly string[]) =>
    (await current().query(`SELECT strftime(${parseDateSql(current().dialect, 'trim(d)', formats)}, '%Y-%m-%d') AS t FROM ${table} ORDER BY rowid`)).map((r) => r.t);

  it('02.03.2023, 05.06.2023 and the bad 01.13.2023: day first, the bad one quarantined, both said', async () => {
    const t = await column('min_german_typo', ['02.03.2023', '05.06.2023', '01.13.2023']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection.formats).toEqual(['%d.%m.%Y']);
    expect(await readAs(t, detection.formats)).toEqual(['2023-03-02', '2023-06-05', null]);
    expect(detection.warning).toBe(
      "dates such as 02.03.2023 are ambiguous; read as day/month (%d.%m.%Y); pass --date-format '%m.%d.%Y' if they are month/day; dates are written both month/day and day/month: read as day/month (%d.%m.%Y); 1 value read only as month/day (such as 01.13.2023) is quarantined as bad_date; pass --date-format '%m.%d.%Y' if they are month/day",
    );
  });

  it('a German weekly export of 300 rows with one bad value: every good row read day first', async () => {
    const values = germanWeek(300);
    values.splice(150, 0, '03.31.2023');
    const t = await column('german_weekly', values);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection.formats).toEqual(['%d.%m.%Y']);
    expect((await readAs(t, detection.formats)).filter((v) => v !== null && String(v).slice(5, 7) !== '03')).toEqual([]);
    expect(detection.warning).toContain('1 value read only as month/day (such as 03.31.2023) is quarantined as bad_date');
  });

  it('a dotted column told month first by a handful among many (under 1 in 20) is read day first, with the warnings', async () => {
    const t = await column('german_few_typos', [...germanWeek(200), '01.13.2023', '02.14.2023', '03.15.2023']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection.formats).toEqual(['%d.%m.%Y']);
    expect(detection.warning).toContain('3 values read only as month/day (such as 01.13.2023) are quarantined as bad_date');
  });

  it('a month-first dotted column whose telling values are 1 in 20 or more is read month first', async () => {
    const t = await column('us_dotted', [...germanWeek(36), '01.13.2023', '02.14.2023']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection.formats).toEqual(['%m.%d.%Y']);
  });

  it('a slash column told day first by one value only is read day first as before, now with the ambiguity warning', async () => {
    const t = await column('uk_one_telling', ['02/03/2023', '05/06/2023', '13/03/2023']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection.formats).toEqual(['%d/%m/%Y']);
    expect(await readAs(t, detection.formats)).toEqual(['2023-03-02', '2023-06-05', '2023-03-13']);
    expect(detection.warning).toBe("dates such as 02/03/2023 are ambiguous; read as day/month (%d/%m/%Y); pass --date-format '%m/%d/%Y' if they are month/day");
  });
});

describe('a separator absent from the sample lends no order', () => {
  const { warehouse: current, column } = useDateColumns();

  it('dotted rows that cannot tell, one 04-15-2023 beyond the sample: dots day first, the dashed row counted', async () => {
    const head = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? '05.06.2023' : '02.03.2023'));
    const whole = await column('absent_dash', [...head, '04-15-2023']);
    await current().execute(`CREATE OR REPLACE TABLE absent_dash_head AS SELECT * FROM ${whole} LIMIT ${head.length}`);
    const detection = await detectDateFormat(current(), 'absent_dash_head', 'd', { whole });
    expect(detection.formats).toEqual(['%d.%m.%Y']);
    expect(detection.warning).toBe(
      "dates such as 05.06.2023 are ambiguous; read as day/month (%d.%m.%Y); pass --date-format '%m.%d.%Y' if they are month/day; 1 value written with dashes (such as 04-15-2023) is quarantined as bad_date: too few of the dates sampled to choose a layout for them; pass --date-format '%d.%m.%Y' --date-format '%m-%d-%Y' to read them",
    );
  });
});

describe('separators whose own values cannot tell keep their own order', () => {
  const { warehouse: current, column } = useDateColumns();

  it('German dots that cannot tell beside US slashes that tell month first: the dots read day first', async () => {
    const t = await column('us_german', ['12/25/2023', '01/13/2023', '02/03/2023', '02.03.2023', '05.06.2023']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection.formats).toEqual(['%m/%d/%Y', '%d.%m.%Y']);
    expect(detection.warning).toBe("dates such as 02.03.2023 are ambiguous; read as day/month (%d.%m.%Y); pass --date-format '%m.%d.%Y' --date-format '%m/%d/%Y' if they are month/day");
  });

  it('no separator tells: slashes month first, dots day first, each with the ambiguity warning', async () => {
    const t = await column('none_tells_dots', ['01/02/2023', '03/04/2023', '05.06.2023', '07.08.2023', '09.10.2023']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection.formats).toEqual(['%d.%m.%Y', '%m/%d/%Y']);
    expect(detection.warning).toBe(
      "dates such as 05.06.2023 are ambiguous; read as day/month (%d.%m.%Y); pass --date-format '%m.%d.%Y' --date-format '%m/%d/%Y' if they are month/day; dates such as 01/02/2023 are ambiguous; read as month/day (%m/%d/%Y); pass --date-format '%d/%m/%Y' --date-format '%d.%m.%Y' if they are day/month",
    );
  });
});
