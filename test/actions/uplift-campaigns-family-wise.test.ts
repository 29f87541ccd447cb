/**
 * playbook --budget tries up to five past campaigns for an uplift model (`findUpliftTargeting`) and used the newest
 * whose better learner beat shuffled scores at p < 0.05 — each campaign tested at 0.05 on its own, so with five
 * campaigns that changed nothing about one budget in five (1 − 0.95⁵ ≈ 0.23) was ranked by a model of noise. Holm's
 * correction over the campaigns tested keeps the chance that any campaign without uplift gives the model at 0.05.
 *
 * The campaigns are built in SQL on one population (the features and the response windows are real; only the
 * evaluation record is reduced to its window, which is all `findUpliftTargeting` reads of it): 240 customers (1,000 for
 * the planted effect) with a year of history and purchases in 2024 that no campaign causes, five audiences per
 * replicate, each with its own random half held out and its own 30-day window (weekly send dates). A fresh draw of the groups is a fresh campaign
 * without effect: the assignment is all the permutation test conditions on.
 */
import { describe, expect, it } from 'vitest';
import { findUpliftTargeting, type UpliftTargetingModel } from '../../src/actions/uplift-targeting.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { createRandom, type Random } from '../../src/math/random.js';
import { memoryWarehouse } from '../helpers/warehouse.js';

const CUSTOMERS = 240;
const CAMPAIGNS = 5;
const access = { actor: 'test', role: 'admin' as const };
const day = (start: string, offset: number) => new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
const sendDate = (i: number) => day('2024-01-01', 7 * i);

let line = 0;
/** Purchase lines of `customer` on the given days (amount 10–50) into `transactions`. */
async function purchases(warehouse: Warehouse, rows: readonly (readonly [string, string])[], random: Random): Promise<void> {
  const values = rows.map(([customer, date]) => `('o${++line}', '${customer}', TIMESTAMP '${date} 12:00:00', ${(10 + 40 * random.uniform()).toFixed(2)}, false, false, 1, 's', ${line}, 'h${line}')`);
  if (values.length > 0) await warehouse.execute(`INSERT INTO transactions (order_id, customer_id, ts, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES ${values.join(', ')}`);
}

/** The population: a year of history (1–5 orders in 2023) and 2024's first 90 days, at each customer's own rate, whatever any campaign does. */
async function population(random: Random, customers = CUSTOMERS): Promise<{ warehouse: Warehouse; orders: Map<string, number> }> {
  // one DuckDB thread: five hundred small trainings (5 × 100 replicates) on a few thousand rows, where a second
  // thread only adds its overhead (53 → 42 CPU s for the file, the same results)
  const warehouse = await memoryWarehouse(1);
  const rows: [string, string][] = [];
  const orders = new Map<string, number>();
  for (let c = 1; c <= customers; c++) {
    const history = 1 + random.integer(5);
    orders.set(`K${c}`, history);
    for (let k = 0; k < history; k++) rows.push([`K${c}`, day('2023-01-01', random.integer(365))]);
    const rate = random.gamma(2, 0.5);
    for (let k = random.poisson(3 * rate); k > 0; k--) rows.push([`K${c}`, day('2024-01-01', random.integer(90))]);
  }
  await purchases(warehouse, rows, random);
  return { warehouse, orders };
}

/**
 * Campaign `name`, sent on `send`: every customer, half held out at random, and its evaluation over the 30 days from
 * `send` (evaluated at `evaluatedAt`: the newest evaluation is tried first). Returns the treated customers.
 */
async function campaign(warehouse: Warehouse, name: string, send: string, evaluatedAt: string, random: Random, customers = CUSTOMERS): Promise<string[]> {
  const rows = campaignRows(name, send, evaluatedAt, random, customers);
  await insertCampaigns(warehouse, [rows]);
  return rows.treated;
}

/** The rows of campaign `name` (its members' groups drawn from `random`), for `insertCampaigns`. */
function campaignRows(name: string, send: string, evaluatedAt: string, random: Random, customers = CUSTOMERS) {
  const members: string[] = [];
  const treated: string[] = [];
  for (let c = 1; c <= customers; c++) {
    const group = random.uniform() < 0.5 ? 'control' : 'treatment';
    if (group === 'treatment') treated.push(`K${c}`);
    members.push(`('${name}', 'K${c}', '${group}', ${(100 * random.uniform()).toFixed(2)})`);
  }
  const audience = `('${name}', TIMESTAMP '${send} 00:00:00', TIMESTAMP '${send} 00:00:00', 'TRUE', NULL, 0.5, 1, 'test', ${customers}, ${treated.length}, ${customers - treated.length})`;
  const window = { from: send, to: day(send, 29) };
  const evaluation = `('${name}', TIMESTAMP '${evaluatedAt}', TIMESTAMP '${window.from} 00:00:00', TIMESTAMP '${window.to} 00:00:00', '${JSON.stringify({ window })}')`;
  return { members, audience, evaluation, treated };
}

