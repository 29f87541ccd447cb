import type { EChartsOption } from 'echarts';
import type { CampaignKpi } from '../../actions/campaign-kpis.js';
import { roundTo } from '../format-number.js';
import { baseOption, INK, MUTED, PALETTE, truncateLabel, valueAxisStyle } from './chart-theme.js';

const MEASURES = [
  ['purchases', 'purchases'],
  ['buyers', 'buyers'],
  ['revenue', 'revenue'],
] as const;

/**
 * Campaign uplift: per campaign, the relative uplift of purchases, buyers and
 * revenue per customer (treatment vs control, %) as a box spanning its 95%
 * interval with a line at the estimate. A box clear of the zero line is an
 * effect; a box across it is not shown to be one.
 */
export function campaignUpliftChart(campaigns: readonly CampaignKpi[]): EChartsOption {
  const pct = (v: number) => roundTo(100 * v, 2);
  return {
    ...baseOption(),
    grid: { left: 64, right: 16, top: 36, bottom: 56 },
    legend: { top: 0, textStyle: { color: INK } },
    xAxis: { type: 'category', data: campaigns.map((c) => truncateLabel(c.audience, 24)), axisLabel: { color: INK, interval: 0 } },
    yAxis: { type: 'value', name: 'relative uplift (%)', nameLocation: 'middle', nameGap: 44, ...valueAxisStyle() },
    tooltip: { trigger: 'item', confine: true },
    series: MEASURES.map(([key, label], i) => ({
      name: label,
      type: 'boxplot' as const,
      itemStyle: { color: '#ffffff', borderColor: PALETTE[i]!, borderWidth: 2 },
      data: campaigns.map((c) => {
        const u = c[key];
        if (!u || u.relativeUplift === null || !u.relativeUpliftInterval) return [];
        const [low, high] = u.relativeUpliftInterval;
        return [pct(low), pct(low), pct(u.relativeUplift), pct(high), pct(high)];
      }),
      ...(i === 0 ? { markLine: { silent: true, symbol: 'none', lineStyle: { color: MUTED, type: 'dashed' as const }, label: { show: false }, data: [{ yAxis: 0 }] } } : {}),
    })),
  };
}
