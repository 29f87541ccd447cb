import type { EChartsOption } from 'echarts';
import { formatCount, formatPercent } from '../format-number.js';
import type { RfmSegments } from '../report-data.js';
import { baseOption, INK, literalLabel } from './chart-theme.js';

/** Tile colours from least to most value per customer. */
const VALUE_RAMP = ['#e2e8f0', '#bfdbfe', '#60a5fa', '#2563eb', '#1e3a8a'];

/** Share of customers below which a tile carries no label (its tooltip and the segments table name it). */
export const SMALL_TILE = 0.03;

/**
 * RFM segment map: one tile per segment, area = customers, darker = more
 * value per customer (by rank among the segments); each tile says its share
 * of customers and of value, so a small dark tile holding a large share of
 * value (Champions) stands out from a large pale tile holding little.
 * Suppressed segments (customers null) have no area to draw and are left out;
 * shares are of all customers (`segments.customers`, when given). A label wraps
 * at word boundaries (`overflow: 'break'`): a small tile shows the lines that
 * fit, never a word cut short ("Can't lose them" read "C…"); a tile of under
 * `SMALL_TILE` of customers has no label; every tooltip says it all.
 */
export function rfmSegmentsChart(segments: RfmSegments): EChartsOption {
  const customers = segments.customers ?? segments.segments.reduce((s, x) => s + (x.customers ?? 0), 0);
  // value null: the data have no order values; tiles are customers only, in one colour
  const withValues = segments.value !== null;
  const value = segments.value ?? segments.segments.reduce((s, x) => s + (x.value ?? 0), 0);
  const shown = segments.segments.flatMap((s) => (s.customers !== null && s.customers > 0 && (s.value !== null || !withValues) ? [{ name: s.name, customers: s.customers, value: s.value ?? 0 }] : []));
  const byValue = [...shown].sort((a, b) => a.value / a.customers - b.value / b.customers);
  const shade = (name: string) => (withValues ? Math.min(VALUE_RAMP.length - 1, Math.floor((byValue.findIndex((s) => s.name === name) * VALUE_RAMP.length) / Math.max(1, byValue.length))) : 1);
  return {
    ...baseOption(),
    tooltip: { trigger: 'item', confine: true },
    series: [
      {
        name: 'segments',
        type: 'treemap',
        roam: false,
        nodeClick: false,
        breadcrumb: { show: false },
        left: 0,
        right: 0,
        top: 0,
        bottom: 0,
        itemStyle: { borderColor: '#ffffff', borderWidth: 2, gapWidth: 2 },
        data: shown.map((s) => ({
          name: s.name,
          value: s.customers,
          itemStyle: { color: VALUE_RAMP[shade(s.name)] },
          // the whole label, for a tile too small to show it (its label wraps at words and drops what does not fit)
          tooltip: { formatter: literalLabel(`${s.name}: ${formatCount(s.customers)} customers (${formatPercent(customers === 0 ? NaN : s.customers / customers, 0)})${withValues ? `, ${formatPercent(value === 0 ? NaN : s.value / value, 0)} of value` : ''}`) },
          label: {
            // a tile of under 3% of customers is too small for a whole word at the dashboard's narrower widths: named by its tooltip
            show: customers > 0 && s.customers / customers >= SMALL_TILE,
            formatter: literalLabel(
              `${s.name}\n${formatCount(s.customers)} customers (${formatPercent(customers === 0 ? NaN : s.customers / customers, 0)})` +
                (withValues ? `\n${formatPercent(value === 0 ? NaN : s.value / value, 0)} of value` : ''),
            ),
            color: shade(s.name) >= 2 ? '#ffffff' : INK,
            fontSize: 11,
            lineHeight: 15,
            overflow: 'break',
          },
        })),
      },
    ],
  };
}
