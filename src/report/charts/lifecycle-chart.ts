import type { EChartsOption } from 'echarts';
import { formatCompact } from '../format-number.js';
import type { ReportLifecycleSeries } from '../report-data.js';
import { axisTitle, baseOption, MUTED, valueAxisStyle } from './chart-theme.js';
import { stageColor, stageLabel } from './stage-colors.js';

/**
 * Lifecycle over time: customers per stage in each period, stacked, so the
 * growth of the base and the shifts between stages show together.
 * `order` fixes stage colours (the stage list of the stage counts).
 */
export function lifecycleChart(series: ReportLifecycleSeries, order: readonly string[] = []): EChartsOption {
  const labels = order.map(stageLabel);
  const names = [...labels, ...series.stages.map((s) => stageLabel(s.name)).filter((n) => !labels.includes(n))];
  return {
    ...baseOption(),
    legend: { top: 0 },
    grid: { left: 60, right: 16, top: 36, bottom: 32 },
    xAxis: { type: 'category', data: [...series.periodLabels], axisLabel: { color: MUTED, fontSize: 10 } },
    yAxis: { type: 'value', ...valueAxisStyle(), ...axisTitle('customers', 40), axisLabel: { color: MUTED, formatter: (v: number) => formatCompact(v) } },
    tooltip: { trigger: 'axis', confine: true },
    series: series.stages.map((s) => ({
      name: stageLabel(s.name),
      type: 'bar',
      stack: 'stages',
      barCategoryGap: '20%',
      data: [...s.counts],
      itemStyle: { color: stageColor(stageLabel(s.name), names) },
    })),
  };
}

/**
 * What the bars of the stages over time count, for the report and the dashboard. An analyze run's series
 * (lifecycle-series.ts) is the customer base at each period end by stage: the customers who had bought by then, so a
 * bar's height is the customers acquired and the last bar is the stages now (when those did not weigh P(alive)). A
 * run.json written before the series had a `measure` holds flows (new, returning, reactivated, lapsed, dormant,
 * churned): what happened in each period beside the dormant and churned stock at its end — not the customer base.
 */
export function lifecycleSeriesCaption(names: readonly string[]): string {
  const seriesOfEvents = names.includes('returning') || names.includes('lapsed');
  return seriesOfEvents
    ? 'Each bar is one period: who bought in it (new: a first purchase; returning: a repeat purchase; reactivated: back after a lapse), who lapsed in it (slipped into dormant or churned: counted again in dormant or churned), and the dormant and churned customers at its end; customers still active who did not buy in the period are not in the bar, so its height is not the customer base (the stages now are above)'
    : 'Each bar is the customer base at the end of a period — everyone who had bought by then — split by their stage on that day (from purchase history; the stages now above also weigh P(alive) when the value models ran): watch the share of the active stages, not only the height';
}
