import { clvTotalsByMonths } from '../../core/clv-totals.js';
import { formatCount, formatMoney, formatNumber, formatPercent } from '../format-number.js';
import { escapeHtml } from '../escape-html.js';
import { renderKpis, renderList, type Kpi } from '../html-parts.js';
import { prospectsBesideBuyersTotal } from '../prospects-value.js';
import type { ReportData } from '../report-data.js';
import { minGroupSizeOf } from '../suppressed-values.js';
import { computeValueConcentration, topValueShare } from '../value-concentration.js';
import type { ReportSection } from './report-section.js';

/** The numbers a reader wants first: size, repeat behaviour, revenue, concentration, predicted value. */
export function renderOverviewSection(data: ReportData): ReportSection {
  const h = data.run.headline;
  const money = (v: number | null) => formatMoney(v, data.currency);
  const spend = data.run.spend;
  const top20 = top20NetRevenueShare(data);
  const kpis: Kpi[] = [
    { label: 'customers', value: formatCount(h.customers), note: `${formatCount(h.returnOnlyCustomers)} with returns only (not counted)` },
    { label: 'repeat customers', value: formatPercent(h.repeatRate), note: `${formatCount(h.repeatCustomers)} bought on more than one occasion` },
    { label: 'orders', value: formatCount(h.orders), note: `${formatNumber(h.meanPurchaseOccasions, 2)} purchase occasions per customer` },
    ...(spend
      ? []
      : [
          { label: 'net revenue', value: money(h.netRevenue), note: `after ${money(h.returnsValue === null ? null : Math.abs(h.returnsValue))} of returns` },
          { label: 'average order value', value: money(h.averageOrderValue), note: 'before returns: gross purchases ÷ orders' },
          { label: 'top 20% of customers', value: formatPercent(top20), note: 'of net revenue', tone: (top20 ?? 0) > 0.8 ? ('warn' as const) : undefined },
        ]),
  ];
  const clv = data.modelCard?.clv;
  if (!spend && clv?.totalPredicted !== undefined) {
    // the buyers' CLV: the prospects' expected first-year value (customers.csv's predicted_clv_12m too) is named beside it
    const prospects = prospectsBesideBuyersTotal(data.run.prospects ?? data.run.events?.prospects, data.currency);
    for (const { months, total } of clvTotalsByMonths(clv)) {
      kpis.push({ label: `predicted value, next ${months} months`, value: money(total), note: `${prospects ? `${prospects}; ` : ''}discount ${formatPercent(clv.discountRatePerYear, 0)}/year, margin ${formatPercent(clv.margin, 0)}` });
    }
  }
  const warnings = data.run.warnings ?? [];
  const window = h.firstPurchase && h.lastPurchase ? `Purchases from ${h.firstPurchase} to ${h.lastPurchase}` : 'No purchases in the window';
  return {
    id: 'overview',
    title: 'Overview',
    lead: `${window}, analysed as of ${data.run.parameters.asOf}.`,
    html:
      (spend ? `<div class="callout warn"><b>No order values.</b> ${escapeHtml(spend.note)}</div>` : '') +
      renderKpis(kpis) +
      // a skipped step leaves its section out: the warning says why (and flags contradictions to act on)
      (warnings.length > 0 ? `<div class="callout warn"><b>Warnings of this run</b>${renderList(warnings)}</div>` : ''),
  };
}

/**
 * The top 20% of customers' share of net revenue: from the per-customer net spend by the value section's computation
 * (`computeValueConcentration`), so the two print one number when the value section is on net revenue too; the run's
 * headline figure when the report has no per-customer column or withholds the share (small groups).
 */
function top20NetRevenueShare(data: ReportData): number | null {
  const spend = data.customers?.totalSpend;
  if (!spend) return data.run.headline.top20RevenueShare;
  const share = topValueShare(computeValueConcentration(spend, 201, minGroupSizeOf(data)), 0.2);
  return Number.isFinite(share) ? share : data.run.headline.top20RevenueShare;
}
