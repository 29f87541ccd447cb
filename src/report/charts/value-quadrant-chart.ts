import type { EChartsOption, ScatterSeriesOption } from 'echarts';
import { formatCompact, formatCount, formatPercent } from '../format-number.js';
import type { QuadrantKey, ValueQuadrant } from '../value-quadrant.js';
import { baseOption, MUTED, valueAxisStyle } from './chart-theme.js';

const QUADRANT_COLORS: Readonly<Record<QuadrantKey, string>> = { stars: '#16a34a', rising: '#2563eb', fading: '#dc2626', low: '#94a3b8' };

/**
 * Historic vs predicted value (log-log scatter of a sample of customers),
 * split at the medians: Stars (high/high) to keep, Rising (low so far, high
 * predicted) to grow, Fading (high so far, low predicted) to win back, and
 * Low. Legend entries give every quadrant's full customer count and share.
 */
export function valueQuadrantChart(quadrant: ValueQuadrant, options: { predictedLabel?: string } = {}): EChartsOption {
  const total = quadrant.total;
  const markLines: { xAxis?: number; yAxis?: number }[] = [];
  if (quadrant.historicThreshold > 0) markLines.push({ xAxis: quadrant.historicThreshold });
  if (quadrant.predictedThreshold > 0) markLines.push({ yAxis: quadrant.predictedThreshold });
  const series: ScatterSeriesOption[] = quadrant.quadrants.map((cell, index) => ({
    name: cell.customers === null ? `${cell.label} · suppressed` : `${cell.label} · ${formatCount(cell.customers)} (${formatPercent(total === 0 ? NaN : cell.customers / total, 0)})`,
    type: 'scatter',
    data: cell.points.map((p) => [p[0], p[1]]),
    symbolSize: 4,
    itemStyle: { color: QUADRANT_COLORS[cell.key], opacity: 0.55 },
    // ECharts' large-scatter path fails on an empty series (a suppressed quadrant draws no point)
    large: cell.points.length > 0,
    largeThreshold: 0,
    emphasis: { disabled: true },
    ...(index === 0 && markLines.length > 0
      ? { markLine: { silent: true, symbol: 'none', label: { show: false }, lineStyle: { color: MUTED, type: 'dashed' }, data: markLines } }
      : {}),
  }));
  return {
    ...baseOption(),
    legend: { bottom: 0, orient: 'horizontal', itemWidth: 10, itemHeight: 10, itemGap: 24 },
    grid: { left: 64, right: 24, top: 24, bottom: 96 },
    xAxis: { type: 'log', name: 'historic value (so far)', nameLocation: 'middle', nameGap: 28, ...valueAxisStyle(), axisLabel: { color: MUTED, formatter: (v: number) => formatCompact(v) } },
    yAxis: { type: 'log', name: options.predictedLabel ?? 'predicted value', nameLocation: 'middle', nameGap: 44, ...valueAxisStyle(), axisLabel: { color: MUTED, formatter: (v: number) => formatCompact(v) } },
    tooltip: { trigger: 'item', confine: true },
    series,
  };
}
