/**
 * The report's campaigns (and the dashboard's, by the same row) showed an evaluation cut short by the end of the data as
 * if it covered its whole window, and one no longer describing the data without a mark (a QA pass).
 */
import { describe, expect, it } from 'vitest';
import type { CampaignKpi } from '../../src/actions/campaign-kpis.js';
import { campaignKpiRow } from '../../src/report/campaign-kpi-row.js';
import { renderCampaignsSection } from '../../src/report/sections/campaigns-section.js';
import { fixtureReportData } from './report-fixture.js';

const data = fixtureReportData(200);
const [first] = data.run.campaigns!.campaigns as [CampaignKpi];
const stale = 'measured to 2023-08-31 (the data ended there) of a window asked to 2023-09-30, and the warehouse now holds transactions after 2023-08-31: run clvkit campaign evaluate --audience vip-aug --from 2023-08-01 --to 2023-09-30 --db v.duckdb again';
const cut = { ...first, audience: 'vip-aug', play: null, window: { from: '2023-08-01', to: '2023-08-31', days: 31, requestedTo: '2023-09-30', lines: 642 }, stale } as CampaignKpi;

describe('a campaign evaluation cut short or stale in the report', () => {
  it('shows the days measured of those asked for, and marks and explains a stale evaluation', () => {
    expect(campaignKpiRow(cut)[1]).toBe('2023-08-01 … 2023-08-31 (31 of 61 days: the data ended) (stale)');
    const html = renderCampaignsSection(data, { campaigns: [cut], withheld: 0 }).html;
    expect(html).toContain('Warning: the evaluation of vip-aug is stale: measured to 2023-08-31 (the data ended there)');
  });
});
