import { describe, expect, it } from 'vitest';
import { illustrateAlivePaths } from '../../src/models/btyd/illustrative-alive-paths.js';
import { alivePathChart } from '../../src/report/charts/alive-path-chart.js';
import { renderChartSvg } from '../../src/report/render-chart-svg.js';
import { renderModelSection } from '../../src/report/sections/model-section.js';
import { fixtureReportData } from './report-fixture.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

describe('alive path chart', () => {
  const examples = illustrateAlivePaths('paretonbd', { params: { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 } }, 52);

  it('one line per history, P(alive) in [0, 1], a marked point at each purchase on its line', () => {
    const spec = alivePathChart(examples, 'week') as Loose;
    expect(spec.series).toHaveLength(3);
    expect(spec.legend.data).toEqual(examples.map((e) => e.label));
    for (const [k, series] of (spec.series as Loose[]).entries()) {
      const points = series.data as [number, number][];
      expect(points.every(([, p]) => p >= 0 && p <= 1)).toBe(true);
      expect(series.markPoint.data).toHaveLength(examples[k]!.purchaseTimes.length);
      // Pareto/NBD: certain at a purchase
      for (const mark of series.markPoint.data) expect(mark.coord[1]).toBeCloseTo(1, 4);
    }
    expect(renderChartSvg(spec, { width: 400, height: 300 }).startsWith('<svg')).toBe(true);
  });

  it('the model section draws it when the card has examples and says they are made up', () => {
    const data = fixtureReportData(50);
    const html = renderModelSection(data, { ...data.modelCard!, alivePathExamples: examples }).html;
    expect(html).toContain('id="chart-alive-paths"');
    expect(html).toContain('made-up histories (no real customer');
    expect(renderModelSection(data, data.modelCard!).html).not.toContain('chart-alive-paths');
  });
});
