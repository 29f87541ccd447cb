/**
 * The funnel row `(anonymous)` counts the people stitching publishes (`events.stitching.visitorsAnonymous`, with
 * `sessionsWithoutIds`): a reader knows it whatever the row shows. Taken as the partner of a small row (it was the
 * smallest shown row of its breakdown), it hid nothing: the overall people less the shown rows and stitching's
 * anonymous visitors gave the small row back (a segment of 3 at k = 5). It is never a partner now, and is still
 * withheld below k (its sessions and steps are few people's).
 */
import { describe, expect, it } from 'vitest';
import { publishEventsSummary } from '../../src/events/publish-events-summary.js';
import type { EventsSummary } from '../../src/events/run-events.js';
import { SuppressionTally } from '../../src/privacy/disclosure/suppress-rows.js';
import { funnelRow } from '../privacy/events-run.js';

const publish = (rows: ReturnType<typeof funnelRow>[], anonymous: number) => {
  const overall = funnelRow('all', rows.reduce((a, r) => a + r.people, 0));
  const summary = {
    stitching: { visitorsAnonymous: anonymous, sessionsWithoutIds: 0 },
    funnels: { overall, bySegment: rows, byStage: [], byChannel: [], byCohort: [], byFirstSeen: [] },
    onlineLifecycle: { browseStages: {}, crossTable: [], validation: null },
  } as unknown as EventsSummary;
  return publishEventsSummary(summary, 5, new SuppressionTally(5)).funnels.bySegment;
};

describe('the (anonymous) funnel row', () => {
  it('is no partner: a small row is not the overall less the shown rows and the anonymous visitors', () => {
    const rows = [funnelRow('(anonymous)', 6), funnelRow('Champions', 488), funnelRow("Can't lose them", 3), funnelRow('Loyal', 40), funnelRow('Lost', 513)];
    const out = publish(rows, 6);
    expect(out.map((r) => [r.group, r.people])).toEqual([['(anonymous)', 6], ['Champions', 488], ["Can't lose them", null], ['Loyal', null], ['Lost', 513]]);
    // before: (anonymous) withheld as the partner, and 1,050 − 488 − 40 − 513 − 6 = 3
    const withheld = rows.filter((_, i) => out[i]!.people === null && rows[i]!.group !== '(anonymous)');
    expect(withheld.length).toBeGreaterThanOrEqual(2);
    expect(withheld.reduce((a, r) => a + r.people, 0)).toBeGreaterThanOrEqual(5);
  });

  it('is withheld below k all the same, and a small row takes a partner among the others', () => {
    const out = publish([funnelRow('(anonymous)', 2), funnelRow('Champions', 488), funnelRow("Can't lose them", 3), funnelRow('Loyal', 40)], 2);
    expect(out.map((r) => [r.group, r.people, r.suppression])).toEqual([['(anonymous)', null, 'small-group'], ['Champions', 488, null], ["Can't lose them", null, 'small-group'], ['Loyal', null, 'complementary']]);
    expect(out[0]!.sessions).toBeNull();
  });
});
