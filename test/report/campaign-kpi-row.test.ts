import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CampaignKpi } from '../../src/actions/campaign-kpis.js';
import { campaignKpiRow, CAMPAIGN_KPI_COLUMNS, formatUplift } from '../../src/report/campaign-kpi-row.js';
import { renderCampaignsSection } from '../../src/report/sections/campaigns-section.js';
import { fixtureReportData } from './report-fixture.js';

const data = fixtureReportData(200);
const [first, second] = data.run.campaigns!.campaigns as [CampaignKpi, CampaignKpi];

describe('the campaign KPI row shared by the report and the dashboard', () => {
  it('formats every cell of a campaign with its intervals, in column order', () => {
    const row = campaignKpiRow({ ...first, clvToCac: 3.25 }, 'EUR');
    expect(row).toHaveLength(CAMPAIGN_KPI_COLUMNS.length);
    expect(Object.fromEntries(CAMPAIGN_KPI_COLUMNS.map((c, i) => [c.header, row[i]]))).toMatchObject({
      audience: 'winback-2011-12 (win-back-high-value)',
      window: '2011-12-10 … 2012-01-09',
      'treated / control': '1,600 / 400',
      'repurchase (T / C)': '52.0% / 44.0%',
      'purchases uplift': '30.0% [18.0%, 43.0%]',
      'revenue uplift': '33.5% [17.0%, 52.0%]',
      ROI: '2.60 [1.10, 4.20]',
      'CLV:CAC': '3.25',
    });
  });

  it('a campaign without revenue, cost or AOV shows dashes, not zeros', () => {
    const row = campaignKpiRow(second);
    expect(row[0]).toBe('cross-sell-2011-12');
    // revenue uplift, adjusted uplift (none stored: an evaluation before CUPED), AOV, cost per treated buyer, ROI, CLV:CAC
    expect(row.slice(5)).toEqual(['–', '–', '–', '–', '–', '–']);
    expect(formatUplift(null)).toBe('–');
  });

  it('the report renders exactly these cells (one builder, not two copies)', () => {
    const html = renderCampaignsSection(data, data.run.campaigns!).html;
    for (const cell of campaignKpiRow(first, data.currency)) expect(html).toContain(cell.replace(/&/g, '&amp;'));
  });

  it('is importable by the browser bundle (no node: imports); the report section and the dashboard page both use it', () => {
    expect(readFileSync('src/report/sections/campaigns-section.ts', 'utf8')).toContain('campaignKpiRow(');
    expect(readFileSync('src/report/campaign-kpi-row.ts', 'utf8')).not.toMatch(/from 'node:/);
    const page = readFileSync('web/src/pages/campaigns-page.ts', 'utf8');
    expect(page).toContain('campaignKpiRow(');
    expect(page).not.toContain('formatPercent(');
  });
});
