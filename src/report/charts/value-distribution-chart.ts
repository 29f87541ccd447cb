import type { EChartsOption } from 'echarts';
import { formatCompact, roundTo } from '../format-number.js';
import type { ShownValueHistogram } from '../value-histogram.js';
import { axisTitle, baseOption, EXPECTED_COLOR, HIGHLIGHT_COLOR, MUTED, valueAxisStyle } from './chart-theme.js';

/**
 * Value distribution: customers per value band (bars, left axis) and the
 * band's share of all value (line, right axis) on 1-2-5 log bands — shows
 * that most customers sit in the low bands while the value sits in the high ones.
 * The `≤ 0` band has no value share point (its value is not positive);
 * suppressed bands (null) draw neither bar nor point.
 */
export function valueDistributionChart(histogram: ShownValueHistogram): EChartsOption {
  return {
    ...baseOption(),
    legend: { top: 0, data: ['customers', 'share of value'] },
    grid: { left: 60, right: 60, top: 36, bottom: 72 },
    xAxis: {
      type: 'category',
      data: [...histogram.labels],
      name: 'value per customer (log bands)',
      nameLocation: 'middle',
      nameGap: 56,
      nameTextStyle: { color: MUTED },
      axisLabel: { rotate: histogram.labels.length > 10 ? 45 : 0, color: MUTED, interval: 0, fontSize: 10 },
      axisTick: { alignWithLabel: true },
    },
    yAxis: [
      { type: 'value', ...valueAxisStyle(), ...axisTitle('customers', 40), axisLabel: { color: MUTED, formatter: (v: number) => formatCompact(v) } },
      { type: 'value', ...valueAxisStyle(), ...axisTitle('share of value', 40), splitLine: { show: false }, axisLabel: { color: MUTED, formatter: '{value}%' } },
    ],
    tooltip: { trigger: 'axis', confine: true },
    series: [
      { name: 'customers', type: 'bar', data: [...histogram.customers], itemStyle: { color: HIGHLIGHT_COLOR }, barCategoryGap: '12%' },
      {
        name: 'share of value',
        type: 'line',
        yAxisIndex: 1,
        data: histogram.valueShare.map((s, i) => (histogram.lower[i] === -Infinity || s === null ? null : roundTo(s * 100, 2))),
        itemStyle: { color: EXPECTED_COLOR },
        lineStyle: { width: 2 },
        symbolSize: 5,
      },
    ],
  };
}
