/**
 * A user trial (session 40): a CUPED adjustment whose pre-period told almost nothing (a "Lost" audience, none of whom
 * bought in the 100 days before the send date, but one) printed "variance −0%": a reduction of 0.3% rounded to 0 kept
 * its sign. A change that rounds to 0% is now "±0%", as an exact 0 was; one of 1% or more keeps its sign.
 */
import { describe, expect, it } from 'vitest';
import type { CampaignEvaluation } from '../../src/actions/evaluate-campaign.js';
import type { UpliftEstimate } from '../../src/actions/estimate-uplift.js';
import { formatCampaignEvaluation } from '../../src/cli/commands/campaign-command.js';

const some: UpliftEstimate = { treatment: 1, control: 1, absoluteUplift: 0, absoluteUpliftInterval: [-0.1, 0.1], relativeUplift: 0, relativeUpliftInterval: [-0.1, 0.1], pValue: 1, test: 'permutation', incremental: 0, incrementalInterval: [-1, 1] };

function withVarianceReduction(varianceReduction: number): CampaignEvaluation {
  const adjusted = { absoluteUplift: 0.01, absoluteUpliftInterval: [-0.2, 0.2], pValue: 0.9, varianceReduction, covariate: 'purchases in the 30 days before' };
  return {
    audience: 'lost',
    window: { from: '2024-01-01', to: '2024-01-30', days: 30 },
    sendDate: '2024-01-01',
    groups: { treatment: 40, control: 40 },
    purchases: some,
    buyers: some,
    revenue: null,
    margin: null,
    adjusted: { method: 'CUPED', preDays: 30, preFrom: '2023-12-02', preTo: '2023-12-31', purchases: adjusted, revenue: null, margin: null },
    cost: null,
    roi: null,
    roiInterval: null,
    costPerIncrementalBuyer: null,
    unavailable: {},
    warnings: [],
  } as unknown as CampaignEvaluation;
}

const varianceOf = (e: CampaignEvaluation) => /variance (\S+)/.exec(formatCampaignEvaluation(e).split('\n').find((l) => l.includes('(CUPED)'))!)![1];

describe('the variance change of a CUPED line', () => {
  it('is ±0% when it rounds to 0%, whatever its sign', () => {
    expect(varianceOf(withVarianceReduction(0.003))).toBe('±0%');
    expect(varianceOf(withVarianceReduction(-0.004))).toBe('±0%');
    expect(varianceOf(withVarianceReduction(0))).toBe('±0%');
  });

  it('keeps its sign from 1% on', () => {
    expect(varianceOf(withVarianceReduction(0.28))).toBe('−28%');
    expect(varianceOf(withVarianceReduction(-0.012))).toBe('+1%');
  });
});
