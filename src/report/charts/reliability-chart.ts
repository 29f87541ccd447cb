import type { EChartsOption } from 'echarts';
import { roundTo } from '../format-number.js';
import type { ReportChurnScorecard } from '../report-data.js';
import { ACTUAL_COLOR, axisTitle, baseOption, EXPECTED_COLOR, HIGHLIGHT_COLOR, MUTED, NEUTRAL_COLOR, valueAxisStyle } from './chart-theme.js';

/** One compared churn score: its legend name, its scorecard and its colour (the same in the gain chart). */
export interface ReliabilitySeries {
  readonly name: string;
  readonly card: ReportChurnScorecard;
  readonly color: string;
}

/** Each compared churn score's colour, the same in the calibration and the gain chart, in the report and the dashboard. */
export const CHURN_SCORE_COLORS = { learned: EXPECTED_COLOR, noPurchase: ACTUAL_COLOR, oneMinusPAlive: HIGHLIGHT_COLOR } as const;

/**
 * The churn scores a validation compared, as the calibration chart draws them: the learned classifier, P(no purchase
 * in N days) where the run scored it (the score customers.csv carries when the learned model loses), 1 − P(alive).
 */
export function comparedChurnScores(v: { readonly learned: ReportChurnScorecard; readonly btydNoPurchase?: ReportChurnScorecard; readonly btydOneMinusPAlive: ReportChurnScorecard }): ReliabilitySeries[] {
  return [
    { name: 'learned (GBT)', card: v.learned, color: CHURN_SCORE_COLORS.learned },
    ...(v.btydNoPurchase ? [{ name: 'P(no purchase)', card: v.btydNoPurchase, color: CHURN_SCORE_COLORS.noPurchase }] : []),
    { name: '1 − P(alive)', card: v.btydOneMinusPAlive, color: CHURN_SCORE_COLORS.oneMinusPAlive },
  ];
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
