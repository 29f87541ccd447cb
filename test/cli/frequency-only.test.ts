/**
 * Frequency-only logs: only a customer id and a date per purchase (the
 * BTYDplus grocery log `cust,date`). The purchase models, P(alive), expected
 * purchases, stages and RF segments work; spend and CLV are absent, not zero.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

const csvRows = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((line) => line.split(','));

describe('a cust,date log (seeded simulated shop of 300 customers, values dropped)', () => {
  const dir = scratchDir('clvkit-frequency-only-');
  const log = join(dir, 'grocery.csv');
  let full: string;
  beforeAll(async () => {
    await generateShop({ outDir: dir, customers: 300, seed: 3, events: false });
    full = join(dir, 'transactions.csv');
    const [header, ...rows] = csvRows(full);
    const id = header!.indexOf('customer_id');
    const date = header!.indexOf('order_date');
    // one line per customer and day, as in the grocery log; lines without an id are left out
    const lines = new Set(rows.filter((r) => r[id] !== '' && !r[0]!.startsWith('C')).map((r) => `${r[id]},${r[date]!.slice(0, 10)}`));
    writeFileSync(log, `cust,date\n${[...lines].join('\n')}\n`);
  }, 60_000);

  it('summarize: frequency, recency and T as from the full file; monetary_value empty (NULL), not 0', async () => {
    const args = ['--as-of', '2023-12-31', '--time-unit', 'week'];
    expect((await cli(['summarize', log, ...args, '--out', join(dir, 'freq-summary.csv')])).code).toBe(0);
    expect((await cli(['summarize', full, ...args, '--out', join(dir, 'full-summary.csv')])).code).toBe(0);
    const [header, ...rows] = csvRows(join(dir, 'freq-summary.csv'));
    expect(header).toEqual(['customer_id', 'frequency', 'recency', 'T', 'monetary_value', 'time_unit']);
    expect(rows.length).toBeGreaterThan(250);
    expect(rows.every((r) => r[4] === '')).toBe(true);
    const fullRows = new Map(csvRows(join(dir, 'full-summary.csv')).slice(1).map((r) => [r[0], r.slice(1, 4).join(',')]));
    for (const r of rows) expect(r.slice(1, 4).join(','), r[0]).toBe(fullRows.get(r[0]));
  });

  it('ingest accepts every line and keeps amount and unit_price NULL', async () => {
    const db = join(dir, 'log.duckdb');
    const run = await cli(['ingest', log, '--db', db, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.quarantined).toBe(0);
    expect(report.accepted).toBe(csvRows(log).length - 1);
    expect(report.files[0].warnings.join(' ')).toContain('frequency-only log');
    const warehouse = await openDuckDbWarehouse(db);
    const [row] = await warehouse.query('SELECT count(*) AS n, count(amount) AS amounts, count(unit_price) AS prices FROM transactions');
    await warehouse.close();
    expect(Number(row!.n)).toBe(report.accepted);
    expect(Number(row!.amounts)).toBe(0);
    expect(Number(row!.prices)).toBe(0);
  });

  it('segments scores RF (no M) and tiers by purchases', async () => {
    const run = await cli(['segments', log, '--as-of', '2023-12-31', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.rfm.monetary).toBe('none');
    expect(result.rfm.scoreBands.every((b: { customersM: number }) => b.customersM === 0)).toBe(true);
    expect(result.valueTiers.measure).toBe('purchases');
  });

  it('validate runs the tournament on it', async () => {
    const run = await cli(['validate', log, '--calibration-end', '2023-06-30', '--time-unit', 'week', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).comparison.length).toBe(3);
  });

  it('analyze runs end to end: P(alive), expected purchases, RF segments and stages in customers.csv; spend and CLV columns absent; segment revenue, stage spend and cohort revenue null in run.json, not 0; run.json, the summary and the report say why', async () => {
    const out = join(dir, 'out');
    const run = await cli(['analyze', log, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/ {2}spend {6}the data has no order values/);
    expect(run.stdout).not.toContain('revenue');
    const [header, ...rows] = csvRows(join(out, 'customers.csv'));
    for (const column of ['p_alive', 'expected_purchases_365d', 'next_order_p50', 'rfm_score', 'segment', 'value_tier', 'stage']) expect(header, column).toContain(column);
    for (const column of ['monetary_value', 'total_spend', 'returns', 'historic_clv', 'predicted_clv_12m', 'predicted_clv_12m_low', 'predicted_clv_12m_high']) expect(header, column).not.toContain(column);
    const rfm = header!.indexOf('rfm_score');
    expect(rows.every((r) => /^[1-5]{2}$/.test(r[rfm]!))).toBe(true);
    const pAlive = header!.indexOf('p_alive');
    expect(rows.every((r) => Number(r[pAlive]) > 0 && Number(r[pAlive]) <= 1)).toBe(true);
    const summary = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(summary.spend.orderValues).toBe(false);
    // money figures are absent (null), not 0; counts stay
    expect(summary.headline).toMatchObject({ netRevenue: null, returnsValue: null, averageOrderValue: null, top20RevenueShare: null });
    expect(summary.headline.orders).toBeGreaterThan(rows.length);
    expect(summary.segments.kpis.overall).toMatchObject({ averageOrderValue: null, historicClv: null, simpleClv: null });
    expect(summary.valueModel.chosen).toMatch(/nbd/);
    expect(summary.segments.rfm.monetary).toBe('none');
    expect(summary.segments.valueTiers.measure).toBe('purchases');
    expect(summary.segments.valueTiers.tiers.map((t: { customers: number }) => t.customers)).not.toContain(rows.length);
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    expect(report).toContain('No order values.');
    // regression: segment revenue and mean monetary, stage spend and cohort revenue were 0, and the report printed 0 % / 0.00 value cells
    expect(summary.segments.rfm.revenue).toBeNull();
    expect(summary.segments.rfm.predictedValue).toBeNull();
    for (const s of summary.segments.rfm.segments) {
      expect([s.revenue, s.revenueShare, s.historicValue, s.predictedValue, s.meanMonetary], s.name).toEqual([null, null, null, null, null]);
    }
    expect(summary.segments.rfm.segments.some((s: { customers: number | null; meanFrequency: number }) => s.customers !== null && s.customers > 0 && s.meanFrequency > 0)).toBe(true);
    for (const s of summary.segments.stages.stages) expect([s.spend, s.predictedValue], s.stage).toEqual([null, null]);
    expect(summary.segments.cohorts.cohorts.length).toBeGreaterThan(3);
    for (const c of summary.segments.cohorts.cohorts) {
      expect(c.revenue.every((v: number | null) => v === null), c.label).toBe(true);
      expect(c.cumulativeValuePerCustomer.every((v: number | null) => v === null), c.label).toBe(true);
    }
    expect(summary.segments.cohorts.cohorts[0].retention[0]).toBe(1);
    for (const b of summary.segments.cohorts.tenure.buckets) expect(b.spendPerCustomer, b.label).toBeNull();
    expect(report).toContain('no order values: no value columns');
    expect(report).not.toContain('value / customer');
  }, 120_000);
});

describe('a grocery log with its own column names: Member_number,Date (D-M-YYYY), regular buyers over two years', () => {
  const dir = scratchDir('clvkit-grocery-');
  const log = join(dir, 'groceries.csv');
  beforeAll(async () => {
    await generateShop({ outDir: dir, customers: 200, seed: 11, shape: 'regular', events: false });
    const [header, ...rows] = csvRows(join(dir, 'transactions.csv'));
    const id = header!.indexOf('customer_id');
    const date = header!.indexOf('order_date');
    const dayMonthYear = (iso: string) => `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}`;
    const lines = new Set(rows.filter((r) => r[id] !== '' && !r[0]!.startsWith('C')).map((r) => `${r[id]},${dayMonthYear(r[date]!)}`));
    writeFileSync(log, `Member_number,Date\n${[...lines].join('\n')}\n`);
  }, 60_000);

  it('ingest recognises the columns and dates; validate and analyze run; every score is finite and in range', async () => {
    const db = join(dir, 'groceries.duckdb');
    const ingest = await cli(['ingest', log, '--db', db, '--json']);
    expect(ingest.code, ingest.stderr).toBe(0);
    const report = JSON.parse(ingest.stdout);
    expect(report.quarantined).toBe(0);
    expect(report.accepted).toBe(csvRows(log).length - 1);
    const validate = await cli(['validate', log, '--calibration-end', '2023-06-30', '--time-unit', 'week', '--json']);
    expect(validate.code, validate.stderr).toBe(0);
    expect(JSON.parse(validate.stdout).comparison).toHaveLength(3);
    const out = join(dir, 'out');
    const run = await cli(['analyze', '--db', db, '--out', out, '--skip-report']);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(summary.headline.customers).toBe(200);
    expect(summary.headline.firstPurchase).toBe('2022-01-01');
    expect(summary.headline.netRevenue).toBeNull();
    const [header, ...rows] = csvRows(join(out, 'customers.csv'));
    expect(rows).toHaveLength(200);
    expect(header!.filter((c) => c.startsWith('predicted_clv'))).toEqual([]);
    const column = (name: string) => rows.map((r) => Number(r[header!.indexOf(name)]));
    expect(column('p_alive').every((p) => p >= 0 && p <= 1)).toBe(true);
    for (const name of ['expected_purchases_30d', 'expected_purchases_90d', 'expected_purchases_365d']) expect(column(name).every((e) => Number.isFinite(e) && e >= 0), name).toBe(true);
    // regular buyers, about one order a month: a year ahead holds several
    const year = column('expected_purchases_365d');
    expect(year.reduce((a, b) => a + b, 0) / year.length).toBeGreaterThan(5);
  }, 180_000);
});
