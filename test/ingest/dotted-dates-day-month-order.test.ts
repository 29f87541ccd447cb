/**
 * A review (session 42) found rows stored with day and month swapped, silently:
 * - dotted dates had day-first layouts only: a month-first dotted column (`12.25.2023`, `01.13.2024 14:05`) was read
 *   day first without a warning, its values after the 12th quarantined and the others stored swapped;
 * - a column of slash month-first values (`12/25/2023`) beside dotted day-first ones (`25.12.2023`, c08 in the
 *   review) was read in one order: the slash rows stored swapped (593 of them in the review's file).
 * A dotted column is now decided as a slash or dash one is, and each separator of a column in its own order, with a
 * warning whenever the orders differ or a separator's own values cannot tell.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dayMonthOrder, onlyCountsSql, readersOfWholeColumn, SEPARATORS } from '../../src/ingest/day-month-order.js';
import { CANDIDATE_DATE_FORMATS, dateFormatSql, detectDateFormat, parseDateSql } from '../../src/ingest/detect-date-format.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { useDateColumns } from '../helpers/date-columns.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

/** Dates on days 1–12 only (each reads both ways), month first with dots and a time: `MM.DD.2023 10:00`. */
const ambiguous = (n: number, separator: string) =>
  Array.from({ length: n }, (_, i) => `${String((i % 12) + 1).padStart(2, '0')}${separator}${String((i % 11) + 1).padStart(2, '0')}${separator}2023 10:00`);

describe('dotted dates decided by the values only one order reads', () => {
  const { warehouse: current, column } = useDateColumns();

  /** The column's values as the formats read them, `YYYY-MM-DD HH:MM` (null: not read). */
  const readAs = async (table: string, formats: readonly string[]) =>
    (await current().query(`SELECT strftime(${parseDateSql(current().dialect, 'trim(d)', formats)}, '%Y-%m-%d %H:%M') AS t FROM ${table} ORDER BY rowid`)).map((r) => r.t);

  /** A column whose first `head` values are the sample; the whole column asked beyond it. */
  const sampled = async (name: string, head: readonly string[], rest: readonly string[]) => {
    const whole = await column(name, [...head, ...rest]);
    await current().execute(`CREATE OR REPLACE TABLE ${name}_head AS SELECT * FROM ${whole} LIMIT ${head.length}`);
    return detectDateFormat(current(), `${name}_head`, 'd', { whole });
  };

  it('month-first dotted dates (12.25.2023, 01.13.2024 14:05) are read month first: none swapped, none quarantined', async () => {
    const t = await column('dotted_us', ['10.09.2023 11:22', '12.25.2023 14:05', '01.13.2024 14:05']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection).toEqual({ formats: ['%m.%d.%Y %H:%M'], parsedShare: 1 });
    expect(await readAs(t, detection.formats)).toEqual(['2023-10-09 11:22', '2023-12-25 14:05', '2024-01-13 14:05']);
  });

  it('month-first dotted dates on a 12-hour clock (01.15.2023 2:30 PM) are read month first at their 24-hour time', async () => {
    const t = await column('dotted_us_am_pm', ['01.15.2023 2:30 PM', '12.25.2023 12:05 AM', '03.04.2023 9:00 AM']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection).toEqual({ formats: ['%m.%d.%Y %I:%M %p'], parsedShare: 1 });
    expect(await readAs(t, detection.formats)).toEqual(['2023-01-15 14:30', '2023-12-25 00:05', '2023-03-04 09:00']);
  });

  // (1 in 20 or more of the dotted values: fewer would be read day first, `day-month-order-evidence.test.ts`)
  it('month-first dotted dates told only beyond the sample are read month first', async () => {
    const detection = await sampled('dotted_us_beyond', ambiguous(50, '.'), ['12.25.2023 09:00', '01.13.2024 14:05', '02.14.2024 10:00']);
    expect(detection).toEqual({ formats: ['%m.%d.%Y %H:%M'], parsedShare: 1 });
  });

  it('dotted dates no value of which tells are read day first, with the ambiguity warning', async () => {
    const t = await column('dotted_flat', ['01.02.2023', '03.04.2023']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection.formats).toEqual(['%d.%m.%Y']);
    expect(detection.warning).toBe("dates such as 01.02.2023 are ambiguous; read as day/month (%d.%m.%Y); pass --date-format '%m.%d.%Y' if they are month/day");
  });

  it('a dotted column mixing both orders: the larger read, the other quarantined and counted', async () => {
    const t = await column('dotted_mixed', ['12.25.2023', '12.26.2023', '25.12.2023', '05.06.2023']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection.formats).toEqual(['%m.%d.%Y']);
    expect(detection.warning).toBe(
      "dates are written both month/day and day/month: read as month/day (%m.%d.%Y, such as 12.25.2023); 1 value read only as day/month (such as 25.12.2023) is quarantined as bad_date; pass --date-format '%d.%m.%Y' if they are day/month",
    );
  });

  // the review's c08: slash month-first beside dotted day-first in one column
  it('slash month-first and dotted day-first values in one column: each separator read in its own order, and said', async () => {
    const t = await column('c08', ['12/25/2023 10:00', '01/02/2023 10:00', '25.12.2023 11:00', '02.01.2023 11:00', '03.04.2023 11:00']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection.formats).toEqual(['%d.%m.%Y %H:%M', '%m/%d/%Y %H:%M']);
    expect(await readAs(t, detection.formats)).toEqual(['2023-12-25 10:00', '2023-01-02 10:00', '2023-12-25 11:00', '2023-01-02 11:00', '2023-04-03 11:00']);
    expect(detection.warning).toBe(
      'dates are written day/month with dots (such as 25.12.2023 11:00) and month/day with slashes (such as 12/25/2023 10:00): each separator is read in its own order',
    );
  });

  it('c08b: the slash rows told month-first only beyond the sample are not read day first like the dotted ones', async () => {
    const head = [...ambiguous(30, '/'), '25.12.2023 11:00', '02.01.2023 11:00'];
    const detection = await sampled('c08b', head, ['12/25/2023 10:00']);
    expect(detection.formats).toEqual(['%m/%d/%Y %H:%M', '%d.%m.%Y %H:%M']);
    expect(await readAs('c08b', detection.formats)).toEqual([...head.slice(0, 30).map((v) => `2023-${v.slice(0, 2)}-${v.slice(3, 5)} 10:00`), '2023-12-25 11:00', '2023-01-02 11:00', '2023-12-25 10:00']);
    expect(detection.warning).toContain('each separator is read in its own order');
  });

  it('slash values that cannot tell beside dotted day-first ones: read day first as the dotted ones, with a warning', async () => {
    const t = await column('c08c', ['01/02/2023 10:00', '03/04/2023 10:00', '25.12.2023 11:00']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection.formats).toEqual(['%d/%m/%Y %H:%M', '%d.%m.%Y %H:%M']);
    expect(detection.warning).toBe(
      "dates such as 01/02/2023 10:00 are ambiguous; read as day/month (%d/%m/%Y %H:%M) as the dates with dots (such as 25.12.2023 11:00); pass --date-format '%m/%d/%Y %H:%M' --date-format '%d.%m.%Y %H:%M' if they are month/day",
    );
  });
});

