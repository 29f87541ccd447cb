/**
 * The none → prospect flow (a month's sign-ups who have not bought) was withheld when small, but its partner could be a
 * flow every reader already knew: February's 2 sign-ups took prospect → prospect (20) as their partner in the month's
 * column into prospect (22 shown), and prospect → prospect was the only flow out of January's prospects (20 shown) — so
 * 22 − 20 gave the 2 back (docs/privacy.md listed it as not closed). The transitions are now checked as a reader would
 * read them (`firstSubtraction`: every month's count, every flow and matrix cell, every sum between them, one unknown
 * at a time and on from what was found), and one more cell of a sum that gives a withheld one away is withheld.
 */
import { describe, expect, it } from 'vitest';
import { publishStageTransitions } from '../../src/lifecycle/publish-stage-transitions.js';
import { loadLinearProgramSolver } from '../../src/privacy/disclosure/hiding-set.js';
import { oneStepTransitions, stageCounts } from './one-step-transitions.js';
import { recoverBySubtraction } from '../privacy/subtraction-attack.js';

const solve = await loadLinearProgramSolver();

const counts = stageCounts;
const transitionsOf = oneStepTransitions;

describe('sign-ups without a purchase stay withheld in the flows', () => {
  it("February's 2 sign-ups are not February's prospects less January's", () => {
    const t = transitionsOf(
      [
        { from: 'none', to: 'prospect', customers: 2 },
        { from: 'prospect', to: 'prospect', customers: 20 },
        { from: 'none', to: 'new', customers: 25 },
        { from: 'new', to: 'active', customers: 30 },
        { from: 'active', to: 'active', customers: 40 },
      ],
      [
        { label: '2024-01', day: '2024-01-31', partial: false, populationGapDays: 30, counts: counts({ prospect: 20, new: 30, active: 40 }) },
        { label: '2024-02', day: '2024-02-29', partial: false, populationGapDays: 30, counts: counts({ prospect: 22, new: 25, active: 70 }) },
      ],
    );
    for (const prospectsKnown of [false, true]) {
      const out = publishStageTransitions(t, 5, undefined, { solve: solve, prospectsKnown });
      expect(out.steps[0]!.flows.find((f) => f.from === 'none' && f.to === 'prospect')!.customers).toBeNull();
      expect(recoverBySubtraction({ segments: { transitions: out } })).toEqual([]);
    }
  });
});
