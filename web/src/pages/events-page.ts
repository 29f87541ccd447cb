/**
 * Events: behaviour before the first purchase (issue #16), from the latest
 * run's published events summary (`GET /api/events-summary`, groups under k
 * already withheld by the pipeline): sessions and stitching, the session
 * funnel (the report's funnel chart) and its rates with 95% intervals by
 * segment, stage, channel, cohort and first-seen month, the online lifecycle
 * beside the purchase lifecycle, buyer types, and what prospects are worth.
 * A run without events says how to load them.
 */
import type { PublishedEventsSummary, PublishedFunnelRow } from '../../../src/events/publish-events-summary.js';
import { measuredBuyerTypes } from '../../../src/events/measured-buyer-types.js';
import type { EventsSummaryResponse } from '../../../src/server/routes/read-api-types.js';
import { funnelChart } from '../../../src/report/charts/funnel-chart.js';
import { formatCount, formatMoney, formatNumber, formatPercent } from '../../../src/report/format-number.js';
import { formatCellCount, linkedCellsClause, NOT_MEASURED } from '../../../src/report/suppressed-values.js';
import { prospectsValueKpi } from '../../../src/report/prospects-value.js';
import { funnelConversionCaption } from '../../../src/report/funnel-caption.js';
import { api } from '../api-client.js';
import { chartFigure } from '../chart-figure.js';
import { dataTable, h, kpis, notice, section } from '../dom.js';
import type { PageDefinition } from '../page.js';
import { pageEntry } from '../page-catalogue.js';
import { groupCount, runNote } from '../run-note.js';

/** The hint of a run without events, the API's way first, then the CLI's on the server's warehouse (also what the browser test looks for). */
export const NO_EVENTS_HINT = 'POST /api/events  (a JSON array of events)\nclvkit ingest FILE --kind events --db WAREHOUSE  (the warehouse this server serves)';

const SUPPRESSED = 'suppressed';

/** `12.3% (10.1%–14.8%)`: a rate with its 95% Wilson interval, or "suppressed". */
const rate = (value: number | null, low: number | null, high: number | null) => (value === null ? SUPPRESSED : `${formatPercent(value, 1)} (${formatPercent(low ?? Number.NaN, 1)}–${formatPercent(high ?? Number.NaN, 1)})`);

const FUNNEL_COLUMNS = [
  { header: 'group' },
  { header: 'people', numeric: true },
  { header: 'sessions', numeric: true },
  { header: 'viewed (of sessions)', numeric: true },
  { header: 'carted (of viewed)', numeric: true },
  { header: 'purchased (of carted)', numeric: true },
  { header: 'converted (of sessions)', numeric: true },
  { header: 'carts abandoned', numeric: true },
];

/** A funnel table's row; the purchase columns say `not measured` when the purchases were not (`measured` false: `unavailable.purchases`). */
function funnelRow(r: PublishedFunnelRow, measured: boolean): string[] {
  return [
    r.group,
    groupCount(r.people, formatCount),
    groupCount(r.sessions, formatCount),
    rate(r.viewed.rate, r.viewed.rateLow, r.viewed.rateHigh),
    rate(r.carted.rate, r.carted.rateLow, r.carted.rateHigh),
    ...(measured ? [rate(r.purchased.rate, r.purchased.rateLow, r.purchased.rateHigh), rate(r.conversionRate, r.conversionLow, r.conversionHigh), groupCount(r.cartsAbandoned, formatCount)] : [NOT_MEASURED, NOT_MEASURED, NOT_MEASURED]),
  ];
}

const BREAKDOWNS: readonly { key: Exclude<keyof PublishedEventsSummary['funnels'], 'overall'>; label: string }[] = [
  { key: 'bySegment', label: 'segment' },
  { key: 'byStage', label: 'lifecycle stage' },
  { key: 'byChannel', label: 'acquisition channel' },
  { key: 'byCohort', label: 'cohort (first-purchase month)' },
  { key: 'byFirstSeen', label: 'first-seen month (first session)' },
];

