import { rfmSegmentsChart, SMALL_TILE } from '../charts/rfm-segments-chart.js';
import { formatMoney, formatPercent } from '../format-number.js';
import { renderFigure, renderGrid, renderTable } from '../html-parts.js';
import type { ReportData, RfmSegments } from '../report-data.js';
import { formatGroupCount, minGroupSizeOf, orNaN, suppressedClause } from '../suppressed-values.js';
import type { ReportSection } from './report-section.js';

/** RFM segments: a treemap of customers with each segment's share of value, and the table with actions. */
export function renderSegmentsSection(data: ReportData, segments: RfmSegments): ReportSection {
  const k = minGroupSizeOf(data);
  const customers = segments.customers ?? segments.segments.reduce((s, x) => s + (x.customers ?? 0), 0);
  const withValues = segments.value !== null;
  const value = segments.value ?? segments.segments.reduce((s, x) => s + (x.value ?? 0), 0);
  const money = (v: number) => formatMoney(v, data.currency);
  const shown = segments.segments.flatMap((s) => (s.customers !== null && s.customers > 0 && s.value !== null ? [{ ...s, customers: s.customers, value: s.value }] : []));
  const suppressed = segments.segments.filter((s) => s.customers === null).length;
  const densest = withValues ? [...shown].sort((a, b) => b.value / b.customers - a.value / a.customers)[0] : undefined;
  const hasPredicted = segments.segments.some((s) => s.predictedValue !== undefined);
  const hasAction = segments.segments.some((s) => s.action);
  const unlabelled = shown.filter((s) => customers > 0 && s.customers / customers < SMALL_TILE).length;
  const smallTiles = unlabelled > 0 ? ` ${unlabelled === 1 ? 'A tile' : `${unlabelled} tiles`} of under ${formatPercent(SMALL_TILE, 0)} of customers ${unlabelled === 1 ? 'carries' : 'carry'} no label (too small for a whole word): the segments table below names ${unlabelled === 1 ? 'it' : 'them'}.` : '';
  return {
    id: 'segments',
    title: 'RFM segments',
    lead: `Customers grouped by how recently, how often and how much they bought${segments.method ? ` (${segments.method})` : ''}.`,
    html: renderGrid([
      renderFigure({
        id: 'chart-rfm-segments',
        title: 'Segment map',
        caption: densest
          ? `Tile area is customers, darker tiles are worth more per customer; ${densest.name} hold ${formatPercent(value === 0 ? NaN : densest.value / value, 0)} of value with ${formatPercent(customers === 0 ? NaN : densest.customers / customers, 0)} of customers${suppressedClause(suppressed, 'segment', k)}.${smallTiles}`
          : shown.length === 0 && suppressed > 0
            ? `No segment can be drawn: every non-empty segment holds fewer than ${k} customers or protects one that does.`
            : `Tile area is customers${suppressedClause(suppressed, 'segment', k)}.${withValues ? '' : ' No order values: the data have no amounts, so no segment has a value.'}`,
        option: rfmSegmentsChart(segments),
        wide: true,
        size: { width: 1160, height: 440 },
      }),
      renderTable({
        caption: `Segments${suppressedClause(suppressed, 'segment', k).replace(/^; /, ': ')}${withValues ? '' : ' (no order values: no value columns)'}`,
        wide: true,
        columns: [
          { header: 'segment' },
          { header: 'customers', numeric: true },
          ...(withValues ? [{ header: '% value', numeric: true }, { header: 'value / customer', numeric: true }] : []),
          ...(hasPredicted ? [{ header: 'predicted / customer', numeric: true }] : []),
          ...(hasAction ? [{ header: 'what to do' }] : []),
        ],
        rows: segments.segments.map((s) => [
          s.name,
          formatGroupCount(s.customers),
          ...(withValues ? [formatPercent(value === 0 ? NaN : orNaN(s.value) / value), money(s.customers === 0 ? NaN : orNaN(s.value) / orNaN(s.customers))] : []),
          ...(hasPredicted ? [money(s.predictedValue === undefined || s.customers === 0 ? NaN : orNaN(s.predictedValue) / orNaN(s.customers))] : []),
          ...(hasAction ? [s.action ?? ''] : []),
        ]),
      }),
    ]),
  };
}
