import { valueConcentrationChart } from '../charts/value-concentration-chart.js';
import { valueDistributionChart } from '../charts/value-distribution-chart.js';
import { valueQuadrantChart } from '../charts/value-quadrant-chart.js';
import { formatCount, formatMoney, formatNumber, formatPercent } from '../format-number.js';
import { renderFigure, renderGrid, renderKpis, renderParagraph, renderTable } from '../html-parts.js';
import type { ReportData } from '../report-data.js';
import { computeValueConcentration } from '../value-concentration.js';
import { computeValueHistogram } from '../value-histogram.js';
import { computeValueQuadrant } from '../value-quadrant.js';
import type { ReportSection } from './report-section.js';

export interface ValueSectionOptions {
  /** most points drawn in the historic-vs-predicted scatter */
  readonly maxScatterPoints: number;
  /** seed of the scatter's random sample */
  readonly seed: number;
}

/** What the customer base is worth and how concentrated the value is; historic vs predicted when a value model ran. */
export function renderValueSection(data: ReportData, options: ValueSectionOptions): ReportSection {
  const values = data.customers.historicValue ?? data.customers.totalSpend;
  const money = (v: number) => formatMoney(v, data.currency);
  const concentration = computeValueConcentration(values);
  const lead = 'What the customer base is worth so far (net spend less cost where known) and how much of it depends on a few customers.';
  if (concentration.customers === 0) {
    return { id: 'value', title: 'Customer value', lead, html: renderParagraph('No customer bought in the analysis window: there is no value to show.') };
  }
  const topShare = (x: number) => concentration.top.find((t) => t.customerShare === x)?.valueShare ?? NaN;
  const histogram = computeValueHistogram(values);
  const nonPositive = histogram.lower[0] === -Infinity ? histogram.customers[0]! : 0;
  const parts: string[] = [
    renderKpis([
      { label: 'historic value', value: money(concentration.totalValue), note: `${formatCount(concentration.customers)} customers` },
      { label: 'mean per customer', value: money(concentration.totalValue / concentration.customers) },
      { label: 'top 1% of customers', value: formatPercent(topShare(0.01)), note: 'of value' },
      { label: 'top 10% of customers', value: formatPercent(topShare(0.1)), note: 'of value' },
      { label: 'top 20% of customers', value: formatPercent(topShare(0.2)), note: 'of value' },
      { label: 'Gini coefficient', value: formatNumber(concentration.gini, 2), note: '0 = equal, 1 = one customer has all' },
    ]),
  ];
  let peak = 0;
  histogram.customers.forEach((c, i) => { if (c > histogram.customers[peak]!) peak = i; });
  let peakValue = 0;
  histogram.valueShare.forEach((s, i) => { if (s > histogram.valueShare[peakValue]!) peakValue = i; });
  const grid: string[] = [
    renderFigure({
      id: 'chart-value-distribution',
      title: 'Value distribution',
      caption: `Most customers are worth ${histogram.labels[peak]}, while the band ${histogram.labels[peakValue]} holds the largest share of value (${formatPercent(histogram.valueShare[peakValue]!, 0)})${nonPositive > 0 ? `; ${formatCount(nonPositive)} customers are worth 0 or less (returns)` : ''}.`,
      option: valueDistributionChart(histogram),
    }),
    renderFigure({
      id: 'chart-value-concentration',
      title: 'Value concentration (Pareto curve)',
      caption: `The top 20% of customers hold ${formatPercent(topShare(0.2), 0)} of the value and the top half ${formatPercent(topShare(0.5), 0)}; the dashed line is what equal customers would give.`,
      option: valueConcentrationChart(concentration),
    }),
  ];
  const predicted = data.customers.predictedValue;
  if (predicted) {
    const horizon = data.customers.predictionHorizonMonths ?? data.modelCard?.clv?.horizonMonths ?? 12;
    const quadrant = computeValueQuadrant(values, predicted, options.maxScatterPoints, options.seed);
    const cell = (key: string) => quadrant.quadrants.find((q) => q.key === key)!;
    const drawn = quadrant.sampled - quadrant.notDrawable;
    grid.push(
      renderFigure({
        id: 'chart-value-quadrant',
        title: `Historic vs predicted value (next ${horizon} months)`,
        caption: `${formatCount(cell('rising').customers)} Rising customers (below-median value so far, above-median predicted) are the ones to grow, ${formatCount(cell('fading').customers)} Fading ones to win back; ${formatCount(drawn)} of ${formatCount(quadrant.total)} customers drawn${quadrant.notDrawable > 0 ? `, ${formatCount(quadrant.notDrawable)} sampled with a value ≤ 0 left out of the log axes` : ''}.`,
        option: valueQuadrantChart(quadrant, { predictedLabel: `predicted value, ${horizon} months` }),
        wide: true,
        size: { width: 1160, height: 480 },
      }),
      renderTable({
        caption: `Quadrants split at the medians (historic ${money(quadrant.historicThreshold)}, predicted ${money(quadrant.predictedThreshold)}); all customers counted`,
        wide: true,
        columns: [{ header: 'quadrant' }, { header: 'customers', numeric: true }, { header: '% of customers', numeric: true }, { header: 'historic value', numeric: true }, { header: 'predicted value', numeric: true }, { header: 'predicted per customer', numeric: true }],
        rows: quadrant.quadrants.map((q) => [
          q.label,
          formatCount(q.customers),
          formatPercent(quadrant.total === 0 ? NaN : q.customers / quadrant.total),
          money(q.historicValue),
          money(q.predictedValue),
          money(q.customers === 0 ? NaN : q.predictedValue / q.customers),
        ]),
      }),
    );
  }
  parts.push(renderGrid(grid));
  return { id: 'value', title: 'Customer value', lead, html: parts.join('') };
}
