import type { ValueResponse } from '../../../src/server/routes/read-api-types.js';
import { valueConcentrationChart } from '../../../src/report/charts/value-concentration-chart.js';
import { valueDistributionChart } from '../../../src/report/charts/value-distribution-chart.js';
import { valueQuadrantChart } from '../../../src/report/charts/value-quadrant-chart.js';
import { formatCount, formatMoney, formatNumber, formatPercent } from '../../../src/report/format-number.js';
import { api } from '../api-client.js';
import { chartFigure } from '../chart-figure.js';
import { dataTable, h, kpis, notice, section } from '../dom.js';
import type { PageDefinition } from '../page.js';
import { pageEntry } from '../page-catalogue.js';
import { groupCount, runNote } from '../run-note.js';
import { concentrationKpis, paretoCurveOf, topShareText, WITHHELD } from '../value-view.js';

export const valuePage: PageDefinition = {
  ...pageEntry('value'),
  async render() {
    const data = await api<ValueResponse>('/api/value');
    const parts: HTMLElement[] = [...runNote(data.run)];
    if (data.spendNote || !data.histogram || !data.concentration) {
      parts.push(notice(data.spendNote ? `No value to show: ${data.spendNote}` : 'No customer bought in the analysis window: there is no value to show.'));
      return parts;
    }
    const c = data.concentration;
    parts.push(section('Concentration', kpis(concentrationKpis(c, data.run.minGroupSize))));
    const top20 = topShareText(c, 0.2, 0);
    // JSON carries the open ends of the first and last band (±Infinity) as null
    const histogram = { ...data.histogram, lower: data.histogram.lower.map((v) => v ?? -Infinity), upper: data.histogram.upper.map((v) => v ?? Infinity) };
    const grid: HTMLElement[] = [
      chartFigure({
        id: 'chart-value-distribution',
        title: 'Value distribution',
        caption: `Customers per value band (bars) and the band's share of all value (line); bands of fewer than ${data.run.minGroupSize} customers are not shown.`,
        option: valueDistributionChart(histogram),
        table: {
          columns: [{ header: 'value band' }, { header: 'customers', numeric: true }, { header: 'share of value', numeric: true }],
          rows: histogram.labels.map((label, i) => [label, groupCount(histogram.customers[i], formatCount), groupCount(histogram.valueShare[i], (v) => formatPercent(v))]),
        },
      }),
      chartFigure({
        id: 'chart-value-concentration',
        title: 'Value concentration (Pareto curve)',
        caption: `${top20 === WITHHELD ? `The top 20% of customers’ share is withheld (fewer than ${data.run.minGroupSize} customers would tell it apart)` : `The top 20% of customers hold ${top20} of the value`}; the dashed line is what equal customers would give.`,
        option: valueConcentrationChart(paretoCurveOf(c)),
        table: { columns: [{ header: 'top customers' }, { header: 'share of value', numeric: true }], rows: c.top.map((t) => [formatPercent(t.customerShare, 0), topShareText(c, t.customerShare)]) },
      }),
    ];
    parts.push(section('Distribution and Pareto', h('div', { class: 'grid' }, grid)));
    const q = data.quadrant;
    if (q) {
      const drawn = q.quadrants.reduce((sum, cell) => sum + cell.points.length, 0);
      parts.push(
        section(
          'Historic vs predicted value',
          chartFigure({
            id: 'chart-value-quadrant',
            title: `Historic vs predicted value (next ${data.horizonMonths} months)`,
            caption: `Quadrants split at the medians; ${formatCount(drawn)} of ${formatCount(q.total)} customers drawn, rounded, isolated points left out.`,
            option: valueQuadrantChart(q, { predictedLabel: `predicted value, ${data.horizonMonths} months` }),
            wide: true,
            height: 440,
          }),
          dataTable(
            `Quadrants (historic median ${formatMoney(q.historicThreshold)}, predicted median ${formatMoney(q.predictedThreshold)})`,
            [{ header: 'quadrant' }, { header: 'customers', numeric: true }, { header: 'historic value', numeric: true }, { header: 'predicted value', numeric: true }],
            q.quadrants.map((cell) => [cell.label, groupCount(cell.customers, formatCount), groupCount(cell.historicValue, formatMoney), groupCount(cell.predictedValue, formatMoney)]),
            { rowHeaders: true },
          ),
        ),
      );
    }
    return parts;
  },
};
