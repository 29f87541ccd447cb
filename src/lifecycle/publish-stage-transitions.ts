import type { StageFlow, StageSnapshotSummary, StageTransitions } from './compute-stage-transitions.js';
import { LEGACY_SERIES_STATES, SERIES_STAGES, type LegacyLifecycleSeries, type LifecycleSeries, type SeriesStage } from './lifecycle-series.js';
import type { LifecycleStage } from './lifecycle-stage-rules.js';
import type { Suppression } from '../privacy/disclosure/suppress-linked-cells.js';
import { suppressLinkedCells } from '../privacy/disclosure/suppress-linked-cells.js';
import type { SuppressionTally, Withheld, WithheldNumbers } from '../privacy/disclosure/suppress-rows.js';

export type PublishedSnapshot = Omit<StageSnapshotSummary, 'counts'> & {
  readonly counts: Readonly<Record<LifecycleStage, number | null>>;
  /** per stage: why its count is null, or null */
  readonly suppression: Readonly<Record<LifecycleStage, Suppression>>;
};

export type PublishedFlow = Withheld<StageFlow, 'customers'> & { readonly suppression: Suppression };

/** The customer base at each period end by stage, as published: the snapshots' counts and their decisions. */
export type PublishedLifecycleSeries = Omit<LifecycleSeries, 'counts'> & {
  readonly counts: Readonly<Record<SeriesStage, WithheldNumbers>>;
  /** per stage and period: why the count is null, or null */
  readonly suppression: Readonly<Record<SeriesStage, readonly Suppression[]>>;
};

/** The flow series of run.json files written before `measure` (`LegacyLifecycleSeries`), as they were published: read only. */
export type LegacyPublishedLifecycleSeries = LegacyLifecycleSeries<number | null> & {
  readonly suppression: Readonly<Record<(typeof LEGACY_SERIES_STATES)[number], readonly Suppression[]>>;
};

export type PublishedStageTransitions = Omit<StageTransitions, 'snapshots' | 'matrix' | 'steps' | 'series'> & {
  readonly snapshots: readonly PublishedSnapshot[];
  readonly matrix: Omit<StageTransitions['matrix'], 'counts' | 'rates'> & {
    readonly counts: readonly (readonly (number | null)[])[];
    readonly rates: readonly (readonly (number | null)[])[];
    readonly suppression: readonly (readonly Suppression[])[];
  };
  readonly steps: readonly { readonly fromLabel: string; readonly toLabel: string; readonly flows: readonly PublishedFlow[] }[];
  readonly series: PublishedLifecycleSeries;
};

const mark = (count: number, k: number): Suppression => (count > 0 ? (count < k ? 'small-group' : 'complementary') : null);

/**
 * Suppress the stage transitions. These tables share their customers, so
 * they are suppressed together:
 *
 * - snapshots: per month, stage counts below k, complementary over the
 *   stages (their total is the customer base at that date, prospects
 *   included) and over the stages of buyers (their total is the customers
 *   acquired by then, the cohorts' running sum);
 * - matrix (all months' moves from → to): cells below k, complementary in
 *   every row (its rates give the row total) and column; rates go with
 *   their cells;
 * - steps (each month's flows): every flow is a cell of three published
 *   sums — the from-stage count of the month before, the to-stage count of
 *   the month, and the matrix cell it adds to; a flow is withheld when one
 *   of its stage counts is, complementary flows are chosen until no shown
 *   sum reveals a withheld flow by subtraction (`suppressLinkedCells`), and
 *   a withheld matrix cell keeps at least one of its flows withheld (else
 *   it would be the sum of the shown ones);
 * - series: the snapshots' counts of the buyers' stages, with their
 *   decisions.
 *
 * A month's new customers are its acquisition cohort: with `cohorts` (the
 * cohort table's decisions by month label) the series' `new` and the flows
 * from `none` into that month are withheld wherever the cohort is.
 */
