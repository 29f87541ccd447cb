import { describe, expect, it } from 'vitest';
import { detectDateFormat } from '../../src/ingest/detect-date-format.js';
import { useDateColumns } from '../helpers/date-columns.js';

// detectDateFormat reads its sample once and tests ISO alone first (issue 14: all 22 formats on 20,000 values was
// ~0.5 CPU-s of a 1M-line ingest); a column ISO does not read wholly must still get the full greedy search.
describe('date format detection (the ISO short cut and the full search give the same answers)', () => {
  const { warehouse: current, column } = useDateColumns();

  it('an all-ISO column: iso alone, every value read, no scratch table left', async () => {
    const detection = await detectDateFormat(current(), await column('iso_dates', ['2023-01-02 10:00:00', ' 2023-02-03', '', null, '2024-12-31T23:59:59']), 'd');
    expect(detection).toEqual({ formats: ['iso'], parsedShare: 1 });
    const left = await current().query(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'clv_date_sample'`);
    expect(Number(left[0]!.n)).toBe(0);
  });

  it('ISO with a few other values: the greedy search adds the second format', async () => {
    const values = [...Array.from({ length: 300 }, (_, i) => `2023-01-${String((i % 28) + 1).padStart(2, '0')}`), '31/12/2023', '30/12/2023'];
    const detection = await detectDateFormat(current(), await column('mixed_dates', values), 'd');
    expect(detection.formats).toEqual(['iso', '%d/%m/%Y']);
    expect(detection.parsedShare).toBe(1);
  });

  it('month/day dates that also read day/month: the first is chosen and the ambiguity is told', async () => {
    const detection = await detectDateFormat(current(), await column('us_dates', ['03/04/2011 10:00', '05/06/2011 11:30', '01/02/2012 08:15']), 'd');
    expect(detection.formats).toEqual(['%m/%d/%Y %H:%M']);
    expect(detection.warning).toMatch(/ambiguous; read as month\/day/);
  });

  it('two-digit years are not read as the years 13 or 24: no format fits them (a user passes %y)', async () => {
    for (const [name, values] of [
      ['two_digit_dotted', ['13.01.24', '14.02.24', '28.03.24']],
      ['two_digit_us', ['1/13/24 10:00', '2/14/24 11:30', '3/28/24 08:15']],
      ['two_digit_slashed', ['13/01/24', '14/02/24', '28/03/24']],
      ['two_digit_dashed', ['24-01-13', '24-02-14', '24-03-28']],
    ] as const) {
      expect(await detectDateFormat(current(), await column(name, values), 'd'), name).toEqual({ formats: [], parsedShare: 0 });
    }
  });

  it('a four-digit year still reads in every layout it read before', async () => {
    const detection = await detectDateFormat(current(), await column('four_digit_dotted', ['13.01.2024', '14.02.2024']), 'd');
    expect(detection).toEqual({ formats: ['%d.%m.%Y'], parsedShare: 1 });
  });

  it('the ambiguity warning quotes a value of the column, not a made-up one', async () => {
    const detection = await detectDateFormat(current(), await column('us_dates_2024', ['01/02/2024', '03/04/2024']), 'd');
    expect(detection.formats).toEqual(['%m/%d/%Y']);
    expect(detection.warning).toMatch(/^dates such as 01\/02\/2024 are ambiguous; read as month\/day/);
  });

  it('no value: no format', async () => {
    expect(await detectDateFormat(current(), await column('no_dates', ['', null]), 'd')).toEqual({ formats: [], parsedShare: 0 });
  });

  it('values no format reads: no format, share 0', async () => {
    expect(await detectDateFormat(current(), await column('bad_dates', ['soon', 'later']), 'd')).toEqual({ formats: [], parsedShare: 0 });
  });
});

// A user trial: Online Retail's dates written day/month (dd/mm/YYYY), first 20,000 rows all on days 1–12. The sample
// read them month-first; the judging pass then quarantined 234,047 of 406,829 rows as bad_date and kept the rest
// with day and month swapped (a purchase on 2011-12-10 that never happened). When the sample cannot tell, the whole
// column is asked once for a value only one order reads.
describe('day/month or month/day decided by the whole column when the sample cannot tell', () => {
  const { warehouse: current, column: oneColumn } = useDateColumns();
  const column = async (name: string, head: readonly string[], rest: readonly string[]) => {
    await oneColumn(name, [...head, ...rest]);
    await current().execute(`CREATE OR REPLACE TABLE ${name}_head AS SELECT * FROM ${name} LIMIT ${head.length}`);
    return { sample: `${name}_head`, whole: name };
  };
  const early = Array.from({ length: 50 }, (_, i) => `${String((i % 12) + 1).padStart(2, '0')}/${String((i % 11) + 1).padStart(2, '0')}/2011 10:00`);

  it('day/month when a later value has a day after the 12th', async () => {
    const t = await column('dmy', early, ['13/01/2011 09:00', '28/02/2011 09:00', '05/03/2011 09:00']);
    const detection = await detectDateFormat(current(), t.sample, 'd', { whole: t.whole });
    expect(detection.formats).toEqual(['%d/%m/%Y %H:%M']);
    // two values of 53 tell it (under 1 in 20): read so, with the ambiguity warning
    expect(detection.warning).toMatch(/^dates such as [0-9/]+ 10:00 are ambiguous; read as day\/month/);
    // the sample alone still says it cannot tell
    expect((await detectDateFormat(current(), t.sample, 'd')).warning).toMatch(/ambiguous; read as month\/day/);
  });

  it('month/day, without a warning, when a later value has a day after the 12th read month-first', async () => {
    const t = await column('mdy', early, ['01/13/2011 09:00', '12/31/2011 09:00']);
    const detection = await detectDateFormat(current(), t.sample, 'd', { whole: t.whole });
    expect(detection).toEqual({ formats: ['%m/%d/%Y %H:%M'], parsedShare: 1 });
  });

  it('still ambiguous when no value anywhere tells, and told with counts when the file mixes both', async () => {
    const flat = await column('flat', early, ['03/04/2011 09:00']);
    expect((await detectDateFormat(current(), flat.sample, 'd', { whole: flat.whole })).warning).toMatch(/ambiguous; read as month\/day \(%m\/%d\/%Y %H:%M\); pass/);
    const mixed = await column('mixed', early, ['13/01/2011 09:00', '01/13/2011 09:00', '01/14/2011 09:00']);
    const detection = await detectDateFormat(current(), mixed.sample, 'd', { whole: mixed.whole });
    expect(detection.formats).toEqual(['%m/%d/%Y %H:%M']);
    expect(detection.warning).toContain('(in the file, 2 values read only as month/day and 1 only as day/month: the day/month one is quarantined as bad_date)');
  });

  // A session-37 review: the counts were said to be "further on" (after the sample) even when those values were in it
  it('says the counts are of the file, not "further on", when the values that tell are in the sample', async () => {
    const inside = await column('inside', ['13/01/2011 09:00', '01/13/2011 09:00', '14/01/2011 09:00', '01/14/2011 09:00', ...early], []);
    const detection = await detectDateFormat(current(), inside.sample, 'd', { whole: inside.whole });
    expect(detection.formats).toEqual(['%m/%d/%Y %H:%M']);
    expect(detection.warning).toContain('(in the file, 2 values read only as month/day and 2 only as day/month: the 2 day/month ones are quarantined as bad_date)');
    expect(detection.warning).not.toContain('further on');
  });

  it('reads Dutch day-month-year with dashes and a time (01-11-2011 08:16)', async () => {
    const t = await column('dutch', ['01-11-2011 08:16', '15-11-2011 09:30'], []);
    expect((await detectDateFormat(current(), t.sample, 'd')).formats).toEqual(['%d-%m-%Y %H:%M']);
  });
});
