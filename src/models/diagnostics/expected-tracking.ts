/**
 * Tracking of cumulative and incremental repeat purchases over calendar time
 * (Fader, Hardie & Lee 2005, Figure 3), expected side.
 */
import type { RfmData } from '../model-types.js';
import type { PurchaseFit, PurchaseModel } from '../btyd/purchase-models.js';
import type { TrackingAge } from '../../core/tracking-age.js';

export interface TrackingSeries {
  /** period ends, in time units relative to the calibration end (negative: calibration) */
  readonly periodEnds: readonly number[];
  /** expected repeat purchases in each period, summed over customers */
  readonly expectedIncremental: readonly number[];
  readonly expectedCumulative: readonly number[];
}

export interface ExpectedTrackingOptions {
  /** age convention (default `last-day`; see core/tracking-age.ts) */
  readonly age?: TrackingAge;
  /** days per time unit of `periodEnds` and T (needed for `next-day`: one day in the unit; default 1) */
  readonly unitDays?: number;
}

/**
 * Expected repeat purchases of the whole base over calendar time:
 * Σ_customers E[X(τ + T_i + δ)] for each period end τ (relative to the
 * calibration end; a customer contributes from their first purchase at −T_i),
 * where δ is 0 (`last-day`) or one day (`next-day`, the peers' convention).
 *
 * Example: `computeExpectedTracking(model, fitted, tuples, [-1, 0, 1], { age: 'next-day', unitDays: 7 })`
 * → E[X] summed at the ends of the last calibration week and the next one.
 */
export function computeExpectedTracking(
  model: PurchaseModel,
  fit: PurchaseFit,
  calibration: RfmData,
  periodEnds: readonly number[],
  options: ExpectedTrackingOptions = {},
): TrackingSeries {
  const offset = options.age === 'next-day' ? 1 / (options.unitDays ?? 1) : 0;
  const ages = new Map<number, number>();
  for (let i = 0; i < calibration.T.length; i++) ages.set(calibration.T[i]!, (ages.get(calibration.T[i]!) ?? 0) + calibration.weight[i]!);
  // period ends and ages sit on one grid, so τ + T repeats across (τ, T) pairs: E[X(age)] is computed once per distinct
  // age (BG/NBD and MBG/NBD: a 2F1 each; 30,000 pairs but 1,200 ages on a 600-customer synthetic shop), the sums as before
  const expectedAt = new Map<number, number>();
  const cumulative = periodEnds.map((tau) => {
    let sum = 0;
    for (const [T, count] of ages) {
      const age = tau + T + offset;
      if (age > 0) {
        let expected = expectedAt.get(age);
        if (expected === undefined) expectedAt.set(age, (expected = model.expectedPurchases(fit, age)));
        sum += count * expected;
      }
    }
    return sum;
  });
  const incremental = cumulative.map((c, k) => c - (k === 0 ? 0 : cumulative[k - 1]!));
  return { periodEnds, expectedIncremental: incremental, expectedCumulative: cumulative };
}
