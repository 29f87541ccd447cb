/**
 * The churn charts name every compared score in its own colour, and the calibration chart shows the score
 * customers.csv's churn_probability holds. Before: the gain chart drew the learned model and 1 − P(alive) in the same
 * orange (its palette had two colours for three curves), and the calibration chart left out P(no purchase in N days),
 * the BTYD score written to customers.csv when the learned model does not win (synth --customers 3000 / 150).
 */
import { describe, expect, it } from 'vitest';
import { decileGainChart } from '../../src/report/charts/decile-gain-chart.js';
import type { ReportChurn, ReportDecileLiftRow } from '../../src/report/report-data.js';
import { renderChurnSection } from '../../src/report/sections/churn-section.js';
import { fixtureChurn, fixtureReportData } from './report-fixture.js';

const rows = (top: number): ReportDecileLiftRow[] =>
  Array.from({ length: 10 }, (_, d) => ({ decile: d + 1, customers: 120, meanOutcome: 1, lift: d === 0 ? top * 10 : 1, cumulativeGain: d === 0 ? top : top + ((1 - top) * d) / 9 }));

/** A run where the learned model lost: customers.csv holds MBG/NBD's P(no purchase in the next 90 days). */
function btydSource(): ReportChurn {
  const base = fixtureChurn();
  const v = base.churn!.validation;
  const noPurchase = { ...v.btydOneMinusPAlive, auc: 0.8, reliability: v.btydOneMinusPAlive.reliability.map((b) => (b.meanPredicted === null ? b : { ...b, meanPredicted: b.meanPredicted - 0.01 })) };
  return {
    ...base,
    churn: {
      ...base.churn!,
      source: 'btyd-no-purchase',
      sourceReason: "MBG/NBD's probability of no purchase in the next 90 days",
      validation: { ...v, btydNoPurchase: noPurchase, pAliveModel: 'MBG/NBD', lift: { learned: rows(0.11), btydNoPurchase: rows(0.12), btydOneMinusPAlive: rows(0.13) } },
    } as ReportChurn['churn'],
  };
}

const figure = (html: string, id: string) => {
  const start = html.indexOf(`id="${id}"`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</figure>', start));
};

describe('churn charts tell the scores apart', () => {
  it('the gain chart gives each of three curves its own colour', () => {
    const option = decileGainChart([{ name: 'learned (GBT)', rows: rows(0.11) }, { name: 'P(no purchase)', rows: rows(0.12) }, { name: '1 − P(alive)', rows: rows(0.13) }], 'share of churners found');
    const colours = (option.series as { name: string; itemStyle?: { color: string } }[]).filter((s) => s.name !== 'random order').map((s) => s.itemStyle?.color);
    expect(colours).toHaveLength(3);
    expect(new Set(colours).size).toBe(3);
  });

  it('the calibration chart draws P(no purchase), the score customers.csv holds, beside the learned model and 1 − P(alive)', () => {
    const html = renderChurnSection(fixtureReportData(), btydSource()).html;
    const calibration = figure(html, 'chart-churn-reliability');
    expect(calibration).toContain('P(no purchase)');
    expect(calibration).toContain('learned (GBT)');
    expect(calibration).toContain('1 − P(alive)');
  });

  it('a score has the same colour in the calibration and the gain chart', () => {
    const html = renderChurnSection(fixtureReportData(), btydSource()).html;
    // the legend draws each name's symbol in the series colour just before the name: the colour sequence of the legends
    const legendColours = (svg: string) => {
      const names = ['learned (GBT)', 'P(no purchase)', '1 − P(alive)'];
      return names.map((n) => {
        const at = svg.indexOf(`>${n}<`);
        expect(at, n).toBeGreaterThan(-1);
        const before = svg.slice(0, at);
        const strokes = [...before.matchAll(/stroke="(#[0-9a-f]{6})"/gi)].map((m) => m[1]!.toLowerCase()).filter((c) => c !== '#ffffff' && c !== '#fff');
        return strokes.at(-1);
      });
    };
    const gain = legendColours(figure(html, 'chart-churn-gain'));
    const calibration = legendColours(figure(html, 'chart-churn-reliability'));
    expect(new Set(gain).size).toBe(3);
    expect(calibration).toEqual(gain);
  });
});
