/**
 * The cohort caption's next-month average: cohorts whose next-month figure is withheld (fewer than k buyers)
 * or not yet observed cannot enter it, so the caption says over how many cohorts it is taken, and says so
 * plainly when no cohort has one (a tiny shop) instead of printing “On average – of a cohort”.
 */
import { describe, expect, it } from 'vitest';
import type { CohortRetention } from '../../src/report/report-data.js';
import { renderCohortsSection } from '../../src/report/sections/cohorts-section.js';
import { fixtureReportData } from './report-fixture.js';

const data = fixtureReportData(200);
const caption = (cohorts: CohortRetention['cohorts']) => renderCohortsSection(data, { periodUnit: 'month', cohorts }).html.match(/<figcaption[^>]*>([\s\S]*?)<\/figcaption>/)![1]!;

describe('cohort retention caption', () => {
  it('names the cohorts the next-month average is taken over when some have no figure', () => {
    const text = caption([
      { label: '2015-01', customers: 20, retention: [1, null, 0] }, // 1–4 buyers in month 1: withheld
      { label: '2015-02', customers: 30, retention: [1, 0.2, 0.1] },
      { label: '2015-03', customers: 10, retention: [1, 0.4] },
    ]);
    expect(text).toContain('On average 25% of a cohort buys again in the month after acquisition');
    expect(text).toContain('2 of 3 cohorts');
  });

  it('says that no cohort has a next-month figure instead of an average of nothing', () => {
    const text = caption([
      { label: '2022-01', customers: 10, retention: [1, null, null, 0] },
      { label: '2022-02', customers: null, retention: [null, null] },
    ]);
    expect(text).not.toContain('On average');
    expect(text).not.toContain('–');
    expect(text).toContain('No shown cohort has a figure for the month after acquisition');
  });

  it('keeps the plain average when every shown cohort has its figure', () => {
    expect(caption([{ label: '2011-01', customers: 10, retention: [1, 0.3] }])).toContain('On average 30% of a cohort buys again in the month after acquisition;');
  });
});

// Regression: `clvkit cohorts` says when the as-of day cuts its last month short (cohorts-text-table.test.ts); the
// report's heatmap of the same figures (Online Retail as of 2011-12-09: December's 9 of 31 days, retention falling
// beside whole months) said nothing. Its caption now says it, from the same note.
describe('cohort retention caption: a last month counted only part of the way', () => {
  const cohorts: CohortRetention['cohorts'] = [{ label: '2011-10', customers: 20, retention: [1, 0.3, 0.1] }];
  const captionAsOf = (asOf: string, periodUnit: CohortRetention['periodUnit'] = 'month') =>
    renderCohortsSection({ ...data, run: { ...data.run, parameters: { ...data.run.parameters, asOf } } }, { periodUnit, cohorts }).html.match(/<figcaption[^>]*>([\s\S]*?)<\/figcaption>/)![1]!;

  it('names the month, the as-of day and the days counted', () => {
    expect(captionAsOf('2011-12-09')).toContain('The last month, 2011-12, is counted to 2011-12-09 (9 of its 31 days): the last cell of each row is of part of a month, lower than a whole month would show.');
  });

  it('says nothing at a month’s last day, nor for cohorts by week', () => {
    expect(captionAsOf('2011-11-30')).not.toContain('last month');
    expect(captionAsOf('2011-12-09', 'week')).not.toContain('last month');
  });
});
