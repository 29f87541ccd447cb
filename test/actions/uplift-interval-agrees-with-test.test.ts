/**
 * A QA pass found intervals and p-values that disagreed with no word said: purchases −77.8% [−94.4%, −5.9%] beside a
 * permutation p of 0.073, and the report counting "0 of 12 campaigns raised purchases … whole 95% interval above zero"
 * beside an evaluate line whose interval was above zero (p = 0.134). One verdict now (`upliftVerdict`: the interval
 * wholly on one side of 0 *and* p < 0.05), used by evaluate, compare, the report and the dashboard; where interval and
 * test disagree, one sentence says so (`intervalTestNote`). And a control without buyers (no relative uplift) showed
 * '—' in compare and the report: they now show the absolute uplift, as evaluate does.
 */
import { describe, expect, it } from 'vitest';
import { campaignKpi, type CampaignKpi, type PublishedCampaigns } from '../../src/actions/campaign-kpis.js';
import type { CampaignEvaluation } from '../../src/actions/evaluate-campaign.js';
import { estimateShareUplift, type UpliftEstimate } from '../../src/actions/estimate-uplift.js';
import { intervalTestNote, upliftVerdict } from '../../src/actions/uplift-verdict.js';
import { formatCampaignComparison, formatCampaignEvaluation } from '../../src/cli/commands/campaign-command.js';
import { formatUplift } from '../../src/report/campaign-kpi-row.js';
import { renderCampaignsSection } from '../../src/report/sections/campaigns-section.js';
import { fixtureReportData } from '../report/report-fixture.js';

const mean = (relative: [number, number, number] | null, absolute: [number, number, number], pValue: number): UpliftEstimate => ({
  treatment: 0.2,
  control: relative ? 0.2 / (1 + relative[0]) : 0,
  absoluteUplift: absolute[0],
  absoluteUpliftInterval: [absolute[1], absolute[2]],
  relativeUplift: relative?.[0] ?? null,
  relativeUpliftInterval: relative ? [relative[1], relative[2]] : null,
  pValue,
  test: 'permutation',
  incremental: absolute[0] * 1600,
  incrementalInterval: [absolute[1] * 1600, absolute[2] * 1600],
});

// the QA's: a fall whose interval excludes 0 beside p = 0.073; a rise with p = 0.003 (both agree); a control without buyers
const fall = mean([-0.778, -0.944, -0.059], [-0.07, -0.085, -0.005], 0.073);
const rise = mean([0.3, 0.12, 0.5], [0.05, 0.02, 0.08], 0.003);
const zeroControl = mean(null, [0.018, 0.002, 0.024], 0.134);

describe('one verdict for an uplift, and a sentence where its interval and its test disagree', () => {
  it('counts an effect only where the interval and the test agree', () => {
    expect(upliftVerdict(rise)).toBe('raised');
    expect(upliftVerdict(fall)).toBe('not shown');
    expect(upliftVerdict(zeroControl)).toBe('not shown');
    expect(upliftVerdict({ ...fall, pValue: 0.01 })).toBe('lowered');
    expect(intervalTestNote(rise)).toBeNull();
    expect(intervalTestNote(fall)).toBe('its 95% interval excludes 0 but the permutation test does not reject equal means (p = 0.073): not counted as an effect (the bootstrap interval is approximate where a group has few buyers; the test’s false-positive rate is exact)');
    expect(intervalTestNote({ ...rise, absoluteUpliftInterval: [-0.001, 0.08], relativeUpliftInterval: [-0.01, 0.5], pValue: 0.04 })).toBe('the permutation test rejects equal means (p = 0.040) but its 95% interval includes 0: not counted as an effect until both agree');
    // Fisher's exact test against Newcombe's interval: 7 of 34 against 1 of 34 is [+0.019, +0.340] beside p = 0.054
    const buyers = estimateShareUplift({ n: 34, count: 7 }, { n: 34, count: 1 });
    expect(upliftVerdict(buyers)).toBe('not shown');
    expect(intervalTestNote(buyers)).toMatch(/^its 95% interval excludes 0 but Fisher’s exact test does not reject equal shares \(p = 0\.054\)/);
  });

  it('campaign evaluate prints the sentence under the line', () => {
    const e = { audience: 'trial', window: { from: '2024-01-01', to: '2024-01-31', days: 31 }, sendDate: '2024-01-01', groups: { treatment: 1600, control: 184 }, purchases: fall, buyers: estimateShareUplift({ n: 1600, count: 40 }, { n: 184, count: 4 }), revenue: zeroControl, margin: null, unavailable: { margin: 'x' }, roi: null, roiInterval: null, costPerIncrementalBuyer: null, cost: null, warnings: [] } as unknown as CampaignEvaluation;
    const text = formatCampaignEvaluation(e);
    expect(text).toContain('\n             purchases: its 95% interval excludes 0 but the permutation test does not reject equal means (p = 0.073): not counted as an effect');
    expect(text).toContain('\n             revenue: its 95% interval excludes 0 but the permutation test does not reject equal means (p = 0.134)');
    expect(text).not.toContain('buyers: its');
  });

  it('compare and the report show the absolute uplift where the control bought nothing, the same sentences, and count campaigns as evaluate does', () => {
    const fixture = (fixtureReportData().run.campaigns as PublishedCampaigns).campaigns;
    const kpi = (u: UpliftEstimate) => campaignKpi({ audience: 'x', play: null, window: { from: '2024-01-01', to: '2024-01-31', days: 31 }, sendDate: '2024-01-01', groups: { treatment: 1600, control: 184 }, purchases: u, buyers: u, revenue: u, margin: null, cost: null, roi: null, roiInterval: null, costPerIncrementalBuyer: null, unavailable: {}, warnings: [] } as unknown as CampaignEvaluation);
    const withPurchases = (c: CampaignKpi, u: UpliftEstimate): CampaignKpi => ({ ...c, purchases: kpi(u).purchases });
    expect(formatUplift(kpi(zeroControl).purchases)).toBe('+0.018 [+0.002, +0.024] per customer (control 0)');
    const campaigns = [withPurchases(fixture[0]!, rise), { ...withPurchases(fixture[1]!, zeroControl), audience: 'zero-control' }, { ...withPurchases(fixture[1]!, fall), audience: 'fall' }];
    const text = formatCampaignComparison({ withheld: 0, campaigns });
    expect(text).toContain('+0.018 [+0.002, +0.024] per customer (control 0)');
    expect(text).toContain('zero-control purchases: its 95% interval excludes 0 but the permutation test does not reject equal means (p = 0.134)');
    expect(text).toContain('fall purchases: its 95% interval excludes 0 but the permutation test does not reject equal means (p = 0.073)');
    const data = fixtureReportData(200);
    const html = renderCampaignsSection(data, { withheld: 0, campaigns }).html;
    expect(html).toContain('1 of 3 campaigns raised purchases per customer (the whole 95% interval above zero and p &lt; 0.05)');
    expect(html).toContain('+0.018 [+0.002, +0.024] per customer (control 0)');
    expect(html).toContain('fall purchases: its 95% interval excludes 0 but the permutation test does not reject equal means (p = 0.073)');
  });
});
