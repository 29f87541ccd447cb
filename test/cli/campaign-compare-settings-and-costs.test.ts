import { describe, expect, it } from 'vitest';
import { campaignKpi, type CampaignKpi, type PublishedCampaigns } from '../../src/actions/campaign-kpis.js';
import { costPerIncrementalBuyerOf, type CampaignEvaluation } from '../../src/actions/evaluate-campaign.js';
import { estimateShareUplift } from '../../src/actions/estimate-uplift.js';
import { formatCampaignComparison } from '../../src/cli/commands/campaign-command.js';
import { cli } from '../helpers/cli.js';
import { noUpliftCampaign } from '../helpers/no-uplift-campaign.js';
import { fixtureReportData } from '../report/report-fixture.js';

const fixture = () => (fixtureReportData().run.campaigns as PublishedCampaigns).campaigns;

// Regressions (a new-user pass): campaign compare showed each audience's newest evaluation without saying over which
// window or when it was made, so rows measured over 31 and 3 days read as equals; and its "cost/resp." column (cost ÷
// every treated buyer, those who would have bought anyway included) read as the campaign's efficiency.
describe('campaign compare says what each row was evaluated over', () => {
  it('shows each row\'s window with its days and when it was evaluated, and warns when the windows differ', () => {
    const [a, b] = fixture();
    const rows: CampaignKpi[] = [
      { ...a!, sendDate: '2011-12-10', evaluatedAt: '2012-01-12T09:30:00.000Z' },
      { ...b!, sendDate: '2011-12-10', window: { from: '2011-12-10', to: '2011-12-12', days: 3 }, evaluatedAt: '2012-02-01T16:05:00.000Z' },
    ];
    const text = formatCampaignComparison({ withheld: 0, campaigns: rows });
    const [header, first, second] = text.split('\n');
    expect(header).toMatch(/evaluated/);
    expect(first).toContain('2011-12-10 … 2012-01-09 (31 days)');
    expect(first).toContain('2012-01-12 09:30');
    expect(second).toContain('2011-12-10 … 2011-12-12 (3 days)');
    expect(second).toContain('2012-02-01 16:05');
    expect(text).toContain('warning: the campaigns were evaluated over windows of different lengths (31 days: winback-2011-12; 3 days: cross-sell-2011-12): their uplifts and ROI are not comparable as equals');

    const same = formatCampaignComparison({ withheld: 0, campaigns: [rows[0]!, { ...rows[1]!, window: rows[0]!.window }] });
    expect(same).not.toContain('warning');
  });
});

