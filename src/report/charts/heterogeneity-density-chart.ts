import type { EChartsOption } from 'echarts';
import { formatSignificant } from '../format-number.js';
import type { HeterogeneityDensityData } from '../report-data.js';
import { axisTitle, baseOption, MUTED, valueAxisStyle } from './chart-theme.js';

/**
 * One fitted mixing density across customers (purchase rate or dropout): the
 * curve over the grid, the mean marked. Shapes below 1 rise without bound at
 * 0; the axis stops at 4× the density near the mean, so the body stays readable.
 */
export function heterogeneityDensityChart(density: HeterogeneityDensityData, color: string): EChartsOption {
  const finite = density.density.map((v) => (v === null || !Number.isFinite(v) ? null : v));
  const nearMean = density.x.reduce((best, x, i) => (Math.abs(x - density.mean) < Math.abs(density.x[best]! - density.mean) ? i : best), 0);
  const peak = Math.max(...finite.map((v) => v ?? 0));
  const cap = Math.min(peak, 4 * (finite[nearMean] ?? peak));
  return {
    ...baseOption(),
    grid: { left: 60, right: 24, top: 24, bottom: 48 },
    xAxis: { type: 'value', min: 0, max: density.distribution === 'beta' ? 1 : undefined, ...valueAxisStyle(), ...axisTitle(`${density.symbol}: ${density.label}`, 30), axisLabel: { color: MUTED, formatter: (v: number) => formatSignificant(v, 2) } },
    yAxis: { type: 'value', ...(cap < peak ? { max: Number((cap * 1.05).toPrecision(2)) } : {}), ...valueAxisStyle(), ...axisTitle('density', 44), axisLabel: { color: MUTED, formatter: (v: number) => formatSignificant(v, 2) } },
    tooltip: { trigger: 'axis', confine: true },
    series: [
      {
        name: density.symbol,
        type: 'line',
        showSymbol: false,
        data: density.x.map((x, i) => [Number(x.toPrecision(4)), finite[i] === null ? null : Number(finite[i]!.toPrecision(4))]),
        lineStyle: { color, width: 2 },
        itemStyle: { color },
        areaStyle: { color, opacity: 0.12 },
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: MUTED, type: 'dashed' },
          label: { formatter: `mean ${formatSignificant(density.mean, 3)}`, color: MUTED, position: 'insideEndTop' },
          data: [{ xAxis: density.mean }],
        },
      },
    ],
  };
}
