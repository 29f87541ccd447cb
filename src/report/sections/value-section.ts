import { totalPredictedMonths } from '../../core/clv-totals.js';
import { valueConcentrationChart } from '../charts/value-concentration-chart.js';
import { valueDistributionChart } from '../charts/value-distribution-chart.js';
import { valueQuadrantChart } from '../charts/value-quadrant-chart.js';
import { formatCount, formatMoney, formatNumber, formatPercent } from '../format-number.js';
import { renderFigure, renderGrid, renderKpis, renderParagraph, renderTable } from '../html-parts.js';
import type { ReportData } from '../report-data.js';
import { computeValueConcentration, reportValueBasis, topValueShare } from '../value-concentration.js';
import { formatGroupCount, minGroupSizeOf, orNaN, suppressedClause } from '../suppressed-values.js';
import { computeValueHistogram, suppressValueHistogram } from '../value-histogram.js';
import { computeValueQuadrant } from '../value-quadrant.js';
import type { ReportSection } from './report-section.js';

export interface ValueSectionOptions {
  /** most points drawn in the historic-vs-predicted scatter */
  readonly maxScatterPoints: number;
  /** seed of the scatter's random sample */
  readonly seed: number;
}

/**
 * What the customer base is worth and how concentrated the value is; historic
 * vs predicted when a value model ran. Everything here is computed from the
 * per-customer columns and suppressed at the run's k: value bands and
 * quadrants of fewer than k customers, Pareto points less than k customers
 * apart, scatter points without k neighbours.
 */
/**
 * The value distribution's first clause: the band holding the most customers (with their share) and the band holding
 * the largest share of value — said once when they are the same band. The share is of all `customers`, those in
 * withheld bands included. It read "Most customers are worth 20–50, while
 * the band 20–50 holds the largest share" (a QA pass), and "most" of the commonest band, which may hold a quarter.
 *
 * Example: "The commonest value is 20–50 (31% of customers), and that band also holds the largest share of value (28%)"
 */
export function valueDistributionLead(histogram: { readonly labels: readonly string[]; readonly customers: readonly (number | null)[]; readonly valueShare: readonly (number | null)[] }, customers: number): string {
  let peak = 0;
  histogram.customers.forEach((c, i) => { if (orNaN(c) > orNaN(histogram.customers[peak]) || histogram.customers[peak] === null) peak = i; });
  let peakValue = 0;
  histogram.valueShare.forEach((s, i) => { if (orNaN(s) > orNaN(histogram.valueShare[peakValue]) || histogram.valueShare[peakValue] === null) peakValue = i; });
  const valueShare = formatPercent(orNaN(histogram.valueShare[peakValue]), 0);
  const commonest = `The commonest value is ${histogram.labels[peak]} (${formatPercent(customers > 0 ? orNaN(histogram.customers[peak]) / customers : Number.NaN, 0)} of customers)`;
  return peak === peakValue ? `${commonest}, and that band also holds the largest share of value (${valueShare})` : `${commonest}, while the band ${histogram.labels[peakValue]} holds the largest share of value (${valueShare})`;
}

