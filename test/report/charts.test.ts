/**
 * Chart specs on fixed data: each spec is snapshot-tested (numbers in the
 * specs are rounded by the spec functions; formatter functions show as
 * `[Function …]`), and the property that matters for reading the chart is
 * asserted directly, so a snapshot update cannot hide a wrong chart.
 */
import type { EChartsOption } from 'echarts';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { calibrationHistogramChart } from '../../src/report/charts/calibration-histogram-chart.js';
import { literalLabel } from '../../src/report/charts/chart-theme.js';
import { clusterProfilesChart } from '../../src/report/charts/cluster-profiles-chart.js';
import { cohortRetentionChart } from '../../src/report/charts/cohort-retention-chart.js';
import { conditionalExpectationChart } from '../../src/report/charts/conditional-expectation-chart.js';
import { crossSellRulesChart, ruleLabel } from '../../src/report/charts/cross-sell-rules-chart.js';
import { lifecycleChart } from '../../src/report/charts/lifecycle-chart.js';
import { modelComparisonChart } from '../../src/report/charts/model-comparison-chart.js';
import { privacyClassesChart } from '../../src/report/charts/privacy-classes-chart.js';
import { probabilityAliveChart } from '../../src/report/charts/probability-alive-chart.js';
import { quarantineRulesChart } from '../../src/report/charts/quarantine-rules-chart.js';
import { rfmSegmentsChart } from '../../src/report/charts/rfm-segments-chart.js';
import { stageLabel } from '../../src/report/charts/stage-colors.js';
import { stageCountsChart } from '../../src/report/charts/stage-counts-chart.js';
import { stageFlowsChart } from '../../src/report/charts/stage-flows-chart.js';
import { trackingChart } from '../../src/report/charts/tracking-chart.js';
import { valueConcentrationChart } from '../../src/report/charts/value-concentration-chart.js';
import { valueDistributionChart } from '../../src/report/charts/value-distribution-chart.js';
import { valueQuadrantChart } from '../../src/report/charts/value-quadrant-chart.js';
import { renderChartSvg } from '../../src/report/render-chart-svg.js';
import { computeValueConcentration } from '../../src/report/value-concentration.js';
import { computeValueHistogram } from '../../src/report/value-histogram.js';
import { computeValueQuadrant } from '../../src/report/value-quadrant.js';
import { FIXTURE_INGEST, fixtureCustomers, fixtureReportData, HOSTILE_TEXT } from './report-fixture.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
const data = fixtureReportData(300);
const card = data.modelCard!;
const customers = fixtureCustomers(300);
const series = (option: EChartsOption): Loose[] => option.series as Loose[];
/** JSON of a spec with formatter functions as their source text (closures are new objects on every call). */
const serialise = (option: EChartsOption): string => JSON.stringify(option, (_key, value: unknown) => (typeof value === 'function' ? `fn:${value.toString()}` : value));

describe('chart specs (snapshots on fixed data)', () => {
  const specs: Record<string, () => EChartsOption> = {
    valueDistribution: () => valueDistributionChart(computeValueHistogram(customers.historicValue)),
    valueConcentration: () => valueConcentrationChart(computeValueConcentration(customers.historicValue, 21)),
    valueQuadrant: () => valueQuadrantChart(computeValueQuadrant(customers.historicValue, customers.predictedValue, 40, 1)),
    // as the data-quality section passes them: erased_customer only when some row has it
    quarantineRules: () => quarantineRulesChart(Object.fromEntries(Object.entries(FIXTURE_INGEST.rules).filter(([reason]) => reason !== 'erased_customer'))),
    modelComparison: () => modelComparisonChart(card.comparison),
    calibrationHistogram: () => calibrationHistogramChart(card.diagnostics!.calibrationHistogram!),
    trackingCumulative: () => trackingChart(card.diagnostics!.tracking!, 'cumulative'),
    trackingIncremental: () => trackingChart(card.diagnostics!.tracking!, 'incremental'),
    conditionalExpectation: () => conditionalExpectationChart(card.diagnostics!.conditionalExpectation!),
    probabilityAlive: () => probabilityAliveChart(card.diagnostics!.frequencyRecency!, 'week'),
    rfmSegments: () => rfmSegmentsChart(data.segments!),
    clusterProfiles: () => clusterProfilesChart(data.clusters!),
    stageCounts: () => stageCountsChart(data.stages!),
    stageFlows: () => stageFlowsChart(data.transitions!, data.stages!.stages.map((s) => s.name)),
    lifecycle: () => lifecycleChart(data.lifecycleSeries!),
    cohortRetention: () => cohortRetentionChart(data.cohorts!),
    crossSellRules: () => crossSellRulesChart(data.rules!.rules),
    privacyClasses: () => privacyClassesChart(data.privacy!),
  };
  for (const [name, build] of Object.entries(specs)) {
    it(`${name}: stable spec, pure, renders to SVG`, () => {
      const spec = build();
      expect(spec).toMatchSnapshot();
      expect(serialise(build())).toBe(serialise(spec)); // pure: same input, same spec
      expect(spec.animation).toBe(false);
      const svg = renderChartSvg(spec, { width: 400, height: 300 });
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).not.toMatch(/https?:\/\//);
    });
  }
});

