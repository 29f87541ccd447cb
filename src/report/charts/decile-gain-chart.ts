import type { EChartsOption } from 'echarts';
import { roundTo } from '../format-number.js';
import type { ReportDecileLiftRow } from '../report-data.js';
import { ACTUAL_COLOR, axisTitle, baseOption, EXPECTED_COLOR, HIGHLIGHT_COLOR, MUTED, NEUTRAL_COLOR, valueAxisStyle } from './chart-theme.js';

/** One score's deciles, drawn as a cumulative gain curve. */
export interface DecileGainSeries {
  readonly name: string;
  readonly rows: readonly ReportDecileLiftRow[];
  /** its colour (default: orange, dark, blue in order), so a score keeps its colour across charts */
  readonly color?: string;
}

/**
 * Cumulative gain by decile: customers sorted by a score, highest first; at
 * each tenth of them, the share of all the outcome (purchases, or churners)
 * they hold. The dashed diagonal is a random order; the higher a curve runs
 * above it, the better the score ranks. The tooltip gives each decile's lift
 * (its mean outcome ÷ the overall mean). Withheld deciles (fewer than k
 * customers) draw no point.
 *
 * Example: `decileGainChart([{ name: 'GBT (Poisson)', rows }, { name: 'BG/NBD', rows: btydRows }], 'share of holdout purchases')`
 */
export function decileGainChart(series: readonly DecileGainSeries[], outcomeLabel: string): EChartsOption {
  const colors = [EXPECTED_COLOR, ACTUAL_COLOR, HIGHLIGHT_COLOR];
  const deciles = Math.max(0, ...series.map((s) => s.rows.length));
  const xs = Array.from({ length: deciles + 1 }, (_, k) => roundTo(k / Math.max(1, deciles), 3));
  return {
    ...baseOption(),
    legend: { top: 0, data: series.map((s) => s.name) },
    grid: { left: 56, right: 16, top: 36, bottom: 44 },
    xAxis: { type: 'value', min: 0, max: 1, ...valueAxisStyle(), ...axisTitle('share of customers, highest score first', 28), axisLabel: { color: MUTED, formatter: (v: number) => `${Math.round(v * 100)}%` } },
    yAxis: { type: 'value', min: 0, max: 1, ...valueAxisStyle(), ...axisTitle(outcomeLabel, 40), axisLabel: { color: MUTED, formatter: (v: number) => `${Math.round(v * 100)}%` } },
    tooltip: { trigger: 'item', confine: true },
    series: [
      { name: 'random order', type: 'line', data: [[0, 0], [1, 1]], symbol: 'none', lineStyle: { color: NEUTRAL_COLOR, type: 'dashed' }, silent: true },
      ...series.map((s, k) => ({
        name: s.name,
        type: 'line' as const,
        itemStyle: { color: s.color ?? colors[k % colors.length]! },
        data: [
          { value: [0, 0] },
          ...s.rows.flatMap((r, d) =>
            r.cumulativeGain === null || !Number.isFinite(r.cumulativeGain)
              ? []
              : [{ value: [xs[d + 1]!, roundTo(r.cumulativeGain, 4)], name: `decile ${r.decile}: lift ${r.lift === null ? '—' : roundTo(r.lift, 2)}` }],
          ),
        ],
      })),
    ],
  };
}
