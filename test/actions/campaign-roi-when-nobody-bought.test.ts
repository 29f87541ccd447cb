/**
 * QA: a campaign whose treatment and control groups both bought nothing in the window has ROI −1 [−1, −1] (the cost,
 * set against no margin at all), which campaign evaluate, campaign compare and the report printed as it is: correct,
 * but it reads as a certain loss. They now say that no one bought in either group, so the ROI says nothing of the
 * campaign; the JSON keeps the numbers (roi −1, roiInterval [−1, −1]: the issue contracts' fields).
 */
import { describe, expect, it } from 'vitest';
import type { CampaignKpi } from '../../src/actions/campaign-kpis.js';
import { campaignKpi } from '../../src/actions/campaign-kpis.js';
import type { CampaignEvaluation } from '../../src/actions/evaluate-campaign.js';
import { estimateShareUplift, type UpliftEstimate } from '../../src/actions/estimate-uplift.js';
import { formatCampaignComparison, formatCampaignEvaluation } from '../../src/cli/commands/campaign-command.js';
import { campaignKpiRow, CAMPAIGN_KPI_COLUMNS } from '../../src/report/campaign-kpi-row.js';

const none: UpliftEstimate = { treatment: 0, control: 0, absoluteUplift: 0, absoluteUpliftInterval: [0, 0], relativeUplift: null, relativeUpliftInterval: null, pValue: 1, test: 'permutation', incremental: 0, incrementalInterval: [0, 0] };

function evaluation(buyers: { treatment: number; control: number }): CampaignEvaluation {
  return {
    audience: 'quiet',
    window: { from: '2024-01-01', to: '2024-01-31', days: 31 },
    sendDate: '2024-01-01',
    groups: { treatment: 40, control: 10 },
    purchases: none,
    buyers: estimateShareUplift({ n: 40, count: buyers.treatment }, { n: 10, count: buyers.control }),
    revenue: none,
    margin: none,
    cost: { total: 40, perContact: 1, source: 'flag' },
    roi: -1,
    roiInterval: [-1, -1],
    costPerIncrementalBuyer: null,
    unavailable: {},
    warnings: [],
  } as unknown as CampaignEvaluation;
}

const ROI_CERTAIN_LOSS = /-1(\.00)? \[-1(\.00)?, -1(\.00)?\]/;

describe('ROI when no one in either group bought', () => {
  it('campaign evaluate says so instead of -1 [-1, -1]', () => {
    const roi = formatCampaignEvaluation(evaluation({ treatment: 0, control: 0 })).split('\n').find((l) => l.startsWith('  ROI'))!;
    expect(roi).not.toMatch(ROI_CERTAIN_LOSS);
    expect(roi).toBe('  ROI        not informative: no one bought in either group (the cost of 40 set against no purchase; --json keeps roi -1)');
  });

  it('campaign compare and the report say so too; the JSON keeps its numbers', () => {
    const kpi: CampaignKpi = { ...campaignKpi(evaluation({ treatment: 0, control: 0 })), clvToCac: null, channels: [] };
    expect(kpi.roi).toBe(-1);
    expect(kpi.roiInterval).toEqual([-1, -1]);
    const compared = formatCampaignComparison({ campaigns: [kpi], withheld: 0 });
    expect(compared).not.toMatch(ROI_CERTAIN_LOSS);
    expect(compared).toContain('no one bought');
    const row = campaignKpiRow(kpi);
    expect(row[CAMPAIGN_KPI_COLUMNS.findIndex((c) => c.header === 'ROI')]).toBe('not informative: no one bought in either group');
  });

  it('a campaign where someone bought keeps its ROI figures', () => {
    expect(formatCampaignEvaluation(evaluation({ treatment: 0, control: 1 }))).toContain('  ROI        -1 [-1, -1] on a cost of 40');
    const kpi: CampaignKpi = { ...campaignKpi(evaluation({ treatment: 1, control: 0 })), clvToCac: null, channels: [] };
    expect(campaignKpiRow(kpi)[CAMPAIGN_KPI_COLUMNS.findIndex((c) => c.header === 'ROI')]).toBe('-1.00 [-1.00, -1.00]');
  });
});
