import { describe, expect, it } from 'vitest';
import { detectDateFormat } from '../../src/ingest/detect-date-format.js';
import { useDateColumns } from '../helpers/date-columns.js';

// QA pass (s30): a column holding 01/13/2023 (month first) and 13/01/2023 (day first) was read with both orders
// (`dates: %m/%d/%Y | %d/%m/%Y`): 13/01 taken as 13 January, 05/01 beside it silently as 1 May, and no warning — or,
// when the sample tied, a warning saying the day/month values "are quarantined as bad_date" while they were accepted.
// A column is read in one order; the values only the other order reads are quarantined, and the warning says so.
describe('one day/month order per date column', () => {
  const { warehouse: current, column } = useDateColumns();

  it('month first wins the sample: day-first values are not read the other way, and the warning counts them', async () => {
    const t = await column('more_month_first', ['01/13/2023', '01/14/2023', '01/15/2023', '13/01/2023', '05/01/2023']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection.formats).toEqual(['%m/%d/%Y']);
    expect(detection.warning).toBe("dates are written both month/day and day/month: read as month/day (%m/%d/%Y, such as 01/13/2023); 1 value read only as day/month (such as 13/01/2023) is quarantined as bad_date; pass --date-format '%d/%m/%Y' if they are day/month");
  });

  it('a tie in the sample: the warning that says the day-first values are quarantined is true', async () => {
    const t = await column('tied_orders', ['01/13/2023', '13/01/2023', '05/01/2023']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection.formats).toEqual(['%m/%d/%Y']);
    expect(detection.warning).toContain('(in the file, 1 value reads only as month/day and 1 only as day/month: the day/month one is quarantined as bad_date)');
  });

  // QA (s37): a sample tied with no value both orders read (01/13 and 20/01 only) warned "dates such as 03/04/2011 are
  // ambiguous": a date not in the file (the fallback example). The warning now cites the file's own values, one of each order.
  it('a tie with no value both orders read cites values of the file, one of each order, never a made-up date', async () => {
    const t = await column('tied_no_common_value', ['01/13/2023 10:00', '13/01/2023 10:00', '01/20/2023 10:00', '20/01/2023 10:00']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection.formats).toEqual(['%m/%d/%Y %H:%M']);
    expect(detection.warning).not.toContain('2011');
    expect(detection.warning).toBe("dates are written both month/day and day/month: read as month/day (%m/%d/%Y %H:%M, such as 01/13/2023 10:00); 2 values read only as day/month (such as 13/01/2023 10:00) are quarantined as bad_date; pass --date-format '%d/%m/%Y %H:%M' if they are day/month");
  });

  it('a column with ISO dates and some day-first ones still adds the day-first format', async () => {
    const t = await column('iso_and_dmy', ['2023-01-05', '2023-01-06', '13/01/2023', '14/01/2023']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection.formats).toEqual(['iso', '%d/%m/%Y']);
    expect(detection.warning).toBeUndefined();
  });

  // the review: only the exact twin was excluded, so a day-first column whose midnight rows drop the time read them
  // month first (`%d/%m/%Y %H:%M | %m/%d/%Y`): 05/01/2023 silently 1 May
  it('the order chosen with a time of day holds for the rows without one', async () => {
    const t = await column('times_and_dates', ['13/01/2023 10:15', '14/01/2023 11:00', '15/01/2023 09:30', '16/01/2023 12:00', '05/01/2023', '06/01/2023']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection.formats).toEqual(['%d/%m/%Y %H:%M', '%d/%m/%Y']);
    expect(detection.warning).toBeUndefined();
  });

  it('a value only another layout of the other order reads is counted in the warning, which names the order most of the column is read in', async () => {
    const t = await column('times_and_other_order', ['13/01/2023 10:15', '14/01/2023 11:00', '15/01/2023 09:30', '16/01/2023 12:00', '01/20/2023']);
    const detection = await detectDateFormat(current(), t, 'd', { whole: t });
    expect(detection.formats).toEqual(['%d/%m/%Y %H:%M']);
    expect(detection.warning).toBe("dates are written both month/day and day/month: read as day/month (%d/%m/%Y %H:%M, such as 13/01/2023 10:15); 1 value read only as month/day (such as 01/20/2023) is quarantined as bad_date; pass --date-format '%m/%d/%Y %H:%M' --date-format '%m/%d/%Y' if they are month/day");
  });
});
