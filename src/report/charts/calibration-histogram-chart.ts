import type { EChartsOption } from 'echarts';
import { formatCompact, roundTo } from '../format-number.js';
import type { CalibrationHistogramData } from '../report-data.js';
import { ACTUAL_COLOR, axisTitle, baseOption, EXPECTED_COLOR, MUTED, valueAxisStyle } from './chart-theme.js';

/**
 * Calibration fit: customers by number of repeat purchases in the
 * calibration window, actual vs what the fitted model expects. Bars of
 * equal height mean the model reproduces how often customers come back.
 */
export function calibrationHistogramChart(histogram: CalibrationHistogramData): EChartsOption {
  return {
    ...baseOption(),
    legend: { top: 0, data: ['actual', 'model'] },
    grid: { left: 60, right: 16, top: 36, bottom: 44 },
    xAxis: { type: 'category', data: [...histogram.labels], name: 'repeat purchases in calibration', nameLocation: 'middle', nameGap: 28, nameTextStyle: { color: MUTED }, axisLabel: { color: MUTED } },
    yAxis: { type: 'value', ...valueAxisStyle(), ...axisTitle('customers', 40), axisLabel: { color: MUTED, formatter: (v: number) => formatCompact(v) } },
    tooltip: { trigger: 'axis', confine: true },
    series: [
      // a suppressed bin (null) draws no bar
      { name: 'actual', type: 'bar', data: histogram.actual.map((v) => (v === null ? null : roundTo(v, 1))), itemStyle: { color: ACTUAL_COLOR } },
      { name: 'model', type: 'bar', data: histogram.expected.map((v) => roundTo(v, 1)), itemStyle: { color: EXPECTED_COLOR } },
    ],
  };
}
