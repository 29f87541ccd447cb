import type { EChartsOption } from 'echarts';
import { formatPercent, roundTo } from '../format-number.js';
import type { ValueConcentration } from '../value-concentration.js';
import { axisTitle, baseOption, HIGHLIGHT_COLOR, INK, MUTED, NEUTRAL_COLOR, valueAxisStyle } from './chart-theme.js';

/**
 * Pareto curve of value concentration: customers ranked by value (x, highest
 * first) against their cumulative share of value (y), with the line of equal
 * shares for reference and the top 1/10/20/50% marked (1 decimal, as the
 * value section's KPIs print them); `valueName` names what is shared. The further the curve
 * bows above the diagonal, the more the value depends on a few customers.
 */
export function valueConcentrationChart(concentration: ValueConcentration, valueName = 'value'): EChartsOption {
  const marked = concentration.top.filter((t) => [0.01, 0.1, 0.2, 0.5].includes(t.customerShare) && Number.isFinite(t.valueShare));
  return {
    ...baseOption(),
    legend: { top: 0, data: ['customers ranked by value', 'equal shares'] },
    grid: { left: 60, right: 24, top: 36, bottom: 48 },
    xAxis: { type: 'value', min: 0, max: 100, name: '% of customers (highest value first)', nameLocation: 'middle', nameGap: 28, ...valueAxisStyle(), axisLabel: { color: MUTED, formatter: '{value}%' } },
    yAxis: { type: 'value', min: 0, ...valueAxisStyle(), ...axisTitle(`cumulative share of ${valueName}`, 42), axisLabel: { color: MUTED, formatter: '{value}%' } },
    tooltip: { trigger: 'axis', confine: true },
    series: [
      {
        name: 'customers ranked by value',
        type: 'line',
        showSymbol: false,
        data: concentration.customerShare.map((x, k) => [roundTo(x * 100, 2), roundTo(concentration.valueShare[k]! * 100, 2)]),
        lineStyle: { width: 2.5, color: HIGHLIGHT_COLOR },
        itemStyle: { color: HIGHLIGHT_COLOR },
        areaStyle: { color: HIGHLIGHT_COLOR, opacity: 0.08 },
      },
      { name: 'equal shares', type: 'line', showSymbol: false, data: [[0, 0], [100, 100]], lineStyle: { type: 'dashed', color: NEUTRAL_COLOR }, itemStyle: { color: NEUTRAL_COLOR } },
      {
        name: 'top shares',
        type: 'scatter',
        symbolSize: 8,
        itemStyle: { color: INK },
        data: marked.map((t) => ({
          value: [roundTo(t.customerShare * 100, 2), roundTo(t.valueShare * 100, 2)],
          label: { show: true, position: 'right', formatter: `top ${formatPercent(t.customerShare, 0)} → ${formatPercent(t.valueShare)}`, color: INK, fontSize: 11 },
        })),
      },
    ],
  };
}
