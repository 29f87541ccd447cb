import type { StageTransitions } from '../../src/lifecycle/compute-stage-transitions.js';
import { lifecycleSeriesOf } from '../../src/lifecycle/lifecycle-series.js';
import { DEFAULT_LIFECYCLE_THRESHOLDS, LIFECYCLE_STAGES, type LifecycleStage } from '../../src/lifecycle/lifecycle-stage-rules.js';

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
