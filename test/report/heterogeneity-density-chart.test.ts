import { describe, expect, it } from 'vitest';
import { describeHeterogeneity } from '../../src/models/btyd/heterogeneity-densities.js';
import { heterogeneityDensityChart } from '../../src/report/charts/heterogeneity-density-chart.js';
import { renderChartSvg } from '../../src/report/render-chart-svg.js';
import { renderModelSection } from '../../src/report/sections/model-section.js';
import { fixtureReportData } from './report-fixture.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

describe('heterogeneity density charts', () => {
  const cdnow = describeHeterogeneity({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 'week');

  it('draws the density over its grid, marks the mean and keeps the axis readable when the density is infinite at 0', () => {
    const spec = heterogeneityDensityChart(cdnow.purchaseRate!, '#2563eb') as Loose;
    const points = spec.series[0].data as [number, number][];
    expect(points).toHaveLength(cdnow.purchaseRate!.x.length);
    expect(points[10]![1]).toBeCloseTo(cdnow.purchaseRate!.density[10]!, 3);
    expect(spec.series[0].markLine.data[0].xAxis).toBeCloseTo(0.243 / 4.414, 12);
    // r < 1: the first grid point towers over the body; the axis stops below it
    expect(spec.yAxis.max).toBeLessThan(points[0]![1]);
    const beta = heterogeneityDensityChart(cdnow.dropout!, '#ea580c') as Loose;
    expect(beta.xAxis.max).toBe(1);
    expect(renderChartSvg(spec, { width: 400, height: 300 }).startsWith('<svg')).toBe(true);
  });

  it('the model section shows both charts when the card has the densities, and a note when a boundary fit has no dropout', () => {
    const data = fixtureReportData(50);
    const withDensities = renderModelSection(data, { ...data.modelCard!, heterogeneity: cdnow }).html;
    expect(withDensities).toContain('id="chart-purchase-rate-density"');
    expect(withDensities).toContain('id="chart-dropout-density"');
    expect(withDensities).toContain('Gamma(0.243, 4.41), mean 0.0551');
    const boundary = renderModelSection(data, { ...data.modelCard!, heterogeneity: describeHeterogeneity({ r: 1, alpha: 2, a: 0, b: 3 }) }).html;
    expect(boundary).toContain('id="chart-purchase-rate-density"');
    expect(boundary).not.toContain('id="chart-dropout-density"');
    expect(boundary).toContain('No dropout density: the fit is on the no-dropout boundary');
    const without = renderModelSection(data, data.modelCard!).html;
    expect(without).not.toContain('chart-purchase-rate-density');
  });
});