function funnelSection(events: PublishedEventsSummary, k: number): HTMLElement {
  const overall = events.funnels.overall;
  const unmeasured = events.unavailable?.purchases;
  const measured = unmeasured === undefined;
  const steps: [string, number | null, string][] = [
    ['sessions', overall.sessions, ''],
    ['viewed a product', overall.viewed.sessions, rate(overall.viewed.rate, overall.viewed.rateLow, overall.viewed.rateHigh)],
    ['added to cart', overall.carted.sessions, rate(overall.carted.rate, overall.carted.rateLow, overall.carted.rateHigh)],
    ['purchased', overall.purchased.sessions, measured ? rate(overall.purchased.rate, overall.purchased.rateLow, overall.purchased.rateHigh) : NOT_MEASURED],
  ];
  const breakdowns = BREAKDOWNS.filter((b) => events.funnels[b.key].length > 0).map((b) =>
    dataTable(`Funnel by ${b.label} (95% Wilson intervals)`, FUNNEL_COLUMNS, events.funnels[b.key].map((r) => funnelRow(r, measured)), { rowHeaders: true }),
  );
  return section(
    'Session funnel',
    chartFigure({
      id: 'chart-funnel',
      title: 'Session funnel: view → add to cart → purchase',
      caption: `${!measured ? `Purchases not measured: ${unmeasured}` : funnelConversionCaption(overall)}; each bar is the sessions that reached the step (the steps are nested).`,
      option: funnelChart(overall, measured),
      height: 260,
      wide: true,
      table: { columns: [{ header: 'step' }, { header: 'sessions', numeric: true }, { header: 'rate of the step before (95% interval)', numeric: true }], rows: steps.map(([name, sessions, r]) => [name, groupCount(sessions, formatCount), r]) },
    }),
    h('p', { class: 'help' }, `Rates are shares of the step before with their 95% Wilson interval; groups of fewer than ${k} people, and steps reached by fewer than ${k} (or by all but fewer than ${k}), are suppressed, and so is a stage, segment, cohort or channel that its own table withholds.`),
    breakdowns.length > 0 ? breakdowns : notice('No breakdown of the funnel has a group to show.'),
  );
}

function lifecycleSection(events: PublishedEventsSummary, minGroupSize: number): HTMLElement {
  const { crossTable, validation, browseStages } = events.onlineLifecycle;
  const browse = [...new Set(crossTable.map((c) => String(c.browseStage)))];
  const purchase = [...new Set(crossTable.map((c) => String(c.purchaseStage)))];
  const cell = (b: string, p: string) => {
    const found = crossTable.find((c) => String(c.browseStage) === b && String(c.purchaseStage) === p);
    return found ? formatCellCount(found.customers, found.suppression) : '0';
  };
  return section(
    'Online lifecycle beside the purchase lifecycle',
    kpis(Object.entries(browseStages).map(([stage, n]) => ({ label: `browse stage ${stage}`, value: groupCount(n, formatCount) }))),
    crossTable.length > 0
      ? dataTable(`Customers by browse stage (rows) and purchase lifecycle stage (columns)${linkedCellsClause(crossTable.map((c) => c.suppression ?? (c.customers === null ? 'small-group' : null)), minGroupSize)}`, [{ header: 'browse stage' }, ...purchase.map((p) => ({ header: p, numeric: true }))], browse.map((b) => [b, ...purchase.map((p) => cell(b, p))]), { rowHeaders: true })
      : notice('No customer both browsed and bought.'),
    validation
      ? dataTable(
          `Does browsing predict repurchase? Buyers by browse stage on ${validation.from}, bought again by ${validation.to}`,
          [{ header: 'browse stage' }, { header: 'buyers', numeric: true }, { header: 'bought again', numeric: true }],
          validation.rows.map((r) => [String(r.browseStage), groupCount(r.customers, formatCount), r.rate === null ? SUPPRESSED : formatPercent(r.rate, 0)]),
          { rowHeaders: true },
        )
      : null,
  );
}

