/**
 * A funnel row's carts abandoned (sessions with a cart add and no purchase) are its carted sessions less its purchased
 * ones: shown beside a withheld step, they gave that step back. On a 3,000-buyer synthetic shop (seed 123), the
 * first-seen month 2023-04 published 54 people, its carted step withheld (1–4 people carted), its purchased step 0 and
 * 3 carts abandoned: so 3 carted sessions, of at most 3 people. Now a row whose carted or purchased step is withheld
 * withholds its carts abandoned too (the steps' partners in other rows with them, so the column's withheld cells are
 * never one: the overall row less the shown ones gives no single row's back).
 *
 * The same row's purchased step (0 people) was shown with its rate of the carted sessions and its Wilson interval,
 * 0.0% (0.0%–56.1%): z²/(n + z²) = 0.561 gives n = 3 carted sessions back. A step after a withheld step now shows no
 * rate or interval (its sessions and people stay: they are not the withheld step's).
 */
import { describe, expect, it } from 'vitest';
import type { FunnelRow } from '../../src/events/compute-funnels.js';
import { publishEventsSummary } from '../../src/events/publish-events-summary.js';
import type { EventsSummary } from '../../src/events/run-events.js';
import { SuppressionTally } from '../../src/privacy/disclosure/suppress-rows.js';

const step = (sessions: number, people: number) => ({ sessions, people, rate: 0.5, rateLow: 0.4, rateHigh: 0.6 });
const row = (group: string, people: number, sessions: number, carted: [number, number], purchased: [number, number]): FunnelRow => ({
  group, people, sessions, viewed: step(sessions, people), carted: step(...carted), purchased: step(...purchased),
  conversionRate: purchased[0] / sessions, conversionLow: 0, conversionHigh: 1, searchesWithoutView: 0,
  cartsAbandoned: carted[0] - purchased[0], purchasedWithoutCart: 0,
});
const add = (rows: readonly FunnelRow[]): FunnelRow => {
  const sum = (f: (r: FunnelRow) => number) => rows.reduce((a, r) => a + f(r), 0);
  return row('all', sum((r) => r.people), sum((r) => r.sessions), [sum((r) => r.carted.sessions), sum((r) => r.carted.people)], [sum((r) => r.purchased.sessions), sum((r) => r.purchased.people)]);
};
const summary = (byFirstSeen: FunnelRow[]) =>
  ({
    funnels: { overall: add(byFirstSeen), bySegment: [], byStage: [], byChannel: [], byCohort: [], byFirstSeen },
    onlineLifecycle: { browseStages: {}, crossTable: [], validation: null },
  }) as unknown as EventsSummary;

describe('carts abandoned are withheld with the step they would give back', () => {
  const rows = [
    row('2022-12', 237, 871, [437, 136], [305, 120]),
    row('2023-03', 75, 114, [10, 9], [0, 0]),
    row('2023-04', 54, 70, [3, 3], [0, 0]),
    row('2023-05', 56, 78, [5, 5], [0, 0]),
  ];
  const published = publishEventsSummary(summary(rows), 5, new SuppressionTally(5), {}).funnels.byFirstSeen;
  const april = published.find((r) => r.group === '2023-04')!;

  it('the row whose carted step is withheld (3 people) withholds its carts abandoned', () => {
    expect(april.people).toBe(54);
    expect(april.carted.people).toBeNull();
    expect(april.purchased.sessions).toBe(0);
    expect(april.cartsAbandoned).toBeNull();
  });

  it('in every shown row, carts abandoned are shown only beside both steps they are the difference of', () => {
    for (const r of published) {
      if (r.carted.sessions === null || r.purchased.sessions === null) expect(r.cartsAbandoned, r.group).toBeNull();
      else expect(r.cartsAbandoned, r.group).toBe(r.carted.sessions - r.purchased.sessions);
    }
  });

  it('a step after a withheld step shows no rate or interval (their denominator is the withheld step)', () => {
    expect(april.purchased.people).toBe(0);
    expect([april.purchased.rate, april.purchased.rateLow, april.purchased.rateHigh]).toEqual([null, null, null]);
    for (const r of published) {
      if (r.viewed.sessions === null) expect(r.carted.rate, r.group).toBeNull();
      if (r.carted.sessions === null) expect([r.purchased.rate, r.purchased.rateLow, r.purchased.rateHigh], r.group).toEqual([null, null, null]);
    }
  });

  it('the carts abandoned column never has a single withheld cell (the overall row less the shown would give it)', () => {
    const withheld = published.filter((r) => r.cartsAbandoned === null);
    expect(withheld.length).toBeGreaterThanOrEqual(2);
  });
});
