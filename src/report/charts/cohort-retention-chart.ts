import type { EChartsOption } from 'echarts';
import { formatCount, roundTo } from '../format-number.js';
import type { CohortRetention } from '../report-data.js';
import { baseOption, INK, MUTED, SEQUENTIAL } from './chart-theme.js';

/**
 * Cohort retention: for each acquisition cohort (rows, with its size) the
 * share that bought again k periods after acquisition (columns). Read down a
 * column to compare cohorts at the same age, along a row to see how one
 * cohort decays. The colour scale ignores period 0 (100% by definition).
 */
export function cohortRetentionChart(cohorts: CohortRetention): EChartsOption {
  const columns = Math.max(0, ...cohorts.cohorts.map((c) => c.retention.length));
  let max = 0;
  for (const c of cohorts.cohorts) c.retention.forEach((r, k) => { if (k > 0 && r !== null && Number.isFinite(r)) max = Math.max(max, r); });
  if (max === 0) max = 1;
  const rows = [...cohorts.cohorts].reverse(); // first cohort on top
  const data: { value: [number, number, number]; label: { formatter: string } }[] = [];
  rows.forEach((c, y) =>
    c.retention.forEach((r, x) => {
      if (r === null || !Number.isFinite(r)) return;
      data.push({ value: [x, y, roundTo(Math.min(r, max), 4)], label: { formatter: `${Math.round(r * 100)}` } });
    }),
  );
  const showLabels = columns * rows.length <= 400;
  return {
    ...baseOption(),
    grid: { left: 120, right: 16, top: 8, bottom: 80 },
    xAxis: {
      type: 'category',
      data: Array.from({ length: columns }, (_, k) => String(k)),
      name: `${cohorts.periodUnit}s since acquisition`,
      nameLocation: 'middle',
      nameGap: 26,
      nameTextStyle: { color: MUTED },
      axisLabel: { color: MUTED },
      position: 'bottom',
    },
    yAxis: { type: 'category', data: rows.map((c) => `${c.label} (${c.customers === null ? 'suppressed' : formatCount(c.customers)})`), axisLabel: { color: INK, fontSize: 11 }, axisTick: { show: false } },
    visualMap: {
      min: 0,
      max: roundTo(max, 4),
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 200,
      itemWidth: 12,
      text: [`${Math.round(max * 100)}% retained`, '0%'],
      inRange: { color: [...SEQUENTIAL] },
      textStyle: { color: MUTED },
    },
    tooltip: { trigger: 'item', confine: true },
    series: [{ name: 'retention %', type: 'heatmap', data, label: { show: showLabels, fontSize: 9 }, itemStyle: { borderColor: '#ffffff', borderWidth: 1 } }],
  };
}