function buyersAndProspects(events: PublishedEventsSummary): HTMLElement[] {
  const { prospects } = events;
  // null when not measured: the reason alone, no counts (the server serves an older run's zero counts as null too)
  const buyerTypes = measuredBuyerTypes(events);
  const buyers = buyerTypes === null
    ? section('Buyer types', notice(`Buyer types not measured: ${events.unavailable?.buyerTypes ?? 'no purchase can be put in a session'}.`))
    : section(
        'Buyer types',
        kpis([
          { label: 'impulsive buyers', value: formatCount(buyerTypes.customers.impulsive), note: `median ${formatNumber(buyerTypes.medians.impulsive.minutes_to_purchase, 1)} min from first view to purchase` },
          { label: 'deliberate buyers', value: formatCount(buyerTypes.customers.deliberate), note: `median ${formatNumber(buyerTypes.medians.deliberate.minutes_to_purchase / 60, 1)} h from first view to purchase` },
          { label: 'buyers without browsing', value: formatCount(buyerTypes.customers.unknown), note: 'no view before a purchase' },
        ]),
        h('p', { class: 'help' }, `The threshold on the deliberation score, learned from ${formatCount(buyerTypes.purchasesObserved)} purchases with a view before them, is ${formatNumber(buyerTypes.threshold, 3)}.`),
      );
  const value = section(
    'Prospects: predicted value',
    kpis([
      { label: 'prospects', value: formatCount(prospects.prospects), note: 'people who browsed and have not bought' },
      { label: 'mean conversion propensity', value: formatPercent(prospects.meanPropensity, 2), note: `within ${prospects.horizonDays} days (${prospects.model})` },
      prospectsValueKpi(prospects, { where: 'among the customers’ scores' }),
      { label: 'per prospect', value: prospects.prospects > 0 ? formatMoney(prospects.expectedFirstYearValueTotal / prospects.prospects) : '–', note: 'mean expected first-year value' },
    ]),
    prospects.calibration.length > 0
      ? dataTable(
          'Prospects: predicted vs actual conversions by decile of the held-out earlier prospects',
          [{ header: 'decile' }, { header: 'rows', numeric: true }, { header: 'predicted', numeric: true }, { header: 'actual', numeric: true }],
          prospects.calibration.map((d) => [String(d.decile), formatCount(d.rows), formatNumber(d.predicted, 1), formatCount(d.actual)]),
          { rowHeaders: true },
        )
      : notice('Too few earlier conversions to fit a model: every prospect has the observed conversion rate.'),
  );
  return [buyers, value];
}

export const eventsPage: PageDefinition = {
  ...pageEntry('events'),
  async render() {
    const data = await api<EventsSummaryResponse>('/api/events-summary');
    const parts: HTMLElement[] = [...runNote(data.run)];
    const events = data.events;
    if (!events) {
      return [
        ...parts,
        section(
          'No events ingested',
          h('p', { class: 'no-events' }, 'This run has no behaviour events (page views, carts, searches), so there is no funnel or prospect to show. Send events to the API, or ingest an events file into the warehouse this server serves, then start an analysis on the Runs page:'),
          h('pre', {}, h('code', {}, NO_EVENTS_HINT)),
        ),
      ];
    }
    const s = events.stitching;
    parts.push(
      section(
        'Sessions and stitching',
        kpis([
          { label: 'events', value: formatCount(s.events), note: 'read up to the as-of date' },
          { label: 'sessions', value: formatCount(s.sessions), note: `split at ${events.sessionGapMinutes} min of inactivity where no session id is given` },
          { label: 'sessions stitched', value: formatCount(s.sessionsStitched), note: `${formatCount(s.customersReached)} customers reached through anonymous browsing` },
          { label: 'visitor ids linked', value: formatCount(s.visitorsLinked), note: `${formatCount(s.visitorsLinkedByLogin)} by a login, ${formatCount(s.visitorsLinkedByPurchase)} by a purchase` },
          { label: 'visitor ids never linked', value: formatCount(s.visitorsAnonymous) },
        ]),
      ),
      funnelSection(events, data.run.minGroupSize),
      lifecycleSection(events, data.run.minGroupSize),
      ...buyersAndProspects(events),
    );
    return parts;
  },
};
