import type { EChartsOption } from 'echarts';
import { roundTo } from '../format-number.js';
import type { ReportChurnScorecard } from '../report-data.js';
import { ACTUAL_COLOR, axisTitle, baseOption, EXPECTED_COLOR, HIGHLIGHT_COLOR, MUTED, NEUTRAL_COLOR, valueAxisStyle } from './chart-theme.js';

/** One compared churn score: its legend name, its scorecard and its colour (the same in the gain chart). */
export interface ReliabilitySeries {
  readonly name: string;
  readonly of: ReportChurnScorecard;
  readonly color: string;
}

/** The churn scores a validation compares, in the order drawn, with their legend names and colours (the same in the calibration and the gain chart, in the report and the dashboard). */
const CHURN_SCORES = [
  { key: 'learned', name: 'learned (GBT)', color: EXPECTED_COLOR },
  { key: 'btydNoPurchase', name: 'P(no purchase)', color: ACTUAL_COLOR },
  { key: 'btydOneMinusPAlive', name: '1 − P(alive)', color: HIGHLIGHT_COLOR },
] as const;

/**
 * The churn scores of `v` that are there (P(no purchase in N days) only where the run scored it: the score
 * customers.csv carries when the learned model loses), each with its name and colour: `v` is a validation's scorecards
 * or its decile lifts.
 */
export function comparedChurnScores<T>(v: { readonly learned: T; readonly btydNoPurchase?: T; readonly btydOneMinusPAlive: T }): { name: string; color: string; of: T }[] {
  return CHURN_SCORES.flatMap(({ key, name, color }) => (v[key] === undefined ? [] : [{ name, color, of: v[key] as T }]));
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
      ...scores.map((s) => ({ name: s.name, type: 'line' as const, data: points(s.of), itemStyle: { color: s.color } })),
    ],
  };
}
