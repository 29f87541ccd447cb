import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../src/core/calendar-days.js';
import { createRandom } from '../../src/math/random.js';
import { predictBgNbdProbabilityAlive } from '../../src/models/bgnbd/bgnbd.js';
import { readKeyFile } from '../../src/privacy/keys/key-file.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { alivePathDefaults } from '../../src/cli/commands/customer-command.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

const START = '2023-01-01';
const END = '2023-12-31';

/** A seeded shop of 300 customers with BG/NBD-like histories in 2023, one order per purchase day; C1 buys on known days. */
function writeShop(dir: string): { path: string; c1Days: string[] } {
  const random = createRandom(2026);
  const lines = ['order_id,customer_id,date,amount'];
  let order = 1;
  const c1Days = [addDays(START, 10), addDays(START, 40), addDays(START, 45), addDays(START, 200)];
  for (const day of c1Days) lines.push(`${order++},C1,${day},20`);
  for (let c = 2; c <= 300; c++) {
    const rate = random.gamma(1.5, 1 / 40); // purchases per day
    let day = Math.floor(random.uniform() * 200);
    for (;;) {
      lines.push(`${order++},C${c},${addDays(START, day)},${(10 + random.uniform() * 40).toFixed(2)}`);
      if (random.uniform() < 0.15) break;
      day += 1 + Math.floor(random.exponential(rate));
      if (day > 364) break;
    }
  }
  const path = join(dir, 'shop.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return { path, c1Days };
}

describe('clvkit customer <id> --alive-path', () => {
  let dir: string, shop: { path: string; c1Days: string[] };
  beforeAll(() => {
    dir = scratchDir();
    shop = writeShop(dir);
  });

  it('prints P(alive) day by day from the first purchase to the last day of the data, ending at the customer’s own P(alive)', async () => {
    const run = await cli(['customer', 'C1', shop.path, '--alive-path', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ customer: 'C1', model: 'bgnbd', timeUnit: 'week', firstPurchase: shop.c1Days[0], purchaseDays: shop.c1Days });
    const points = result.points as { day: string; age: number; frequency: number; recency: number; pAlive: number }[];
    // one point a day, first purchase to the last purchase day of the shop
    const lastDay = result.asOf as string;
    expect(lastDay <= END).toBe(true);
    expect(points).toHaveLength(daysBetween(shop.c1Days[0]!, lastDay) + 1);
    expect(points[0]).toMatchObject({ day: shop.c1Days[0], age: 0, frequency: 0, pAlive: 1 });
    expect(points.at(-1)!.day).toBe(lastDay);
    // BG/NBD: certain until the first repeat purchase, then b/(a+b) (the chance of not dropping out at it)
    const firstRepeat = points.findIndex((p) => p.day === shop.c1Days[1]);
    expect(points[firstRepeat - 1]!.pAlive).toBe(1);
    expect(points[firstRepeat]!.pAlive).toBeCloseTo(result.params.b / (result.params.a + result.params.b), 12);
    // each later repeat purchase lifts P(alive); it decays in between
    for (const purchase of shop.c1Days.slice(2)) {
      const i = points.findIndex((p) => p.day === purchase);
      expect(points[i]!.pAlive).toBeGreaterThan(points[i - 1]!.pAlive);
      expect(points[i + 1]!.pAlive).toBeLessThan(points[i]!.pAlive);
    }
    // the end of the path is P(alive) of C1's summary (x 3, t_x 190 days, T from the first purchase) under the fitted parameters
    const T = daysBetween(shop.c1Days[0]!, lastDay) / 7;
    expect(points.at(-1)!.pAlive).toBeCloseTo(predictBgNbdProbabilityAlive(result.params, 3, 190 / 7, T), 12);
    expect(points.at(-1)).toMatchObject({ frequency: 3 });
  });

  it('steps per time unit with --step 1, and prints a table as text', async () => {
    const run = await cli(['customer', 'C1', shop.path, '--alive-path', '--step', '1', '--model', 'paretonbd']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^customer C1: 4 purchase days from 2023-01-11 .* by Pareto\/NBD/);
    // weekly grid plus the three repeat purchase days (and the end day if off the grid)
    expect(lines.some((line) => line.startsWith(shop.c1Days[2]!))).toBe(true);
    expect(lines.length).toBeGreaterThan(2 + 50);
    expect(lines.length).toBeLessThan(2 + 60);
  });

  it('with --db: finds the customer by the input id, shows the token (the id too for an admin), audits the read, refuses a viewer', async () => {
    const db = join(dir, 'wh.duckdb');
    expect((await cli(['ingest', shop.path, '--db', db])).code).toBe(0);
    const token = createPseudonymiser(readKeyFile(`${db}.key`))('C1');
    const analyst = await cli(['customer', 'C1', '--db', db, '--alive-path', '--json', '--actor', 'ana']);
    expect(analyst.code, analyst.stderr).toBe(0);
    const result = JSON.parse(analyst.stdout);
    expect(result.customer).toBe(token);
    expect(result.id).toBeUndefined();
    expect(analyst.stdout).not.toContain('"C1"');
    expect(result.purchaseDays).toEqual(shop.c1Days);
    const admin = JSON.parse((await cli(['customer', 'C1', '--db', db, '--alive-path', '--json', '--role', 'admin'])).stdout);
    expect(admin).toMatchObject({ customer: token, id: 'C1' });
    const viewer = await cli(['customer', 'C1', '--db', db, '--alive-path', '--role', 'viewer']);
    expect(viewer.code).toBe(2);
    expect(viewer.stderr).toMatch(/role viewer may not view_tokens/);
    const log = JSON.parse((await cli(['audit', 'list', '--db', db, '--role', 'admin', '--json'])).stdout) as { action: string; role: string; target: string; details: Record<string, unknown> }[];
    expect(log.filter((e) => e.details.command === 'customer --alive-path').map((e) => [e.action, e.role, e.target])).toEqual([
      ['view_tokens', 'analyst', `customer:${token}`],
      ['view_tokens', 'admin', `customer:${token}`],
    ]);
  });

  // Regression: the path used BG/NBD whatever analyze had chosen, so it ended at another P(alive) than customers.csv's.
  it('with --db after analyze: the path uses the model behind customer_scores.p_alive and ends at the P(alive) customers.csv shows', async () => {
    const db = join(dir, 'analysed.duckdb');
    const out = join(dir, 'analysed-out');
    // --skip-patterns, --skip-report: the scores are what is compared
    const analyze = await cli(['analyze', shop.path, '--db', db, '--out', out, '--model', 'paretonbd', '--time-unit', 'day', '--as-of', '2023-11-30', '--skip-patterns', '--skip-report']);
    expect(analyze.code, analyze.stderr).toBe(0);
    const token = createPseudonymiser(readKeyFile(`${db}.key`))('C1');
    const run = await cli(['customer', 'C1', '--db', db, '--alive-path', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('clvkit: alive path: the model paretonbd, days, as of 2023-11-30: as analyze scored customer_scores.p_alive (--model, --time-unit, --as-of choose others)\n');
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ model: 'paretonbd', timeUnit: 'day', asOf: '2023-11-30' });
    const csv = readFileSync(join(out, 'customers.csv'), 'utf8').trim().split('\n');
    const header = csv[0]!.split(',');
    const row = csv.find((line) => line.startsWith(`${token},`))!.split(',');
    expect(result.points.at(-1).pAlive).toBeCloseTo(Number(row[header.indexOf('p_alive')]), 5);
    // --model still picks another, without the note
    const chosen = await cli(['customer', 'C1', '--db', db, '--alive-path', '--json', '--model', 'bgnbd', '--time-unit', 'week']);
    expect(JSON.parse(chosen.stdout)).toMatchObject({ model: 'bgnbd', timeUnit: 'week' });
    expect(JSON.parse(chosen.stdout).asOf > '2023-11-30').toBe(true); // another model: to the last purchase day, as without analyze
    expect(chosen.stderr).toBe('');
  });

  it('refuses an unknown customer, a missing --alive-path and a bad --step with one line and exit 2', async () => {
    for (const [args, pattern] of [
      [['customer', 'nobody', shop.path, '--alive-path'], /no customer nobody in the data/],
      [['customer', 'C1', shop.path], /--alive-path/],
      [['customer', 'C1', shop.path, '--alive-path', '--step', '0'], /--step/],
    ] as const) {
      const run = await cli([...args]);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(pattern);
    }
  });
});

describe('alivePathDefaults (the alive path after analyze)', () => {
  const flags = { alivePath: true } as Parameters<typeof alivePathDefaults>[0];
  it('takes an analysis by clock hours in days and one by orders by purchase days, saying so; MBG/CNBD-k falls back to BG/NBD', () => {
    expect(alivePathDefaults(flags, { model: 'mbgnbd', timeUnit: 'hour', grain: 'order', asOf: '2024-03-31' })).toEqual({
      model: 'mbgnbd',
      timeUnit: 'day',
      asOf: '2024-03-31',
      note: 'alive path: the model mbgnbd, as of 2024-03-31: as analyze scored customer_scores.p_alive (--model, --time-unit, --as-of choose others); analyze counted clock hours, the path counts days; analyze counted orders, the path counts purchase days',
    });
    expect(alivePathDefaults(flags, { model: 'mbgcnbd', timeUnit: 'week', grain: 'day', asOf: '2024-03-31' })).toEqual({
      model: 'bgnbd',
      timeUnit: 'week',
      note: "alive path: weeks: as analyze scored customer_scores.p_alive (--model, --time-unit, --as-of choose others); customer_scores.p_alive is mbgcnbd's, which has no alive path here: the path uses bgnbd",
    });
    expect(alivePathDefaults(flags, null)).toEqual({ model: 'bgnbd', timeUnit: 'week' });
  });
});
