import type { PublishedEventsSummary, PublishedFunnelRow } from '../../events/publish-events-summary.js';
import { measuredBuyerTypes } from '../../events/measured-buyer-types.js';
import { funnelChart } from '../charts/funnel-chart.js';
import type { ProspectScores } from '../../events/score-prospects.js';
import type { RunWords } from '../../core/run-words.js';
import { formatCount, formatNumber, formatPercent } from '../format-number.js';
import { renderFigure, renderGrid, renderKpis, renderParagraph, renderTable } from '../html-parts.js';
import { prospectsValueKpi } from '../prospects-value.js';
import { funnelConversionCaption } from '../funnel-caption.js';
import type { ReportData } from '../report-data.js';
import { formatCellCount, formatGroupCount, linkedCellsClause, minGroupSizeOf, NOT_MEASURED, SUPPRESSED } from '../suppressed-values.js';
import type { ReportSection } from './report-section.js';
import { stageLabel } from '../charts/stage-colors.js';
import { plural } from '../../core/plural.js';

const rate = (value: number | null, low: number | null, high: number | null) =>
  value === null ? SUPPRESSED : `${formatPercent(value, 1)} (${formatPercent(low ?? Number.NaN, 1)}–${formatPercent(high ?? Number.NaN, 1)})`;

/** The table's rows; the purchase columns say `not measured` in every row when the purchases were not (`measured` false). */
function funnelRows(label: string, rows: readonly PublishedFunnelRow[], measured: boolean): string[][] {
  return rows.map((r) => [
    `${label}: ${r.group}`,
    formatGroupCount(r.people),
    r.sessions === null ? SUPPRESSED : formatCount(r.sessions),
    rate(r.viewed.rate, r.viewed.rateLow, r.viewed.rateHigh),
    rate(r.carted.rate, r.carted.rateLow, r.carted.rateHigh),
    ...(measured
      ? [rate(r.purchased.rate, r.purchased.rateLow, r.purchased.rateHigh), rate(r.conversionRate, r.conversionLow, r.conversionHigh), r.cartsAbandoned === null ? SUPPRESSED : formatCount(r.cartsAbandoned)]
      : [NOT_MEASURED, NOT_MEASURED, NOT_MEASURED]),
    r.searchesWithoutView === null ? SUPPRESSED : formatCount(r.searchesWithoutView),
  ]);
}

/** Browsing before buying: stitching, the session funnel (chart and table with 95% intervals), buyer types, online vs purchase lifecycle, prospects. */
export function renderEventsSection(data: ReportData, events: PublishedEventsSummary): ReportSection {
  const k = minGroupSizeOf(data);
  const { stitching, funnels, prospects, onlineLifecycle } = events;
  // null when not measured (a run.json written before: zero counts beside the reason, read as not measured too)
  const buyerTypes = measuredBuyerTypes(events);
  const overall = funnels.overall;
  const unmeasured = events.unavailable?.purchases;
  const measured = unmeasured === undefined;
  const kpis = renderKpis([
    { label: 'sessions', value: formatCount(stitching.sessions), note: `split at ${events.sessionGapMinutes} min of inactivity where no session id is given` },
    { label: 'sessions stitched', value: formatCount(stitching.sessionsStitched), note: `${formatCount(stitching.customersReached)} customers reached through anonymous browsing` },
    { label: 'visitor ids linked', value: formatCount(stitching.visitorsLinked), note: `${formatCount(stitching.visitorsLinkedByLogin)} by a login, ${formatCount(stitching.visitorsLinkedByPurchase)} by a purchase; ${formatCount(stitching.visitorsAnonymous)} never linked` },
    buyerTypes === null
      ? { label: 'impulsive / deliberate', value: NOT_MEASURED, note: 'no purchase can be put in a session' }
      : { label: 'impulsive / deliberate', value: `${formatCount(buyerTypes.customers.impulsive)} / ${formatCount(buyerTypes.customers.deliberate)}`, note: `${formatCount(buyerTypes.customers.unknown)} buyers without browsing before a purchase` },
    { label: 'prospects', value: formatCount(prospects.prospects), note: `mean conversion propensity ${formatPercent(prospects.meanPropensity, 2)} (${prospects.model})` },
    prospectsValueKpi(prospects, { currency: data.currency }),
  ]);
  const chart = renderFigure({
    id: 'chart-funnel',
    title: 'Session funnel: view → add to cart → purchase',
    caption: `${measured ? funnelConversionCaption(overall) : `Purchases not measured: ${unmeasured}`}; each bar is the sessions that reached the step (the steps are nested, so they add up).`,
    option: funnelChart(overall, measured),
    size: { width: 600, height: 260 },
  });
  const table = renderTable({
    caption: `Funnel rates (95% Wilson interval) overall and by acquisition channel, lifecycle stage, segment, cohort (first-purchase month) and first-seen month (first session); groups of fewer than ${k} people are suppressed (with a partner where the total would give them away), and so is a stage, segment, cohort or channel that its own table withholds`,
    columns: [
      { header: 'group' }, { header: 'people', numeric: true }, { header: 'sessions', numeric: true }, { header: 'viewed', numeric: true }, { header: 'carted (of viewed)', numeric: true },
      { header: 'purchased (of carted)', numeric: true }, { header: 'converted (of sessions)', numeric: true }, { header: 'carts abandoned', numeric: true }, { header: 'searches without a view', numeric: true },
    ],
    rows: [
      ...funnelRows('all', [overall], measured), ...funnelRows('channel', funnels.byChannel, measured), ...funnelRows('stage', funnels.byStage.map((r) => ({ ...r, group: stageLabel(String(r.group)) })), measured),
      ...funnelRows('segment', funnels.bySegment, measured), ...funnelRows('cohort', funnels.byCohort, measured), ...funnelRows('first seen', funnels.byFirstSeen, measured),
    ],
    wide: true,
  });
  const cross = renderTable({
    caption: `Online lifecycle (browse stage) × purchase lifecycle stage, customers${linkedCellsClause(onlineLifecycle.crossTable.map((c) => c.suppression ?? (c.customers === null ? 'small-group' : null)), k)}`,
    columns: [{ header: 'browse stage' }, { header: 'purchase stage' }, { header: 'customers', numeric: true }],
    rows: onlineLifecycle.crossTable.map((c) => [stageLabel(String(c.browseStage)), stageLabel(String(c.purchaseStage)), formatCellCount(c.customers, c.suppression)]),
  });
  const validation = onlineLifecycle.validation;
  const valid = validation
    ? renderTable({
        caption: `Does browsing predict repurchase? Buyers by browse stage on ${validation.from}, bought again by ${validation.to}`,
        columns: [{ header: 'browse stage' }, { header: 'buyers', numeric: true }, { header: 'bought again', numeric: true }],
        rows: validation.rows.map((r) => [String(r.browseStage), formatGroupCount(r.customers), r.rate === null ? SUPPRESSED : formatPercent(r.rate, 0)]),
      })
    : '';
  const calibration = renderProspectCalibration(prospects);
  const types = renderParagraph(
    buyerTypes === null ? `Buyer types: not measured (${events.unavailable?.buyerTypes ?? 'no purchase can be put in a session'}).` : `Buyer types: the threshold on the deliberation score learned from the data is ${formatNumber(buyerTypes.threshold, 3)}; impulsive buyers take a median ${formatNumber(buyerTypes.medians.impulsive.minutes_to_purchase, 1)} minutes from first view to purchase, deliberate ones ${formatNumber(buyerTypes.medians.deliberate.minutes_to_purchase / 60, 1)} hours.`,
  );
  return {
    id: 'events',
    title: 'Browsing and prospects',
    lead: 'What people do before they buy: sessions, the funnel from view to purchase, impulsive and deliberate buyers, browsing beside buying, and what prospects are worth.',
    html: kpis + renderGrid([chart, calibration]) + table + types + renderGrid([cross, valid]),
  };
}

