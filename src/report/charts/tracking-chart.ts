import type { EChartsOption } from 'echarts';
import { formatCompact, roundTo } from '../format-number.js';
import type { TrackingData } from '../report-data.js';
import { ACTUAL_COLOR, axisTitle, baseOption, EXPECTED_COLOR, MUTED, valueAxisStyle } from './chart-theme.js';

function cumulate(values: readonly number[]): number[] {
  let sum = 0;
  return values.map((v) => (sum += v));
}

/**
 * Tracking: repeat purchases of the whole customer base per period
 * (`incremental`) or summed up to each period (`cumulative`), actual vs the
 * model, with the end of the calibration window marked. Left of the line
 * the model was fitted; right of it, it is forecasting data it never saw.
 */
export function trackingChart(tracking: TrackingData, mode: 'cumulative' | 'incremental'): EChartsOption {
  const actual = mode === 'cumulative' ? (tracking.actualCumulative ?? cumulate(tracking.actualIncremental)) : tracking.actualIncremental;
  const expected = mode === 'cumulative' ? (tracking.expectedCumulative ?? cumulate(tracking.expectedIncremental)) : tracking.expectedIncremental;
  const calibrationEnd = tracking.periodLabels[tracking.calibrationEndIndex];
  return {
    ...baseOption(),
    legend: { top: 0, data: ['actual', 'model'] },
    grid: { left: 64, right: 24, top: 36, bottom: 52 },
    xAxis: { type: 'category', data: [...tracking.periodLabels], boundaryGap: false, axisLabel: { color: MUTED, fontSize: 10 } },
    yAxis: {
      type: 'value',
      ...valueAxisStyle(),
      ...axisTitle(mode === 'cumulative' ? 'repeat purchases, cumulative' : 'repeat purchases per period', 44),
      axisLabel: { color: MUTED, formatter: (v: number) => formatCompact(v) },
    },
    tooltip: { trigger: 'axis', confine: true },
    series: [
      {
        name: 'actual',
        type: 'line',
        showSymbol: false,
        data: actual.map((v) => roundTo(v, 2)),
        lineStyle: { color: ACTUAL_COLOR, width: 2 },
        itemStyle: { color: ACTUAL_COLOR },
        ...(calibrationEnd !== undefined
          ? {
              markLine: {
                silent: true,
                symbol: 'none',
                lineStyle: { color: MUTED, type: 'dashed' },
                label: { formatter: 'calibration end', color: MUTED, position: 'insideEndTop' },
                data: [{ xAxis: calibrationEnd }],
              },
            }
          : {}),
      },
      { name: 'model', type: 'line', showSymbol: false, data: expected.map((v) => roundTo(v, 2)), lineStyle: { color: EXPECTED_COLOR, width: 2, type: 'dashed' }, itemStyle: { color: EXPECTED_COLOR } },
    ],
  };
}
