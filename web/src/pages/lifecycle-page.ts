import type { LifecycleResponse } from '../../../src/server/routes/read-api-types.js';
import { lifecycleChart, lifecycleSeriesCaption } from '../../../src/report/charts/lifecycle-chart.js';
import { stageLabel } from '../../../src/report/charts/stage-colors.js';
import { stageCountsChart } from '../../../src/report/charts/stage-counts-chart.js';
import { stageFlowsChart } from '../../../src/report/charts/stage-flows-chart.js';
import { formatCount } from '../../../src/report/format-number.js';
import { api } from '../api-client.js';
import { chartFigure } from '../chart-figure.js';
import { dataTable, h, notice, section } from '../dom.js';
import type { PageDefinition } from '../page.js';
import { pageEntry } from '../page-catalogue.js';
import { groupCount, runNote } from '../run-note.js';

export const lifecyclePage: PageDefinition = {
  ...pageEntry('lifecycle'),
  async render(context) {
    const data = await api<LifecycleResponse>('/api/lifecycle');
    const parts: HTMLElement[] = [...runNote(data.run)];
    const { stages, transitions, lifecycleSeries } = data;
    if (!stages && !transitions && !lifecycleSeries) return [...parts, notice('This run has no lifecycle stages.')];
    const order = stages?.stages.map((s) => s.name) ?? lifecycleSeries?.stages.map((s) => s.name) ?? [];
    if (stages) {
      parts.push(
        section(
          'Stages now',
          chartFigure({
            id: 'chart-stage-counts',
            title: `Customers by stage on ${stages.asOf}`,
            caption: 'Customers in each lifecycle stage at the as-of date; suppressed stages are left out.',
            option: stageCountsChart(stages),
          }),
          dataTable(
            'Stage definitions',
            [{ header: 'stage' }, { header: 'customers', numeric: true }, { header: 'definition' }, ...(context.can('view_tokens') ? [{ header: 'customers list' }] : [])],
            stages.stages.map((s) => [stageLabel(s.name), groupCount(s.customers, formatCount), s.description ?? '', ...(context.can('view_tokens') ? [h('a', { href: `#/customers?stage=${encodeURIComponent(s.name)}` }, `List ${stageLabel(s.name)}`)] : [])]),
            { rowHeaders: true },
          ),
        ),
      );
    }
    if (transitions) {
      parts.push(
        section(
          'Flows between stages',
          chartFigure({
            id: 'chart-stage-flows',
            title: `Stage flows, ${transitions.fromLabel} → ${transitions.toLabel}`,
            caption: `Customers moving from their stage on ${transitions.fromLabel} (left) to ${transitions.toLabel} (right); flows of fewer than ${data.run.minGroupSize} customers are left out.`,
            option: stageFlowsChart(transitions, order),
            wide: true,
            height: 440,
            table: { columns: [{ header: 'from' }, { header: 'to' }, { header: 'customers', numeric: true }], rows: transitions.flows.map((f) => [f.from, f.to, formatCount(f.customers)]) },
          }),
        ),
      );
    }
    if (lifecycleSeries) {
      parts.push(
        section(
          'Stages over time',
          chartFigure({
            id: 'chart-lifecycle-series',
            title: 'Stages over time',
            caption: `${lifecycleSeriesCaption(lifecycleSeries.stages.map((s) => s.name))}.`,
            option: lifecycleChart(lifecycleSeries, order),
            wide: true,
            table: {
              columns: [{ header: 'period' }, ...lifecycleSeries.stages.map((s) => ({ header: stageLabel(s.name), numeric: true }))],
              rows: lifecycleSeries.periodLabels.map((p, i) => [p, ...lifecycleSeries.stages.map((s) => groupCount(s.counts[i], formatCount))]),
            },
          }),
        ),
      );
    }
    return parts;
  },
};
