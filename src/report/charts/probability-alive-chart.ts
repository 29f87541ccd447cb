import type { EChartsOption } from 'echarts';
import type { TimeUnit } from '../../core/time-unit.js';
import { formatNumber, roundTo } from '../format-number.js';
import type { ProbabilityAliveMatrix } from '../report-data.js';
import { baseOption, MUTED, SEQUENTIAL } from './chart-theme.js';

/**
 * P(alive) heatmap: the probability a customer is still active given how
 * many repeat purchases they made (rows) and when the last one was (columns,
 * time since the first purchase), for customers of age T. Dark = likely
 * active; a frequent buyer who went quiet early (top left) is likely gone.
 */
export function probabilityAliveChart(matrix: ProbabilityAliveMatrix, timeUnit: TimeUnit): EChartsOption {
  const data: [number, number, number][] = [];
  matrix.frequency.forEach((_, i) =>
    matrix.recency.forEach((_, j) => {
      const v = matrix.probabilityAlive[i]?.[j];
      if (v !== null && v !== undefined && Number.isFinite(v)) data.push([j, i, roundTo(v, 3)]);
    }),
  );
  const showLabels = matrix.frequency.length * matrix.recency.length <= 160;
  return {
    ...baseOption(),
    grid: { left: 56, right: 24, top: 16, bottom: 96 },
    xAxis: {
      type: 'category',
      data: matrix.recency.map((r) => formatNumber(r, 1)),
      name: `recency: ${timeUnit}s from first to last purchase (age T = ${formatNumber(matrix.T, 1)})`,
      nameLocation: 'middle',
      nameGap: 28,
      nameTextStyle: { color: MUTED },
      axisLabel: { color: MUTED, fontSize: 10 },
      splitArea: { show: false },
    },
    yAxis: { type: 'category', data: matrix.frequency.map(String), name: 'repeat purchases', nameTextStyle: { color: MUTED }, axisLabel: { color: MUTED } },
    visualMap: { min: 0, max: 1, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 200, itemWidth: 12, text: ['P(alive) 1', '0'], inRange: { color: [...SEQUENTIAL] }, textStyle: { color: MUTED } },
    tooltip: { trigger: 'item', confine: true },
    series: [
      {
        name: 'P(alive)',
        type: 'heatmap',
        data,
        label: { show: showLabels, fontSize: 9, formatter: (p: { value?: unknown }) => ((p.value as number[])[2]! * 100).toFixed(0) },
        itemStyle: { borderColor: '#ffffff', borderWidth: 1 },
      },
    ],
  };
}
