/**
 * The events summary applies the run's decisions on the groups the segments step counts (`RunGroups`): a funnel row of
 * a group its own table withholds is withheld whatever its people, a row that is the very count that table shows is a
 * partner last, and a purchase stage the stages table withholds keeps a cell of its cross-table column withheld.
 * (The whole run: test/privacy/a-count-hidden-in-one-table-is-hidden-in-all.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { FunnelRow } from '../../src/events/compute-funnels.js';
import { publishEventsSummary, type RunGroups } from '../../src/events/publish-events-summary.js';
import type { EventsSummary } from '../../src/events/run-events.js';
import { SuppressionTally } from '../../src/privacy/disclosure/suppress-rows.js';

const step = (people: number) => ({ sessions: 2 * people, people, rate: 0.5, rateLow: 0.4, rateHigh: 0.6 });
const row = (group: string, people: number): FunnelRow => ({
  group, people, sessions: 4 * people, viewed: step(people), carted: step(people), purchased: step(people),
  conversionRate: 0.1, conversionLow: 0.05, conversionHigh: 0.2, searchesWithoutView: 0, cartsAbandoned: 0, purchasedWithoutCart: 0,
});

function summary(byStage: FunnelRow[], crossTable: { browseStage: string; purchaseStage: string; customers: number }[] = []): EventsSummary {
  const overall = row('all', byStage.reduce((sum, r) => sum + r.people, 0));
  return {
    funnels: { overall, bySegment: [], byStage, byChannel: [], byCohort: [], byFirstSeen: [] },
    onlineLifecycle: { browseStages: {}, crossTable, validation: null },
  } as unknown as EventsSummary;
}

const people = (rows: readonly { group: string; people: number | null }[]) => Object.fromEntries(rows.map((r) => [r.group, r.people]));

describe('the funnels follow the tables that count their groups', () => {
  it("withholds a stage the stages table withholds, though its funnel row is k or more", () => {
    const s = summary([row('active', 40), row('churned', 300), row('dormant', 30), row('reactivated', 20)]);
    // stages: dormant 36 (a partner there) and reactivated 3 withheld; the funnel's dormant row has 30 people
    const groups: RunGroups = { byStage: new Map([['active', 40], ['churned', 300], ['dormant', null], ['reactivated', null]]) };
    expect(people(publishEventsSummary(s, 5, new SuppressionTally(5)).funnels.byStage)).toEqual({ active: 40, churned: 300, dormant: 30, reactivated: 20 });
    expect(people(publishEventsSummary(s, 5, new SuppressionTally(5), groups).funnels.byStage)).toEqual({ active: 40, churned: 300, dormant: null, reactivated: null });
  });

  it('takes as a partner a row whose people are not the count its table shows before one that is', () => {
    // reactivated has 2 people with events (of its 25): its partner is at_risk (60 of 80 browse), not active (40, shown as 40)
    const s = summary([row('active', 40), row('at_risk', 60), row('churned', 300), row('reactivated', 2)]);
    const groups: RunGroups = { byStage: new Map([['active', 40], ['at_risk', 80], ['churned', 300], ['reactivated', 25]]) };
    expect(people(publishEventsSummary(s, 5, new SuppressionTally(5)).funnels.byStage)).toEqual({ active: null, at_risk: 60, churned: 300, reactivated: null });
    expect(people(publishEventsSummary(s, 5, new SuppressionTally(5), groups).funnels.byStage)).toEqual({ active: 40, at_risk: null, churned: 300, reactivated: null });
  });

  it('keeps a cell of a withheld purchase stage withheld in the cross-table, so its column does not add up to it', () => {
    const crossTable = [
      { browseStage: 'gone', purchaseStage: 'churned', customers: 303 },
      { browseStage: 'gone', purchaseStage: 'active', customers: 40 },
      { browseStage: 'lapsing', purchaseStage: 'active', customers: 30 },
    ];
    const s = { ...summary([row('active', 70), row('churned', 303)]), onlineLifecycle: { browseStages: { gone: 343, lapsing: 30 }, crossTable, validation: null } } as unknown as EventsSummary;
    const cells = (groups?: RunGroups) => publishEventsSummary(s, 5, new SuppressionTally(5), groups).onlineLifecycle.crossTable.map((c) => c.customers);
    expect(cells()).toEqual([303, 40, 30]);
    // churned withheld by the stages table: its one cell goes, a partner in its row (gone, a published browse stage), and
    // one in that partner's column (active)
    expect(cells({ byStage: new Map([['active', 70], ['churned', null]]) })).toEqual([null, null, null]);
  });
});
