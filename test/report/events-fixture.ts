import type { PublishedEventsSummary, PublishedFunnelRow } from '../../src/events/publish-events-summary.js';

const step = (sessions: number, people: number, of: number) => ({ sessions, people, rate: sessions / of, rateLow: sessions / of - 0.02, rateHigh: sessions / of + 0.02 });

function row(group: string, people: number, sessions: number): PublishedFunnelRow {
  const viewed = Math.round(sessions * 0.9);
  const carted = Math.round(viewed * 0.6);
  const bought = Math.round(carted * 0.7);
  return {
    group, people, sessions,
    viewed: step(viewed, people, sessions), carted: step(carted, Math.round(people * 0.8), viewed), purchased: step(bought, Math.round(people * 0.6), carted),
    conversionRate: bought / sessions, conversionLow: bought / sessions - 0.01, conversionHigh: bought / sessions + 0.01, searchesWithoutView: Math.round(sessions * 0.05), cartsAbandoned: carted - bought, purchasedWithoutCart: 0, suppression: null,
  };
}

const WITHHELD = { sessions: null, people: null, rate: null, rateLow: null, rateHigh: null };

/** A published events summary for the report's tests: fixed numbers, one suppressed group, `hostile` text as a group name. */
export const fixtureEvents = (hostile: string): PublishedEventsSummary => ({
  sessionGapMinutes: 30,
  stitching: { events: 120_000, visitorsLinked: 3300, visitorsLinkedByLogin: 3200, visitorsLinkedByPurchase: 100, visitorsAnonymous: 120, sessionsStitched: 4400, customersReached: 2050, sessions: 17_600, customerSessions: 17_400, sessionsWithoutIds: 0, eventsAfterAsOf: 0 },
  orderPlacement: { orders: 8750, dated: 0, datedPlaced: 0, timedChecked: 8700, timedInSession: 8690, eventsAheadMinutes: 0, timedInSessionShifted: 8690 },
  funnels: {
    overall: row('all', 3300, 17_600),
    byChannel: [row('organic', 1150, 6100), row(hostile, 400, 2100), { group: 'tiny', people: null, sessions: null, viewed: WITHHELD, carted: WITHHELD, purchased: WITHHELD, conversionRate: null, conversionLow: null, conversionHigh: null, searchesWithoutView: null, cartsAbandoned: null, purchasedWithoutCart: null, suppression: 'small-group' }],
    byStage: [row('active', 900, 5200), row('prospect', 300, 600)],
    bySegment: [row('Champions', 500, 4000)],
    byCohort: [row('2022-01', 260, 1600)],
    byFirstSeen: [row('2022-01', 280, 1650)],
  },
  buyerTypes: { threshold: -0.37, customers: { impulsive: 1056, deliberate: 1944, unknown: 0 }, purchasesObserved: 8750, medians: { impulsive: { minutes_to_purchase: 2.4, views: 2 }, deliberate: { minutes_to_purchase: 6051, views: 8.5 } } },
  onlineLifecycle: {
    browseStages: { browsing_active: 142, lapsing: 199, gone: 2959 },
    crossTable: [
      { browseStage: 'browsing_active', purchaseStage: 'active', customers: 91, suppression: null },
      { browseStage: 'browsing_active', purchaseStage: 'at_risk', customers: null, suppression: 'small-group' },
      { browseStage: 'gone', purchaseStage: 'churned', customers: 2215, suppression: null },
    ],
    validation: { from: '2011-08-01', to: '2011-12-09', rows: [{ browseStage: 'browsing_active', customers: 217, repurchased: 151, rate: 151 / 217, suppression: null }, { browseStage: 'gone', customers: 2518, repurchased: 365, rate: 365 / 2518, suppression: null }] },
  },
  prospects: {
    prospects: 300, basis: 'events', features: ['sessions_30d'], horizonDays: 365, cutoffs: ['2011-06-01'], trainingRows: 2358, conversions: 292, model: 'logistic regression', coefficients: { sessions_30d: 0.28 }, separatedLevels: [],
    calibration: Array.from({ length: 10 }, (_, i) => ({ decile: i + 1, rows: 79, predicted: i * 8, actual: i * 8 + (i % 2) })),
    meanPropensity: 0.0007, expectedFirstYearValueTotal: 20.2,
  },
});
