import { lifecycleChart } from '../charts/lifecycle-chart.js';
import { stageCountsChart } from '../charts/stage-counts-chart.js';
import { stageFlowsChart } from '../charts/stage-flows-chart.js';
import { formatCount, formatPercent } from '../format-number.js';
import { renderFigure, renderGrid, renderTable } from '../html-parts.js';
import type { ReportData } from '../report-data.js';
import type { ReportSection } from './report-section.js';

/** Lifecycle stages now, the flows between two dates, and the stages over time — each only when given. */
export function renderLifecycleSection(data: ReportData): ReportSection | null {
  const { stages, transitions, lifecycleSeries } = data;
  if (!stages && !transitions && !lifecycleSeries) return null;
  const order = stages?.stages.map((s) => s.name) ?? lifecycleSeries?.stages.map((s) => s.name) ?? [];
  const parts: string[] = [];
  if (stages) {
    const total = stages.stages.reduce((s, x) => s + x.customers, 0);
    const largest = [...stages.stages].sort((a, b) => b.customers - a.customers)[0];
    parts.push(
      renderFigure({
        id: 'chart-stage-counts',
        title: `Customers by stage on ${stages.asOf}`,
        caption: largest ? `${largest.name} is the largest stage with ${formatPercent(total === 0 ? NaN : largest.customers / total, 0)} of customers.` : 'No customers.',
        option: stageCountsChart(stages),
      }),
    );
    if (stages.stages.some((s) => s.description)) {
      parts.push(
        renderTable({
          caption: 'Stage definitions',
          columns: [{ header: 'stage' }, { header: 'customers', numeric: true }, { header: 'definition' }],
          rows: stages.stages.map((s) => [s.name, formatCount(s.customers), s.description ?? '']),
        }),
      );
    }
  }
  if (transitions) {
    const total = transitions.flows.reduce((s, f) => s + f.customers, 0);
    const moved = transitions.flows.filter((f) => f.from !== f.to).sort((a, b) => b.customers - a.customers);
    const stayed = transitions.flows.filter((f) => f.from === f.to).reduce((s, f) => s + f.customers, 0);
    const biggest = moved[0];
    parts.push(
      renderFigure({
        id: 'chart-stage-flows',
        title: `Stage flows, ${transitions.fromLabel} → ${transitions.toLabel}`,
        caption: `${formatPercent(total === 0 ? NaN : stayed / total, 0)} of customers stayed in their stage${biggest ? `; the largest move is ${biggest.from} → ${biggest.to} (${formatCount(biggest.customers)} customers)` : ''}.`,
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
        caption: 'Each bar is the customer base at the end of a period, split by stage: watch the share of the active stages, not only the height.',
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
