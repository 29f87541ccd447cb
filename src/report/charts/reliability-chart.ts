import type { EChartsOption } from 'echarts';
import { roundTo } from '../format-number.js';
import type { ReportChurnScorecard } from '../report-data.js';
import { axisTitle, baseOption, MUTED, NEUTRAL_COLOR, valueAxisStyle } from './chart-theme.js';

/** One compared churn score: its legend name, its scorecard and its colour (the same in the gain chart). */
export interface ReliabilitySeries {
  readonly name: string;
  readonly card: ReportChurnScorecard;
  readonly color: string;
}

/**
 * Reliability of churn probabilities: per probability bin, the share that
 * did churn against the mean predicted probability, for each compared score
 * (the learned classifier, P(no purchase in N days) where the run scored it,
 * 1 − P(alive)). Points on the diagonal are calibrated; withheld (small)
 * bins draw no point.
 */
export function reliabilityChart(scores: readonly ReliabilitySeries[]): EChartsOption {
  const points = (card: ReportChurnScorecard) =>
    card.reliability.filter((b) => b.meanPredicted !== null && b.observedRate !== null && Number.isFinite(b.meanPredicted)).map((b) => [roundTo(b.meanPredicted!, 3), roundTo(b.observedRate!, 3)]);
  return {
    ...baseOption(),
    legend: { top: 0, data: scores.map((s) => s.name) },
    grid: { left: 56, right: 16, top: 36, bottom: 44 },
    xAxis: { type: 'value', min: 0, max: 1, ...valueAxisStyle(), ...axisTitle('predicted churn probability', 28), axisLabel: { color: MUTED } },
    yAxis: { type: 'value', min: 0, max: 1, ...valueAxisStyle(), ...axisTitle('share that churned', 40), axisLabel: { color: MUTED } },
    tooltip: { trigger: 'item', confine: true },
    series: [
      { name: 'calibrated', type: 'line', data: [[0, 0], [1, 1]], symbol: 'none', lineStyle: { color: NEUTRAL_COLOR, type: 'dashed' }, silent: true },
      ...scores.map((s) => ({ name: s.name, type: 'line' as const, data: points(s.card), itemStyle: { color: s.color } })),
    ],
  };
}
