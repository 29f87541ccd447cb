import { describe, expect, it } from 'vitest';
import type { CampaignEvaluation } from '../../src/actions/evaluate-campaign.js';
import { formatCampaignEvaluation } from '../../src/cli/commands/campaign-command.js';
import { computeHoldoutMetrics } from '../../src/models/compute-holdout-metrics.js';
import { formatNumber } from '../../src/report/format-number.js';
import { renderModelSection } from '../../src/report/sections/model-section.js';
import { fixtureReportData } from './report-fixture.js';

// QA display nits: the honest tournament's "Gini (by purchases)" printed -0 (a float a hair below 0 where every
// prediction is the same), Spearman printed "–" with no reason in that case, and campaign evaluate printed the buyers'
// shares as "1 vs 1" rather than "100% vs 100%".
describe('display of undefined rankings and shares', () => {
  it('a number that rounds to zero from below prints 0, never -0', () => {
    expect(formatNumber(-1e-17, 3)).toBe('0.000');
    expect(formatNumber(-0, 2)).toBe('0.00');
    expect(formatNumber(-0.0004, 3)).toBe('0.000');
    expect(formatNumber(-0, 0)).toBe('0');
    expect(formatNumber(-0.0006, 3)).toBe('-0.001');
  });

  it('the holdout metrics say why Spearman is undefined when every prediction is the same', () => {
    const m = computeHoldoutMetrics(Float64Array.of(0, 1, 3, 2), Float64Array.of(1.5, 1.5, 1.5, 1.5));
    expect(m.spearman).toBeNaN();
    expect(m.spearmanUndefined).toBe('all predictions equal');
    expect(computeHoldoutMetrics(Float64Array.of(0, 0, 0), Float64Array.of(1, 2, 3)).spearmanUndefined).toBe('all holdout purchases equal');
    expect(computeHoldoutMetrics(Float64Array.of(0, 1, 3), Float64Array.of(1, 2, 3)).spearmanUndefined).toBeUndefined();
  });

  it('the report gives that reason beside the dash', () => {
    const data = fixtureReportData();
    const card = data.modelCard!;
    const comparison = card.comparison.map((c) => ({ ...c, holdout: { ...c.holdout, spearman: NaN, spearmanUndefined: 'all predictions equal' } }));
    const html = renderModelSection(data, { ...card, comparison }).html;
    expect(html).toContain('– (all predictions equal)');
  });

  it('campaign evaluate prints the buyers’ shares as percentages, their uplift in points', () => {
    const buyers = { treatment: 1, control: 1, absoluteUplift: 0, absoluteUpliftInterval: [-0.05, 0.05] as const, relativeUplift: 0, relativeUpliftInterval: [-0.05, 0.05] as const, pValue: 1, test: 'fisher-exact' as const, incremental: 0, incrementalInterval: [-5, 5] as const };
    const zeroControl = { ...buyers, treatment: 0.058, control: 0, absoluteUplift: 0.058, absoluteUpliftInterval: [-0.061, 0.093] as const, relativeUplift: null, relativeUpliftInterval: null, pValue: 0.378 };
    const e = (b: typeof buyers | typeof zeroControl) =>
      ({ audience: 'trial', window: { from: '2024-01-01', to: '2024-01-31', days: 31 }, sendDate: '2024-01-01', groups: { treatment: 100, control: 20 }, purchases: null, buyers: b, revenue: null, margin: null, unavailable: {}, roi: null, roiInterval: null, costPerIncrementalBuyer: null, cost: null, responses: null, warnings: [] }) as unknown as CampaignEvaluation;
    expect(formatCampaignEvaluation(e(buyers))).toMatch(/^ {2}buyers +100% vs +100% +\+0\.0% \[-5\.0%, \+5\.0%\], p = 1/m);
    expect(formatCampaignEvaluation(e(zeroControl))).toContain('  buyers           5.8% vs         0%   +5.8 [-6.1, +9.3] points (control 0: no relative uplift), p = 0.378');
  });
});
