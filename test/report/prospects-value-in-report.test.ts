/**
 * What prospects are worth, in the report (regression, report QA): with events the events section's lead promised
 * "what prospects are worth" but showed only the prospect count and their mean propensity — not their expected
 * first-year value (the CLI summary prints it: "prospects: 21 expected first-year value from 300") nor that each
 * prospect has predicted_clv_12m with a parameter-uncertainty interval (predicted_clv_12m_low / _high). And the
 * overview's "predicted value, next 12 months" (the buyers' total, run.json clv.totalPredicted) left the prospects'
 * value out without saying so. The profiles-only prospects section showed the value: both sections now draw the same
 * KPI (prospectsValueKpi), and the headline's note says the total is the buyers' and names the prospects' value.
 */
import { describe, expect, it } from 'vitest';
import type { ProspectScores } from '../../src/events/score-prospects.js';
import { renderReport } from '../../src/report/render-report.js';
import type { ReportData } from '../../src/report/report-data.js';
import { fixtureEvents } from './events-fixture.js';
import { fixtureReportData } from './report-fixture.js';

const events = fixtureEvents('Web');
const PROSPECTS: ProspectScores = events.prospects;

const withRun = (over: Record<string, unknown>): ReportData => {
  const data = fixtureReportData(200);
  return { ...data, run: { ...data.run, ...over } } as ReportData;
};

/** The text of the section with this id, tags dropped. */
function sectionText(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  expect(start, id).toBeGreaterThanOrEqual(0);
  const end = html.indexOf('<section', start);
  return html.slice(start, end < 0 ? undefined : end).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

/** The KPI with this label as `label value note`. */
function kpi(text: string, label: string): string {
  const at = text.indexOf(` ${label} `);
  expect(at, label).toBeGreaterThanOrEqual(0);
  return text.slice(at + 1, at + 400);
}

const VALUE_NOTE = 'expected first-year value £20.20 all 300 prospects: propensity × the first-year value of a new customer like them; each prospect’s predicted_clv_12m in customers.csv, with its parameter-uncertainty interval (predicted_clv_12m_low / _high)';

describe('the prospects’ value in the report', () => {
  it('the events section shows the prospects’ expected first-year value and the per-prospect interval columns', () => {
    const text = sectionText(renderReport(withRun({ events, prospects: PROSPECTS }), { seed: 1 }), 'events');
    expect(text).toContain('what prospects are worth');
    expect(kpi(text, 'expected first-year value')).toContain(VALUE_NOTE);
  });

  it('the profiles-only prospects section shows the same KPI, from the same function', () => {
    const text = sectionText(renderReport(withRun({ events: null, prospects: { ...PROSPECTS, basis: 'profiles' } }), { seed: 1 }), 'prospects');
    expect(kpi(text, 'expected first-year value')).toContain(VALUE_NOTE);
  });

  it('the overview’s predicted value says it is the buyers’ and names the prospects’ expected first-year value beside it', () => {
    const text = sectionText(renderReport(withRun({ events, prospects: PROSPECTS }), { seed: 1 }), 'overview');
    expect(kpi(text, 'predicted value, next 12 months')).toContain(
      'predicted value, next 12 months £4.62M buyers only; the 300 prospects’ expected first-year value, £20.20, is not in it; discount 10%/year, margin 100%',
    );
  });

  it('without prospects the overview’s predicted value note is as before', () => {
    const text = sectionText(renderReport(withRun({ events: null, prospects: null }), { seed: 1 }), 'overview');
    expect(kpi(text, 'predicted value, next 12 months')).toContain('predicted value, next 12 months £4.62M discount 10%/year, margin 100%');
  });
});
