import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type RunSummary } from '../../src/pipeline/analyze.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const CDNOW = `${FIXTURES}cdnow/CDNOW_sample.txt.gz`;

describe('analyze with value models on the CDNOW sample (calibration to 1997-09-30, holdout to 1998-06-30)', () => {
  let run: RunSummary;
  let csv: string[][];
  let header: string[];
  let outDir: string;
  beforeAll(async () => {
    outDir = scratchDir();
    run = await analyze({
      files: [CDNOW],
      db: ':memory:',
      outDir,
      asOf: '1998-06-30',
      holdoutDays: 273,
      timeUnit: 'week',
      map: { customer_id: '2', date: '3', quantity: '4', amount: '5' },
    });
    const lines = readFileSync(join(outDir, 'customers.csv'), 'utf8').trim().split('\n');
    header = lines[0]!.split(',');
    csv = lines.slice(1).map((line) => line.split(','));
  }, 120_000);

  it('fits the published BG/NBD and Pareto/NBD estimates on the calibration window', () => {
    const card = run.valueModel!;
    expect(card.calibrationEnd).toBe('1997-09-30');
    expect(card.calibrationCustomers).toBe(2357);
    const bg = card.comparison.find((c) => c.model === 'bgnbd')!;
    expect(bg.params.r).toBeCloseTo(0.243, 3);
    expect(bg.params.alpha).toBeCloseTo(4.414, 2);
    expect(bg.params.a).toBeCloseTo(0.793, 3);
    expect(bg.params.b).toBeCloseTo(2.426, 2);
    expect(bg.logLikelihood).toBeCloseTo(-9582.4, 0);
    const pareto = card.comparison.find((c) => c.model === 'paretonbd')!;
    expect(pareto.params.r).toBeCloseTo(0.553, 2);
    expect(pareto.logLikelihood).toBeCloseTo(-9595.0, 0);
    expect(card.comparison.map((c) => c.model).sort()).toEqual(['bgnbd', 'mbgnbd', 'paretonbd']);
    expect(card.comparison.filter((c) => c.chosen)).toHaveLength(1);
  });

  it('predicts the holdout total within 15% and ranks customers far better than chance', () => {
    const chosen = run.valueModel!.comparison.find((c) => c.chosen)!;
    expect(Math.abs(chosen.holdout.totalRelativeError)).toBeLessThan(0.15);
    expect(chosen.holdout.spearman).toBeGreaterThan(0.3);
    expect(chosen.holdout.gini).toBeGreaterThan(0.4);
  });

  it('carries the data of the diagnostic plots, consistent with the data', () => {
    const d = run.valueModel!.diagnostics;
    const sum = (values: readonly (number | null)[]) => values.reduce<number>((a, b) => a + (b ?? 0), 0);
    // every repeat-count bin of CDNOW holds at least 5 customers: nothing suppressed, the bins add up to all
    expect(d.calibrationHistogram.suppression.every((s) => s === null)).toBe(true);
    expect(sum(d.calibrationHistogram.actual)).toBe(2357);
    expect(sum(d.calibrationHistogram.expected)).toBeCloseTo(2357, 6);
    // 1,411 of the 2,357 customers made no repeat purchase in calibration (BG/NBD paper, Figure 2)
    expect(d.calibrationHistogram.actual[0]).toBe(1411);
    const tracking = d.tracking;
    expect(tracking.actualCumulative.at(-1)).toBe(sum(tracking.actualIncremental));
    expect(tracking.calibrationEndIndex).toBeGreaterThan(30);
    const calibrationRepeats = tracking.actualCumulative[tracking.calibrationEndIndex]!;
    expect(calibrationRepeats).toBe(2457);
    expect(tracking.expectedCumulative[tracking.calibrationEndIndex]! / calibrationRepeats).toBeGreaterThan(0.95);
    expect(tracking.expectedCumulative[tracking.calibrationEndIndex]! / calibrationRepeats).toBeLessThan(1.05);
    expect(d.frequencyRecency.probabilityAlive.length).toBe(d.frequencyRecency.frequency.length);
  });

  it('scores every customer: P(alive), expected purchases, CLV with an interval, next-order dates', () => {
    expect(csv).toHaveLength(2357);
    for (const column of ['p_alive', 'expected_purchases_30d', 'expected_purchases_90d', 'expected_purchases_365d', 'predicted_clv_12m', 'predicted_clv_12m_low', 'predicted_clv_12m_high', 'next_order_p50', 'next_order_p90', 'historic_clv']) {
      expect(header).toContain(column);
    }
    const col = (name: string) => csv.map((row) => row[header.indexOf(name)]!);
    const pAlive = col('p_alive').map(Number);
    expect(pAlive.every((p) => p >= 0 && p <= 1)).toBe(true);
    const e30 = col('expected_purchases_30d').map(Number);
    const e365 = col('expected_purchases_365d').map(Number);
    expect(e30.every((v, i) => v >= 0 && v <= e365[i]!)).toBe(true);
    const clv = col('predicted_clv_12m').map(Number);
    const low = col('predicted_clv_12m_low').map(Number);
    const high = col('predicted_clv_12m_high').map(Number);
    expect(clv.every((v) => v >= 0)).toBe(true);
    const inside = clv.filter((v, i) => low[i]! <= v * 1.0001 && v <= high[i]! * 1.0001).length;
    expect(inside / clv.length).toBeGreaterThan(0.95);
    expect(high.some((h, i) => h > low[i]!)).toBe(true);
    expect(run.valueModel!.clv.totalPredicted).toBeCloseTo(clv.reduce((a, b) => a + b, 0), -2);
  });

  it('carries the final fit\'s heterogeneity densities in the model card (issue 20 item 7)', () => {
    const card = run.valueModel!;
    const h = card.heterogeneity;
    const p = card.final.params;
    expect(h.purchaseRate!.parameters).toEqual({ shape: p.r, rate: p.alpha });
    expect(h.purchaseRate!.mean).toBeCloseTo(p.r! / p.alpha!, 12);
    expect(h.purchaseRate!.label).toContain('per week');
    expect(h.purchaseRate!.x).toHaveLength(h.purchaseRate!.density.length);
    if (card.final.model === 'paretonbd') expect(h.dropout!.parameters).toEqual({ shape: p.s, rate: p.beta });
    else expect(h.dropout!.parameters).toEqual({ a: p.a, b: p.b });
    // and P(alive) along three made-up histories over a year (52.18 weeks), for the report
    const steady = card.alivePathExamples[0]!.purchaseTimes.length;
    expect(steady).toBeGreaterThanOrEqual(5);
    expect(card.alivePathExamples.map((e) => e.purchaseTimes.length)).toEqual([steady, Math.floor((steady - 1) / 2) + 1, 1]);
    expect(card.alivePathExamples[0]!.t.at(-1)).toBeCloseTo(365.25 / 7, 12);
  });

  // the report this run wrote (a second analysis of the same data for it, with --skip-patterns, asserted nothing more)
  it('the report is one self-contained file with the model card', () => {
    const html = readFileSync(join(outDir, 'report.html'), 'utf8');
    for (const id of ['overview', 'data-quality', 'value', 'model', 'privacy']) expect(html).toContain(`id="${id}"`);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThan(5);
  });
});

