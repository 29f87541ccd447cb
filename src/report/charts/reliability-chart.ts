import type { EChartsOption } from 'echarts';
import { roundTo } from '../format-number.js';
import type { ReportChurnScorecard } from '../report-data.js';
import { ACTUAL_COLOR, axisTitle, baseOption, EXPECTED_COLOR, MUTED, NEUTRAL_COLOR, valueAxisStyle } from './chart-theme.js';

/**
 * Reliability of churn probabilities: per probability bin, the share that
 * did churn against the mean predicted probability, for the learned
 * classifier and for 1 − P(alive). Points on the diagonal are calibrated;
 * withheld (small) bins draw no point.
 */
export function reliabilityChart(learned: ReportChurnScorecard, btyd: ReportChurnScorecard): EChartsOption {
  const points = (card: ReportChurnScorecard) =>
    card.reliability.filter((b) => b.meanPredicted !== null && b.observedRate !== null && Number.isFinite(b.meanPredicted)).map((b) => [roundTo(b.meanPredicted!, 3), roundTo(b.observedRate!, 3)]);
  return {
    ...baseOption(),
    legend: { top: 0, data: ['learned (GBT)', '1 − P(alive)'] },
    grid: { left: 56, right: 16, top: 36, bottom: 44 },
    xAxis: { type: 'value', min: 0, max: 1, ...valueAxisStyle(), ...axisTitle('predicted churn probability', 28), axisLabel: { color: MUTED } },
    yAxis: { type: 'value', min: 0, max: 1, ...valueAxisStyle(), ...axisTitle('share that churned', 40), axisLabel: { color: MUTED } },
    tooltip: { trigger: 'item', confine: true },
    series: [
      { name: 'calibrated', type: 'line', data: [[0, 0], [1, 1]], symbol: 'none', lineStyle: { color: NEUTRAL_COLOR, type: 'dashed' }, silent: true },
      { name: 'learned (GBT)', type: 'line', data: points(learned), itemStyle: { color: EXPECTED_COLOR } },
      { name: '1 − P(alive)', type: 'line', data: points(btyd), itemStyle: { color: ACTUAL_COLOR } },
    ],
  };
}
