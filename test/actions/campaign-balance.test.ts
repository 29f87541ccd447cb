/**
 * campaign evaluate's balance check: nothing checked that treatment and control were alike before the send date, so a
 * chance (or broken) imbalance of the draw was read as uplift. On the seeded campaign without effect of
 * test/helpers/no-uplift-campaign.ts (400 customers, 280 treated and 120 control, sent 2024-01-01): its seeded draw is
 * balanced and no warning is given; the same campaign with its control group rigged to hold the heaviest buyers warns,
 * beyond chance. The JSON contract's `balance`, stored with the evaluation; an evaluation stored before it (no
 * `balance`) still reads back.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CampaignEvaluation } from '../../src/actions/evaluate-campaign.js';
import type { PublishedCampaigns } from '../../src/actions/campaign-kpis.js';
import { readStoredEvaluation } from '../../src/actions/stored-evaluation.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { cli } from '../helpers/cli.js';
import { noUpliftCampaign } from '../helpers/no-uplift-campaign.js';
import { scratchDir } from '../helpers/warehouse.js';

const EVALUATE = ['campaign', 'evaluate', '--audience', 'past', '--from', '2024-01-01', '--to', '2024-01-31', '--role', 'analyst'];
const IMBALANCE = /^treatment and control differed before the send date/;

async function evaluate(db: string): Promise<CampaignEvaluation> {
  const run = await cli([...EVALUATE, '--db', db, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as CampaignEvaluation;
}

/** A copy of the warehouse file (with its key) in a folder of its own. */
function copyOf(db: string): string {
  const copy = join(scratchDir(), 'shop.duckdb');
  copyFileSync(db, copy);
  copyFileSync(`${db}.key`, `${copy}.key`);
  return copy;
}

