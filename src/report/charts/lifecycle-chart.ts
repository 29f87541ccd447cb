import type { EChartsOption } from 'echarts';
import { formatCompact } from '../format-number.js';
import type { ReportLifecycleSeries } from '../report-data.js';
import { axisTitle, baseOption, MUTED, valueAxisStyle } from './chart-theme.js';
import { stageColor } from './stage-colors.js';

/**
 * Lifecycle over time: customers per stage in each period, stacked, so the
 * growth of the base and the shifts between stages show together.
 * `order` fixes stage colours (the stage list of the stage counts).
 */
export function lifecycleChart(series: ReportLifecycleSeries, order: readonly string[] = []): EChartsOption {
  const names = [...order, ...series.stages.map((s) => s.name).filter((n) => !order.includes(n))];
  return {
    ...baseOption(),
    legend: { top: 0 },
    grid: { left: 60, right: 16, top: 36, bottom: 32 },
    xAxis: { type: 'category', data: [...series.periodLabels], axisLabel: { color: MUTED, fontSize: 10 } },
    yAxis: { type: 'value', ...valueAxisStyle(), ...axisTitle('customers', 40), axisLabel: { color: MUTED, formatter: (v: number) => formatCompact(v) } },
    tooltip: { trigger: 'axis', confine: true },
    series: series.stages.map((s) => ({
      name: s.name,
      type: 'bar',
      stack: 'stages',
      barCategoryGap: '20%',
      data: [...s.counts],
      itemStyle: { color: stageColor(s.name, names) },
    })),
  };
}
