/**
 * Past campaigns built in SQL on one population, for the playbook budget's search for an uplift model
 * (`findUpliftTargeting`): the features and the response windows are real; only the evaluation record is reduced to
 * its window, which is all `findUpliftTargeting` reads of it. 240 customers by default with a year of history and
 * purchases in 2024's first 90 days that no campaign causes; each campaign holds its own random half out and has its
 * own 30-day window.
 */
import type { Warehouse } from '../../src/engine/warehouse.js';
import type { Random } from '../../src/math/random.js';
import { memoryWarehouse } from './warehouse.js';

export const CUSTOMERS = 240;
export const day = (start: string, offset: number) => new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
/** Weekly send dates from 2024-01-01. */
export const sendDate = (i: number) => day('2024-01-01', 7 * i);

let line = 0;
/** Purchase lines of `customer` on the given days (amount 10–50) into `transactions`. */
export async function purchases(warehouse: Warehouse, rows: readonly (readonly [string, string])[], random: Random): Promise<void> {
  const values = rows.map(([customer, date]) => `('o${++line}', '${customer}', TIMESTAMP '${date} 12:00:00', ${(10 + 40 * random.uniform()).toFixed(2)}, false, false, 1, 's', ${line}, 'h${line}')`);
  if (values.length > 0) await warehouse.execute(`INSERT INTO transactions (order_id, customer_id, ts, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES ${values.join(', ')}`);
}

/** The population K1…K`customers`: a year of history (1–5 orders in 2023) and 2024's first 90 days, at each customer's own rate, whatever any campaign does. */
export async function population(random: Random, customers = CUSTOMERS): Promise<{ warehouse: Warehouse; orders: Map<string, number> }> {
  // one DuckDB thread: five hundred small trainings (5 × 100 replicates) on a few thousand rows, where a second
  // thread only adds its overhead (53 → 42 CPU s for the family-wise test, the same results)
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

/** The rows of one campaign for `insertCampaigns`. */
export interface CampaignRows {
  readonly members: string[];
  readonly audience: string;
  readonly evaluation: string;
  readonly treated: string[];
}

/**
 * The rows of campaign `name` with the given members and groups, sent on `send`, evaluated at `evaluatedAt` over the
 * 30 days from `send`; a member's predicted CLV is the number in its id modulo 100.
 */
export function campaignOf(name: string, send: string, evaluatedAt: string, groups: readonly (readonly [string, 'treatment' | 'control'])[]): CampaignRows {
  const members = groups.map(([customer, group]) => `('${name}', '${customer}', '${group}', ${Number(customer.replace(/\D/g, '')) % 100})`);
  const treated = groups.filter(([, g]) => g === 'treatment').map(([c]) => c);
  const audience = `('${name}', TIMESTAMP '${send} 00:00:00', TIMESTAMP '${send} 00:00:00', 'TRUE', NULL, 0.5, 1, 'test', ${groups.length}, ${treated.length}, ${groups.length - treated.length})`;
  const window = { from: send, to: day(send, 29) };
  const evaluation = `('${name}', TIMESTAMP '${evaluatedAt}', TIMESTAMP '${window.from} 00:00:00', TIMESTAMP '${window.to} 00:00:00', '${JSON.stringify({ window })}')`;
  return { members, audience, evaluation, treated };
}

/** The rows of campaign `name` over K1…K`customers`, each held out with probability ½ (drawn from `random`). */
export function campaignRows(name: string, send: string, evaluatedAt: string, random: Random, customers = CUSTOMERS): CampaignRows {
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

/** Campaign `name` into the warehouse (`campaignRows`); returns the treated customers. */
export async function campaign(warehouse: Warehouse, name: string, send: string, evaluatedAt: string, random: Random, customers = CUSTOMERS): Promise<string[]> {
  const rows = campaignRows(name, send, evaluatedAt, random, customers);
  await insertCampaigns(warehouse, [rows]);
  return rows.treated;
}

/** Campaigns into the three tables, one INSERT per table for all of them (the setup of a replicate: 3 statements, not 15). */
export async function insertCampaigns(warehouse: Warehouse, campaigns: readonly CampaignRows[]): Promise<void> {
  await warehouse.execute(`INSERT INTO audience_members VALUES ${campaigns.flatMap((c) => c.members).join(', ')}`);
  await warehouse.execute(`INSERT INTO audiences (name, created_at, send_date, where_expr, play, holdout, seed, assignment, members, treatment, control)
    VALUES ${campaigns.map((c) => c.audience).join(', ')}`);
  await warehouse.execute(`INSERT INTO campaign_evaluations VALUES ${campaigns.map((c) => c.evaluation).join(', ')}`);
}

/** Every campaign, its members and its evaluation, out of the warehouse (the next replicate starts afresh). */
export async function forgetCampaigns(warehouse: Warehouse): Promise<void> {
  for (const table of ['campaign_evaluations', 'audience_members', 'audiences']) await warehouse.execute(`DELETE FROM ${table}`);
}
