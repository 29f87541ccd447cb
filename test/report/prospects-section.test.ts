/**
 * Prospects in a report without events (regression): a run with customer profiles and no events scores its
 * never-buyers from the profiles (run.json `prospects`, basis 'profiles') and writes them to customers.csv, but the
 * report showed prospects only inside the events section, so they were missing from report.html.
 */
import { describe, expect, it } from 'vitest';
import type { ProspectScores } from '../../src/events/score-prospects.js';
import { renderReport } from '../../src/report/render-report.js';
import type { ReportData } from '../../src/report/report-data.js';
import { fixtureReportData } from './report-fixture.js';

const PROFILE_PROSPECTS: ProspectScores = {
  prospects: 62,
  basis: 'profiles',
  features: ['days_since_signup', 'acquisition_cost'],
  horizonDays: 90,
  cutoffs: ['2023-06-30', '2023-09-30'],
  trainingRows: 400,
  conversions: 31,
  model: 'logistic regression',
  coefficients: { days_since_signup: -0.01, acquisition_cost: 0.2 },
  separatedLevels: [],
  calibration: [{ decile: 1, rows: 40, predicted: 1.5, actual: 2 }],
  meanPropensity: 0.0734,
  expectedFirstYearValueTotal: 1234.5,
};

const withRun = (over: Record<string, unknown>): ReportData => {
  const data = fixtureReportData(200);
  return { ...data, run: { ...data.run, ...over } } as ReportData;
};

describe('the prospects section of a report without events', () => {
  it('shows the profile-scored prospects: how many, propensity, first-year value, calibration', () => {
    const html = renderReport(withRun({ events: null, prospects: PROFILE_PROSPECTS }), { seed: 1 });
    const start = html.indexOf('id="prospects"');
    expect(start).toBeGreaterThanOrEqual(0);
    const end = html.indexOf('<section', start);
    const section = html.slice(start, end < 0 ? undefined : end);
    expect(html).toContain('href="#prospects"');
    expect(section).toContain('>62<');
    expect(section).toContain('7.34%');
    expect(section).toContain('days_since_signup, acquisition_cost');
    expect(section).toContain('predicted vs actual conversions by decile');
  });

  it('is not drawn when the events section shows the prospects, nor when there are none', () => {
    expect(renderReport(withRun({ prospects: PROFILE_PROSPECTS }), { seed: 1 })).not.toContain('id="prospects"');
    expect(renderReport(withRun({ events: null, prospects: { ...PROFILE_PROSPECTS, prospects: 0 } }), { seed: 1 })).not.toContain('id="prospects"');
    expect(renderReport(withRun({ events: null, prospects: null }), { seed: 1 })).not.toContain('id="prospects"');
  });
});