/** The prospects' calibration: predicted vs actual conversions by decile of the held-out earlier prospects, or why there is none. */
function renderProspectCalibration(prospects: ProspectScores): string {
  if (prospects.calibration.length) {
    return renderTable({
      caption: 'Prospects: predicted vs actual conversions by decile of the held-out earlier prospects',
      columns: [{ header: 'decile' }, { header: 'rows', numeric: true }, { header: 'predicted', numeric: true }, { header: 'actual', numeric: true }],
      rows: prospects.calibration.map((d) => [String(d.decile), formatCount(d.rows), formatNumber(d.predicted, 1), formatCount(d.actual)]),
    });
  }
  return renderParagraph(
    prospects.model === 'none'
      ? 'Prospects: no earlier prospect converted or stayed a prospect long enough to learn from; their propensities are left empty.'
      : 'Prospects: too few earlier conversions to fit a model; every prospect has the observed conversion rate.',
  );
}

/**
 * Prospects in a run without events: people with a customer profile who never bought, scored from the profile alone
 * (score-prospects.ts, `basis: 'profiles'`) — how many, their conversion propensity and expected first-year value, and
 * the model's calibration. With events the events section shows them.
 */
export function renderProspectsSection(prospects: ProspectScores, words: RunWords, currency?: string): ReportSection {
  const kpis = renderKpis([
    { label: 'prospects', value: formatCount(prospects.prospects), note: 'a customer profile, no purchase yet' },
    { label: 'conversion propensity', value: Number.isFinite(prospects.meanPropensity) ? formatPercent(prospects.meanPropensity, 2) : '—', note: `mean; ${prospects.model}, within ${plural(prospects.horizonDays, 'day')}, from the profile alone` },
    prospectsValueKpi(prospects, { currency }),
  ]);
  const features = renderParagraph(`Trained on ${formatCount(prospects.trainingRows)} earlier prospect${prospects.trainingRows === 1 ? '' : 's'} (${formatCount(prospects.conversions)} converted), features: ${prospects.features.join(', ')}. ${words.api ? `Events sent to POST /api/events` : 'Events (clvkit analyze --events FILE)'} add browsing behaviour.`);
  return {
    id: 'prospects',
    title: 'Prospects',
    lead: 'People with a profile who have not bought yet, and what they are expected to be worth in their first year.',
    html: kpis + features + renderProspectCalibration(prospects),
  };
}
