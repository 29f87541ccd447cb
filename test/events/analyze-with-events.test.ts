/**
 * The contract of `clvkit analyze <tx> --events F --customers F`: customers.csv
 * has `buyer_type`, a row for every prospect with stage `prospect`, and a
 * finite `predicted_clv_12m` for everyone; run.json has the events summary.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/pipeline/analyze.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { scratchDir } from '../helpers/warehouse.js';
import { readCsv, type Csv } from '../synth/shop-test-helpers.js';

describe('analyze with events and customer profiles (600 buyers, 60 prospects)', () => {
  let dir: string;
  let customers: Csv;
  let run: Record<string, any>;
  beforeAll(async () => {
    dir = scratchDir();
    await generateShop({ outDir: dir, customers: 600, seed: 21 });
    await analyze({
      files: [join(dir, 'transactions.csv')],
      eventFiles: [join(dir, 'events.csv')],
      customerFiles: [join(dir, 'customers.csv')],
      db: ':memory:',
      outDir: join(dir, 'out'),
      skipPatterns: true,
      skipReport: true,
      role: 'admin',
      revealIds: true,
    });
    customers = readCsv(join(dir, 'out', 'customers.csv'));
    run = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8'));
  }, 300_000);

  it('writes a row for every buyer and every prospect, prospects with stage prospect', () => {
    const stage = customers.col('stage');
    const ids = customers.rows.map((r) => Number(r[customers.col('original_id')]));
    expect(customers.rows.length).toBe(660);
    const prospects = customers.rows.filter((r) => r[stage] === 'prospect');
    expect(prospects.map((r) => Number(r[customers.col('original_id')])).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => 100_601 + i));
    expect(new Set(ids).size).toBe(660);
  });

  it('has a finite predicted_clv_12m for everyone, and a propensity in [0, 1] for prospects', () => {
    const clv = customers.col('predicted_clv_12m');
    for (const row of customers.rows) expect(Number.isFinite(Number(row[clv])) && row[clv] !== '').toBe(true);
    const propensity = customers.col('conversion_propensity');
    for (const row of customers.rows.filter((r) => r[customers.col('stage')] === 'prospect')) {
      const p = Number(row[propensity]);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
  });

  it('types buyers impulsive or deliberate and leaves prospects empty', () => {
    const type = customers.col('buyer_type');
    const stage = customers.col('stage');
    expect(new Set(customers.rows.filter((r) => r[stage] !== 'prospect').map((r) => r[type]))).toEqual(new Set(['impulsive', 'deliberate']));
    expect(new Set(customers.rows.filter((r) => r[stage] === 'prospect').map((r) => r[type]))).toEqual(new Set(['']));
  });

  it('puts the events summary in run.json: stitching, funnels, buyer types, prospects with a calibration by decile', () => {
    const events = run.events;
    expect(events.stitching.visitorsLinked).toBe(660);
    expect(events.funnels.overall.sessions).toBe(events.stitching.sessions);
    expect(events.buyerTypes.customers.impulsive + events.buyerTypes.customers.deliberate).toBe(600);
    expect(events.prospects.prospects).toBe(60);
    expect(run.timingsMs.events).toBeGreaterThan(0);
  });
});
