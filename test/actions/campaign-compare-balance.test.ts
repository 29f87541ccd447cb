/**
 * campaign compare, run.json's campaigns (the API's campaign results read the same `readCampaignKpis`), the report and
 * the dashboard show what campaign evaluate stored of the balance check and the CUPED adjustment: before, an evaluation
 * whose control draw differed from its treatment group beyond chance was compared as an equal, with no mark. On the
 * seeded campaign without effect of test/helpers/no-uplift-campaign.ts: `past` with its control group rigged to hold the
 * heaviest buyers (as test/actions/campaign-balance.test.ts) is marked ¶ with its covariate and SMD under the table;
 * `again`, stored as an evaluation from before the balance check and the adjustment (no `balance`, no `adjusted`), has
 * no mark and '—' for its adjusted uplift.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CampaignEvaluation } from '../../src/actions/evaluate-campaign.js';
import type { CampaignKpi, PublishedCampaigns } from '../../src/actions/campaign-kpis.js';
import { formatSmd } from '../../src/actions/balance-summary.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { campaignKpiRow, CAMPAIGN_KPI_COLUMNS } from '../../src/report/campaign-kpi-row.js';
import { renderCampaignsSection } from '../../src/report/sections/campaigns-section.js';
import { cli } from '../helpers/cli.js';
import { noUpliftCampaign } from '../helpers/no-uplift-campaign.js';
import { fixtureReportData } from '../report/report-fixture.js';
import { campaignNotes } from '../../web/src/campaign-notes.js';

const WINDOW = ['--from', '2024-01-01', '--to', '2024-01-31', '--role', 'analyst'];

describe('campaign compare marks an evaluation whose groups differed beyond chance, and shows its adjusted uplift', () => {
  let db = '';
  let past: CampaignEvaluation;
  let published: PublishedCampaigns;
  let text = '';
  beforeAll(async () => {
    db = await noUpliftCampaign();
    const drawn = await cli(['audience', 'create', '--db', db, '--name', 'again', '--where', 'orders >= 1', '--holdout', '0.3', '--seed', '2', '--send-date', '2024-01-01']);
    expect(drawn.code, drawn.stderr).toBe(0);
    const again = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'again', ...WINDOW]);
    expect(again.code, again.stderr).toBe(0);
    const warehouse = await openDuckDbWarehouse(db);
    try {
      // `again` as stored before the balance check and the adjustment
      const [row] = await warehouse.query("SELECT result FROM campaign_evaluations WHERE audience = 'again'");
      const { balance: _balance, adjusted: _adjusted, ...before } = JSON.parse(String(row!.result)) as CampaignEvaluation;
      await warehouse.execute(`UPDATE campaign_evaluations SET result = ${warehouse.dialect.literal(JSON.stringify(before))} WHERE audience = 'again'`);
      // the 120 members of `past` with the most orders before the send date become its control group
      await warehouse.execute(`UPDATE audience_members SET group_name = CASE WHEN customer_id IN (
          SELECT customer_id FROM (SELECT customer_id, count(*) AS n FROM transactions WHERE ts < TIMESTAMP '2024-01-01' GROUP BY customer_id) o ORDER BY n DESC, customer_id LIMIT 120
        ) THEN 'control' ELSE 'treatment' END WHERE audience = 'past'`);
    } finally {
      await warehouse.close();
    }
    const evaluated = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'past', ...WINDOW, '--json']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    past = JSON.parse(evaluated.stdout) as CampaignEvaluation;
    const json = await cli(['campaign', 'compare', '--db', db, '--json']);
    expect(json.code, json.stderr).toBe(0);
    published = JSON.parse(json.stdout) as PublishedCampaigns;
    const compared = await cli(['campaign', 'compare', '--db', db]);
    expect(compared.code, compared.stderr).toBe(0);
    text = compared.stdout;
  }, 180_000);

  const byName = (name: string) => published.campaigns.find((c) => c.audience === name) as CampaignKpi;
  const toDate = () => past.balance!.covariates.find((c) => c.name === 'purchasesToDate')!;

  it('the JSON (run.json, the API): balanceBeyondChance names the covariate with its SMD; adjustedUplift is the revenue one; neither for the older evaluation', () => {
    expect(past.balance!.beyondChance).toContain('purchasesToDate');
    const p = byName('past');
    expect(p.balanceBeyondChance).toContain(`purchases per customer before the send date: SMD ${formatSmd(toDate().smd!)} (chance ±${toDate().jointChance95!.toFixed(3)})`);
    expect(p.balanceBeyondChance).toHaveLength(past.balance!.beyondChance.length);
    expect(p.adjustedUplift).toEqual({
      outcome: 'revenue',
      absoluteUplift: past.adjusted!.revenue!.absoluteUplift,
      absoluteUpliftInterval: past.adjusted!.revenue!.absoluteUpliftInterval,
      pValue: past.adjusted!.revenue!.pValue,
      varianceReduction: past.adjusted!.revenue!.varianceReduction,
    });
    const again = byName('again');
    expect('balanceBeyondChance' in again).toBe(false);
    expect('adjustedUplift' in again).toBe(false);
    // the footnote travels with the published warnings
    expect(published.warnings!.filter((w) => w.startsWith('the evaluation of past: its treatment and control groups differed before the send date'))).toHaveLength(1);
    expect(published.warnings!.some((w) => w.startsWith('the evaluation of again: its treatment and control groups'))).toBe(false);
  });

  it('the text: past marked ¶ with its footnote and adjusted uplift; again without a mark and — in the adjusted column', () => {
    const lines = text.split('\n');
    const header = lines[0]!;
    const column = header.indexOf('adjusted uplift (CUPED)');
    expect(column).toBeGreaterThan(header.indexOf('revenue uplift'));
    const row = (name: string) => lines.find((l) => l.startsWith(`${name} `))!;
    expect(row('past')).toMatch(/^past §? ?¶ /);
    expect(row('again')).not.toContain('¶');
    const a = past.adjusted!.revenue!;
    const signed = (v: number) => `${v < 0 ? '−' : '+'}${Math.abs(v).toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
    expect(row('past').slice(column)).toMatch(new RegExp(`^${escape(`${signed(a.absoluteUplift)} [${signed(a.absoluteUpliftInterval[0])}, ${signed(a.absoluteUpliftInterval[1])}] revenue per customer`)} `));
    expect(row('again').slice(column)).toMatch(/^— +\S/);
    const footnotes = lines.filter((l) => l.startsWith('¶ warning: '));
    expect(footnotes).toHaveLength(1);
    expect(footnotes[0]).toContain(`the evaluation of past: its treatment and control groups differed before the send date beyond what random assignment gives: `);
    expect(footnotes[0]).toContain(`purchases per customer before the send date: SMD ${formatSmd(toDate().smd!)}`);
  });

  it('the report and the dashboard: the same adjusted uplift, the row marked, the same footnote; none for the older evaluation', () => {
    const adjustedColumn = CAMPAIGN_KPI_COLUMNS.findIndex((c) => c.header === 'adjusted uplift (CUPED)');
    expect(adjustedColumn).toBe(CAMPAIGN_KPI_COLUMNS.findIndex((c) => c.header === 'revenue uplift') + 1);
    const [pastRow, againRow] = [campaignKpiRow(byName('past')), campaignKpiRow(byName('again'))];
    expect(pastRow).toHaveLength(CAMPAIGN_KPI_COLUMNS.length);
    expect(pastRow[adjustedColumn]).toMatch(/^[+−][\d.,]+ \[[+−][\d.,]+, [+−][\d.,]+\] revenue per customer$/);
    expect(text).toContain(pastRow[adjustedColumn]);
    expect(againRow[adjustedColumn]).toBe('–');
    expect(pastRow[2]).toMatch(/\(imbalance beyond chance\)$/);
    expect(againRow[2]).not.toContain('imbalance');
    const footnote = published.warnings!.find((w) => w.startsWith('the evaluation of past: its treatment and control groups'))!;
    // the dashboard's notes under its table: the footnote once, for past alone
    expect(campaignNotes({ minGroupSize: 5, campaigns: published }).filter((n) => n.includes('treatment and control groups differed'))).toEqual([`Warning: ${footnote}.`]);
    const html = renderCampaignsSection(fixtureReportData(200), published).html;
    expect(html).toContain('<th>adjusted uplift (CUPED)</th>');
    expect(html).toContain(pastRow[adjustedColumn]);
    expect(html).toContain('(imbalance beyond chance)');
    expect(html).toContain(`Warning: ${footnote}.`);
    expect(html.match(/its treatment and control groups differed before the send date/g)).toHaveLength(1);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