/** Campaigns into the three tables, one INSERT per table for all of them (the setup of a replicate: 3 statements, not 15). */
async function insertCampaigns(warehouse: Warehouse, campaigns: readonly ReturnType<typeof campaignRows>[]): Promise<void> {
  await warehouse.execute(`INSERT INTO audience_members VALUES ${campaigns.flatMap((c) => c.members).join(', ')}`);
  await warehouse.execute(`INSERT INTO audiences (name, created_at, send_date, where_expr, play, holdout, seed, assignment, members, treatment, control)
    VALUES ${campaigns.map((c) => c.audience).join(', ')}`);
  await warehouse.execute(`INSERT INTO campaign_evaluations VALUES ${campaigns.map((c) => c.evaluation).join(', ')}`);
}

async function forget(warehouse: Warehouse): Promise<void> {
  for (const table of ['campaign_evaluations', 'audience_members', 'audiences']) await warehouse.execute(`DELETE FROM ${table}`);
}

describe('the uplift model of playbook --budget: trying several past campaigns is paid for (Holm)', () => {
  it('five campaigns without uplift, 100 times over: a model is used in at most 0.05 of the budgets (sampling slack to 0.09), not about one in five', async () => {
    const random = createRandom(2024);
    const { warehouse } = await population(random);
    const REPLICATES = 100;
    const used: UpliftTargetingModel[] = [];
    try {
      for (let r = 0; r < REPLICATES; r++) {
        await forget(warehouse);
        // the five campaigns drawn in turn from the one generator (as one at a time), inserted together
        await insertCampaigns(warehouse, Array.from({ length: CAMPAIGNS }, (_, i) => campaignRows(`r${r}c${i}`, sendDate(i), `2024-06-01 00:00:0${i}`, random)));
        const found = await findUpliftTargeting(warehouse, { access, minGroupSize: 5, seed: 1 + r });
        if (found.model) used.push(found.model);
      }
    } finally {
      await warehouse.close();
    }
    // each campaign alone at 0.05 used a model in 26 of these 100 budgets (0.26; 1 − 0.95⁵ = 0.226 for independent uniform
    // p-values); Holm's correction in 4 (0.04). Its level is 0.05 whatever the dependence between the campaigns; at a
    // true rate of 0.05 the count of 100 is binomial (mean 5, sd 2.2) and exceeds 9 with probability 0.028, while at
    // the old rule's 0.226 it stays below 10 with probability 3e-4: the bound tells the two apart whatever the seed.
    // (200 replicates, as until 2026-12, gave 8 and 44 of 200 and the bound 16: twice the cost (49 CPU s for the file, nearly all of it here),
    // for a check that already fails the old rule by 26 against 9 here)
    expect(used.length).toBeLessThanOrEqual(9);
    expect(used.length).toBe(4);
    // every campaign large enough was tested before one was chosen: the family is the five
    for (const model of used) expect(model.campaignTest).toMatchObject({ correction: 'holm', alpha: 0.05, tested: 5 });
  }, 300_000);

  it('a campaign with a real effect among four without is still chosen, and the plan says how many campaigns were tested and at which level', async () => {
    const random = createRandom(7);
    const { warehouse, orders } = await population(random, 1000);
    try {
      for (let i = 0; i < CAMPAIGNS; i++) {
        const name = i === 2 ? 'planted' : `null${i}`;
        const treated = await campaign(warehouse, name, sendDate(i), `2024-06-01 00:00:0${i}`, random, 1000);
        if (i !== 2) continue;
        // treated customers with one or two orders before buy 1.5 more times on average in the window; the others as before
        const extra: [string, string][] = [];
        for (const customer of treated) if (orders.get(customer)! <= 2) for (let k = random.poisson(1.5); k > 0; k--) extra.push([customer, day(sendDate(i), random.integer(30))]);
        await purchases(warehouse, extra, random);
      }
      const found = await findUpliftTargeting(warehouse, { access, minGroupSize: 5, seed: 1 });
      expect(found.model?.audience, found.reason).toBe('planted');
      const model = found.model!;
      expect(model.qiniTest.pValue).toBe(0.001);
      expect(model.campaignTest).toMatchObject({ correction: 'holm', alpha: 0.05, tested: 5, adjustedPValue: 0.005 });
      expect(model.campaignTest.campaigns.map((c) => c.audience)).toEqual(['null4', 'null3', 'planted', 'null1', 'null0']);
      expect(found.reason).toMatch(/p = 0\.001 against 999 shuffles of the scores; Holm-adjusted over the 5 past campaigns tested: p = 0\.005 < 0\.05 \(the chance that a campaign without uplift gives the model stays at most 0\.05\)$/);
    } finally {
      await warehouse.close();
    }
  }, 120_000);
});
