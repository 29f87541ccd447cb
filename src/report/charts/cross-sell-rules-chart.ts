import type { EChartsOption } from 'echarts';
import { formatPercent, roundTo } from '../format-number.js';
import type { ReportCrossSellRule } from '../report-data.js';
import { baseOption, HIGHLIGHT_COLOR, INK, literalLabel, MUTED, truncateLabel, valueAxisStyle } from './chart-theme.js';

/** `A + B → C`, shortened for an axis label. */
export function ruleLabel(rule: ReportCrossSellRule, max = 56): string {
  return truncateLabel(`${rule.antecedent.join(' + ')} → ${rule.consequent.join(' + ')}`, max);
}

/**
 * Top cross-sell rules by lift (how many times more often the right side is
 * bought with the left than on its own); each bar is labelled with its
 * confidence and support, so a high lift on a tiny support is visible as such.
 */
export function crossSellRulesChart(rules: readonly ReportCrossSellRule[], maxRules = 15): EChartsOption {
  const shown = rules.slice(0, maxRules).reverse(); // best on top
  return {
    ...baseOption(),
    grid: { left: 330, right: 150, top: 8, bottom: 40 },
    xAxis: { type: 'value', min: 0, name: 'lift', nameLocation: 'middle', nameGap: 26, ...valueAxisStyle() },
    yAxis: { type: 'category', data: shown.map((r) => ruleLabel(r)), axisLabel: { color: INK, fontSize: 11, width: 320, overflow: 'truncate' }, axisTick: { show: false } },
    tooltip: { trigger: 'axis', confine: true },
    series: [
      {
        name: 'lift',
        type: 'bar',
        barMaxWidth: 18,
        itemStyle: { color: HIGHLIGHT_COLOR },
        data: shown.map((r) => ({
          value: roundTo(r.lift, 3),
          label: { show: true, position: 'right', color: MUTED, fontSize: 10, formatter: literalLabel(`${r.lift.toFixed(1)}× · conf ${formatPercent(r.confidence, 0)} · supp ${formatPercent(r.support, 2)}`) },
        })),
      },
    ],
  };
}