describe('campaign compare: cost per treated buyer, and per incremental buyer only where it can be estimated', () => {
  const evaluation = (treatedBuyers: number, controlBuyers: number): CampaignEvaluation => {
    const buyers = estimateShareUplift({ n: 1600, count: treatedBuyers }, { n: 400, count: controlBuyers });
    const perBuyer = costPerIncrementalBuyerOf(buyers, 800);
    return {
      audience: 'winback', play: null, sendDate: '2024-01-01', window: { from: '2024-01-01', to: '2024-01-31', days: 31 }, groups: { treatment: 1600, control: 400 },
      purchases: buyers, buyers, revenue: null, margin: null, cost: { perContact: 0.5, total: 800 }, roi: null, roiInterval: null,
      costPerIncrementalBuyer: 'value' in perBuyer ? perBuyer.value : null, predictedClvChange: null, method: '', unavailable: 'value' in perBuyer ? {} : { costPerIncrementalBuyer: perBuyer.unavailable }, warnings: [],
    };
  };

  it('a buyers\' uplift whose interval excludes 0: the cost per incremental buyer with its interval (cost ÷ the incremental buyers\' interval)', () => {
    const e = evaluation(832, 176); // 52% against 44%
    const kpi = campaignKpi(e);
    const [low, high] = e.buyers.incrementalInterval;
    expect(low).toBeGreaterThan(0);
    expect(kpi.costPerIncrementalBuyer).toBeCloseTo(800 / e.buyers.incremental, 9);
    expect(kpi.costPerIncrementalBuyerInterval![0]).toBeCloseTo(800 / high, 9);
    expect(kpi.costPerIncrementalBuyerInterval![1]).toBeCloseTo(800 / low, 9);
    // the old field keeps its name and meaning: cost ÷ every treated buyer
    expect(kpi.costPerResponse).toBeCloseTo(800 / 832, 9);
    const text = formatCampaignComparison({ withheld: 0, campaigns: [kpi] });
    const [header, row] = text.split('\n');
    expect(header).not.toContain('cost/resp.');
    expect(header).toContain('cost per treated buyer');
    expect(header).toContain('cost per incremental buyer [95%]');
    const fmt = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 2 });
    expect(row).toContain(`${fmt(800 / e.buyers.incremental)} [${fmt(800 / high)}, ${fmt(800 / low)}]`);
    expect(text).toContain('cost per treated buyer: the cost ÷ every treated customer who bought, those who would have bought without the campaign included');
  });

  it('an interval holding 0: "not estimable" in the table and null with the reason in JSON', () => {
    const e = evaluation(704, 176); // 44% against 44%
    const kpi = campaignKpi(e);
    expect(kpi.costPerIncrementalBuyer).toBeNull();
    expect(kpi.costPerIncrementalBuyerInterval).toBeNull();
    expect(kpi.costPerIncrementalBuyerUnavailable).toMatch(/^no incremental buyers|^not estimable/);
    const row = formatCampaignComparison({ withheld: 0, campaigns: [kpi] }).split('\n')[1]!;
    expect(row).toContain('not estimable');
  });

  it('end to end: campaign compare over two audiences evaluated over 31 and 14 days warns, names each row\'s window and evaluation time, and says not estimable', async () => {
    const db = await noUpliftCampaign();
    const drawn = await cli(['audience', 'create', '--db', db, '--name', 'past-b', '--where', 'orders >= 1', '--holdout', '0.3', '--seed', '2', '--send-date', '2024-01-01']);
    expect(drawn.code, drawn.stderr).toBe(0);
    for (const [audience, to] of [['past', '2024-01-31'], ['past-b', '2024-01-14']] as const) {
      const run = await cli(['campaign', 'evaluate', '--db', db, '--audience', audience, '--from', '2024-01-01', '--to', to, '--cost-per-contact', '0.5']);
      expect(run.code, run.stderr).toBe(0);
    }
    const json = await cli(['campaign', 'compare', '--db', db, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const published = JSON.parse(json.stdout) as PublishedCampaigns;
    expect(published.campaigns.map((c) => [c.audience, c.window.days, c.sendDate])).toEqual([['past', 31, '2024-01-01'], ['past-b', 14, '2024-01-01']]);
    for (const c of published.campaigns) expect(Date.now() - Date.parse(c.evaluatedAt!)).toBeLessThan(10 * 60_000);
    // both audiences are the same customers sent the same day: each evaluation's overlap with the other is repeated (campaign-overlap-in-compare.test.ts)
    expect(published.warnings).toEqual([
      expect.stringMatching(/^the campaigns were evaluated over windows of different lengths \(31 days: past; 14 days: past-b\)/),
      expect.stringMatching(/^the evaluation of past: \d+ of the 120 control customers were treated by other audiences .* \(\d+ customers also in past-b\)/),
      expect.stringMatching(/^the evaluation of past: \d+ of the 280 treated customers were also treated by other audiences .* \(\d+ customers also in past-b\)/),
      expect.stringMatching(/^the evaluation of past-b: \d+ of the 120 control customers were treated by other audiences .* \(\d+ customers also in past\)/),
      expect.stringMatching(/^the evaluation of past-b: \d+ of the 280 treated customers were also treated by other audiences .* \(\d+ customers also in past\)/),
    ]);
    const text = await cli(['campaign', 'compare', '--db', db]);
    expect(text.stdout).toContain('2024-01-01 … 2024-01-31 (31 days)');
    expect(text.stdout).toContain('2024-01-01 … 2024-01-14 (14 days)');
    expect(text.stdout).toContain('not estimable');
    expect(text.stdout).toContain('warning: the campaigns were evaluated over windows of different lengths');
  }, 120_000);
});
