import { lifecycleChart } from '../charts/lifecycle-chart.js';
import { stageCountsChart } from '../charts/stage-counts-chart.js';
import { stageFlowsChart } from '../charts/stage-flows-chart.js';
import { formatCount, formatPercent } from '../format-number.js';
import { renderFigure, renderGrid, renderTable } from '../html-parts.js';
import type { ReportData } from '../report-data.js';
import { lifecycleSeriesCaption } from '../charts/lifecycle-chart.js';
import { formatGroupCount, minGroupSizeOf, suppressedClause } from '../suppressed-values.js';
import type { ReportSection } from './report-section.js';
import { stageLabel } from '../charts/stage-colors.js';

/** Lifecycle stages now, the flows between two dates, and the stages over time — each only when given. */
export function renderLifecycleSection(data: ReportData): ReportSection | null {
  const { stages, transitions, lifecycleSeries } = data;
  if (!stages && !transitions && !lifecycleSeries) return null;
  const order = stages?.stages.map((s) => s.name) ?? lifecycleSeries?.stages.map((s) => s.name) ?? [];
  const k = minGroupSizeOf(data);
  const parts: string[] = [];
  if (stages) {
    const total = stages.customers ?? stages.stages.reduce((s, x) => s + (x.customers ?? 0), 0);
    const largest = stages.stages.flatMap((s) => (s.customers === null || s.customers === 0 ? [] : [{ name: s.name, customers: s.customers }])).sort((a, b) => b.customers - a.customers)[0];
    const suppressed = stages.stages.filter((s) => s.customers === null).length;
    parts.push(
      renderFigure({
        id: 'chart-stage-counts',
        title: `Customers by stage on ${stages.asOf}`,
        caption: largest
          ? `${stageLabel(largest.name)} is the largest stage${suppressed > 0 ? ' shown' : ''} with ${formatPercent(total === 0 ? NaN : largest.customers / total, 0)} of customers${suppressedClause(suppressed, 'stage', k)}.`
          : suppressed > 0
            ? `Every non-empty stage holds fewer than ${k} customers or protects one that does: no count is shown.`
            : 'No customers.',
        option: stageCountsChart(stages),
      }),
    );
    if (stages.stages.some((s) => s.description)) {
      parts.push(
        renderTable({
          caption: `Stage definitions${suppressedClause(suppressed, 'stage', k).replace(/^; /, ': ')}`,
          columns: [{ header: 'stage' }, { header: 'customers', numeric: true }, { header: 'definition' }],
          rows: stages.stages.map((s) => [stageLabel(s.name), formatGroupCount(s.customers), s.description ?? '']),
        }),
      );
    }
  }
  if (transitions) {
    const total = transitions.flows.reduce((s, f) => s + f.customers, 0);
    const moved = transitions.flows.filter((f) => f.from !== f.to).sort((a, b) => b.customers - a.customers);
    const stayed = transitions.flows.filter((f) => f.from === f.to).reduce((s, f) => s + f.customers, 0);
    const biggest = moved[0];
    const withheld = transitions.suppressedFlows?.length ?? 0;
    const none = transitions.flows.length === 0 && withheld > 0;
    parts.push(
      renderFigure({
        id: 'chart-stage-flows',
        title: `Stage flows, ${transitions.fromLabel} → ${transitions.toLabel}`,
        caption: none ? `Every flow holds fewer than ${k} customers or protects one that does: none is shown.` : `${formatPercent(total === 0 ? NaN : stayed / total, 0)} of customers stayed in their stage${biggest ? `; the largest move is ${stageLabel(biggest.from)} → ${stageLabel(biggest.to)} (${formatCount(biggest.customers)} customers)` : ''}${withheld > 0 ? `; ${withheld} flow${withheld === 1 ? '' : 's'} of fewer than ${k} customers (or protecting one) left out, so a stage with a + has more customers than its shown flows` : ''}.`,
        option: stageFlowsChart(transitions, order),
        wide: true,
        size: { width: 1160, height: 440 },
      }),
    );
  }
  if (lifecycleSeries) {
    parts.push(
      renderFigure({
        id: 'chart-lifecycle-series',
        title: 'Stages over time',
        caption: `${lifecycleSeriesCaption(lifecycleSeries.stages.map((s) => s.name))}${lifecycleSeries.stages.some((s) => s.counts.some((c) => c === null)) ? `; counts of fewer than ${k} customers (or protecting one) are left out` : ''}.`,
        option: lifecycleChart(lifecycleSeries, order),
        wide: true,
      }),
    );
  }
  return {
    id: 'lifecycle',
    title: 'Lifecycle',
    lead: 'Where customers stand in their lifecycle, and how they move between stages.',
    html: renderGrid(parts),
  };
}
