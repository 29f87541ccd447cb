import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/math/random.js';
import { initKeyFile } from '../../src/privacy/keys/key-file.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

/**
 * The check of issue 17, end to end through the CLI: a shop is ingested, an
 * audience with a 20% control group is drawn, purchases after the send date
 * are simulated with a planted effect on the treated customers and ingested,
 * and `campaign evaluate` must find the planted uplift inside its interval
 * and exclude zero; with no effect, the interval must include zero.
 *
 * The warehouse key is fixed: tokens decide the seeded control split, so a
 * fresh random key per run drew a new split each time, and with no effect a
 * 95% interval excludes zero in one split of twenty (a flaky test).
 */
const CUSTOMERS = 2000;

function day(start: string, offset: number): string {
  return new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A year of history: every customer buys in 2023, 1 + Poisson(λ) times with λ ~ Gamma(1, 2.5) of their own. Rates that
 * differ between customers, so that the BTYD fits do not show every customer buying at one steady rate: on that (1–6
 * orders each, uniformly) the analysis stages ran the regularity check's MBG/CNBD-k, twice, for nothing checked here.
 */
function writeHistory(dir: string): string {
  const random = createRandom(11);
  const lines = ['order_id,customer_id,date,amount'];
  let order = 0;
  for (let c = 1; c <= CUSTOMERS; c++) {
    const orders = 1 + random.poisson(random.gamma(1, 2.5));
    for (let k = 0; k < orders; k++) lines.push(`H${++order},K${c},${day('2023-01-01', random.integer(365))},${(10 + 40 * random.uniform()).toFixed(2)}`);
  }
  const path = join(dir, 'history.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** Purchases in a window: Poisson(rate × (1 + lift for treated)) per member, ids as in the input, one line per purchase and no order id (as a simulation writes them). */
function writeResponses(dir: string, file: string, members: { id: string; group: string }[], options: { start: string; days: number; rate: number; lift: number; seed: number }): string {
  const random = createRandom(options.seed);
  const lines = ['customer_id,date,amount'];
  for (const m of members) {
    const n = random.poisson(options.rate * (m.group === 'treatment' ? 1 + options.lift : 1));
    for (let k = 0; k < n; k++) lines.push(`${m.id},${day(options.start, random.integer(options.days))},${(10 + 40 * random.uniform()).toFixed(2)}`);
  }
  const path = join(dir, file);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

function readMembers(path: string): { id: string; group: string; token: string }[] {
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const columns = header!.split(',');
  expect(columns).toEqual(['customer_id', 'group', 'original_id']);
  return rows.map((line) => {
    const [token, group, id] = line.split(',');
    return { token: token!, group: group!, id: id! };
  });
}

describe('campaign evaluate finds a planted uplift and no uplift where there is none', () => {
  it('20% control, +30% purchases for the treated: inside the interval, zero outside; then no effect: zero inside', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    initKeyFile(`${db}.key`, { key: Buffer.alloc(32, 42) });
    expect((await cli(['ingest', writeHistory(dir), '--db', db])).code).toBe(0);

    const created = await cli(['audience', 'create', '--db', db, '--name', 'spring', '--where', 'orders >= 1', '--holdout', '0.2', '--seed', '5', '--role', 'admin', '--reveal-ids', '--out', join(dir, 'spring.csv')]);
    expect(created.code, created.stderr).toBe(0);
    // the warehouse had only been ingested: the analysis stages ran first, and said so
    expect(created.stderr).toMatch(/running the analysis stages of analyze --db/);
    const members = readMembers(join(dir, 'spring.csv'));
    expect(members).toHaveLength(CUSTOMERS);
    expect(members.filter((m) => m.group === 'control')).toHaveLength(400);
    expect(new Set(members.map((m) => m.id)).size).toBe(CUSTOMERS);

    const planted = writeResponses(dir, 'january.csv', members, { start: '2024-01-01', days: 31, rate: 0.6, lift: 0.3, seed: 21 });
    expect((await cli(['ingest', planted, '--db', db])).code).toBe(0);
    const run = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'spring', '--from', '2024-01-01', '--to', '2024-01-31', '--cost-per-contact', '0.5', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.groups).toEqual({ treatment: 1600, control: 400 });
    // no order ids: a purchase is a customer's purchase day, as analyze counts them (two lines on one day are one)
    const simulatedDays = new Set(readFileSync(planted, 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').slice(0, 2).join(','))).size;
    expect(result.purchasesCounted).toBe('purchase days');
    expect(result.purchases.treatment * 1600 + result.purchases.control * 400).toBeCloseTo(simulatedDays, 6);
    const [low, high] = result.purchases.relativeUpliftInterval as [number, number];
    expect(low).toBeLessThan(0.3);
    expect(high).toBeGreaterThan(0.3);
    expect(low).toBeGreaterThan(0);
    expect(result.purchases.relativeUplift).toBeGreaterThan(0.15);
    expect(result.purchases.relativeUplift).toBeLessThan(0.45);
    expect(result.purchases.pValue).toBeLessThan(0.01);
    // buyers, revenue and margin carry the same names; margin = revenue without cost or --margin
    for (const key of ['buyers', 'revenue', 'margin']) {
      expect(result[key].relativeUplift).toBeGreaterThan(0);
      expect(result[key].relativeUpliftInterval).toHaveLength(2);
    }
    expect(result.margin.treatment).toBeCloseTo(result.revenue.treatment, 9);
    // ROI = (incremental margin − cost) / cost
    expect(result.roi).toBeCloseTo((result.margin.absoluteUplift * 1600 - 800) / 800, 9);
    expect(result.costPerIncrementalBuyer).toBeCloseTo(800 / (result.buyers.absoluteUplift * 1600), 9);

    // the same audience, the next window, no effect: the interval includes zero
    const second = await cli(['audience', 'create', '--db', db, '--name', 'summer', '--where', 'orders >= 1', '--holdout', '0.2', '--seed', '6', '--role', 'admin', '--reveal-ids', '--out', join(dir, 'summer.csv')]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).not.toMatch(/running the analysis stages/);
    expect(second.stderr).toMatch(/the scores and stages describe the data to 2023-12-\d\d, the warehouse holds purchases to 2024-01-\d\d: run clvkit analyze --db/);
    const none = writeResponses(dir, 'march.csv', readMembers(join(dir, 'summer.csv')), { start: '2024-03-01', days: 31, rate: 0.6, lift: 0, seed: 22 });
    expect((await cli(['ingest', none, '--db', db])).code).toBe(0);
    const flat = JSON.parse((await cli(['campaign', 'evaluate', '--db', db, '--audience', 'summer', '--from', '2024-03-01', '--to', '2024-03-31', '--json'])).stdout);
    for (const key of ['purchases', 'buyers', 'revenue', 'margin']) {
      const [lo, hi] = flat[key].relativeUpliftInterval as [number, number];
      expect(lo, key).toBeLessThan(0);
      expect(hi, key).toBeGreaterThan(0);
    }
    expect(flat.roi).toBeNull();
    expect(flat.unavailable.roi).toBe('no --cost-per-contact given');
    expect(flat.predictedClvChange).toBeNull();

    // the next analysis publishes both campaigns' KPIs in run.json; re-scored, the change in predicted CLV can be measured
    const analysed = await cli(['analyze', '--db', db, '--out', join(dir, 'out'), '--skip-patterns', '--skip-report', '--quiet']);
    expect(analysed.code, analysed.stderr).toBe(0);
    const run2 = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8'));
    expect(run2.campaigns.withheld).toBe(0);
    expect(run2.campaigns.campaigns.map((c: { audience: string }) => c.audience)).toEqual(['spring', 'summer']);
    const spring = run2.campaigns.campaigns[0];
    expect(spring.purchases.relativeUpliftInterval).toEqual(result.purchases.relativeUpliftInterval);
    expect(spring.roi).toBeCloseTo(result.roi, 12);
    expect(spring.repurchaseRate.treatment).toBeCloseTo(result.buyers.treatment, 12);
    expect(spring.costPerResponse).toBeCloseTo(800 / (result.buyers.treatment * 1600), 9);
    const later = JSON.parse((await cli(['campaign', 'evaluate', '--db', db, '--audience', 'spring', '--from', '2024-01-01', '--to', '2024-01-31', '--json'])).stdout);
    expect(later.predictedClvChange).not.toBeNull();
    expect(later.predictedClvChange.treatment).not.toBe(0);

    // uplift models on the past campaign: both learners validated by their Qini curve on a seeded half
    const uplift = await cli(['campaign', 'uplift-model', '--db', db, '--audience', 'spring', '--from', '2024-01-01', '--to', '2024-01-31', '--seed', '4', '--json']);
    expect(uplift.code, uplift.stderr).toBe(0);
    const report = JSON.parse(uplift.stdout);
    expect(report.learners.map((l: { learner: string }) => l.learner)).toEqual(['two-model', 'transformed-outcome']);
    expect(report.train.treatment + report.train.control + report.validation.treatment + report.validation.control).toBe(2000);
    expect(report.validation.treatment + report.validation.control).toBe(1000);
    for (const l of report.learners) expect(l.qini.qini).toHaveLength(21);
    expect(report.features).toEqual(['frequency', 'recency', 'T', 'monetary_value', 'total_spend', 'predicted_clv_12m']);
    const again = JSON.parse((await cli(['campaign', 'uplift-model', '--db', db, '--audience', 'spring', '--from', '2024-01-01', '--to', '2024-01-31', '--seed', '4', '--json'])).stdout);
    expect(again.learners[0].qini).toEqual(report.learners[0].qini);
    const viewer = await cli(['campaign', 'uplift-model', '--db', db, '--audience', 'spring', '--from', '2024-01-01', '--to', '2024-01-31', '--role', 'viewer']);
    expect(viewer.code).toBe(2);
    expect(viewer.stderr).toMatch(/role viewer may not analyze/);
  }, 240_000);
});
