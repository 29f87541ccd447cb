/**
 * Regression (session 40, found by the sign-ups generator of random-populations-keep-small-counts.test.ts, seed 1,
 * population 30): three months of sign-ups at k = 5, every prospect buying the month after. The matrix's rules took
 * `none → new` (4 people) as a partner before its own size was looked at, and `suppressLinkedCells` kept a preset
 * mark over the size: the cell was withheld as `complementary`. A complementary cell is a partner, not a count that
 * must stay unknown, so no set hid it — and a reader of the published sums worked it out: the flows into new of the
 * second month, less the prospects' conversions (their matrix cell is shown, 9), plus the third month's growth less the
 * sign-ups who stayed prospects (shown, 10). A preset cell below k is now `small-group`, and hidden as one.
 */
import { describe, expect, it } from 'vitest';
import type { StageTransitions } from '../../src/lifecycle/compute-stage-transitions.js';
import { lifecycleSeriesOf } from '../../src/lifecycle/lifecycle-series.js';
import { DEFAULT_LIFECYCLE_THRESHOLDS, LIFECYCLE_STAGES, type LifecycleStage } from '../../src/lifecycle/lifecycle-stage-rules.js';
import { loadLinearProgramSolver } from '../../src/privacy/disclosure/hiding-set.js';
import { recoverBySubtraction } from '../privacy/subtraction-attack.js';
import { publishedTransitionsRun, stageCounts } from './one-step-transitions.js';

const solve = await loadLinearProgramSolver();
const FROM = ['none', ...LIFECYCLE_STAGES] as const;
const k = 5;
const snapshots = [stageCounts({ prospect: 4 }), stageCounts({ prospect: 5, new: 7 }), stageCounts({ prospect: 10, new: 10, reactivated: 1, dormant: 1, churned: 1 })].map((counts, t) => ({ label: `2024-0${t + 1}`, day: `2024-0${t + 1}-28`, partial: false, populationGapDays: 30, counts }));
const flowsOf = (text: string) => text.split(' ').map((word) => {
  const [move, n] = word.split('=');
  const [from, to] = move!.split('>');
  return { from: from!, to: to as LifecycleStage, customers: Number(n) };
});
const steps = ['none>prospect=5 prospect>new=4 none>new=3', 'none>prospect=10 prospect>new=5 new>reactivated=1 new>new=4 none>new=1 new>dormant=1 new>churned=1'].map((text, s) => ({ fromLabel: snapshots[s]!.day, toLabel: snapshots[s + 1]!.day, flows: flowsOf(text) }));
const matrix = FROM.map((a) => LIFECYCLE_STAGES.map((b) => steps.reduce((sum, step) => sum + (step.flows.find((f) => f.from === a && f.to === b)?.customers ?? 0), 0)));
const rates = matrix.map((row) => row.map((c) => (row.some((x) => x > 0) ? c / row.reduce((x, y) => x + y, 0) : null)));
const transitions = { period: 'month', thresholds: DEFAULT_LIFECYCLE_THRESHOLDS, snapshots, matrix: { from: FROM, to: LIFECYCLE_STAGES, counts: matrix, rates }, steps, series: lifecycleSeriesOf(snapshots) } as StageTransitions;

describe('a matrix cell below k taken as a partner stays hidden', () => {
  const { out, run } = publishedTransitionsRun(transitions, k, solve);
  const newColumn = LIFECYCLE_STAGES.indexOf('new');

  it('is withheld for its size: none → new (4, k = 5) is small-group, not complementary', () => {
    expect(out.matrix.counts[0]![newColumn]).toBeNull();
    expect(out.matrix.suppression[0]![newColumn]).toBe('small-group');
  });

  it('no count below k but the prospects’ is recovered from the published sums', () => {
    const below = recoverBySubtraction(run).filter((line) => {
      const value = Number(/ = (\d+)/.exec(line)?.[1]);
      return value > 0 && value < k && !/prospect/.test(line.split(' (')[0]!);
    });
    expect(below).toEqual([]);
  });
});
