import { describe, expect, it } from 'vitest';
import { rfmSegmentsChart } from '../../src/report/charts/rfm-segments-chart.js';
import { renderChartSvg } from '../../src/report/render-chart-svg.js';

// A QA pass found the "Can't lose them" tile labelled "C…": a small tile's label was truncated. A tile's label wraps at
// word boundaries; a tile too small for a whole word has no label (the dashboard's tooltip and the report's segments table
// name it).
const NAMES = ['Champions', 'Loyal', 'Potential loyalist', 'New', 'Promising', 'Need attention', 'About to sleep', 'At risk', "Can't lose them", 'Hibernating', 'Lost'];
const CUSTOMERS = [244, 218, 152, 0, 46, 31, 208, 120, 18, 214, 249];
const VALUE = [48.6, 23.5, 4.2, 0, 0.5, 0.9, 4, 6.1, 2.8, 4.2, 5.1];
const segments = { customers: 1500, value: 100, segments: NAMES.map((name, i) => ({ name, customers: CUSTOMERS[i]!, value: VALUE[i]!, description: '', action: '' })) };
const WORDS = new Set([...NAMES.flatMap((n) => n.split(' ')), 'customers', 'of', 'value']);

describe('RFM treemap tile labels', () => {
  for (const size of [{ width: 1160, height: 440 }, { width: 560, height: 360 }]) {
    it(`wrap or drop whole words, never cut one (${size.width}×${size.height})`, () => {
      const svg = renderChartSvg(rfmSegmentsChart(segments as never), size).replaceAll('&#39;', "'");
      const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.trim()).filter(Boolean);
      expect(texts).toContain('Champions');
      for (const text of texts) {
        expect(text, text).not.toMatch(/\.\.\.|…/);
        for (const word of text.split(/\s+/)) if (/^[A-Za-z]/.test(word)) expect(WORDS.has(word), `"${word}" in "${text}"`).toBe(true);
      }
    });
  }

  it('a tile tooltip names the segment in full with its shares', () => {
    const spec = rfmSegmentsChart(segments as never) as { series: { data: { name: string; tooltip?: { formatter?: string } }[] }[] };
    const tile = spec.series[0]!.data.find((d) => d.name === "Can't lose them")!;
    expect(tile.tooltip?.formatter).toBe("Can't lose them: 18 customers (1%), 3% of value");
  });
});

describe('the segment map caption', () => {
  it('says a tile without a label is named by the table (the report is static SVG: no tooltip)', async () => {
    const { renderSegmentsSection } = await import('../../src/report/sections/segments-section.js');
    const { fixtureReportData } = await import('./report-fixture.js');
    const data = fixtureReportData(500, 7);
    const html = renderSegmentsSection(data, { ...data.segments!, ...segments, value: 100 } as never).html.replaceAll('&#39;', "'");
    expect(html).toContain('2 tiles of under 3% of customers carry no label (too small for a whole word): the segments table below names them.');
  });
});
