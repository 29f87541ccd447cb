/**
 * The funnels find a group's decision by its key, not by its label as one table wrote it. The funnel rows' labels come
 * from other queries (and engines) than the tables that count the groups whole, and a label written differently — `Paid
 * Search` in the KPIs by acquisition channel, `paid search ` in the funnel — withheld nothing: the KPIs withheld the
 * channel (its 12 customers) and the funnel showed its 12 people. Now the decision is looked up by `groupKey`, and a
 * funnel group its table does not list at all is withheld as one that table withholds (fail safe).
 */
import { describe, expect, it } from 'vitest';
import type { FunnelRow } from '../../src/events/compute-funnels.js';
import { publishEventsSummary, type RunGroups } from '../../src/events/publish-events-summary.js';
import type { EventsSummary } from '../../src/events/run-events.js';
import { groupKey } from '../../src/privacy/disclosure/group-key.js';
import { SuppressionTally } from '../../src/privacy/disclosure/suppress-rows.js';
import { runGroups } from '../../src/pipeline/publish-segments-summary.js';
import type { PublishedSegmentsSummary } from '../../src/pipeline/publish-segments-summary.js';

const step = (people: number) => ({ sessions: 2 * people, people, rate: 0.5, rateLow: 0.4, rateHigh: 0.6 });
const row = (group: string, people: number): FunnelRow => ({
  group, people, sessions: 4 * people, viewed: step(people), carted: step(people), purchased: step(people),
  conversionRate: 0.1, conversionLow: 0.05, conversionHigh: 0.2, searchesWithoutView: 0, cartsAbandoned: 0, purchasedWithoutCart: 0,
});
const summary = (byChannel: FunnelRow[]) =>
  ({
    funnels: { overall: row('all', byChannel.reduce((a, r) => a + r.people, 0)), bySegment: [], byStage: [], byChannel, byCohort: [], byFirstSeen: [] },
    onlineLifecycle: { browseStages: {}, crossTable: [], validation: null },
  }) as unknown as EventsSummary;
const people = (rows: readonly { group: string; people: number | null }[]) => Object.fromEntries(rows.map((r) => [r.group, r.people]));

describe('the funnels find their groups by key', () => {
  it('groupKey: one key for the labels of one group', () => {
    expect(groupKey(' Paid  Search ')).toBe('paid search');
    expect(groupKey('paid search')).toBe(groupKey('PAID SEARCH'));
    expect(groupKey('Café')).toBe(groupKey('Cafe\u0301'));
  });

  it('a channel the KPIs withhold under another spelling is withheld in the funnel', () => {
    const s = summary([row('email', 40), row('organic', 300), row('paid search ', 12), row('social', 30)]);
    // the run's decisions, keyed as runGroups keys them: the KPIs wrote 'Paid Search'
    const groups: RunGroups = { byChannel: new Map([[groupKey('email'), 40], [groupKey('organic'), 300], [groupKey('Paid Search'), null], [groupKey('social'), 30]]) };
    const out = people(publishEventsSummary(s, 5, new SuppressionTally(5), groups).funnels.byChannel);
    expect(out['paid search ']).toBeNull();
    // and a partner, so the overall row less the shown ones is not the 12
    expect(Object.values(out).filter((n) => n === null)).toHaveLength(2);
  });

  it('a funnel group its table does not list is withheld; the funnel’s own (anonymous) and (none) are not', () => {
    const s = summary([row('(anonymous)', 200), row('(none)', 50), row('email', 40), row('organic', 300), row('referral', 30)]);
    const groups: RunGroups = { byChannel: new Map([['email', 40], ['organic', 300]]) };
    const out = people(publishEventsSummary(s, 5, new SuppressionTally(5), groups).funnels.byChannel);
    expect(out.referral).toBeNull();
    expect([out['(anonymous)'], out.organic]).toEqual([200, 300]);
  });

  it('two labels of one key (channels differing in case only): the decision that withholds wins — one table’s decision was lost (review of session 36)', () => {
    // acquisition channels are grouped as written: 'Email' and 'email' are two groups in the KPIs and in the funnel
    const published = {
      stages: { stages: [] },
      rfm: { segments: [] },
      cohorts: { cohorts: [] },
      kpis: { byAcquisitionChannel: [{ group: 'Email', customers: null }, { group: 'email', customers: 40 }, { group: 'organic', customers: 300 }] },
    } as unknown as PublishedSegmentsSummary;
    const groups = runGroups(published);
    expect(groups.byChannel!.get('email')).toBeNull();
    const out = people(publishEventsSummary(summary([row('Email', 12), row('email', 40), row('organic', 300)]), 5, new SuppressionTally(5), groups).funnels.byChannel);
    expect(out.Email).toBeNull();
    expect(out.email).toBeNull();
    expect(out.organic).toBe(300);
  });
});
