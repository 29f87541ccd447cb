/**
 * The lifecycle stage of every customer as of one day, on typed arrays (the
 * rules are in `lifecycle-stage-rules.ts`). O(n log m) for n customers with
 * at most m occasions each; no SQL, so the same kernel serves one as-of date
 * and a series of monthly snapshots.
 */
import { occasionsUpTo, type PurchaseHistories } from './purchase-histories.js';
import { NOT_A_CUSTOMER, STAGE_CODE, type LifecycleThresholds } from './lifecycle-stage-rules.js';

export interface StageSnapshot {
  /** day number of the snapshot */
  readonly day: number;
  /** stage code per customer (index in LIFECYCLE_STAGES), NOT_A_CUSTOMER (−1) when not yet a customer */
  readonly stage: Int8Array;
  /** days since the last purchase (NaN without one) */
  readonly daysSinceLast: Float64Array;
  /** expected gap between purchases, shrunk towards g₀ (NaN without a purchase) */
  readonly expectedGapDays: Float64Array;
  /** the g₀ used */
  readonly populationGapDays: number;
}

/** Median of the values; NaN when empty. */
function median(values: Float64Array): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** g₀ as of day t: the median of (last − first) / (occasions − 1) over customers with ≥ 2 occasions by t. */
export function populationGapAt(histories: PurchaseHistories, t: number, thresholds: LifecycleThresholds): number {
  if (thresholds.populationGapDays !== null) return thresholds.populationGapDays;
  const n = histories.customerIds.length;
  const gaps: number[] = [];
  for (let i = 0; i < n; i++) {
    const m = occasionsUpTo(histories, i, t);
    if (m >= 2) {
      const s = histories.start[i]!;
      gaps.push((histories.day[s + m - 1]! - histories.day[s]!) / (m - 1));
    }
  }
  const g = median(Float64Array.from(gaps));
  return Number.isFinite(g) ? Math.max(thresholds.minPopulationGapDays, g) : thresholds.minPopulationGapDays;
}

/** Expected gap of `gaps` gaps spanning `span` days, shrunk towards g₀ with `prior` pseudo-gaps. */
export function expectedGap(span: number, gaps: number, g0: number, prior: number): number {
  return gaps + prior > 0 ? (span + prior * g0) / (gaps + prior) : g0;
}

/**
 * Cadence stage code from the ratio r = days since last / expected gap and the days themselves. Lapsed (dormant or
 * churned) needs more than `lapseMinDays` days as well, as a lapse does (`isReturnAfterLapse`): a daily buyer silent
 * for 3 days is overdue (at risk), not dormant.
 */
function cadenceStage(since: number, gap: number, t: LifecycleThresholds): number {
  if (since > t.churnedAfterDays) return STAGE_CODE.churned;
  const r = since / gap;
  if (r <= t.activeRatio) return STAGE_CODE.active;
  if (r <= t.atRiskRatio || since <= t.lapseMinDays) return STAGE_CODE.at_risk;
  if (r <= t.dormantRatio) return STAGE_CODE.dormant;
  return STAGE_CODE.churned;
}

function pAliveStage(p: number, t: LifecycleThresholds): number {
  if (p >= t.pAliveAtRiskBelow) return STAGE_CODE.active;
  if (p >= t.pAliveDormantBelow) return STAGE_CODE.at_risk;
  if (p >= t.pAliveChurnedBelow) return STAGE_CODE.dormant;
  return STAGE_CODE.churned;
}

const SEVERITY: Readonly<Record<number, number>> = { [STAGE_CODE.active]: 0, [STAGE_CODE.at_risk]: 1, [STAGE_CODE.dormant]: 2, [STAGE_CODE.churned]: 3 };

/**
 * Whether the purchase at occasion index `k` (≥ 1) of customer i — k
 * occasions before it — came after a lapse: its gap exceeds `atRiskRatio` ×
 * the expected gap from the occasions before it and `lapseMinDays`, or
 * `churnedAfterDays`.
 */
export function isReturnAfterLapse(histories: PurchaseHistories, i: number, k: number, g0: number, t: LifecycleThresholds): boolean {
  const s = histories.start[i]!;
  const gap = histories.day[s + k]! - histories.day[s + k - 1]!;
  if (gap > t.churnedAfterDays) return true;
  if (gap <= t.lapseMinDays) return false;
  const before = expectedGap(histories.day[s + k - 1]! - histories.day[s]!, k - 1, g0, t.priorGaps);
  return gap > t.atRiskRatio * before;
}

/**
 * Whether customer i, with `m` occasions on or before day `t`, came back after a lapse less than `reactivatedDays`
 * before t: some occasion of theirs after the first, less than `reactivatedDays` days before t, is a return after a
 * lapse (`isReturnAfterLapse`), whatever they bought after it. Only the occasions within the window are tested.
 */
export function cameBackWithin(histories: PurchaseHistories, i: number, m: number, t: number, g0: number, thresholds: LifecycleThresholds): boolean {
  const s = histories.start[i]!;
  for (let k = m - 1; k >= 1 && t - histories.day[s + k]! < thresholds.reactivatedDays; k--) {
    if (isReturnAfterLapse(histories, i, k, g0, thresholds)) return true;
  }
  return false;
}

/**
 * Stage of every customer as of day `t`. `pAlive` (aligned with the
 * customers, NaN = unknown) is used only when given; it must be as of `t`.
 */
export function classifyLifecycleStages(histories: PurchaseHistories, t: number, thresholds: LifecycleThresholds, pAlive?: Float64Array): StageSnapshot {
  const n = histories.customerIds.length;
  const g0 = populationGapAt(histories, t, thresholds);
  const stage = new Int8Array(n);
  const daysSinceLast = new Float64Array(n);
  const expectedGapDays = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const m = occasionsUpTo(histories, i, t);
    if (m === 0) {
      const signup = histories.signupDay[i]!;
      stage[i] = histories.known[i] === 1 && (Number.isNaN(signup) || signup <= t) ? STAGE_CODE.prospect : NOT_A_CUSTOMER;
      daysSinceLast[i] = NaN;
      expectedGapDays[i] = NaN;
      continue;
    }
    const s = histories.start[i]!;
    const first = histories.day[s]!;
    const last = histories.day[s + m - 1]!;
    const since = t - last;
    const gap = expectedGap(last - first, m - 1, g0, thresholds.priorGaps);
    daysSinceLast[i] = since;
    expectedGapDays[i] = gap;
    if (t - first < thresholds.newDays) {
      stage[i] = STAGE_CODE.new;
    } else if (cameBackWithin(histories, i, m, t, g0, thresholds)) {
      stage[i] = STAGE_CODE.reactivated;
    } else {
      let code = cadenceStage(since, gap, thresholds);
      const p = pAlive?.[i];
      if (p !== undefined && Number.isFinite(p)) {
        const byP = pAliveStage(p, thresholds);
        if (SEVERITY[byP]! > SEVERITY[code]!) code = byP;
      }
      stage[i] = code;
    }
  }
  return { day: t, stage, daysSinceLast, expectedGapDays, populationGapDays: g0 };
}
