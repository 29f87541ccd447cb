/**
 * Evaluations stored before campaign evaluate used exact tests (a3f33b2: Fisher's exact test and Newcombe's interval
 * for buyers, a permutation test and a two-part bootstrap for purchases, revenue and margin) were read back with their
 * Welch figures — campaign compare, run.json and the report, the API's campaign results and a playbook's measured lift
 * showed the user trial's buyers at p = 8.9e-5, an ROI of 40.38 [17.67, 63.08] and a cost per incremental buyer of
 * 0.86. The fixture holds two such evaluations, made by clvkit as of a3f33b2^ on the campaigns the test rebuilds
 * (test/helpers/welch-era-campaign.ts). Read back, they are measured again where their inputs are there, and their
 * Welch figures are marked as such where they are not.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CampaignKpi, PublishedCampaigns } from '../../src/actions/campaign-kpis.js';
import type { CampaignEvaluation } from '../../src/actions/evaluate-campaign.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { campaignKpiRow, CAMPAIGN_KPI_COLUMNS } from '../../src/report/campaign-kpi-row.js';
import { renderCampaignsSection } from '../../src/report/sections/campaigns-section.js';
import { hashPassword } from '../../src/server/auth/password-hash.js';
import { addUser } from '../../src/server/auth/user-store.js';
import { createServer } from '../../src/server/create-server.js';
import { createServerContext } from '../../src/server/open-server-context.js';
import { cli } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';
import { groupMembers, welchEraCampaigns } from '../helpers/welch-era-campaign.js';
import { fixtureReportData } from '../report/report-fixture.js';

const STORED = JSON.parse(readFileSync(join(FIXTURES, 'campaigns/welch-era-evaluations.json'), 'utf8')) as CampaignEvaluation[];
const stored = (audience: string) => STORED.find((e) => e.audience === audience)!;
const published = (u: CampaignEvaluation['purchases'] | null) => u && { treatment: u.treatment, control: u.control, relativeUplift: u.relativeUplift, relativeUpliftInterval: u.relativeUpliftInterval, absoluteUplift: u.absoluteUplift, absoluteUpliftInterval: u.absoluteUpliftInterval, pValue: u.pValue, test: u.test };

describe("evaluations stored before the exact tests (Welch's t) are measured again on reading where their inputs are there, and marked as Welch's where not", () => {
  const dir = scratchDir();
  let db = '';
  const compare = async (): Promise<PublishedCampaigns> => {
    const run = await cli(['campaign', 'compare', '--db', db, '--json']);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout);
  };
  const of = (p: PublishedCampaigns, audience: string) => p.campaigns.find((c) => c.audience === audience)!;

  beforeAll(async () => {
    db = await welchEraCampaigns(cli, dir);
    // the rows campaign evaluate stored then (the window's last day as window_to, as it writes it)
    const warehouse = await openDuckDbWarehouse(db);
    try {
      for (const [i, e] of STORED.entries()) {
        await warehouse.execute(`INSERT INTO campaign_evaluations VALUES (${warehouse.dialect.literal(e.audience)}, TIMESTAMP '2024-02-01 09:00:0${i}', TIMESTAMP '${e.window.from} 00:00:00', TIMESTAMP '${e.window.to} 00:00:00', ${warehouse.dialect.literal(JSON.stringify(e))})`);
      }
    } finally {
      await warehouse.close();
    }
  }, 240_000);

  it("the fixture is Welch's: no test named, the trial's buyers at p = 8.9e-5 and its ROI interval clear of break-even", () => {
    const trial = stored('trial');
    expect(trial.groups).toEqual({ treatment: 259, control: 29 });
    expect(trial.buyers.test).toBeUndefined();
    expect(trial.buyers.pValue).toBeCloseTo(8.87e-5, 7);
    expect(trial.roiInterval![0]).toBeCloseTo(17.67, 2);
    expect(trial.costPerIncrementalBuyer).toBeCloseTo(0.863, 3);
    expect(stored('thin').revenue!.relativeUpliftInterval![0]).toBeCloseTo(1.389, 3);
  });

  it('campaign compare measures them again from the stored counts and the members\' purchases: the figures campaign evaluate gives today, and it says so', async () => {
    const now = await compare();
    const trial = of(now, 'trial');
    expect(trial.buyers.test).toBe('fisher-exact');
    expect(trial.buyers.pValue).toBeCloseTo(0.3776, 4);
    for (const key of ['purchases', 'revenue', 'margin'] as const) {
      expect(trial[key]!.test, key).toBe('permutation');
      expect(trial[key]!.pValue, key).toBeGreaterThan(0.05);
    }
    expect(trial.roiInterval![0]).toBeLessThan(0); // break-even inside; stored [17.67, 63.08]
    expect(trial.costPerIncrementalBuyer).toBeNull(); // stored 0.86: the buyers' interval holds 0
    expect(trial.storedBeforeExactTests).toEqual({
      recomputed: ['buyers', 'purchases', 'revenue', 'margin', 'roi'],
      welch: [],
      note: "evaluated before campaign evaluate used exact tests (Welch's t throughout); measured again on reading: buyers from the stored counts (Fisher's exact test, Newcombe's interval), purchases, revenue, margin and the ROI interval from the members' purchases in 2024-01-01 … 2024-01-31, which give the stored means (permutation test, two-part bootstrap)",
    });

    // campaign evaluate today, over the same window of the same data (on a copy: it stores its result)
    const copy = join(dir, 'copy');
    mkdirSync(copy);
    for (const file of ['shop.duckdb', 'shop.duckdb.key']) copyFileSync(join(dir, file), join(copy, file));
    for (const audience of ['trial', 'thin']) {
      const run = await cli(['campaign', 'evaluate', '--db', join(copy, 'shop.duckdb'), '--audience', audience, '--from', '2024-01-01', '--to', '2024-01-31', '--cost-per-contact', '0.05', '--json']);
      expect(run.code, run.stderr).toBe(0);
      const today = JSON.parse(run.stdout) as CampaignEvaluation;
      const read = of(now, audience);
      for (const key of ['purchases', 'buyers', 'revenue', 'margin'] as const) expect(read[key], `${audience} ${key}`).toEqual(published(today[key]));
      expect([read.roi, read.roiInterval, read.costPerIncrementalBuyer]).toEqual([today.roi, today.roiInterval, today.costPerIncrementalBuyer]);
    }
    const text = await cli(['campaign', 'compare', '--db', db]);
    expect(text.stdout).not.toContain('†');
  }, 120_000);

  it('GET /api/campaign-results answers the same', async () => {
    const { warehouse, keyring } = await openKeyedWarehouse({ db, requireKey: true });
    const context = createServerContext({ warehouse, dbPath: db, keyring: keyring! });
    const app = await createServer(context, { logger: false });
    try {
      await addUser(context.warehouse, { name: 'viewer', role: 'viewer', passwordHash: await hashPassword('password-for-viewer') });
      const login = await app.inject({ method: 'POST', url: '/api/login', payload: { username: 'viewer', password: 'password-for-viewer' } });
      expect(login.statusCode, login.body).toBe(200);
      const cookie = login.cookies.find((c) => c.name === 'clvkit_session')!;
      const response = await app.inject({ method: 'GET', url: '/api/campaign-results', headers: { cookie: `clvkit_session=${cookie.value}` } });
      expect(response.statusCode, response.body).toBe(200);
      const api = response.json().campaigns as PublishedCampaigns;
      expect(of(api, 'trial').buyers).toMatchObject({ test: 'fisher-exact' });
      expect(api).toEqual(await compare());
    } finally {
      await app.close();
      await warehouse.close();
    }
  }, 60_000);

  it("once the members' purchases no longer give the stored means: buyers still measured again, the rest Welch's as stored and marked — in compare, its text, the report and a playbook's lift", async () => {
    // a control customer of each campaign buys in January after the evaluation was stored (a late file)
    const late = ['order_id,customer_id,date,amount', ...['trial', 'thin'].map((a, i) => `L${i},${groupMembers(dir, a, 'control')[1]},2024-01-15,25.00`)];
    writeFileSync(join(dir, 'late.csv'), late.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'late.csv'), '--db', db])).code).toBe(0);

    const trial = of(await compare(), 'trial');
    const then = stored('trial');
    expect(trial.buyers.test).toBe('fisher-exact'); // from the stored counts: 15 of 259 against 0 of 29
    expect(trial.buyers.pValue).toBeCloseTo(0.3776, 4);
    expect(trial.costPerIncrementalBuyer).toBeNull();
    for (const key of ['purchases', 'revenue', 'margin'] as const) expect(trial[key], key).toEqual({ ...published(then[key]), test: 'welch' });
    expect(trial.roiInterval).toEqual(then.roiInterval);
    const note = "evaluated before campaign evaluate used exact tests: buyers measured again from the stored counts (Fisher's exact test, Newcombe's interval); purchases, revenue, margin and the ROI interval are Welch's t as stored, which takes a control group with few buyers or none as known exactly — its members' purchases in the window no longer give the stored means (files ingested or dropped since): evaluate the campaign again over 2024-01-01 … 2024-01-31 to measure them with the permutation test";
    expect(trial.storedBeforeExactTests).toEqual({ recomputed: ['buyers'], welch: ['purchases', 'revenue', 'margin', 'roi'], notRecomputed: "its members' purchases in the window no longer give the stored means (files ingested or dropped since)", note });

    // the text marks the Welch figures and says why under the table
    const text = (await cli(['campaign', 'compare', '--db', db])).stdout;
    expect(text).toMatch(/^thin .*\+1629\.5% \[\+138\.9%, \+12419\.0%\] †/m);
    expect(text).toContain(`† trial: ${note}`);
    // the columns as wide as their widest cell: the ROI under its header, not pushed on by the uplifts' long intervals
    const lines = text.split('\n');
    expect(lines.find((l) => l.startsWith('thin '))!.indexOf('258.53')).toBe(lines[0]!.indexOf('ROI [95%]'));

    // the report's table and the note under it (the dashboard's page uses the same row and note)
    const data = fixtureReportData(200);
    const row = campaignKpiRow(of(await compare(), 'thin'));
    expect(Object.fromEntries(CAMPAIGN_KPI_COLUMNS.map((c, i) => [c.header, row[i]]))).toMatchObject({ 'revenue uplift': '1629.5% [138.9%, 12419.0%] (Welch)', ROI: '258.53 [199.98, 317.07] (Welch)' });
    const html = renderCampaignsSection(data, await compare()).html;
    expect(html).toContain(`trial (Welch): ${note.replace(/'/g, '&#39;')}`);

    // a playbook's play whose campaign it measured keeps its assumed lift: Welch's +1629.5% [+138.9%, …] excluded 0
    const db2 = await openDuckDbWarehouse(db);
    await db2.execute("UPDATE audiences SET play = 'nudge' WHERE name = 'thin'");
    await db2.close();
    writeFileSync(join(dir, 'plays.json'), JSON.stringify({ plays: [{ name: 'nudge', where: 'orders = 2', costPerContact: 1, expectedLift: 0.1 }] }));
    const run = await cli(['playbook', '--db', db, '--config', join(dir, 'plays.json'), '--out', join(dir, 'plan'), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const play = JSON.parse(run.stdout).plays[0];
    expect(play.lift).toBe(0.1);
    expect(play.liftSource).toBe("playbook (measured: thin 2024-01-01…2024-01-31 +1629.5% by Welch's t, evaluated before the exact tests and not measured again: its members' purchases in the window no longer give the stored means (files ingested or dropped since); evaluate the campaign again to use it)");
  }, 240_000);

  it('an evaluation whose audience was dropped keeps its Welch figures, marked, and says why', async () => {
    const dropped = await cli(['audience', 'drop', 'trial', '--db', db, '--force', '--role', 'admin']);
    expect(dropped.code, dropped.stderr).toBe(0);
    const trial = of(await compare(), 'trial');
    expect(trial.buyers.test).toBe('fisher-exact');
    expect(trial.purchases.test).toBe('welch');
    expect(trial.storedBeforeExactTests).toMatchObject({ recomputed: ['buyers'], welch: ['purchases', 'revenue', 'margin', 'roi'], notRecomputed: 'the audience trial is no longer held' });
  }, 60_000);
});