describe('chart spec properties', () => {
  it('value distribution: bars are customers per band, the line is the band’s % of value (none for ≤ 0)', () => {
    const h = computeValueHistogram([-1, 1.5, 3, 30]);
    const [bars, line] = series(valueDistributionChart(h));
    expect(bars.data).toEqual([1, 1, 1, 0, 0, 1]);
    expect(line.data[0]).toBeNull();
    expect(line.data[1]).toBeCloseTo((1.5 / 34.5) * 100, 2);
  });

  it('value concentration: the curve runs from (0, 0) to (100, 100) and the top-20% point is labelled', () => {
    const c = computeValueConcentration([10, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const [curve, diagonal, marks] = series(valueConcentrationChart(c));
    expect(curve.data[0]).toEqual([0, 0]);
    expect(curve.data[curve.data.length - 1]).toEqual([100, 100]);
    expect(diagonal.data).toEqual([[0, 0], [100, 100]]);
    const top20 = marks.data.find((d: Loose) => d.value[0] === 20);
    expect(top20.value[1]).toBe(100);
    expect(top20.label.formatter).toBe('top 20% → 100.0%');
  });

  it('value quadrant: log axes, medians marked, legend counts cover all customers', () => {
    const q = computeValueQuadrant(customers.historicValue, customers.predictedValue, 40, 1);
    const spec = valueQuadrantChart(q);
    expect((spec.xAxis as Loose).type).toBe('log');
    expect((spec.yAxis as Loose).type).toBe('log');
    const s = series(spec);
    expect(s[0].markLine.data).toEqual([{ xAxis: q.historicThreshold }, { yAxis: q.predictedThreshold }]);
    const counts = s.map((x) => Number(/· ([\d,]+) \(/.exec(x.name)![1]!.replace(/,/g, '')));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(300);
    expect(s.reduce((n, x) => n + x.data.length, 0)).toBeLessThanOrEqual(40);
  });

  it('quarantine rules: every rule has a bar, first rule on top, empty rules grey', () => {
    const spec = quarantineRulesChart(FIXTURE_INGEST.rules);
    expect((spec.yAxis as Loose).data).toEqual(Object.keys(FIXTURE_INGEST.rules).reverse());
    const bars = series(spec)[0].data;
    expect(bars.map((b: Loose) => b.value)).toEqual(Object.values(FIXTURE_INGEST.rules).reverse());
    expect(bars.find((b: Loose) => b.value === 135080).label.formatter).toBe('135,080');
    expect(bars.find((b: Loose) => b.value === 0).itemStyle.color).not.toBe(bars.find((b: Loose) => b.value > 0).itemStyle.color);
  });

  it('model comparison: the chosen model is highlighted and labelled', () => {
    const bars = series(modelComparisonChart(card.comparison))[0].data;
    const chosen = bars.filter((b: Loose) => b.label.formatter.includes('chosen'));
    expect(chosen).toHaveLength(1);
    expect(chosen[0].value).toBeCloseTo(0.6123, 6);
    expect(bars.some((b: Loose) => b.label.formatter.includes('no conv.'))).toBe(true);
  });

  it('tracking: cumulative series are running sums of the increments, calibration end marked at its label', () => {
    const t = card.diagnostics!.tracking!;
    const spec = trackingChart(t, 'cumulative');
    const [actual, model] = series(spec);
    let sum = 0;
    t.actualIncremental.forEach((v, k) => {
      sum += v;
      expect(actual.data[k]).toBeCloseTo(sum, 2);
    });
    expect(model.data[model.data.length - 1]).toBeCloseTo(t.expectedIncremental.reduce((a, b) => a + b, 0), 1);
    expect(actual.markLine.data).toEqual([{ xAxis: t.periodLabels[t.calibrationEndIndex] }]);
    expect(series(trackingChart(t, 'incremental'))[0].data).toEqual([...t.actualIncremental]);
  });

  it('P(alive): impossible cells (NaN) are left out, values kept in [0, 1]', () => {
    const m = card.diagnostics!.frequencyRecency!;
    const cells = series(probabilityAliveChart(m, 'week'))[0].data as [number, number, number][];
    const finite = m.probabilityAlive.flat().filter((v) => v !== null && Number.isFinite(v)).length;
    expect(cells).toHaveLength(finite);
    expect(cells.every(([, , v]) => v >= 0 && v <= 1)).toBe(true);
    expect(cells.find(([x, y]) => x === 0 && y === 0)![2]).toBe(1); // x = 0: P(alive) = 1 for BG/NBD
  });

  it('sankey: unique node ids, every link between existing nodes, empty flows dropped', () => {
    const s = series(stageFlowsChart(data.transitions!))[0];
    const ids = s.data.map((n: Loose) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const link of s.links) {
      expect(ids).toContain(link.source);
      expect(ids).toContain(link.target);
      expect(link.value).toBeGreaterThan(0);
    }
    expect(s.links).toHaveLength(data.transitions!.flows.filter((f) => f.customers > 0).length);
    const activeFrom = s.data.find((n: Loose) => n.id === 'from:active');
    expect(activeFrom.label.formatter).toBe('active 1,500');
  });

  it('cohort heatmap: first cohort on top, colour scale ignores period 0, labels show the true %', () => {
    const spec = cohortRetentionChart(data.cohorts!);
    const yLabels = (spec.yAxis as Loose).data as string[];
    expect(yLabels[yLabels.length - 1]).toBe('2011-01 (948)');
    const max = (spec.visualMap as Loose).max;
    expect(max).toBeCloseTo(0.38 * Math.exp(-1 / 9) + 0.12, 3);
    const cell = series(spec)[0].data.find((d: Loose) => d.value[0] === 0 && d.value[1] === yLabels.length - 1);
    expect(cell.value[2]).toBe(max); // 100% clamped for the colour
    expect(cell.label.formatter).toBe('100');
  });

  it('cross-sell: best rule on top, labels carry lift, confidence and support; templates neutralised', () => {
    const spec = crossSellRulesChart(data.rules!.rules, 5);
    const labels = (spec.yAxis as Loose).data as string[];
    expect(labels).toHaveLength(5);
    expect(labels[4]).toBe(ruleLabel(data.rules!.rules[0]!));
    const bars = series(spec)[0].data;
    expect(bars[4].label.formatter).toBe('31.6× · conf 78% · supp 1.42%');
    expect(literalLabel(HOSTILE_TEXT)).not.toMatch(/[{}]/);
  });

  it('privacy classes: column counts per table and class add up to the table’s columns', () => {
    const spec = privacyClassesChart(data.privacy!);
    const tables = (spec.yAxis as Loose).data as string[];
    const s = series(spec);
    tables.forEach((table, i) => {
      const total = s.reduce((n, x) => n + x.data[i], 0);
      expect(total).toBe(data.privacy!.tables.find((t) => t.table === table)!.columns.length);
    });
  });

  it('stage colours agree across stage counts, flows and the time series', () => {
    const order = data.stages!.stages.map((x) => x.name);
    const counts = series(stageCountsChart(data.stages!))[0].data.map((d: Loose) => d.itemStyle.color);
    const flows = series(stageFlowsChart(data.transitions!, order))[0].data.filter((n: Loose) => n.id.startsWith('from:')).map((n: Loose) => [n.id.slice(5), n.itemStyle.color]);
    const time = series(lifecycleChart(data.lifecycleSeries!, order)).map((x) => [x.name, x.itemStyle.color]);
    for (const [name, color] of [...flows, ...time]) expect(counts[order.map(stageLabel).indexOf(name)]).toBe(color);
  });

  it('renders with ECharts’ one-file build, not its ~700 ES modules (~0.6 s of CPU per process to load)', () => {
    const svg = renderChartSvg(stageCountsChart(data.stages!), { width: 400, height: 300 }, 'one-file');
    expect(svg).toMatch(/^<svg /);
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    expect(loaded.some((path) => path.endsWith('/echarts/dist/echarts.js'))).toBe(true);
  });
});
