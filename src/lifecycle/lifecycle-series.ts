/**
 * The lifecycle over time: for each period, how many customers bought for
 * the first time (new), bought again in their rhythm (returning), came back
 * after a lapse (reactivated), and how many slipped into dormant or churned
 * during the period (lapsed), with the dormant and churned stock at the
 * period's end.
 *
 * - new: first purchase in the period.
 * - reactivated: a repeat purchase in the period that came after a lapse
 *   (`isReturnAfterLapse`, with g₀ of the period-end snapshot); counted once
 *   per customer, and not for customers who are new in the period.
 * - returning: a repeat purchase in the period, not new, not reactivated.
 * - lapsed: in new / active / reactivated / at_risk at the previous
 *   period end, dormant or churned at this one (0 for the first period).
 * - dormant, churned: customers in that stage at the period end.
 */
import { isReturnAfterLapse, type StageSnapshot } from './classify-lifecycle-stages.js';
import { STAGE_CODE, type LifecycleThresholds } from './lifecycle-stage-rules.js';
import { occasionsUpTo, type PurchaseHistories } from './purchase-histories.js';

/** The states of the lifecycle series. */
export const SERIES_STATES = ['new', 'returning', 'reactivated', 'lapsed', 'dormant', 'churned'] as const;
export type SeriesState = (typeof SERIES_STATES)[number];

export interface LifecycleSeries {
  readonly periodLabels: readonly string[];
  readonly new: readonly number[];
  readonly returning: readonly number[];
  readonly reactivated: readonly number[];
  readonly lapsed: readonly number[];
  readonly dormant: readonly number[];
  readonly churned: readonly number[];
}

/** One period: its label, first day number and the stage snapshot at its last day. */
export interface SeriesPeriod {
  readonly label: string;
  readonly startDay: number;
  readonly snapshot: StageSnapshot;
}

const LIVE = new Set<number>([STAGE_CODE.new, STAGE_CODE.active, STAGE_CODE.reactivated, STAGE_CODE.at_risk]);
const LAPSED = new Set<number>([STAGE_CODE.dormant, STAGE_CODE.churned]);

export function computeLifecycleSeries(histories: PurchaseHistories, periods: readonly SeriesPeriod[], thresholds: LifecycleThresholds): LifecycleSeries {
  const n = histories.customerIds.length;
  const out = { periodLabels: [] as string[], new: [] as number[], returning: [] as number[], reactivated: [] as number[], lapsed: [] as number[], dormant: [] as number[], churned: [] as number[] };
  let previous: StageSnapshot | null = null;
  for (const period of periods) {
    const { snapshot } = period;
    let fresh = 0;
    let returning = 0;
    let reactivated = 0;
    let lapsed = 0;
    let dormant = 0;
    let churned = 0;
    for (let i = 0; i < n; i++) {
      const before = occasionsUpTo(histories, i, period.startDay - 1);
      const upTo = occasionsUpTo(histories, i, snapshot.day);
      if (upTo > before) {
        if (before === 0) {
          fresh++;
        } else {
          let back = false;
          for (let k = before; k < upTo && !back; k++) back = isReturnAfterLapse(histories, i, k, snapshot.populationGapDays, thresholds);
          if (back) reactivated++;
          else returning++;
        }
      }
      const code = snapshot.stage[i]!;
      if (code === STAGE_CODE.dormant) dormant++;
      if (code === STAGE_CODE.churned) churned++;
      if (previous && LIVE.has(previous.stage[i]!) && LAPSED.has(code)) lapsed++;
    }
    out.periodLabels.push(period.label);
    out.new.push(fresh);
    out.returning.push(returning);
    out.reactivated.push(reactivated);
    out.lapsed.push(lapsed);
    out.dormant.push(dormant);
    out.churned.push(churned);
    previous = snapshot;
  }
  return out;
}
