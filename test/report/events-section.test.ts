/**
 * The report's events table (issue 16 item 3, cohort funnel of the #16 remnants): the funnel by cohort and by
 * first-seen month beside the other breakdowns, each with its conversion rate and 95% interval; a suppressed group
 * shows no numbers; the stitching KPI says how visitors were linked.
 */
import { describe, expect, it } from 'vitest';
import { renderEventsSection } from '../../src/report/sections/events-section.js';
import { fixtureEvents } from './events-fixture.js';
import { fixtureReportData } from './report-fixture.js';

const events = fixtureEvents('hostile');
const html = renderEventsSection(fixtureReportData(200), events).html;
const rowOf = (label: string) => {
  const row = html.split('<tr').find((r) => r.includes(`>${label}<`));
  return row ? [...row.matchAll(/<t[dh][^>]*>([^<]*)</g)].map((m) => m[1]) : undefined;
};

describe('events section of the report', () => {
  it('lists the cohort and first-seen funnels with conversion rate and interval', () => {
    // fixture: 1,600 sessions → 1,440 viewed → 864 carted → 605 bought; conversion 605/1,600 = 37.8% (fixture interval ± 1 point)
    expect(rowOf('cohort: 2022-01')).toEqual(['cohort: 2022-01', '260', '1,600', '90.0% (88.0%–92.0%)', '60.0% (58.0%–62.0%)', '70.0% (68.0%–72.0%)', '37.8% (36.8%–38.8%)', '259', '80']);
    expect(rowOf('first seen: 2022-01')?.slice(0, 3)).toEqual(['first seen: 2022-01', '280', '1,650']);
    expect(html).toContain('cohort (first-purchase month) and first-seen month');
  });

  it('shows a suppressed group without numbers, and how visitors were linked', () => {
    expect(rowOf('channel: tiny')?.slice(1)).toEqual(Array(8).fill('suppressed'));
    expect(html).toContain('3,200 by a login, 100 by a purchase; 120 never linked');
  });
});
