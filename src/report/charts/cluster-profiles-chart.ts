import type { EChartsOption } from 'echarts';
import { formatCount, roundTo } from '../format-number.js';
import type { ClusterProfiles } from '../report-data.js';
import { axisTitle, baseOption, categoryColor, INK, MUTED, valueAxisStyle } from './chart-theme.js';

/**
 * Cluster profiles: each cluster's feature means in standard deviations from
 * the average customer (0 = average), one bar group per feature. A cluster is
 * what sticks out: tall bars up or down name it.
 */
export function clusterProfilesChart(profiles: ClusterProfiles, width = 1160): EChartsOption {
  // a suppressed cluster (customers null) has no profile to draw: it is left out
  const shown = profiles.clusters.map((c, i) => ({ c, i })).filter(({ c }) => c.customers !== null);
  // every feature name in full, wrapped to its own slot: on one line, 11 features' names (3 of them countries) ran into each other
  const grid = { left: 60, right: 16, top: 56 };
  const slot = (width - grid.left - grid.right) / Math.max(1, profiles.features.length);
  return {
    ...baseOption(),
    legend: { top: 0 },
    grid: { ...grid, bottom: 72 },
    xAxis: { type: 'category', data: [...profiles.features], axisLabel: { color: INK, interval: 0, fontSize: 11, lineHeight: 13, width: Math.max(40, Math.floor(slot) - 8), overflow: 'break' }, axisTick: { show: false } },
    yAxis: { type: 'value', ...valueAxisStyle(), ...axisTitle('sd from the average customer', 36), axisLabel: { color: MUTED } },
    tooltip: { trigger: 'axis', confine: true },
    series: shown.map(({ c, i }) => ({
      name: `${c.name} (${formatCount(c.customers!)})`,
      type: 'bar',
      data: c.zScores.map((z) => (z === null ? null : roundTo(z, 3))),
      itemStyle: { color: categoryColor(i) },
    })),
  };
}
