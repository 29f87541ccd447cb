import { describe, expect, it } from 'vitest';
import type { CampaignKpi, PublishedCampaigns } from '../../src/actions/campaign-kpis.js';
import { renderCampaignsSection } from '../../src/report/sections/campaigns-section.js';
import { fixtureReportData } from './report-fixture.js';

const data = fixtureReportData(200);
const base = data.run.campaigns!;
const [first, second] = base.campaigns as [CampaignKpi, CampaignKpi];

describe('the report’s campaigns section', () => {
  it('without channels or response files: no channel or responses table (a run before them renders as before)', () => {
    const html = renderCampaignsSection(data, base).html;
    expect(html).not.toContain('by acquisition channel');
    expect(html).not.toContain('response files');
  });

  it('shows CLV:CAC, ROI by acquisition channel (withheld channels by name only) and the responses of a response file', () => {
    const published: PublishedCampaigns = {
      withheld: 0,
      campaigns: [
        {
          ...first,
          clvToCac: 3.25,
          channels: [
            { channel: 'search', groups: { treatment: 800, control: 200 }, clv: 120, acquisitionCost: 40, clvToCac: 3, incrementalMargin: 1500, incrementalMarginInterval: [400, 2600], cost: 400, roi: 2.75, roiInterval: [0, 5.5], withheld: false },
            { channel: 'tiny', groups: { treatment: 0, control: 0 }, clv: null, acquisitionCost: null, clvToCac: null, incrementalMargin: null, incrementalMarginInterval: null, cost: null, roi: null, roiInterval: null, withheld: true },
          ],
          responses: { responseRate: { treatment: 0.2, control: 0.06 }, redemptionRate: { treatment: 0.067, control: 0 }, costPerResponse: 10, costPerRedemption: 30 },
        },
        { ...second, clvToCac: null, channels: [] },
      ],
    };
    const html = renderCampaignsSection(data, published).html;
    expect(html).toContain('ROI and CLV:CAC by acquisition channel');
    expect(html).toMatch(/<td[^>]*>search<\/td>/);
    expect(html).toContain('<td class="num">2.75 [0.00, 5.50]</td>');
    expect(html).toContain('withheld: a group below the minimum group size');
    expect(html).toContain('<td class="num">3.25</td>');
    expect(html).toContain('Responses and redemptions from the campaigns’ response files');
    expect(html).toContain('20.0% / 6.0%');
    expect(html).toContain('6.7% / 0.0%');
  });
});
