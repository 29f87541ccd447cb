/**
 * Regression (session 38's review, found on main before the hiding sets too): a matrix cell the reader works out
 * whatever is withheld — here `none → prospect` (2), the prospects now, a published total — was taken as shown with its
 * rate, which gives the row's total (`none`: 4). With that total known, the sign-ups who bought at once (`none → new`,
 * 2, below k = 3) could be hidden by no set of cells (no change of the table may move a known total) and were given
 * away: the total less the 2 prospects. A cell given away is known but not printed, and a rate that is not printed
 * gives no total: the row's total stays unknown, and the flow is hidden. (The case is the review's sound-generator
 * fuzz, seed 303, case 229: 21 customers over two months.)
 */
import { describe, expect, it } from 'vitest';
import { loadLinearProgramSolver } from '../../src/privacy/disclosure/hiding-set.js';
import { recoverBySubtraction } from '../privacy/subtraction-attack.js';
import { oneStepTransitions, publishedTransitionsRun, stageCounts } from './one-step-transitions.js';

const solve = await loadLinearProgramSolver();
const k = 3;
const counts = stageCounts;
const flows: Parameters<typeof oneStepTransitions>[0] = [
  { from: 'new', to: 'new', customers: 6 },
  { from: 'prospect', to: 'new', customers: 6 },
  { from: 'new', to: 'at_risk', customers: 1 },
  { from: 'new', to: 'dormant', customers: 2 },
  { from: 'none', to: 'prospect', customers: 2 },
  { from: 'new', to: 'reactivated', customers: 1 },
  { from: 'none', to: 'new', customers: 2 },
  { from: 'new', to: 'active', customers: 1 },
];
const snapshots = [
  { label: '2024-01', day: '2024-01-28', partial: false, populationGapDays: 30, counts: counts({ prospect: 6, new: 11 }) },
  { label: '2024-02', day: '2024-02-28', partial: false, populationGapDays: 30, counts: counts({ prospect: 2, new: 14, active: 1, reactivated: 1, at_risk: 1, dormant: 2 }) },
];
const transitions = oneStepTransitions(flows, snapshots);

describe('a matrix cell given away gives no row total', () => {
  it('the sign-ups who bought at once (2, below k = 3) are not the row total its rate gave less the prospects', () => {
    const { out, run } = publishedTransitionsRun(transitions, k, solve);
    expect(out.steps[0]!.flows.find((f) => f.from === 'none' && f.to === 'new')!.customers).toBeNull();
    // the matrix row of `none` shows no rate: its total is not given
    expect(out.matrix.rates[0]!.filter((r) => r !== null && r > 0)).toEqual([]);
    // no count below k but the prospects' (a published total, and what it gives) is recovered
    const below = recoverBySubtraction(run).filter((line) => {
      const value = Number(/ = (\d+)/.exec(line)?.[1]);
      return value > 0 && value < k && !/prospect/.test(line.split(' (')[0]!);
    });
    expect(below).toEqual([]);
  });
});