describe('campaign evaluate checks that treatment and control were alike before the send date', () => {
  let db = '';
  beforeAll(async () => {
    db = await noUpliftCampaign();
  }, 120_000);

  it('the seeded draw: balance in the JSON contract and stored, every covariate within chance, no warning; one text line', async () => {
    const e = await evaluate(db);
    const balance = e.balance!;
    expect(Object.keys(balance)).toEqual(['method', 'preDays', 'preFrom', 'preTo', 'covariates', 'imbalanced', 'beyondChance', 'withoutHistory']);
    // the pre-period: as many days as the window measured (31), before the send date
    expect([balance.preDays, balance.preFrom, balance.preTo]).toEqual([31, '2023-12-01', '2023-12-31']);
    expect(balance.covariates.map((c) => c.name)).toEqual(['prePurchases', 'preBuyers', 'preRevenue', 'purchasesToDate', 'daysSinceLastPurchase']);
    const toDate = balance.covariates.find((c) => c.name === 'purchasesToDate')!;
    expect(Object.keys(toDate)).toEqual(['name', 'treatment', 'control', 'smd', 'chance95', 'jointChance95', 'beyondChance']);
    expect(Object.keys(toDate.treatment!)).toEqual(['n', 'mean', 'sd']);
    expect([toDate.treatment!.n, toDate.control!.n]).toEqual([280, 120]);
    // every member bought in 2023 (1–4 orders): none without history
    expect(balance.withoutHistory).toEqual({ treatment: 0, control: 0 });
    expect(toDate.treatment!.mean).toBeGreaterThanOrEqual(1);
    expect(toDate.chance95).toBeCloseTo(1.959964 * Math.sqrt(1 / 280 + 1 / 120), 9);
    expect(toDate.jointChance95).toBeCloseTo(2.575829 * Math.sqrt(1 / 280 + 1 / 120), 9);
    for (const c of balance.covariates) expect(Math.abs(c.smd!), c.name).toBeLessThan(0.1);
    expect([balance.imbalanced, balance.beyondChance]).toEqual([[], []]);
    expect(e.warnings.filter((w) => IMBALANCE.test(w))).toEqual([]);
    // stored with the evaluation (campaign compare, run.json, the API's results read it)
    const warehouse = await openDuckDbWarehouse(db);
    try {
      const [row] = await warehouse.query("SELECT result FROM campaign_evaluations WHERE audience = 'past' ORDER BY evaluated_at DESC LIMIT 1");
      expect((JSON.parse(String(row!.result)) as CampaignEvaluation).balance).toEqual(balance);
    } finally {
      await warehouse.close();
    }
    const text = await cli([...EVALUATE, '--db', db, '--no-store']);
    expect(text.stdout).toMatch(/\n {2}balance {4}largest \|SMD\| 0\.0\d\d \(.+\) of 5 covariates: within chance \(random assignment keeps the largest of 5 within ±0\.281 95% of the time at these group sizes\)\n/);
  }, 120_000);

  it('a control group rigged to hold the heaviest buyers: the means, their SMD and a warning that it is beyond chance', async () => {
    const rigged = copyOf(db);
    const warehouse = await openDuckDbWarehouse(rigged);
    try {
      // the 120 members with the most orders before the send date become the control group (the sizes drawn kept)
      await warehouse.execute(`UPDATE audience_members SET group_name = CASE WHEN customer_id IN (
          SELECT customer_id FROM (SELECT customer_id, count(*) AS n FROM transactions WHERE ts < TIMESTAMP '2024-01-01' GROUP BY customer_id) o ORDER BY n DESC, customer_id LIMIT 120
        ) THEN 'control' ELSE 'treatment' END WHERE audience = 'past'`);
    } finally {
      await warehouse.close();
    }
    const e = await evaluate(rigged);
    const toDate = e.balance!.covariates.find((c) => c.name === 'purchasesToDate')!;
    expect(toDate.treatment!.mean).toBeLessThan(toDate.control!.mean);
    expect(toDate.smd!).toBeLessThan(-toDate.jointChance95!);
    expect(e.balance!.imbalanced).toContain('purchasesToDate');
    expect(e.balance!.beyondChance).toContain('purchasesToDate');
    const warnings = e.warnings.filter((w) => IMBALANCE.test(w));
    expect(warnings).toHaveLength(1);
    const mean = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 2 });
    expect(warnings[0]).toContain(`purchases per customer before the send date ${mean(toDate.treatment!.mean)} treatment against ${mean(toDate.control!.mean)} control (SMD −${Math.abs(toDate.smd!).toFixed(3)})`);
    // every member has a purchase before the send date: days since the last one shares the ranges said once
    expect(warnings[0]).toMatch(/days since the last purchase at the send date [\d.,]+ treatment against [\d.,]+ control \(SMD [+−]\d\.\d{3}\)[;.] /);
    expect(warnings[0]).toMatch(/At 280 and 120 customers random assignment keeps one covariate's \|SMD\| within 0\.214 and the largest of 5 within 0\.281 95% of the time, so this is beyond chance: the draw may not have been random — were members moved between the groups, or changed since the draw\? Part of the measured uplift may be that difference, not the campaign$/);
  }, 120_000);

  it('audience create prints the balance of its draw in one line (over its measure days), and --json holds it', async () => {
    const copy = copyOf(db);
    const draw = ['audience', 'create', '--db', copy, '--name', 'again', '--where', 'orders >= 1', '--holdout', '0.3', '--seed', '1', '--send-date', '2024-01-01', '--measure-days', '14'];
    const text = await cli(draw);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split('\n').filter((line) => line.startsWith('  balance '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ {2}balance {4}largest \|SMD\| 0\.\d{3} \(.+\) of 5 covariates: within chance \(random assignment keeps the largest of 5 within ±0\.281 95% of the time at these group sizes\)$/);
    const json = await cli([...draw.map((a) => (a === 'again' ? 'again-json' : a)), '--json']);
    expect(json.code, json.stderr).toBe(0);
    const drawn = JSON.parse(json.stdout) as { balance: NonNullable<CampaignEvaluation['balance']> };
    expect([drawn.balance.preDays, drawn.balance.preFrom, drawn.balance.preTo]).toEqual([14, '2023-12-18', '2023-12-31']);
    expect(drawn.balance.covariates).toHaveLength(5);
  }, 120_000);

  it('an evaluation stored before the balance check (no balance) reads back as stored, and campaign compare reads it', async () => {
    const old = copyOf(db);
    const e = await evaluate(old);
    const { balance, ...before } = e;
    expect(balance).toBeDefined();
    const warehouse = await openDuckDbWarehouse(old);
    try {
      await warehouse.execute('DELETE FROM campaign_evaluations');
      await warehouse.execute(`INSERT INTO campaign_evaluations VALUES ('past', TIMESTAMP '2024-02-01 09:00:00', TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-31 00:00:00', ${warehouse.dialect.literal(JSON.stringify(before))})`);
      const read = await readStoredEvaluation(warehouse, before as CampaignEvaluation);
      expect(read).toEqual(before);
      expect('balance' in read).toBe(false);
    } finally {
      await warehouse.close();
    }
    const compared = await cli(['campaign', 'compare', '--db', old, '--json']);
    expect(compared.code, compared.stderr).toBe(0);
    const campaigns = (JSON.parse(compared.stdout) as PublishedCampaigns).campaigns;
    expect(campaigns.map((c) => [c.audience, c.purchases.pValue])).toEqual([['past', e.purchases.pValue]]);
  }, 120_000);
});
