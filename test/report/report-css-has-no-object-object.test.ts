/**
 * ECharts' server-side SVG wrote the hover style of a heatmap's continuous legend bar (filled with a gradient, an
 * object) as `fill:[object Object];`: invalid CSS in every report.html, in the probability-alive and cohort-retention
 * charts (QA, session 36). No report's CSS holds "[object Object]".
 */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/render-report.js';
import { renderChartSvg } from '../../src/report/render-chart-svg.js';
import { probabilityAliveChart } from '../../src/report/charts/probability-alive-chart.js';
import { fixtureReportData } from './report-fixture.js';

describe('no chart in a report writes "[object Object]" into its CSS', () => {
  it('the fixture report (probability-alive and cohort-retention heatmaps among its charts)', () => {
    const html = renderReport(fixtureReportData(2000));
    expect(html).toContain('chart-probability-alive-cls');
    expect(html).toContain('chart-cohort-retention-cls');
    expect(html.match(/[^\n]*\[object Object\][^\n]*/g) ?? []).toEqual([]);
    expect(html).not.toContain('object Object');
  });

  it('a heatmap with a continuous legend keeps its cells’ hover fill and its SVG has no "[object Object]"', () => {
    const matrix = { frequency: [0, 1, 2], recency: [0, 1, 2], T: 3, probabilityAlive: [[1, 0.5, 0.2], [0.3, 0.6, 0.9], [0.1, 0.2, 0.3]] };
    const svg = renderChartSvg(probabilityAliveChart(matrix as never, 'week'), { width: 600, height: 400 }, 'p');
    expect(svg).not.toContain('object Object');
    expect(svg).toMatch(/\.p-cls\d+:hover \{\ncursor:pointer;\nfill:rgba\(\d+,\d+,\d+,1\);\n\}/);
  });
});
