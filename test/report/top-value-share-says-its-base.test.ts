import { describe, expect, it } from 'vitest';
import { renderOverviewSection } from '../../src/report/sections/overview-section.js';
import { renderValueSection } from '../../src/report/sections/value-section.js';
import type { ReportData } from '../../src/report/report-data.js';
import { fixtureReportData } from './report-fixture.js';

const OPTIONS = { maxScatterPoints: 500, seed: 1 };
const unescape = (html: string) => html.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
/** The top-20% KPI of a section: its figure and its note. */
function top20Kpi(html: string): { value: string; note: string } {
  const m = /top 20% of customers<\/div><div class="kpi-value">([^<]+)<\/div><div class="kpi-note">([^<]+)</.exec(html);
  if (!m) throw new Error('no top-20% KPI');
  return { value: unescape(m[1]!), note: unescape(m[2]!) };
}

describe('the top 20% share of value, in the overview and the value section', () => {
  it('is one number, printed alike, when both are on net revenue (no cost known)', () => {
    const data = fixtureReportData(2000, 7);
    const overview = top20Kpi(renderOverviewSection(data).html);
    const value = renderValueSection(data, OPTIONS).html;
    const section = top20Kpi(value);
    expect(section.value).toBe(overview.value);
    expect(overview.note).toBe('of net revenue');
    expect(section.note).toBe('of net revenue');
    // the Pareto caption and the chart's marker say the same figure, with the same decimals
    expect(unescape(value)).toContain(`The top 20% of customers hold ${overview.value} of net revenue`);
    expect(unescape(value)).toContain(`top 20% → ${overview.value}`);
  });

  it('names the other base when historic value is net spend less cost', () => {
    const base = fixtureReportData(2000, 7);
    const historicValue = Float64Array.from(base.customers.totalSpend, (v, i) => (i % 3 === 0 ? v * 0.4 : v));
    const data: ReportData = { ...base, customers: { ...base.customers, historicValue } };
    const overview = top20Kpi(renderOverviewSection(data).html);
    const section = top20Kpi(renderValueSection(data, OPTIONS).html);
    expect(overview.note).toBe('of net revenue');
    expect(section.note).toBe('of historic value (net spend − cost)');
    expect(unescape(renderValueSection(data, OPTIONS).html)).toContain('of historic value (net spend − cost) and the top half');
  });
});
