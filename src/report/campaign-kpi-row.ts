/**
 * The campaign KPIs table, one row per evaluated campaign: its columns and
 * the cells of a row, shared by the report's campaigns section and the
 * dashboard's campaigns page (plain data and formatting: no node: imports,
 * so the browser bundle imports it too).
 */
import type { CampaignKpi, PublishedUplift } from '../actions/campaign-kpis.js';
import { formatCount, formatMoney, formatNumber, formatPercent } from './format-number.js';
import { daysBetween } from '../core/calendar-days.js';
import { adjustedUpliftText } from '../actions/comparison-warnings.js';
import { nobodyBought, ROI_NOBODY_BOUGHT } from '../actions/roi-words.js';

/** Marks a figure of an evaluation stored before the exact tests that could not be measured again (`test: 'welch'`). */
const WELCH_MARK = ' (Welch)';

/** A signed number per customer, three decimals at most: `+0.018`, `-0.002`. */
const signed = (v: number) => `${v >= 0 ? '+' : ''}${formatNumber(v, 3)}`;

/**
 * `12.3% [4.0%, 20.1%]`; without a relative uplift (a control without buyers) the absolute one per customer,
 * `+0.018 [-0.002, +0.024] per customer (control 0)`, as campaign evaluate prints it; `–` when the uplift is withheld;
 * ` (Welch)` after one that is still Welch's t.
 */
export function formatUplift(u: PublishedUplift | null): string {
  if (u && (u.relativeUplift === null || !u.relativeUpliftInterval) && u.absoluteUplift !== undefined && u.absoluteUpliftInterval) {
    return `${signed(u.absoluteUplift)} [${signed(u.absoluteUpliftInterval[0])}, ${signed(u.absoluteUpliftInterval[1])}] per customer (control 0)${u.test === 'welch' ? WELCH_MARK : ''}`;
  }
  if (!u || u.relativeUplift === null || !u.relativeUpliftInterval) return '–';
  return `${formatPercent(u.relativeUplift, 1)} [${formatPercent(u.relativeUpliftInterval[0], 1)}, ${formatPercent(u.relativeUpliftInterval[1], 1)}]${u.test === 'welch' ? WELCH_MARK : ''}`;
}

/**
 * Why some of a campaign's figures are Welch's t (an evaluation stored before the exact tests whose purchases could not
 * be measured again), as a line under the table: `trial: evaluated before … evaluate the campaign again over …`; null
 * for every other campaign.
 */
export function welchNote(c: CampaignKpi): string | null {
  return c.storedBeforeExactTests && c.storedBeforeExactTests.welch.length > 0 ? `${c.audience} (Welch): ${c.storedBeforeExactTests.note}` : null;
}

/**
 * The window measured: `2023-08-01 … 2023-08-31`, with `(31 of 61 days: the data ended)` when the data ended before
 * the end asked for, and `(stale)` when the evaluation no longer describes the data (`CampaignKpi.stale`, said in full
 * under the table).
 */
export function windowText(c: CampaignKpi): string {
  const w = c.window;
  const asked = w.requestedTo !== undefined ? daysBetween(w.from, w.requestedTo) + 1 : null;
  return `${w.from} … ${w.to}${asked !== null ? ` (${w.days} of ${asked} days: the data ended)` : ''}${c.stale ? ' (stale)' : ''}`;
}

/** The table's columns, in row order. */
export const CAMPAIGN_KPI_COLUMNS: readonly { readonly header: string; readonly numeric?: boolean }[] = [
  { header: 'audience' },
  { header: 'window' },
  { header: 'treated / control', numeric: true },
  { header: 'repurchase (T / C)', numeric: true },
  { header: 'purchases uplift' },
  { header: 'revenue uplift' },
  // the revenue uplift per customer adjusted for the pre-period (purchases without order values): secondary
  { header: 'adjusted uplift (CUPED)' },
  { header: 'AOV (T / C)', numeric: true },
  // cost ÷ every treated buyer (costPerResponse), those who would have bought anyway included: not an efficiency figure
  { header: 'cost per treated buyer', numeric: true },
  { header: 'ROI', numeric: true },
  { header: 'CLV:CAC', numeric: true },
];

/** The cells of one campaign's row (texts, in `CAMPAIGN_KPI_COLUMNS` order); money in `currency` (the report's) or plain. */
export function campaignKpiRow(c: CampaignKpi, currency?: string): string[] {
  return [
    c.play ? `${c.audience} (${c.play})` : c.audience,
    windowText(c),
    // other audiences treated its members; the groups differed before the send date beyond chance (said under the table)
    `${formatCount(c.groups.treatment)} / ${formatCount(c.groups.control)}${c.overlap && c.overlap.length > 0 ? ' (overlap)' : ''}${c.balanceBeyondChance && c.balanceBeyondChance.length > 0 ? ' (imbalance beyond chance)' : ''}`,
    `${formatPercent(c.repurchaseRate.treatment, 1)} / ${formatPercent(c.repurchaseRate.control, 1)}`,
    formatUplift(c.purchases),
    formatUplift(c.revenue),
    c.adjustedUplift ? adjustedUpliftText(c.adjustedUplift) : '–',
    c.averageOrderValue.treatment === null || c.averageOrderValue.control === null ? '–' : `${formatMoney(c.averageOrderValue.treatment, currency)} / ${formatMoney(c.averageOrderValue.control, currency)}`,
    c.costPerResponse === null ? '–' : formatMoney(c.costPerResponse, currency),
    c.roi === null || !c.roiInterval ? '–' : nobodyBought(c.buyers) ? ROI_NOBODY_BOUGHT : `${formatNumber(c.roi, 2)} [${formatNumber(c.roiInterval[0], 2)}, ${formatNumber(c.roiInterval[1], 2)}]${c.storedBeforeExactTests?.welch.includes('roi') ? WELCH_MARK : ''}`,
    c.clvToCac === null || c.clvToCac === undefined ? '–' : formatNumber(c.clvToCac, 2),
  ];
}
