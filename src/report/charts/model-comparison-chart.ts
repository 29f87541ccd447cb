import type { EChartsOption } from 'echarts';
import { roundTo } from '../format-number.js';
import type { ModelComparisonEntry } from '../report-data.js';
import { baseOption, HIGHLIGHT_COLOR, INK, MUTED, NEUTRAL_COLOR, valueAxisStyle } from './chart-theme.js';

/**
 * The model tournament at a glance: per-customer holdout error (MAE of
 * holdout purchases) of every candidate, the chosen model highlighted. The
 * shortest bar predicts individual customers best on data it was not fitted on.
 */
export function modelComparisonChart(entries: readonly ModelComparisonEntry[]): EChartsOption {
  const rows = [...entries].reverse(); // first entry on top
  return {
    ...baseOption(),
    grid: { left: 110, right: 96, top: 16, bottom: 40 },
    xAxis: { type: 'value', name: 'holdout MAE (purchases per customer)', nameLocation: 'middle', nameGap: 26, min: 0, ...valueAxisStyle() },
    yAxis: { type: 'category', data: rows.map((e) => e.label), axisLabel: { color: INK }, axisTick: { show: false } },
    tooltip: { trigger: 'axis', confine: true },
    series: [
      {
        name: 'holdout MAE',
        type: 'bar',
        barMaxWidth: 28,
        data: rows.map((e) => ({
          value: roundTo(e.holdout.mae, 5),
          itemStyle: { color: e.chosen ? HIGHLIGHT_COLOR : NEUTRAL_COLOR },
          label: {
            show: true,
            position: 'right',
            color: e.chosen ? INK : MUTED,
            fontWeight: e.chosen ? 'bold' : 'normal',
            formatter: `${Number.isFinite(e.holdout.mae) ? e.holdout.mae.toFixed(4) : '–'}${e.chosen ? ' chosen' : e.fit.converged ? '' : ' (no conv.)'}`,
          },
        })),
      },
    ],
  };
}
