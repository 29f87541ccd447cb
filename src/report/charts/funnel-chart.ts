import type { EChartsOption } from 'echarts';
import type { PublishedFunnelRow } from '../../events/publish-events-summary.js';
import { formatCount, formatPercent } from '../format-number.js';
import { NOT_MEASURED, SUPPRESSED } from '../suppressed-values.js';
import { axisTitle, baseOption, INK, MUTED, PALETTE, valueAxisStyle } from './chart-theme.js';

/**
 * The session funnel (sessions → viewed → carted → purchased) as horizontal bars, each labelled with its count and its
 * rate of the step before; a withheld step draws no bar and says so, and so does the purchase step when the purchases
 * were not measured (`purchasesMeasured` false: no session belongs to a customer).
 */
export function funnelChart(row: PublishedFunnelRow, purchasesMeasured = true): EChartsOption {
  const steps: { name: string; sessions: number | null; rate: number | null }[] = [
    { name: 'sessions', sessions: row.sessions, rate: null },
    { name: 'viewed a product', sessions: row.viewed.sessions, rate: row.viewed.rate },
    { name: 'added to cart', sessions: row.carted.sessions, rate: row.carted.rate },
    { name: 'purchased', sessions: row.purchased.sessions, rate: row.purchased.rate },
  ];
  return {
    ...baseOption(),
    grid: { left: 130, right: 150, top: 16, bottom: 40 },
    yAxis: { type: 'category', inverse: true, data: steps.map((s) => s.name), axisLabel: { color: INK }, axisTick: { show: false } },
    xAxis: { type: 'value', ...valueAxisStyle(), ...axisTitle('sessions', 28), axisLabel: { color: MUTED } },
    tooltip: { trigger: 'axis', confine: true },
    series: [
      {
        name: 'sessions',
        type: 'bar',
        barMaxWidth: 28,
        data: steps.map((s, i) =>
          s.sessions === null
            ? { value: 0, label: { show: true, position: 'right', color: MUTED, formatter: !purchasesMeasured && i === steps.length - 1 ? NOT_MEASURED : SUPPRESSED } }
            : {
                value: s.sessions,
                itemStyle: { color: PALETTE[i % PALETTE.length] },
                label: { show: true, position: 'right', color: INK, formatter: s.rate === null ? formatCount(s.sessions) : `${formatCount(s.sessions)} (${formatPercent(s.rate, 0)} of the step before)` },
              },
        ),
      },
    ],
  };
}
