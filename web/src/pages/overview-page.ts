import type { OverviewResponse } from '../../../src/server/routes/read-api-types.js';
import { rfmSegmentsChart } from '../../../src/report/charts/rfm-segments-chart.js';
import { stageLabel } from '../../../src/report/charts/stage-colors.js';
import { stageCountsChart } from '../../../src/report/charts/stage-counts-chart.js';
import { formatCount, formatMoney, formatNumber, formatPercent } from '../../../src/report/format-number.js';
import { api } from '../api-client.js';
import { chartFigure } from '../chart-figure.js';
import { h, kpis, notice, section } from '../dom.js';
import type { PageDefinition } from '../page.js';
import { pageEntry } from '../page-catalogue.js';
import { groupCount, runNote, runWarnings } from '../run-note.js';
import { predictedValueTile, valueModelParagraphs } from '../value-model-view.js';
import { rowsHeldLine } from '../view-text.js';

export const overviewPage: PageDefinition = {
  ...pageEntry('overview'),
  async render() {
    const data = await api<OverviewResponse>('/api/overview');
    const s = data.headline;
    const predicted = data.spendNote ? null : predictedValueTile(data.valueModel, data.prospects);
    const tiles = [
      { label: 'customers', value: formatCount(s.customers), note: `${formatCount(s.returnOnlyCustomers)} with returns only` },
      { label: 'repeat customers', value: formatPercent(s.repeatRate), note: `${formatCount(s.repeatCustomers)} bought more than once` },
      { label: 'orders', value: formatCount(s.orders), note: `${formatNumber(s.meanPurchaseOccasions, 2)} occasions per customer` },
      ...(data.spendNote
        ? []
        : [
            { label: 'net revenue', value: formatMoney(s.netRevenue) },
            { label: 'average order value', value: formatMoney(s.averageOrderValue), note: 'before returns: gross purchases ÷ orders' },
            { label: 'top 20% of customers', value: formatPercent(s.top20RevenueShare), note: 'of net revenue' },
          ]),
      // the total of the customers' predictions, named by the model that made them (the honest tournament's winner when it rewrote them)
      ...(predicted ? [predicted] : []),
    ];
    // every warning of the run, under the headline as the report lists them (the other pages show the first few)
    const parts: HTMLElement[] = [...runNote(data.run, { warnings: false })];
    if (data.spendNote) parts.push(notice(`No order values: ${data.spendNote}`));
    parts.push(section('Headline', kpis(tiles), h('p', {}, s.firstPurchase && s.lastPurchase ? `Purchases from ${s.firstPurchase} to ${s.lastPurchase}; ${rowsHeldLine(data.warehouse, data.warehouseNow, formatCount)}` : 'No purchases in the window.')));
    parts.push(...runWarnings(data.run));
    if (data.valueModel) {
      const words = valueModelParagraphs(data.valueModel);
      parts.push(section('Value model', h('p', {}, h('strong', {}, words.chosen), words.reason), words.scores ? h('p', { class: 'scores-model' }, words.scores) : null, h('p', {}, h('a', { href: '#/model' }, 'Open the value model card'))));
    }
    const grid: HTMLElement[] = [];
    if (data.stages) {
      grid.push(
        chartFigure({
          id: 'chart-overview-stages',
          title: `Customers by lifecycle stage on ${data.stages.asOf}`,
          caption: 'How many customers are in each stage now; suppressed stages are left out.',
          option: stageCountsChart(data.stages),
          table: { columns: [{ header: 'stage' }, { header: 'customers', numeric: true }], rows: data.stages.stages.map((x) => [stageLabel(x.name), groupCount(x.customers, formatCount)]) },
        }),
      );
    }
    if (data.segments) {
      grid.push(
        chartFigure({
          id: 'chart-overview-segments',
          title: 'RFM segments',
          caption: 'Customers and value per RFM segment (the area is the number of customers).',
          option: rfmSegmentsChart(data.segments),
          table: { columns: [{ header: 'segment' }, { header: 'customers', numeric: true }, { header: 'historic value', numeric: true }], rows: data.segments.segments.map((x) => [x.name, groupCount(x.customers, formatCount), groupCount(x.value, formatMoney)]) },
        }),
      );
    }
    if (grid.length > 0) parts.push(section('Customers now', h('div', { class: 'grid' }, grid)));
    return parts;
  },
};
