/**
 * QA: the default playbook on a 50-customer shop drew nothing — every play below the minimum group size, in customers
 * or in the control group its holdout leaves — and exited 0 with the per-play reasons but no word on the whole nor on
 * what to do. A plan that draws nothing now ends with one hint line saying why and what to change.
 */
import { describe, expect, it } from 'vitest';
import type { PlaybookPlan } from '../../src/actions/run-playbook.js';
import { formatPlan, nothingDrawnHint } from '../../src/cli/commands/playbook-command.js';

const NONE = { optedOut: 0, contactedRecently: 0, runningControlGroup: 0, boughtRecently: 0, nextOrderDue: 0 };

function plan(skipped: readonly (string | null)[], members = 0): PlaybookPlan {
  const plays = skipped.map((reason, i) => ({ play: `play-${i}`, channel: 'email', offer: 'x', where: 'TRUE', eligible: 3, matched: 3, suppressed: NONE, costPerContact: 1, lift: 0.1, liftSource: 'playbook', notes: [], audience: reason ? null : `a-${i}`, members: reason ? 0 : members, treatment: reason ? 0 : members - 5, control: reason ? 0 : 5, expectedCost: 0, expectedIncrementalValue: null, expectedRoi: null, file: null, valueSource: '', skipped: reason, balance: null }));
  return { playbook: 'default', sendDate: '2023-12-30', seed: 1, budget: null, plays, valueBasis: 'value', targeting: null, totals: { customers: 50, members, notDrawn: 50 - members, matchedByNone: 0, treatment: 0, expectedCost: 0, expectedIncrementalValue: null, expectedRoi: null, suppressed: NONE } } as unknown as PlaybookPlan;
}

// the skip reasons of the default playbook on `synth --customers 50` (seed 42)
const FIFTY = [
  '1 customer, fewer than the minimum group size 5; they were offered to the later plays that match them',
  'no customer matches',
  'a control group of 1 of 10 customers (holdout 0.1), fewer than the minimum group size 5: the campaign could not be measured; they were offered to the later plays that match them',
  '3 customers, fewer than the minimum group size 5; they were offered to the later plays that match them',
  '2 customers, fewer than the minimum group size 5; they were offered to the later plays that match them',
  'a control group of 3 of 34 customers (holdout 0.1), fewer than the minimum group size 5: the campaign could not be measured; they were offered to the later plays that match them',
];

describe('a playbook that draws nothing', () => {
  it('ends with one hint: why nothing was drawn and what to do', () => {
    const expected = 'hint: nothing drawn: 5 of the 6 plays are below the minimum group size 5 (in customers, or in the control group their holdout leaves) and 1 matches no customer; for a shop of 50 customers pass a lower --min-group-size (the privacy k-floor), or a playbook (--config) with fewer, broader plays or a larger holdout';
    expect(nothingDrawnHint(plan(FIFTY), 5)).toBe(expected);
    const lines = formatPlan(plan(FIFTY), 5).split('\n');
    expect(lines.at(-1)).toBe(expected);
  });

  it('names suppression and the budget when they left nothing', () => {
    expect(nothingDrawnHint(plan(['all 12 customers the filter matches are suppressed (12 bought recently)', 'no customer of this play fits the budget']), 5)).toBe(
      'hint: nothing drawn: 1 of the 2 plays has every customer suppressed and 1 has none within the budget; loosen the suppression rules in a playbook (--config), or raise --budget',
    );
  });

  it('says nothing when a play was drawn, or when the playbook has no play', () => {
    expect(nothingDrawnHint(plan([null, FIFTY[0]!], 40), 5)).toBeNull();
    expect(formatPlan(plan([null], 40), 5)).not.toContain('hint:');
    expect(nothingDrawnHint(plan([]), 5)).toBeNull();
  });
});
