import type { StageTransitions } from '../../src/lifecycle/compute-stage-transitions.js';
import { lifecycleSeriesOf } from '../../src/lifecycle/lifecycle-series.js';
import { DEFAULT_LIFECYCLE_THRESHOLDS, LIFECYCLE_STAGES, type LifecycleStage } from '../../src/lifecycle/lifecycle-stage-rules.js';
import { lifecycleStageDecisions, publishLifecycleStages } from '../../src/lifecycle/publish-lifecycle-stages.js';
import { publishStageTransitions } from '../../src/lifecycle/publish-stage-transitions.js';
import type { LinearProgramSolver } from '../../src/privacy/disclosure/hiding-set.js';

/** A snapshot's counts: the stages named, the others 0. */
export const stageCounts = (values: Partial<Record<LifecycleStage, number>>) => Object.fromEntries(LIFECYCLE_STAGES.map((s) => [s, values[s] ?? 0])) as Record<LifecycleStage, number>;

const from = ['none', ...LIFECYCLE_STAGES] as const;

/** Monthly transitions of two snapshots and the one step between them (its flows), with the matrix and rates they make. */
export function oneStepTransitions(flows: readonly { from: (typeof from)[number]; to: LifecycleStage; customers: number }[], snapshots: StageTransitions['snapshots']): StageTransitions {
  const matrix = from.map((a) => LIFECYCLE_STAGES.map((b): number => flows.find((f) => f.from === a && f.to === b)?.customers ?? 0));
  return {
    period: 'month',
    thresholds: DEFAULT_LIFECYCLE_THRESHOLDS,
    snapshots,
    matrix: { from, to: LIFECYCLE_STAGES, counts: matrix, rates: matrix.map((row) => row.map((c) => (row.some((x) => x > 0) ? c / row.reduce((x, y) => x + y, 0) : null))) },
    steps: [{ fromLabel: snapshots[0]!.day, toLabel: snapshots[1]!.day, flows }],
    series: lifecycleSeriesOf(snapshots),
  } as StageTransitions;
}

/**
 * What a run publishes of `transitions` at `k` with the LP solver (`solve`): the transitions (`out`), the stages now
 * decided with the last snapshot's marks (`stages`), and the parts of run.json an attacker reads (`run`: transitions,
 * stages now and their total, the RFM customers: the total less the prospects), prospects known.
 */
export function publishedTransitionsRun(transitions: StageTransitions, k: number, solve: LinearProgramSolver) {
  const last = transitions.snapshots.at(-1)!;
  const stagesNow = { asOf: last.day, stages: LIFECYCLE_STAGES.map((stage) => ({ stage, customers: last.counts[stage] })) };
  const out = publishStageTransitions(transitions, k, undefined, { solve, lastSnapshot: lifecycleStageDecisions(stagesNow as never, k, { prospectsKnown: true }), prospectsKnown: true });
  const stages = publishLifecycleStages(stagesNow as never, k, { prospectsKnown: true, preset: new Map(Object.entries(out.snapshots.at(-1)!.suppression)) });
  const total = Object.values(last.counts).reduce((a, b) => a + b, 0);
  const run = { segments: { transitions: out, stages: { asOf: last.day, customers: total, stages: stages.stages }, rfm: { customers: total - last.counts.prospect } } };
  return { out, stages, run };
}
