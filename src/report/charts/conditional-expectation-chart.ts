import type { EChartsOption } from 'echarts';
import { roundTo } from '../format-number.js';
import type { ConditionalExpectationData } from '../report-data.js';
import { ACTUAL_COLOR, axisTitle, baseOption, EXPECTED_COLOR, MUTED, valueAxisStyle } from './chart-theme.js';

/** Empty (NaN) and suppressed (null) buckets draw no point. */
const finiteOrNull = (v: number | null) => (v !== null && Number.isFinite(v) ? roundTo(v, 3) : null);

/**
 * Conditional expectation: mean purchases per customer in the holdout
 * window, grouped by how often the customer bought in calibration; actual
 * vs the model's prediction for those same customers. Close lines mean the
 * model ranks light and heavy buyers correctly out of sample.
 */
export function conditionalExpectationChart(data: ConditionalExpectationData): EChartsOption {
  return {
    ...baseOption(),
    legend: { top: 0, data: ['actual', 'model'] },
    grid: { left: 60, right: 16, top: 36, bottom: 44 },
    xAxis: { type: 'category', data: [...data.labels], name: 'repeat purchases in calibration', nameLocation: 'middle', nameGap: 28, nameTextStyle: { color: MUTED }, axisLabel: { color: MUTED } },
    yAxis: { type: 'value', ...valueAxisStyle(), ...axisTitle('holdout purchases per customer', 36) },
    tooltip: { trigger: 'axis', confine: true },
    series: [
      { name: 'actual', type: 'line', data: data.actual.map(finiteOrNull), symbolSize: 7, lineStyle: { color: ACTUAL_COLOR, width: 2 }, itemStyle: { color: ACTUAL_COLOR } },
      { name: 'model', type: 'line', data: data.expected.map(finiteOrNull), symbolSize: 7, lineStyle: { color: EXPECTED_COLOR, width: 2, type: 'dashed' }, itemStyle: { color: EXPECTED_COLOR } },
    ],
  };
}
