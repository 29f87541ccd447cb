/**
 * The prospects contract without events: `clvkit analyze <tx> --customers F`
 * (no --events) writes a customers.csv row with stage `prospect` for every
 * profile that never bought — those with a sign-up date and those without
 * one — scored from the profile alone, and run.json says how (`prospects`).
 * Before: the events stage returned 'no events' and the never-buyers of this
 * shop were in the lifecycle stages but had no customers.csv row.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/pipeline/analyze.js';
import { formatRunSummary } from '../../src/cli/commands/analyze-command.js';
import type { RunSummary } from '../../src/pipeline/run-summary.js';
import { analyzeSynthShop } from '../helpers/analyze-synth-shop.js';
import { scratchDir } from '../helpers/warehouse.js';
import { readCsv, type Csv } from '../synth/shop-test-helpers.js';

const PROFILE_FEATURES = ['days_since_signup', 'acquisition_cost'];

describe('analyze with customer profiles and no events (600 buyers, 300 + 2 profile-only prospects)', () => {
  let customers: Csv;
  let run: Record<string, any>;
  beforeAll(async () => {
    // two profiles without a sign-up date (accepted: sign-up unknown) — prospects too
    ({ customers, run } = await analyzeSynthShop({
      events: false,
      extraProfiles: '900001,,organic,0.00,Europe,United Kingdom,female,1980,Ann Example,ann@example.com,+44 7700 900001\n900002,,email,1.50,Europe,Germany,male,1990,Bo Example,bo@example.com,+49 170 900002\n',
    }));
  }, 300_000);

  it('writes a row with stage prospect for every profile that never bought', () => {
    const stage = customers.col('stage');
    const id = customers.col('original_id');
    // the synthetic shop's 300 never-buying sign-ups (prospectShare 0.5) follow its 600 buyers' ids
    expect(customers.rows.length).toBe(902);
    const prospects = customers.rows.filter((r) => r[stage] === 'prospect').map((r) => Number(r[id])).sort((a, b) => a - b);
    expect(prospects).toEqual([...Array.from({ length: 300 }, (_, i) => 100_601 + i), 900_001, 900_002]);
    expect(new Set(customers.rows.map((r) => r[id])).size).toBe(902);
  });

  it('gives every prospect a propensity in [0, 1] and a finite predicted_clv_12m from the profile alone', () => {
    const stage = customers.col('stage');
    const clv = customers.col('predicted_clv_12m');
    const propensity = customers.col('conversion_propensity');
    for (const row of customers.rows) expect(row[clv] !== '' && Number.isFinite(Number(row[clv]))).toBe(true);
    for (const row of customers.rows.filter((r) => r[stage] === 'prospect')) {
      expect(row[propensity]).not.toBe('');
      expect(Number(row[propensity])).toBeGreaterThanOrEqual(0);
      expect(Number(row[propensity])).toBeLessThanOrEqual(1);
    }
  });

  it('says in run.json that the prospects were scored from profiles only', () => {
    expect(run.events).toBeNull();
    expect(run.prospects.prospects).toBe(302);
    expect(run.prospects.basis).toBe('profiles');
    expect(run.prospects.features).toEqual(PROFILE_FEATURES);
    expect(Object.keys(run.prospects.coefficients ?? {}).every((f) => PROFILE_FEATURES.includes(f))).toBe(true);
    if (run.prospects.model === 'base rate') expect(run.warnings.some((w: string) => /prospects/.test(w) && /base rate|conversion rate/.test(w))).toBe(true);
  });

  // Regression: the summary's predicted CLV counted the buyers only, while customers.csv gives prospects a value too
  it("the run summary's predicted line names the prospects' expected first-year value beside the customers' CLV", () => {
    const line = formatRunSummary(run as RunSummary).split('\n').find((l) => l.startsWith('  predicted '))!;
    const total = Math.round(run.prospects.expectedFirstYearValueTotal).toLocaleString('en-US');
    expect(run.prospects.expectedFirstYearValueTotal).toBeGreaterThan(0);
    expect(line).toContain(`; prospects: ${total} expected first-year value from 302 who have not bought yet`);
  });
});

describe('analyze with customer profiles and no events, where earlier profile-only prospects did buy', () => {
  it('fits the prospects model on the profile features alone and scores every never-buyer with it', async () => {
    // 400 profiles signed up over 2022–2023; every other one buys once, 5–200 days after signing up
    const dir = scratchDir();
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const start = Date.UTC(2022, 0, 1);
    const profiles = ['customer_id,signup_date,acquisition_channel,acquisition_cost'];
    const orders = ['customer_id,order_id,order_date,quantity,unit_price,product_id'];
    for (let i = 0; i < 400; i++) {
      const signup = start + ((i * 7919) % 700) * 86_400_000;
      profiles.push(`${1000 + i},${day(signup)},${i % 3 === 0 ? 'email' : 'organic'},${(i % 5).toFixed(2)}`);
      if (i % 2 === 0) orders.push(`${1000 + i},o${i},${day(signup + (5 + ((i * 31) % 196)) * 86_400_000)},1,${10 + (i % 7)},p${i % 9}`);
    }
    writeFileSync(join(dir, 'customers.csv'), `${profiles.join('\n')}\n`);
    writeFileSync(join(dir, 'orders.csv'), `${orders.join('\n')}\n`);
    await analyze({ files: [join(dir, 'orders.csv')], customerFiles: [join(dir, 'customers.csv')], db: ':memory:', outDir: join(dir, 'out'), asOf: '2023-12-31', skipPatterns: true, skipReport: true });
    const run = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8'));
    const customers = readCsv(join(dir, 'out', 'customers.csv'));
    const prospects = customers.rows.filter((r) => r[customers.col('stage')] === 'prospect');
    expect(prospects.length).toBe(run.prospects.prospects);
    expect(prospects.length).toBeGreaterThanOrEqual(200);
    expect(run.prospects.model).toBe('logistic regression');
    expect(Object.keys(run.prospects.coefficients).sort()).toEqual([...PROFILE_FEATURES].sort());
    const propensities = prospects.map((r) => Number(r[customers.col('conversion_propensity')]));
    for (const p of propensities) expect(p > 0 && p < 1).toBe(true);
    expect(new Set(propensities).size).toBeGreaterThan(1);
    expect(run.warnings.some((w: string) => /prospects \(profiles without a purchase/.test(w))).toBe(false);
  }, 300_000);
});
