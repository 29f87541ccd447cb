/**
 * Stage snapshots at the end of every period (month by default) from the
 * first purchase (or `from`) to `to`, the transition matrix between
 * consecutive snapshots, the flows of each step, and the lifecycle series
 * (the snapshots' stage counts, prospects left out: `lifecycle-series.ts`).
 * Snapshots use purchase history only (no P(alive): the scores are as of
 * one date). The last period may end early at `to` (marked partial).
 *
 * Matrix rows are the stage at the earlier snapshot, with the extra row
 * `none` for customers who did not exist yet (their first purchase or
 * signup came in between); columns are the stage at the later snapshot.
 * Counts add up over all consecutive pairs; rates are row shares.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { UserError } from '../core/errors/user-error.js';
import { calendarPeriods, dayFromNumber, dayNumber, parseDay, type CalendarPeriod } from '../core/calendar-days.js';
import { type PurchaseGrain } from '../features/customer-summary.js';
import { classifyLifecycleStages, type StageSnapshot } from './classify-lifecycle-stages.js';
import { lifecycleSeriesOf, type LifecycleSeries } from './lifecycle-series.js';
import { LIFECYCLE_STAGES, resolveLifecycleThresholds, type LifecycleStage, type LifecycleThresholds } from './lifecycle-stage-rules.js';
import { loadPurchaseHistories } from './purchase-histories.js';

export interface StageTransitionsOptions {
  /** last snapshot day, YYYY-MM-DD */
  readonly to: string;
  /** first day of the first period (default: the first purchase) */
  readonly from?: string;
  readonly period?: CalendarPeriod;
  readonly grain?: PurchaseGrain;
  readonly thresholds?: Partial<LifecycleThresholds>;
  readonly includeProspects?: boolean;
  readonly transactionsTable?: string;
}

export type TransitionState = LifecycleStage | 'none';

export interface StageFlow {
  readonly from: TransitionState;
  readonly to: LifecycleStage;
  readonly customers: number;
}

export interface StageSnapshotSummary {
  /** period label, e.g. 2011-03 */
  readonly label: string;
  /** snapshot day (the period's last day, or `to`) */
  readonly day: string;
  readonly partial: boolean;
  readonly populationGapDays: number;
  readonly counts: Readonly<Record<LifecycleStage, number>>;
}

export interface StageTransitions {
  readonly period: CalendarPeriod;
  readonly thresholds: LifecycleThresholds;
  readonly snapshots: readonly StageSnapshotSummary[];
  readonly matrix: {
    readonly from: readonly TransitionState[];
    readonly to: readonly LifecycleStage[];
    /** counts[from][to], summed over consecutive snapshot pairs */
    readonly counts: readonly (readonly number[])[];
    /** counts / row total; null for an empty row */
    readonly rates: readonly (readonly (number | null)[])[];
  };
  /** flows of every consecutive pair (customers > 0 only) */
  readonly steps: readonly { readonly fromLabel: string; readonly toLabel: string; readonly flows: readonly StageFlow[] }[];
  readonly series: LifecycleSeries;
}

const FROM_STATES: readonly TransitionState[] = ['none', ...LIFECYCLE_STAGES];

function countStages(snapshot: StageSnapshot): Record<LifecycleStage, number> {
  const counts = Object.fromEntries(LIFECYCLE_STAGES.map((s) => [s, 0])) as Record<LifecycleStage, number>;
  for (const code of snapshot.stage) if (code >= 0) counts[LIFECYCLE_STAGES[code]!]++;
  return counts;
}

export async function computeStageTransitions(warehouse: Warehouse, options: StageTransitionsOptions): Promise<StageTransitions> {
  const to = parseDay(options.to, '--to');
  const period = options.period ?? 'month';
  const thresholds = resolveLifecycleThresholds(options.thresholds);
  const histories = await loadPurchaseHistories(warehouse, {
    end: to,
    ...(options.grain ? { grain: options.grain } : {}),
    ...(options.includeProspects !== undefined ? { includeProspects: options.includeProspects } : {}),
    ...(options.transactionsTable ? { transactionsTable: options.transactionsTable } : {}),
  });
  let from = options.from !== undefined ? parseDay(options.from, '--from') : null;
  if (from === null) {
    let first = Infinity;
    for (const day of histories.day) if (day < first) first = day;
    if (!Number.isFinite(first)) throw new UserError(`no purchases on or before ${to}`, 'check the date and that transactions were ingested');
    from = dayFromNumber(first);
  }
  if (from > to) throw new UserError(`--from ${from} is after --to ${to}`, 'swap the dates');
  const periods = calendarPeriods(from, to, period);
  const snapshots = periods.map((p) => classifyLifecycleStages(histories, dayNumber(p.end), thresholds));

  const rows = FROM_STATES.length;
  const cols = LIFECYCLE_STAGES.length;
  const counts = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
  const steps: StageTransitions['steps'][number][] = [];
  for (let s = 1; s < snapshots.length; s++) {
    const before = snapshots[s - 1]!.stage;
    const after = snapshots[s]!.stage;
    const step = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
    for (let i = 0; i < after.length; i++) {
      const b = after[i]!;
      if (b < 0) continue;
      const a = before[i]! + 1; // none (−1) → row 0
      step[a]![b]!++;
      counts[a]![b]!++;
    }
    const flows: StageFlow[] = [];
    step.forEach((row, a) => row.forEach((c, b) => c > 0 && flows.push({ from: FROM_STATES[a]!, to: LIFECYCLE_STAGES[b]!, customers: c })));
    steps.push({ fromLabel: periods[s - 1]!.end, toLabel: periods[s]!.end, flows });
  }
  const rates = counts.map((row) => {
    const total = row.reduce((x, y) => x + y, 0);
    return row.map((c) => (total === 0 ? null : c / total));
  });

  const summaries = periods.map((p, j) => ({ label: p.label, day: p.end, partial: p.partial, populationGapDays: snapshots[j]!.populationGapDays, counts: countStages(snapshots[j]!) }));
  return {
    period,
    thresholds,
    snapshots: summaries,
    matrix: { from: FROM_STATES, to: LIFECYCLE_STAGES, counts, rates },
    steps,
    // the customer base at each period end by stage: the snapshots' counts, buyers only
    series: lifecycleSeriesOf(summaries),
  };
}
