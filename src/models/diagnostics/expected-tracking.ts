/**
 * Tracking of cumulative and incremental repeat purchases over calendar time
 * (Fader, Hardie & Lee 2005, Figure 3), expected side.
 */
import type { RfmData } from '../model-types.js';
import type { PurchaseModel } from '../btyd/purchase-models.js';

export interface TrackingSeries {
  /** period ends, in time units relative to the calibration end (negative: calibration) */
  readonly periodEnds: readonly number[];
  /** expected repeat purchases in each period, summed over customers */
  readonly expectedIncremental: readonly number[];
  readonly expectedCumulative: readonly number[];
}

/**
 * Expected repeat purchases of the whole base over calendar time:
 * Σ_customers E[X(τ + T_i)] for each period end τ (relative to the
 * calibration end; a customer contributes from their first purchase at −T_i).
 */
export function computeExpectedTracking(model: PurchaseModel, params: Record<string, number>, calibration: RfmData, periodEnds: readonly number[]): TrackingSeries {
  const ages = new Map<number, number>();
  for (let i = 0; i < calibration.T.length; i++) ages.set(calibration.T[i]!, (ages.get(calibration.T[i]!) ?? 0) + calibration.weight[i]!);
  const cumulative = periodEnds.map((tau) => {
    let sum = 0;
    for (const [T, count] of ages) {
      const age = tau + T;
      if (age > 0) sum += count * model.expectedPurchases(params, age);
    }
    return sum;
  });
  const incremental = cumulative.map((c, k) => c - (k === 0 ? 0 : cumulative[k - 1]!));
  return { periodEnds, expectedIncremental: incremental, expectedCumulative: cumulative };
}
