/**
 * The lifecycle over time: the customer base at the end of each period,
 * split by lifecycle stage — the stage snapshots of `compute-stage-transitions.ts`
 * (the rules of `lifecycle-stage-rules.ts`, from purchase history, as of each
 * period's last day), counted. Prospects are left out: each period's counts
 * add up to the customers with a purchase by its end, and the last period's
 * are the stage counts as of its day.
 *
 * run.json before `measure` held flows instead (`LegacyLifecycleSeries`).
 */
import { LIFECYCLE_STAGES, type LifecycleStage } from './lifecycle-stage-rules.js';

/** The stages of the series: every stage of a customer who has bought (prospects are not in the customer base). */
export const SERIES_STAGES = LIFECYCLE_STAGES.filter((s): s is Exclude<LifecycleStage, 'prospect'> => s !== 'prospect');
export type SeriesStage = (typeof SERIES_STAGES)[number];

/** What a count of the series is; marks the run.json form (the flows before it had no `measure`). */
export const SERIES_MEASURE = 'customers-at-period-end';

export interface LifecycleSeries {
  readonly measure: typeof SERIES_MEASURE;
  readonly periodLabels: readonly string[];
  /** per stage (in lifecycle order), customers in it at each period's end, aligned with `periodLabels` */
  readonly counts: Readonly<Record<SeriesStage, readonly number[]>>;
}

/**
 * The series of run.json files written before `measure`: per period, new, returning and reactivated buyers of the
 * period, customers who lapsed in it (counted again in dormant or churned), and the dormant and churned stock at its
 * end — not the customer base. Read only (old runs), never written.
 */
export const LEGACY_SERIES_STATES = ['new', 'returning', 'reactivated', 'lapsed', 'dormant', 'churned'] as const;
export type LegacyLifecycleSeries<N = number> = { readonly periodLabels: readonly string[] } & { readonly [S in (typeof LEGACY_SERIES_STATES)[number]]: readonly N[] };

/** The series from the stage counts of each period's snapshot. */
export function lifecycleSeriesOf(snapshots: readonly { readonly label: string; readonly counts: Readonly<Record<LifecycleStage, number>> }[]): LifecycleSeries {
  return {
    measure: SERIES_MEASURE,
    periodLabels: snapshots.map((s) => s.label),
    counts: Object.fromEntries(SERIES_STAGES.map((stage) => [stage, snapshots.map((s) => s.counts[stage])])) as Record<SeriesStage, number[]>,
  };
}
