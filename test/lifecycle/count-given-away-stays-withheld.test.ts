/**
 * A count the transitions' reader works out whatever is withheld — given away (`closeCombinations`' `givenAway`: no
 * cell it may withhold hides it) — stays withheld, marked for its size: docs/privacy.md promises that a count so given
 * away "stays withheld: it hides nothing either, but a table does not print a count below k", and the pass at the end
 * shows again only partners and prospect counts the reader works out, never a count withheld for its size.
 *
 * The case (docs: "a count shown as a total, its flows 0"): two months at k = 5, 12 prospects in January, of whom 2
 * buy in February (`new` = 2) and 10 stay prospects — the prospects now, a published total, as is the customer base
 * now (the stages now's total). Every other stage of February is 0 with no flow into it (the steps list no flow of
 * 0), so `new` = the base less the prospects: no withholding hides it. It must stay unprinted in every table that
 * holds it: February's snapshot and series, its flow and its matrix cell, and the stages now.
 */
import { describe, expect, it } from 'vitest';
import { loadLinearProgramSolver } from '../../src/privacy/disclosure/hiding-set.js';
import { recoverBySubtraction } from '../privacy/subtraction-attack.js';
import { oneStepTransitions, publishedTransitionsRun, stageCounts } from './one-step-transitions.js';

const solve = await loadLinearProgramSolver();
const k = 5;
const snapshots = [
  { label: '2024-01', day: '2024-01-28', partial: false, populationGapDays: 30, counts: stageCounts({ prospect: 12 }) },
  { label: '2024-02', day: '2024-02-28', partial: false, populationGapDays: 30, counts: stageCounts({ prospect: 10, new: 2 }) },
];
const transitions = oneStepTransitions([{ from: 'prospect', to: 'prospect', customers: 10 }, { from: 'prospect', to: 'new', customers: 2 }], snapshots);

describe('a count given away stays withheld', () => {
  it('February’s 2 new customers (below k = 5), worked out from published totals alone, are printed in no table', () => {
    const { out, stages, run } = publishedTransitionsRun(transitions, k, solve);
    // and yet printed nowhere, each marked for its size
    expect([out.snapshots[1]!.counts.new, out.snapshots[1]!.suppression.new]).toEqual([null, 'small-group']);
    expect([out.series.counts.new[1], out.series.suppression.new[1]]).toEqual([null, 'small-group']);
    const newAt = out.matrix.to.indexOf('new');
    const prospectRow = out.matrix.from.indexOf('prospect');
    expect([out.matrix.counts[prospectRow]![newAt], out.matrix.rates[prospectRow]![newAt], out.matrix.suppression[prospectRow]![newAt]]).toEqual([null, null, 'small-group']);
    expect(out.steps[0]!.flows.find((f) => f.from === 'prospect' && f.to === 'new')).toMatchObject({ customers: null, suppression: 'small-group' });
    expect(stages.stages.find((s) => s.stage === 'new')).toMatchObject({ customers: null, suppression: 'small-group' });
    // given away all the same: a reader of the published tables works it out (so this is the case the promise is for)
    expect(recoverBySubtraction(run).map((line) => line.split(' (')[0])).toEqual(expect.arrayContaining(['snapshot 2024-02 new = 2', 'matrix prospect → new = 2', 'flow 2024-02-28 prospect → new = 2']));
  });
});
