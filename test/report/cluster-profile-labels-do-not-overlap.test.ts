/**
 * The cluster profiles chart's feature names stay apart. Every analyze run has 11 features (8 behaviours and 3
 * countries: "mean days between purchases", "share with country United Kingdom", …) and the chart wrote them on one
 * line each, centred 98 px apart, so neighbours ran into each other ("share with country United Kingdomshare with
 * country Germany"; synth --customers 3000, the demo, synth --customers 150). Widths are measured as ECharts lays the
 * labels out (zrender's text metrics for the chart font).
 */
import { getWidth } from 'zrender/lib/contain/text.js';
import { describe, expect, it } from 'vitest';
import { FONT_FAMILY } from '../../src/report/charts/chart-theme.js';
import type { ClusterProfiles } from '../../src/report/report-data.js';
import { renderClustersSection } from '../../src/report/sections/clusters-section.js';
import { fixtureReportData } from './report-fixture.js';

const FEATURES = [
  'days since last purchase', 'purchase occasions', 'net spend', 'days since first purchase', 'mean days between purchases', 'units per order',
  'distinct products', 'share of value returned', 'share with country United Kingdom', 'share with country Germany', 'share with country United States',
];

function profiles(): ClusterProfiles {
  const z = (sign: number) => FEATURES.map((_, i) => sign * (0.2 + i / 20));
  return {
    method: 'k-means++ (lloyd) on log1p-scaled, standardised features; k = 2 chosen by silhouette over 2..10',
    features: FEATURES,
    clusters: [
      { name: 'Cluster 1', customers: 1122, means: FEATURES.map(() => 1), zScores: z(1) },
      { name: 'Cluster 2', customers: 1878, means: FEATURES.map(() => 1), zScores: z(-1) },
    ],
  } as ClusterProfiles;
}

/** The x-axis labels as drawn: each text line's horizontal extent [left, right] and its label's centre. */
function xAxisLabelLines(svg: string): { text: string; centre: number; left: number; right: number }[] {
  const lines: { text: string; centre: number; left: number; right: number }[] = [];
  for (const m of svg.matchAll(/<text[^>]*text-anchor="middle"[^>]*transform="translate\(([\d.]+) ([\d.]+)\)"[^>]*>([^<]*)<\/text>/g)) {
    const text = m[3]!;
    if (!FEATURES.some((f) => f.includes(text.trim())) || text.trim() === '') continue;
    const centre = Number(m[1]);
    const width = getWidth(text, `12px ${FONT_FAMILY}`);
    lines.push({ text, centre, left: centre - width / 2, right: centre + width / 2 });
  }
  return lines;
}

describe('cluster profiles: feature names on the x axis', () => {
  it('eleven features: every name is shown in full and no two neighbours overlap', () => {
    const data = fixtureReportData();
    const html = renderClustersSection(data, profiles()).html;
    const svg = html.slice(html.indexOf('id="chart-cluster-profiles"'), html.indexOf('</figure>', html.indexOf('id="chart-cluster-profiles"')));
    const lines = xAxisLabelLines(svg);
    const centres = [...new Set(lines.map((l) => l.centre))].sort((a, b) => a - b);
    expect(centres).toHaveLength(FEATURES.length);
    // each feature's name, line by line, is there in full
    for (const [i, c] of centres.entries()) expect(lines.filter((l) => l.centre === c).map((l) => l.text.trim()).join(' ')).toBe(FEATURES[i]);
    // the widest line of each label ends before the next label's widest line begins
    const extent = centres.map((c) => ({ left: Math.min(...lines.filter((l) => l.centre === c).map((l) => l.left)), right: Math.max(...lines.filter((l) => l.centre === c).map((l) => l.right)) }));
    for (let i = 1; i < extent.length; i++) expect(extent[i]!.left, `${FEATURES[i - 1]} / ${FEATURES[i]}`).toBeGreaterThan(extent[i - 1]!.right);
  });
});