describe('analyze scales past the call stack', () => {
  it('runs the value step on 150,000 customers (regression: Math.max(...array) overflowed the stack)', async () => {
    const { openDuckDbWarehouse } = await import('../../src/engine/duckdb-warehouse.js');
    const { buildCustomerSummarySql } = await import('../../src/features/customer-summary.js');
    const { selectValueModel } = await import('../../src/pipeline/value-step.js');
    const warehouse = await openDuckDbWarehouse(':memory:');
    // 150k customers, each buying every 20 + (id mod 50) days from a start spread over 2020
    await warehouse.execute(`
      INSERT INTO transactions
      SELECT NULL, 'c' || CAST(c AS VARCHAR), TIMESTAMP '2020-01-01' + to_days(CAST(c % 365 + k * (20 + c % 50) AS INTEGER)), NULL, NULL, NULL, 1, 10, 10 + c % 7, NULL, NULL, NULL, NULL, FALSE, FALSE, 1, 'gen', c, md5(CAST(c AS VARCHAR) || '-' || CAST(k AS VARCHAR))
      FROM range(150000) r(c), range(0, 1 + CAST(c % 5 AS INTEGER)) s(k)`);
    await warehouse.execute(`CREATE TABLE customer_summary AS ${buildCustomerSummarySql(warehouse.dialect, { asOf: '2021-06-30', timeUnit: 'week' })}`);
    const selection = await selectValueModel(warehouse, { calibrationEnd: '2021-01-31', holdoutEnd: '2021-06-30', timeUnit: 'week', grain: 'day', models: ['bgnbd'] });
    expect(selection.calibrationCustomers).toBe(150_000);
    expect(selection.diagnostics.frequencyRecency.frequency.length).toBeGreaterThan(1);
    await warehouse.close();
  }, 120_000);
});
