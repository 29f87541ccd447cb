import type { SegmentsResponse } from '../../../src/server/routes/read-api-types.js';
import { rfmSegmentsChart } from '../../../src/report/charts/rfm-segments-chart.js';
import { formatCount, formatMoney } from '../../../src/report/format-number.js';
import { api } from '../api-client.js';
import { chartFigure } from '../chart-figure.js';
import { dataTable, h, notice, section } from '../dom.js';
import type { PageDefinition } from '../page.js';
import { pageEntry } from '../page-catalogue.js';
import { groupCount, runNote } from '../run-note.js';

export const segmentsPage: PageDefinition = {
  ...pageEntry('segments'),
  async render(context) {
    const data = await api<SegmentsResponse>('/api/segments');
    const parts: HTMLElement[] = [...runNote(data.run)];
    const s = data.segments;
    if (!s || s.segments.length === 0) return [...parts, notice('This run has no RFM segments.')];
    parts.push(
      section(
        'Segment map',
        s.method ? h('p', {}, `Scored by ${s.method}.`) : null,
        chartFigure({
          id: 'chart-segments',
          title: 'RFM segments',
          caption: 'Each tile is a segment; its area is the number of customers, suppressed segments are left out.',
          option: rfmSegmentsChart(s),
          wide: true,
          height: 420,
        }),
        dataTable(
          'Segments: who is in them and what to do',
          [{ header: 'segment' }, { header: 'customers', numeric: true }, { header: 'historic value', numeric: true }, { header: 'predicted value', numeric: true }, { header: 'who' }, { header: 'what to do' }, ...(context.can('view_tokens') ? [{ header: 'customers list' }] : [])],
          s.segments.map((x) => [
            x.name,
            groupCount(x.customers, formatCount),
            groupCount(x.value, formatMoney),
            groupCount(x.predictedValue, formatMoney),
            x.description ?? '',
            x.action ?? '',
            ...(context.can('view_tokens') ? [h('a', { href: `#/customers?segment=${encodeURIComponent(x.name)}` }, `List ${x.name}`)] : []),
          ]),
          { rowHeaders: true },
        ),
      ),
    );
    return parts;
  },
};