export function renderValueSection(data: ReportData, options: ValueSectionOptions): ReportSection {
  const basis = reportValueBasis(data.customers);
  const values = basis.values;
  const k = minGroupSizeOf(data);
  const money = (v: number | null) => formatMoney(orNaN(v), data.currency);
  const concentration = computeValueConcentration(values, 201, k);
  const lead = 'What the customer base is worth so far (net spend less cost where known) and how much of it depends on a few customers.';
  if (data.run.spend) return { id: 'value', title: 'Customer value', lead, html: renderParagraph(`No value to show: ${data.run.spend.note}.`) };
  if (concentration.customers === 0) {
    return { id: 'value', title: 'Customer value', lead, html: renderParagraph('No customer bought in the analysis window: there is no value to show.') };
  }
  const topShare = (x: number) => topValueShare(concentration, x);
  const histogram = suppressValueHistogram(computeValueHistogram(values), k);
  const nonPositive = histogram.lower[0] === -Infinity ? histogram.customers[0] : 0;
  const withheldBands = histogram.suppression?.filter((s) => s !== null).length ?? 0;
  const parts: string[] = [
    renderKpis([
      { label: 'historic value', value: money(concentration.totalValue), note: `${formatCount(concentration.customers)} customers` },
      { label: 'mean per customer', value: money(concentration.totalValue / concentration.customers) },
      { label: 'top 1% of customers', value: formatPercent(topShare(0.01)), note: `of ${basis.name}` },
      { label: 'top 10% of customers', value: formatPercent(topShare(0.1)), note: `of ${basis.name}` },
      { label: 'top 20% of customers', value: formatPercent(topShare(0.2)), note: `of ${basis.name}` },
      { label: 'Gini coefficient', value: formatNumber(concentration.gini, 2), note: '0 = equal, 1 = one customer has all' },
    ]),
  ];
  const grid: string[] = [
    renderFigure({
      id: 'chart-value-distribution',
      title: 'Value distribution',
      caption: histogram.customers.some((c) => c !== null && c > 0)
        ? `${valueDistributionLead(histogram, concentration.customers)}${nonPositive !== null && nonPositive !== undefined && nonPositive > 0 ? `; ${formatCount(nonPositive)} customers are worth 0 or less (returns)` : ''}${withheldBands > 0 ? `; ${withheldBands} band${withheldBands === 1 ? '' : 's'} of fewer than ${k} customers (or protecting one) not shown` : ''}.`
        : `Every value band holds fewer than ${k} customers (or protects one that does): none is shown.`,
      option: valueDistributionChart(histogram),
    }),
    renderFigure({
      id: 'chart-value-concentration',
      title: 'Value concentration (Pareto curve)',
      caption: concentration.customerShare.length > 2
        ? `The top 20% of customers hold ${formatPercent(topShare(0.2))} of ${basis.name} and the top half ${formatPercent(topShare(0.5))}; the dashed line is what equal customers would give; points are at least ${k} customers apart.`
        : `With ${formatCount(concentration.customers)} customers no point between the ends lies ${k} or more customers from both: only the ends are drawn.`,
      option: valueConcentrationChart(concentration, basis.name),
    }),
  ];
  const predicted = data.customers.predictedValue;
  if (predicted) {
    const horizon = data.customers.predictionHorizonMonths ?? (data.modelCard?.clv ? totalPredictedMonths(data.modelCard.clv) : 12);
    const quadrant = computeValueQuadrant(values, predicted, options.maxScatterPoints, options.seed, k);
    const cell = (key: string) => quadrant.quadrants.find((q) => q.key === key)!;
    const drawn = quadrant.quadrants.reduce((sum, q) => sum + q.points.length, 0);
    const howMany = (count: number | null) => (count === null ? 'A suppressed number of' : formatCount(count));
    grid.push(
      renderFigure({
        id: 'chart-value-quadrant',
        title: `Historic vs predicted value (next ${horizon} months)`,
        caption: `${howMany(cell('rising').customers)} Rising customers (below-median value so far, above-median predicted) are the ones to grow, ${howMany(cell('fading').customers)} Fading ones to win back; ${formatCount(drawn)} of ${formatCount(quadrant.total)} customers drawn, rounded to 2 significant digits${quadrant.notDrawable > 0 ? `, ${formatCount(quadrant.notDrawable)} sampled with a value ≤ 0 left out of the log axes` : ''}${quadrant.isolated > 0 ? `, ${formatCount(quadrant.isolated)} with fewer than ${k} customers around them left out` : ''}.`,
        option: valueQuadrantChart(quadrant, { predictedLabel: `predicted value, ${horizon} months` }),
        wide: true,
        size: { width: 1160, height: 480 },
      }),
      renderTable({
        caption: `Quadrants split at the medians (historic ${money(quadrant.historicThreshold)}, predicted ${money(quadrant.predictedThreshold)}); all customers counted${suppressedClause(quadrant.quadrants.filter((q) => q.suppression !== null).length, 'quadrant', k)}`,
        wide: true,
        columns: [{ header: 'quadrant' }, { header: 'customers', numeric: true }, { header: '% of customers', numeric: true }, { header: 'historic value', numeric: true }, { header: 'predicted value', numeric: true }, { header: 'predicted per customer', numeric: true }],
        rows: quadrant.quadrants.map((q) => [
          q.label,
          formatGroupCount(q.customers),
          formatPercent(quadrant.total === 0 ? NaN : orNaN(q.customers) / quadrant.total),
          money(q.historicValue),
          money(q.predictedValue),
          money(q.customers === 0 ? NaN : orNaN(q.predictedValue) / orNaN(q.customers)),
        ]),
      }),
    );
  }
  parts.push(renderGrid(grid));
  return { id: 'value', title: 'Customer value', lead, html: parts.join('') };
}