export function publishStageTransitions(
  transitions: StageTransitions,
  minGroupSize: number,
  tally?: SuppressionTally,
  options: { readonly cohorts?: ReadonlyMap<string, Suppression> } = {},
): PublishedStageTransitions {
  const cohortWithheld = (label: string | undefined) => label !== undefined && (options.cohorts?.get(label) ?? null) !== null;
  const k = minGroupSize;
  const stages = transitions.matrix.to;
  const from = transitions.matrix.from;

  // snapshots: all stages add up to the customer base, the buyers' stages to the customers acquired (the cohorts' running sum)
  const all = stages.map((_, j) => j);
  const buyers = SERIES_STAGES.map((stage) => stages.indexOf(stage));
  const snapshotMarks = transitions.snapshots.map((s) => suppressLinkedCells(stages.map((stage) => s.counts[stage]), { minGroupSize: k, partitions: [all, buyers] }));
  snapshotMarks.forEach((marks) => tally?.groups('segments.transitions.snapshots', marks));
  const snapshots: PublishedSnapshot[] = transitions.snapshots.map((s, t) => ({
    ...s,
    counts: Object.fromEntries(stages.map((stage, j) => [stage, snapshotMarks[t]![j] === null ? s.counts[stage] : null])) as Record<LifecycleStage, number | null>,
    suppression: Object.fromEntries(stages.map((stage, j) => [stage, snapshotMarks[t]![j]!])) as Record<LifecycleStage, Suppression>,
  }));

  // matrix: rows × columns with both margins published
  const cols = stages.length;
  const matrixCells = transitions.matrix.counts.flat();
  const rowsOf = (rows: number, offset = 0) => Array.from({ length: rows }, (_, a) => Array.from({ length: cols }, (_, b) => offset + a * cols + b));
  const colsOf = (rows: number, offset = 0) => Array.from({ length: cols }, (_, b) => Array.from({ length: rows }, (_, a) => offset + a * cols + b));
  const matrixMarks = suppressLinkedCells(matrixCells, { minGroupSize: k, partitions: [...rowsOf(from.length), ...colsOf(from.length)] });
  tally?.groups('segments.transitions.matrix', matrixMarks);
  const matrixMark = (a: number, b: number) => matrixMarks[a * cols + b]!;

  // steps: one cell per (step, from, to), linked to the snapshots and the matrix
  const perStep = from.length * cols;
  const stepCells: number[] = [];
  const preset: Suppression[] = [];
  const stageIndex = new Map<string, number>(stages.map((s, j) => [s, j]));
  transitions.steps.forEach((step, s) => {
    const grid = new Array<number>(perStep).fill(0);
    for (const f of step.flows) grid[from.indexOf(f.from) * cols + stages.indexOf(f.to)] = f.customers;
    grid.forEach((count, cell) => {
      const a = Math.floor(cell / cols);
      const b = cell % cols;
      const fromStage = stageIndex.get(from[a]!);
      const before = fromStage === undefined ? null : snapshotMarks[s]?.[fromStage] ?? null;
      const after = snapshotMarks[s + 1]?.[b] ?? null;
      const acquired = from[a] === 'none' && cohortWithheld(transitions.snapshots[s + 1]?.label);
      stepCells.push(count);
      preset.push(before !== null || after !== null || acquired ? mark(count, k) : null);
    });
  });
  const stepPartitions = transitions.steps.flatMap((_, s) => [...rowsOf(from.length, s * perStep), ...colsOf(from.length, s * perStep)]);
  const acrossSteps = Array.from({ length: perStep }, (_, cell) => transitions.steps.map((_, s) => s * perStep + cell));
  // a shown matrix cell is the published sum of its monthly flows; a withheld one must not be that sum of shown flows
  const shownSums = acrossSteps.filter((_, cell) => matrixMark(Math.floor(cell / cols), cell % cols) === null);
  let stepMarks = suppressLinkedCells(stepCells, { minGroupSize: k, preset, partitions: [...stepPartitions, ...shownSums] });
  for (let open = true; open; ) {
    open = false;
    acrossSteps.forEach((flows, cell) => {
      if (matrixMark(Math.floor(cell / cols), cell % cols) === null || flows.some((i) => stepMarks[i] !== null)) return;
      const smallest = flows.filter((i) => stepCells[i]! > 0).sort((x, y) => stepCells[x]! - stepCells[y]! || x - y)[0];
      if (smallest === undefined) return;
      stepMarks[smallest] = 'complementary';
      open = true;
    });
    if (open) stepMarks = suppressLinkedCells(stepCells, { minGroupSize: k, preset: stepMarks, partitions: [...stepPartitions, ...shownSums] });
  }
  const steps = transitions.steps.map((step, s) => ({
    ...step,
    flows: step.flows.map((f): PublishedFlow => {
      const m = stepMarks[s * perStep + from.indexOf(f.from) * cols + stages.indexOf(f.to)]!;
      return { ...f, customers: m === null ? f.customers : null, suppression: m };
    }),
  }));
  tally?.groups('segments.transitions.steps', steps.flatMap((step) => step.flows.map((f) => f.suppression)));

  return {
    ...transitions,
    snapshots,
    matrix: {
      ...transitions.matrix,
      counts: transitions.matrix.counts.map((row, a) => row.map((c, b) => (matrixMark(a, b) === null ? c : null))),
      rates: transitions.matrix.rates.map((row, a) => row.map((r, b) => (matrixMark(a, b) === null ? r : null))),
      suppression: transitions.matrix.counts.map((row, a) => row.map((_, b) => matrixMark(a, b))),
    },
    steps,
    series: publishLifecycleSeries(transitions.series, snapshotMarks.map((marks) => (stage: SeriesStage) => marks[stages.indexOf(stage)] ?? null), tally),
  };
}

/** The series is the snapshots' counts: each takes its snapshot's decision. */
function publishLifecycleSeries(series: LifecycleSeries, marks: readonly ((stage: SeriesStage) => Suppression)[], tally?: SuppressionTally): PublishedLifecycleSeries {
  const counts = Object.fromEntries(SERIES_STAGES.map((stage) => [stage, series.counts[stage].map((c, t) => (marks[t]!(stage) === null ? c : null))])) as Record<SeriesStage, (number | null)[]>;
  const suppression = Object.fromEntries(SERIES_STAGES.map((stage) => [stage, series.periodLabels.map((_, t) => marks[t]!(stage))])) as Record<SeriesStage, Suppression[]>;
  series.periodLabels.forEach((_, t) => tally?.groups('segments.transitions.series', SERIES_STAGES.map((stage) => suppression[stage][t]!)));
  return { ...series, counts, suppression };
}
