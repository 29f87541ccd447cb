/**
 * QA: the default playbook on a 50-customer shop drew nothing — every play below the minimum group size, in customers
 * or in the control group its holdout leaves — and exited 0 with the per-play reasons but no word on the whole nor on
 * what to do. A plan that draws nothing now ends with one hint line saying why and what to change.
 */
import { describe, expect, it } from 'vitest';
import type { PlaySkipKind } from '../../src/actions/play-skip-kind.js';
import type { PlaybookPlan } from '../../src/actions/run-playbook.js';
import { formatPlan, nothingDrawnHint } from '../../src/cli/commands/playbook-command.js';

const NONE = { optedOut: 0, contactedRecently: 0, runningControlGroup: 0, boughtRecently: 0, nextOrderDue: 0 };

/** A skipped play: its reason and the kind runPlaybook records beside it. */
type Skip = readonly [reason: string, kind: PlaySkipKind];

function plan(skipped: readonly (Skip | null)[], members = 0): PlaybookPlan {
  const plays = skipped.map((skip, i) => ({ play: `play-${i}`, channel: 'email', offer: 'x', where: 'TRUE', eligible: 3, matched: 3, suppressed: NONE, costPerContact: 1, lift: 0.1, liftSource: 'playbook', notes: [], audience: skip ? null : `a-${i}`, members: skip ? 0 : members, treatment: skip ? 0 : members - 5, control: skip ? 0 : 5, expectedCost: 0, expectedIncrementalValue: null, expectedRoi: null, file: null, valueSource: '', skipped: skip?.[0] ?? null, skipKind: skip?.[1] ?? null, balance: null }));
  return { playbook: 'default', sendDate: '2023-12-30', seed: 1, budget: null, plays, valueBasis: 'value', targeting: null, totals: { customers: 50, members, notDrawn: 50 - members, matchedByNone: 0, treatment: 0, expectedCost: 0, expectedIncrementalValue: null, expectedRoi: null, suppressed: NONE } } as unknown as PlaybookPlan;
}

// the skip reasons of the default playbook on `synth --customers 50` (seed 42)
const FIFTY: readonly Skip[] = [
  ['1 customer, fewer than the minimum group size 5; they were offered to the later plays that match them', 'belowMinGroupSize'],
  ['no customer matches', 'noMatch'],
  ['a control group of 1 of 10 customers (holdout 0.1), fewer than the minimum group size 5: the campaign could not be measured; they were offered to the later plays that match them', 'belowMinGroupSize'],
  ['3 customers, fewer than the minimum group size 5; they were offered to the later plays that match them', 'belowMinGroupSize'],
  ['2 customers, fewer than the minimum group size 5; they were offered to the later plays that match them', 'belowMinGroupSize'],
  ['a control group of 3 of 34 customers (holdout 0.1), fewer than the minimum group size 5: the campaign could not be measured; they were offered to the later plays that match them', 'belowMinGroupSize'],
];

describe('a playbook that draws nothing', () => {
  it('ends with one hint: why nothing was drawn and what to do', () => {
    const expected = 'hint: nothing drawn: 5 of the 6 plays are below the minimum group size 5 (in customers, or in the control group their holdout leaves) and 1 matches no customer; for a shop of 50 customers pass a lower --min-group-size (the privacy k-floor), or a playbook (--config) with fewer, broader plays or a larger holdout';
    expect(nothingDrawnHint(plan(FIFTY), 5)).toBe(expected);
    const lines = formatPlan(plan(FIFTY), 5).split('\n');
    expect(lines.at(-1)).toBe(expected);
  });

  it('names suppression and the budget when they left nothing', () => {
    expect(nothingDrawnHint(plan([['all 12 customers the filter matches are suppressed (12 bought recently)', 'suppressed'], ['no customer of this play fits the budget', 'budget']]), 5)).toBe(
      'hint: nothing drawn: 1 of the 2 plays has every customer suppressed and 1 has none within the budget; loosen the suppression rules in a playbook (--config), or raise --budget',
    );
  });

  // the kind of a skip was read back from its reason's words (/budget/, /minimum group size/, …): a reason reworded
  // gave another hint, or none of use. runPlaybook records the kind beside the reason, which the hint reads
  it('reads the kind runPlaybook recorded, not the words of the reason', () => {
    const reworded = plan([
      ['3 customers: too few to measure a campaign', 'belowMinGroupSize'],
      ['the filter selects nobody', 'noMatch'],
      ['everyone it selects is held back (12 bought recently)', 'suppressed'],
      ['the money ran out before this play', 'budget'],
    ]);
    expect(nothingDrawnHint(reworded, 5)).toBe(
      'hint: nothing drawn: 1 of the 4 plays is below the minimum group size 5 (in customers, or in the control group its holdout leaves), 1 matches no customer, 1 has every customer suppressed and 1 has none within the budget; ' +
        'for a shop of 50 customers pass a lower --min-group-size (the privacy k-floor), or a playbook (--config) with fewer, broader plays or a larger holdout, or loosen the suppression rules in a playbook (--config), or raise --budget',
    );
    // the same words under another kind: the kind's hint
    expect(nothingDrawnHint(plan([['no customer of this play fits the budget', 'suppressed']]), 5)).toBe('hint: nothing drawn: the one play has every customer suppressed; loosen the suppression rules in a playbook (--config)');
  });

  it('says nothing when a play was drawn, or when the playbook has no play', () => {
    expect(nothingDrawnHint(plan([null, FIFTY[0]!], 40), 5)).toBeNull();
    expect(formatPlan(plan([null], 40), 5)).not.toContain('hint:');
    expect(nothingDrawnHint(plan([]), 5)).toBeNull();
  });
});
