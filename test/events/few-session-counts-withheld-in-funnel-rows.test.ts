/**
 * A funnel row's searches without a view and purchases without a cart add are counts of sessions, published beside
 * the row with no floor: on the seed-123 synthetic shop with 5% of its event types dropped, the stage `churned` (2,203
 * people) showed 4 searches without a view, and the RFM segment `Can't lose them` (19 people) 2 purchases without a
 * cart add — 1 to 4 sessions are 1 to 4 people. Now a count of 1…k−1 sessions is withheld (it describes fewer than k
 * people), and in a breakdown, whose rows add up to the overall row, with a partner, so the overall less the shown
 * rows does not give it back. A count of k sessions or more may still be fewer than k people (a user trial, session
 * 40: counts of 5 or more sessions from fewer than k people were shown): the funnels count the people behind these
 * measures too (not published), and the floor is of people.
 */
import { describe, expect, it } from 'vitest';
import type { FunnelRow } from '../../src/events/compute-funnels.js';
import { publishEventsSummary } from '../../src/events/publish-events-summary.js';
import type { EventsSummary } from '../../src/events/run-events.js';
import { SuppressionTally } from '../../src/privacy/disclosure/suppress-rows.js';

const step = (sessions: number, people: number) => ({ sessions, people, rate: 0.5, rateLow: 0.4, rateHigh: 0.6 });
const row = (group: string, people: number, lost: number, cartless: number): FunnelRow => ({
  group, people, sessions: 10 * people, viewed: step(8 * people, people), carted: step(4 * people, people - 10), purchased: step(2 * people, people - 20),
  conversionRate: 0.2, conversionLow: 0.1, conversionHigh: 0.3, searchesWithoutView: lost, cartsAbandoned: 2 * people, purchasedWithoutCart: cartless,
});
const overallOf = (rows: readonly FunnelRow[]): FunnelRow => {
  const sum = (f: (r: FunnelRow) => number) => rows.reduce((a, r) => a + f(r), 0);
  return row('all', sum((r) => r.people), sum((r) => r.searchesWithoutView), sum((r) => r.purchasedWithoutCart));
};
const publish = (bySegment: FunnelRow[], overall = overallOf(bySegment)) =>
  publishEventsSummary(
    { funnels: { overall, bySegment, byStage: [], byChannel: [], byCohort: [], byFirstSeen: [] }, onlineLifecycle: { browseStages: {}, crossTable: [], validation: null } } as unknown as EventsSummary,
    5, new SuppressionTally(5), {},
  ).funnels;

describe('few-session counts in funnel rows', () => {
  const rows = [row('Champions', 488, 40, 52), row("Can't lose them", 19, 0, 2), row('Loyal', 408, 1, 30), row('Lost', 513, 30, 10)];
  const out = publish(rows);
  const of = (group: string) => out.bySegment.find((r) => r.group === group)!;

  it('withholds 1…4 searches without a view or purchases without a cart add', () => {
    expect(of('Loyal').searchesWithoutView).toBeNull();
    expect(of("Can't lose them").purchasedWithoutCart).toBeNull();
    expect(of("Can't lose them").people).toBe(19);
  });

  it('keeps 0 and counts of k or more shown', () => {
    expect(of("Can't lose them").searchesWithoutView).toBe(0);
    expect(of('Champions').purchasedWithoutCart).toBe(52);
  });

  it('withholds a partner in each column: the overall row less the shown rows gives no single row', () => {
    for (const measure of ['searchesWithoutView', 'purchasedWithoutCart'] as const) {
      const withheld = out.bySegment.filter((r) => r[measure] === null);
      expect(withheld.length, measure).toBeGreaterThanOrEqual(2);
      const hidden = rows.filter((r) => out.bySegment.find((p) => p.group === r.group)![measure] === null).reduce((a, r) => a + r[measure], 0);
      expect(hidden, measure).toBeGreaterThanOrEqual(5);
    }
    expect(out.overall.searchesWithoutView).toBe(71);
  });

  it('withholds the overall row’s own count of 1…4', () => {
    const few = [row('Champions', 488, 3, 0), row('Loyal', 408, 0, 0)];
    const published = publish(few);
    expect(published.overall.searchesWithoutView).toBeNull();
    expect(published.bySegment.find((r) => r.group === 'Champions')!.searchesWithoutView).toBeNull();
  });

  it('decides by the people behind the sessions: 7 searches without a view of 1 person are withheld, 7 of 7 people shown', () => {
    const fewPeople = [
      { ...row('Champions', 488, 7, 52), searchesWithoutViewPeople: 1, purchasedWithoutCartPeople: 40 },
      { ...row('Loyal', 408, 30, 9), searchesWithoutViewPeople: 25, purchasedWithoutCartPeople: 2 },
      { ...row('Lost', 513, 20, 30), searchesWithoutViewPeople: 18, purchasedWithoutCartPeople: 20 },
    ];
    const published = publish(fewPeople);
    const at = (group: string) => published.bySegment.find((r) => r.group === group)!;
    // before: 7 and 9 sessions (k or more) were shown, though 1 and 2 people
    expect(at('Champions').searchesWithoutView).toBeNull();
    expect(at('Loyal').purchasedWithoutCart).toBeNull();
    // a partner in each column (the overall row less the shown rows), and what is shown is a count of sessions
    expect(published.bySegment.filter((r) => r.searchesWithoutView === null)).toHaveLength(2);
    expect(published.bySegment.filter((r) => r.purchasedWithoutCart === null)).toHaveLength(2);
    expect(at('Champions').purchasedWithoutCart).toBe(52);
    // the people are not published
    expect(Object.keys(at('Lost'))).not.toContain('searchesWithoutViewPeople');
    const many = publish([{ ...row('Champions', 488, 7, 52), searchesWithoutViewPeople: 7, purchasedWithoutCartPeople: 40 }, { ...row('Loyal', 408, 30, 9), searchesWithoutViewPeople: 25, purchasedWithoutCartPeople: 9 }]);
    expect(many.bySegment.map((r) => [r.searchesWithoutView, r.purchasedWithoutCart])).toEqual([[7, 52], [30, 9]]);
  });
});
