import type { EChartsOption } from 'echarts';
import { formatSignificant } from '../format-number.js';
import type { AlivePathExample } from '../report-data.js';
import { axisTitle, baseOption, categoryColor, MUTED, valueAxisStyle } from './chart-theme.js';

/**
 * P(alive) along a few purchase histories: one line each, a dot at each
 * purchase. The lines jump at purchases and decay between them, which is
 * how the model reads a customer's silence.
 */
export function alivePathChart(examples: readonly AlivePathExample[], timeUnit: string): EChartsOption {
  return {
    ...baseOption(),
    legend: { top: 0, data: examples.map((e) => e.label) },
    grid: { left: 56, right: 24, top: 40, bottom: 48 },
    xAxis: { type: 'value', min: 0, max: Math.max(0, ...examples.map((e) => e.t.at(-1) ?? 0)), ...valueAxisStyle(), ...axisTitle(`${timeUnit}s since the first purchase`, 30), axisLabel: { color: MUTED, formatter: (v: number) => formatSignificant(v, 3) } },
    yAxis: { type: 'value', min: 0, max: 1, ...valueAxisStyle(), ...axisTitle('P(alive)', 40), axisLabel: { color: MUTED } },
    tooltip: { trigger: 'axis', confine: true },
    series: examples.map((example, k) => {
      const color = categoryColor(k);
      const atPurchase = (age: number) => example.pAlive[example.t.indexOf(age)] ?? null;
      return {
        name: example.label,
        type: 'line' as const,
        showSymbol: false,
        data: example.t.map((t, i) => [Number(t.toPrecision(4)), Number(example.pAlive[i]!.toFixed(4))]),
        lineStyle: { color, width: 2 },
        itemStyle: { color },
        markPoint: {
          symbol: 'circle',
          symbolSize: 6,
          label: { show: false },
          data: example.purchaseTimes.map((age, i) => ({ name: `purchase ${i + 1}`, coord: [Number(age.toPrecision(4)), Number((atPurchase(age) ?? 0).toFixed(4))] })),
        },
      };
    }),
  };
}
