/**
 * The report with small-group suppression: aggregates that arrive null
 * (suppressed by the pipeline) print as “suppressed” and are left out of the
 * charts, and what the report computes itself from per-customer columns
 * (value bands, the Pareto curve, quadrants, the scatter) is suppressed at
 * the run's k. Also opened in headless Chromium when it is installed.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EChartsOption } from 'echarts';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { calibrationHistogramChart } from '../../src/report/charts/calibration-histogram-chart.js';
import { clusterProfilesChart } from '../../src/report/charts/cluster-profiles-chart.js';
import { rfmSegmentsChart } from '../../src/report/charts/rfm-segments-chart.js';
import { stageCountsChart } from '../../src/report/charts/stage-counts-chart.js';
import { stageFlowsChart } from '../../src/report/charts/stage-flows-chart.js';
import type { ReportData } from '../../src/report/report-data.js';
import { renderReport } from '../../src/report/render-report.js';
import { computeValueConcentration, concentrationPoints } from '../../src/report/value-concentration.js';
import { computeValueHistogram, suppressValueHistogram } from '../../src/report/value-histogram.js';
import { computeValueQuadrant } from '../../src/report/value-quadrant.js';
import { fixtureCustomers, fixtureReportData } from './report-fixture.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
const series = (option: EChartsOption): Loose[] => option.series as Loose[];
/** Page text without the SVGs, checked for leaked non-numbers (as render-report.test.ts does). */
const NON_NUMBER = /(^|[\s>(£-])(NaN|undefined|Infinity)([\s<%),]|$)|\[object/;
const text = (page: string) => page.replace(/<svg[\s\S]*?<\/svg>/g, '');

/** The full fixture as a suppressed run would give it (k = 5): some groups null. */
function suppressedFixture(customers = 2000): ReportData {
  const full = fixtureReportData(customers);
  const card = full.modelCard!;
  const h = card.diagnostics!.calibrationHistogram!;
  const ce = card.diagnostics!.conditionalExpectation!;
  return {
    ...full,
    run: { ...full.run, privacy: { minGroupSize: 5 } },
    modelCard: {
      ...card,
      diagnostics: {
        ...card.diagnostics,
        calibrationHistogram: { ...h, actual: [...h.actual.slice(0, 6), null, null] },
        conditionalExpectation: { ...ce, customers: [...ce.customers!.slice(0, 6), null, null], actual: [...ce.actual.slice(0, 6), null, null], expected: [...ce.expected.slice(0, 6), null, null] },
      },
    },
    segments: {
      ...full.segments!,
      customers: 4338,
      value: 8_278_519,
      segments: full.segments!.segments.map((s) => (s.name === 'Cannot lose them' || s.name === 'Promising' ? { ...s, customers: null, value: null, predictedValue: null } : s)),
    },
    clusters: { ...full.clusters!, clusters: full.clusters!.clusters.map((c, i) => (i === 3 ? { ...c, customers: null, means: c.means.map(() => null), zScores: c.zScores.map(() => null), value: null, description: null } : c)) },
    stages: { ...full.stages!, customers: 4338, stages: full.stages!.stages.map((s) => (s.name === 'New' ? { ...s, customers: null } : s)) },
    transitions: { ...full.transitions!, flows: full.transitions!.flows.filter((f) => f.from !== 'New'), suppressedFlows: full.transitions!.flows.filter((f) => f.from === 'New') },
    lifecycleSeries: { ...full.lifecycleSeries!, stages: full.lifecycleSeries!.stages.map((s) => ({ ...s, counts: s.counts.map((c) => (c !== null && c > 0 && c < 100 ? null : c)) })) },
    cohorts: { ...full.cohorts!, cohorts: full.cohorts!.cohorts.map((c, i) => (i === 11 ? { ...c, customers: null, retention: c.retention.map(() => null) } : c)) },
  };
}

describe('charts leave suppressed groups out', () => {
  const data = suppressedFixture();

  it('segment map: no tile for a suppressed segment; shares of all customers', () => {
    const tiles = series(rfmSegmentsChart(data.segments!))[0].data as { name: string; value: number }[];
    expect(tiles.map((t) => t.name)).not.toContain('Cannot lose them');
    expect(tiles).toHaveLength(8);
    expect((tiles[0] as Loose).label.formatter).toContain('612 customers (14%)');
  });

  it('calibration histogram: no bar for a suppressed bin; the model’s bars stay', () => {
    const [actual, model] = series(calibrationHistogramChart(data.modelCard!.diagnostics!.calibrationHistogram!));
    expect(actual.data.slice(5)).toEqual([38, null, null]);
    expect(model.data).toHaveLength(8);
    expect(model.data.every((v: number | null) => v !== null)).toBe(true);
  });

  it('stage flows: a stage with a withheld flow shows its shown flows’ sum with a +', () => {
    const nodes = (series(stageFlowsChart(data.transitions!, data.stages!.stages.map((s) => s.name)))[0].data as Loose[]).map((n) => n.label.formatter);
    // the New flows (180 → Active, 120 → At risk, 60 → Churned) are withheld: New has no node on the left, its targets get a +
    expect(nodes).toEqual(['active 1,500', 'at risk 820', 'dormant 760', 'churned 297', 'active 1,270+', 'at risk 670+', 'dormant 760', 'churned 677+']);
  });

  it('cluster profiles: a suppressed cluster has no bars; stage counts say “suppressed” instead of a number', () => {
    expect(series(clusterProfilesChart(data.clusters!)).map((s) => s.name)).toEqual(['Frequent big spenders (702)', 'Regulars (1,388)', 'One-off recent (1,012)']);
    const bars = series(stageCountsChart(data.stages!))[0].data as Loose[];
    expect(bars[0]).toMatchObject({ value: 0, label: { formatter: 'suppressed' } });
    expect(bars[1].label.formatter).toBe('1,650 (38%)');
  });
});

describe('the report’s own aggregates are suppressed at k', () => {
  it('value bands of fewer than k customers go, with a partner while they hold fewer than k together', () => {
    // bands: ≤ 0 (1), 1–2 (1), 2–5 (0), 5–10 (0), 10–20 (0), 20–50 (6), 50–100 (9)
    const values = [-3, 1.5, ...Array<number>(6).fill(30), ...Array<number>(9).fill(60)];
    const shown = suppressValueHistogram(computeValueHistogram(values), 5);
    expect(shown.labels).toEqual(['≤ 0', '1–2', '2–5', '5–10', '10–20', '20–50', '50–100']);
    expect(shown.customers).toEqual([null, null, 0, 0, 0, null, 9]);
    expect(shown.suppression).toEqual(['small-group', 'small-group', null, null, null, 'complementary', null]);
    expect(shown.valueShare[6]).toBeCloseTo(540 / (1.5 + 180 + 540), 12);
  });

  it('the Pareto curve has points at least k customers apart; top shares off those points are withheld', () => {
    expect([concentrationPoints(4334, 5), concentrationPoints(300, 5), concentrationPoints(30, 5), concentrationPoints(9, 5)]).toEqual([201, 61, 7, 2]);
    const c = computeValueConcentration(fixtureCustomers(300).historicValue, 201, 5);
    expect(c.customerShare).toHaveLength(61);
    // 60 steps of 5 customers: the top 1% (3 customers) is not a point; 5% (15), 10%, 20% and 50% are
    expect(c.top.map((t) => Number.isNaN(t.valueShare))).toEqual([true, false, false, false, false]);
    const unsuppressed = computeValueConcentration(fixtureCustomers(300).historicValue);
    expect(c.top[2]!.valueShare).toBe(unsuppressed.top[2]!.valueShare);
  });

  it('quadrants: a quadrant of fewer than k goes with a partner and draws no point; lone points are left out and points are rounded', () => {
    // 9 customers: stars 2, rising 2, fading 2, low 3 → all quadrants below 5
    const historic = [10, 20, 1, 2, 30, 40, 1, 2, 3];
    const predicted = [90, 80, 70, 60, 1, 2, 1, 2, 3];
    const q = computeValueQuadrant(historic, predicted, 100, 1, 5);
    expect(q.quadrants.map((x) => [x.key, x.customers, x.suppression])).toEqual([
      ['stars', null, 'small-group'],
      ['rising', null, 'small-group'],
      ['fading', null, 'small-group'],
      ['low', null, 'small-group'],
    ]);
    expect(q.quadrants.every((x) => x.points.length === 0)).toBe(true);
    const c = fixtureCustomers(2000);
    const big = computeValueQuadrant(c.historicValue, c.predictedValue, 5000, 1, 5);
    expect(big.quadrants.every((x) => x.suppression === null)).toBe(true);
    expect(big.isolated).toBeGreaterThan(0);
    const points = big.quadrants.flatMap((x) => x.points);
    expect(points.length + big.notDrawable + big.isolated).toBe(2000);
    expect(points.every(([x, y]) => Number(x.toPrecision(2)) === x && Number(y.toPrecision(2)) === y)).toBe(true);
  });
});

describe('renderReport with suppressed groups', () => {
  const html = renderReport(suppressedFixture());

  it('prints “suppressed” for withheld counts and says why in the captions; no NaN or undefined', () => {
    expect(html).toContain('<td>Cannot lose them</td><td class="num">suppressed</td>');
    expect(html).toContain('2 segments are suppressed (fewer than 5 customers, or protecting such a group)');
    expect(html).toContain('1 cluster is suppressed (fewer than 5 customers, or protecting such a group)');
    expect(html).toContain('buckets of fewer than 5 customers (or protecting one) are not shown');
    expect(html).toContain('3 flows of fewer than 5 customers (or protecting one) left out');
    expect(html).toMatch(/2011-12 \(suppressed\)/);
    expect(text(html)).not.toMatch(NON_NUMBER);
  });

  it('a run of 9 customers draws no value band and only the ends of the Pareto curve', () => {
    const tiny = suppressedFixture();
    const nine = Float64Array.from([10, 20, 1, 2, 30, 40, 1, 2, 3]);
    const page = renderReport({ ...tiny, customers: { totalSpend: nine, historicValue: nine, predictedValue: Float64Array.from([90, 80, 70, 60, 1, 2, 1, 2, 3]) } });
    expect(page).toContain('Every value band holds fewer than 5 customers (or protects one that does): none is shown.');
    expect(page).toContain('With 9 customers no point between the ends lies 5 or more customers from both: only the ends are drawn.');
    expect(page).toContain('4 quadrants are suppressed');
    expect(text(page)).not.toMatch(NON_NUMBER);
  });
});

const CHROMIUM = '/usr/bin/chromium';
describe.skipIf(!existsSync(CHROMIUM))('the suppressed report in headless Chromium', () => {
  it('loads with no error and draws every chart as an SVG', async () => {
    const out = resolve('test/output/report');
    mkdirSync(out, { recursive: true });
    const file = join(out, 'report-suppressed.html');
    writeFileSync(file, renderReport(suppressedFixture(5000)));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      expect(errors).toEqual([]);
      const drawn = (await page.locator('figure.chart').evaluateAll((nodes) => nodes.map((n) => [n.id, n.querySelectorAll('svg path').length]))) as [string, number][];
      expect(drawn.length).toBe(21); // 18 + the churn reliability chart + the campaign uplift chart + the session funnel
      for (const [id, paths] of drawn) expect(paths, id).toBeGreaterThan(3);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
