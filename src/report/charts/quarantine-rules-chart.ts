import type { EChartsOption } from 'echarts';
import { formatCompact, formatCount } from '../format-number.js';
import { baseOption, INK, MONO_FONT_FAMILY, MUTED, NEUTRAL_COLOR, valueAxisStyle } from './chart-theme.js';

/**
 * Data quality: rows quarantined by each cleaning rule, every rule listed in
 * the order the rules apply (a rule with 0 rows still has its line), so the
 * reader sees which problem dominates and that nothing was dropped silently.
 */
export function quarantineRulesChart(rules: Readonly<Record<string, number>>): EChartsOption {
  const entries = Object.entries(rules).reverse(); // first rule on top
  return {
    ...baseOption(),
    grid: { left: 140, right: 72, top: 8, bottom: 32 },
    xAxis: { type: 'value', min: 0, ...valueAxisStyle(), axisLabel: { color: MUTED, formatter: (v: number) => formatCompact(v) } },
    yAxis: { type: 'category', data: entries.map(([reason]) => reason), axisLabel: { color: INK, fontFamily: MONO_FONT_FAMILY, fontSize: 11 }, axisTick: { show: false } },
    tooltip: { trigger: 'axis', confine: true },
    series: [
      {
        name: 'rows quarantined',
        type: 'bar',
        barMaxWidth: 20,
        data: entries.map(([, count]) => ({
          value: count,
          itemStyle: { color: count > 0 ? '#dc2626' : NEUTRAL_COLOR },
          label: { show: true, position: 'right', color: count > 0 ? INK : MUTED, formatter: formatCount(count) },
        })),
      },
    ],
  };
}
