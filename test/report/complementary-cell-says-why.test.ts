/**
 * A cell hidden to protect a smaller one says so (report QA of the events cross-table: "gone × churned", 2,153
 * customers, read "suppressed" like the 1-customer cell it protects, with no word of why). run.json already carries
 * the reason per cell (`suppression: 'complementary'`); the report tells the two apart in the cell and the caption.
 */
import { describe, expect, it } from 'vitest';
import { renderEventsSection } from '../../src/report/sections/events-section.js';
import { fixtureEvents } from './events-fixture.js';
import { fixtureReportData } from './report-fixture.js';

const base = fixtureEvents('organic');
const events = {
  ...base,
  onlineLifecycle: {
    ...base.onlineLifecycle,
    crossTable: [
      { browseStage: 'gone', purchaseStage: 'churned', customers: null, suppression: 'complementary' as const },
      { browseStage: 'gone', purchaseStage: 'prospect', customers: 300, suppression: null },
      { browseStage: 'lapsing', purchaseStage: 'churned', customers: null, suppression: 'small-group' as const },
      { browseStage: 'lapsing', purchaseStage: 'dormant', customers: null, suppression: 'complementary' as const },
    ],
  },
};
const html = renderEventsSection(fixtureReportData(200), events).html;
const cellOf = (browse: string, purchase: string) => {
  const row = html.split('<tr').find((r) => r.includes(`>${browse}<`) && r.includes(`>${purchase}<`));
  return row ? [...row.matchAll(/<td[^>]*>([^<]*)</g)].map((m) => m[1])[2] : undefined;
};

describe('the events cross-table says why a cell is suppressed', () => {
  it('marks a cell hidden to protect a smaller one apart from the small cell itself', () => {
    expect(cellOf('lapsing', 'churned')).toBe('suppressed');
    expect(cellOf('gone', 'churned')).toBe('suppressed (protects another cell)');
    expect(cellOf('gone', 'prospect')).toBe('300');
  });

  it('the caption counts both kinds and says why the bigger ones are hidden', () => {
    expect(html).toContain(
      'Online lifecycle (browse stage) × purchase lifecycle stage, customers; 1 cell of fewer than 5 customers is suppressed, and 2 more are hidden to protect another hidden cell in their row or column (row and column totals are published, so a lone hidden cell could be worked out from them)',
    );
  });
});