describe('separators none of which tells the order', () => {
  const { warehouse: current, column } = useDateColumns();

  it('are read each in its own default order (slashes month first, dashes day first), each with the ambiguity warning, and not said to differ', async () => {
    const t = await column('none_tells', ['01/02/2023', '03/04/2023', '05/06/2023', '01-02-2023']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection.formats).toEqual(['%m/%d/%Y', '%d-%m-%Y']);
    expect(detection.warning).toBe(
      "dates such as 01/02/2023 are ambiguous; read as month/day (%m/%d/%Y); pass --date-format '%d/%m/%Y' --date-format '%d-%m-%Y' if they are day/month; dates such as 01-02-2023 are ambiguous; read as day/month (%d-%m-%Y); pass --date-format '%m-%d-%Y' --date-format '%m/%d/%Y' if they are month/day",
    );
  });
});

describe('an ingest of slash month-first and dotted day-first orders in one date column (c08)', () => {
  const scratch = useScratchWarehouse();

  it('stores every row at its date, quarantines none, and warns', async () => {
    const lines = ['customer_id,date,amount'];
    const truth: string[] = [];
    for (let i = 0; i < 600; i++) {
      const [m, d] = [(i % 12) + 1, (i % 28) + 1].map((n) => String(n).padStart(2, '0'));
      lines.push(i % 3 === 0 ? `c${i % 50},${m}/${d}/2023 10:00,${i + 1}` : `c${i % 50},${d}.${m}.2023 10:00,${i + 1}`);
      truth.push(`${i + 1} 2023-${m}-${d}`);
    }
    const path = join(scratch.dir, 'c08.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    const report = await ingestFiles(scratch.warehouse, [path], { now: new Date('2025-01-01T00:00:00Z') });
    expect(report.files[0]!.rules.bad_date).toBe(0);
    expect(report.files[0]!.warnings.filter((w) => /own order/.test(w))).toHaveLength(1);
    const stored = await scratch.warehouse.query(`SELECT CAST(amount AS INTEGER) || ' ' || strftime(ts, '%Y-%m-%d') AS r FROM transactions ORDER BY amount`);
    expect(stored.map((r) => r.r)).toEqual(truth);
  });
});

// The whole column is asked with only its values whose first two numbers are one of 1–12 and one of 13–99, each parsed
// with the layouts of the one order that may read it (every layout on every value cost Online Retail's dotted dates
// 11 user CPU-s): the counts must be those of every layout on every value.
describe('the whole-column counts of values only one order reads', () => {
  const { warehouse: current, column } = useDateColumns();

  it('equal those of every layout on every value, per separator, edge values included', async () => {
    const values = ['00/13/2023', '13/00/2023', '0/5/2023', '31/02/2023', '02/31/2023', '1/13/2023 12:00 PM', '13/1/2023 13:00 PM', '013/01/2023', '13.1.2023 1:05:09 am', '12-13-2023 23:59:59', '29.02.2023', '02.29.2024', ' 13/01/2023 ', '13/01/23', '1/2/2023', '12.25.2023 14:05', '25.12.2023'];
    const t = await column('telling', values);
    const layouts = CANDIDATE_DATE_FORMATS.filter((f) => dayMonthOrder(f) !== null);
    const parsed = (f: string) => dateFormatSql(current().dialect, 'v', f);
    const fast = await readersOfWholeColumn(current(), { table: t, column: 'd' }, layouts, parsed);
    const [row] = await current().query(`SELECT ${onlyCountsSql(layouts, parsed)} FROM (SELECT trim(d) AS v FROM ${t}) s WHERE v <> ''`);
    const exact = SEPARATORS.map((s, k) => [s, { monthOnly: Number(row![`md_only_${k}`]), dayOnly: Number(row![`dm_only_${k}`]) }]);
    expect([...fast.entries()].map(([s, c]) => [s, { monthOnly: c.monthOnly, dayOnly: c.dayOnly }])).toEqual(exact);
    expect(exact).toEqual([['/', { monthOnly: 1, dayOnly: 1 }], ['-', { monthOnly: 1, dayOnly: 0 }], ['.', { monthOnly: 2, dayOnly: 2 }]]);
  });
});
