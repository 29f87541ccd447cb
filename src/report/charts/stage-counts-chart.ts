import type { EChartsOption } from 'echarts';
import { formatCount, formatPercent } from '../format-number.js';
import type { ReportLifecycleStages } from '../report-data.js';
import { axisTitle, baseOption, INK, MUTED, valueAxisStyle } from './chart-theme.js';
import { stageColor, stageLabel } from './stage-colors.js';

/** Customers per lifecycle stage at the as-of date, in lifecycle order, with each stage's share; a suppressed stage (null) draws no bar and says so. */
export function stageCountsChart(stages: ReportLifecycleStages): EChartsOption {
  const total = stages.customers ?? stages.stages.reduce((s, x) => s + (x.customers ?? 0), 0);
  const names = stages.stages.map((s) => stageLabel(s.name));
  return {
    ...baseOption(),
    grid: { left: 64, right: 16, top: 24, bottom: 32 },
    xAxis: { type: 'category', data: names, axisLabel: { color: INK, interval: 0 }, axisTick: { show: false } },
    yAxis: { type: 'value', ...valueAxisStyle(), ...axisTitle('customers', 44), axisLabel: { color: MUTED } },
    tooltip: { trigger: 'axis', confine: true },
    series: [
      {
        name: 'customers',
        type: 'bar',
        barMaxWidth: 64,
        data: stages.stages.map((s) =>
          s.customers === null
            ? { value: 0, itemStyle: { color: stageColor(stageLabel(s.name), names) }, label: { show: true, position: 'top', color: MUTED, formatter: 'suppressed' } }
            : {
                value: s.customers,
                itemStyle: { color: stageColor(stageLabel(s.name), names) },
                label: { show: true, position: 'top', color: INK, formatter: `${formatCount(s.customers)} (${formatPercent(total === 0 ? NaN : s.customers / total, 0)})` },
              },
        ),
      },
    ],
  };
}
