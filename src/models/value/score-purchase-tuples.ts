/**
 * Scores of one fitted purchase model for every unique (x, t_x, T) tuple —
 * what `customer_scores` joins back to customers: P(alive), expected
 * purchases over 30/90/365 days, discounted expected purchases over the CLV
 * schedule (× spend per purchase × margin = CLV), and the next-order
 * quantiles. Pure: typed arrays in, typed arrays out.
 *
 * Bounds: P(alive) is clipped to [0, 1] and expected purchases to ≥ 0
 * (rounding); a next-order quantile is Infinity when the customer may never
 * reach it. Every predictor costs a bounded amount per tuple whatever the
 * parameters (Pareto/NBD's tail integral has a fixed-cost form; a fit at a
 * limit predicts with the limit's closed forms, btyd/limit-predictions.ts).
 */
import { createClvSchedule, predictClvAll, type ClvScheduleOptions } from '../clv.js';
import type { RfmData } from '../model-types.js';
import type { PurchaseFit, PurchaseModel } from '../btyd/purchase-models.js';

export interface PurchaseTupleScores {
  readonly pAlive: Float64Array;
  readonly expectedPurchases30d: Float64Array;
  readonly expectedPurchases90d: Float64Array;
  readonly expectedPurchases365d: Float64Array;
  /** Σ discounted expected purchases over the schedule (CLV per unit of spend and margin) */
  readonly discountedPurchases: Float64Array;
  /** time units from T until the next order is reached with probability 50% / 90%; Infinity: maybe never */
  readonly nextOrderP50: Float64Array;
  readonly nextOrderP90: Float64Array;
}

export interface TupleScoreOptions {
  /** days per time unit of the tuples */
  readonly unitDays: number;
  readonly schedule: ClvScheduleOptions;
}

function clip(values: Float64Array, low: number, high: number): Float64Array {
  for (let i = 0; i < values.length; i++) values[i] = Math.min(high, Math.max(low, values[i]!));
  return values;
}

/**
 * Example: BG/NBD at the CDNOW estimates, tuple (x = 2, t_x = 30.43, T = 38.86 weeks)
 * → pAlive ≈ 0.68, expectedPurchases365d ≈ 1.2 (see test/models/value/score-purchase-tuples.test.ts).
 */
export function scorePurchaseTuples(model: PurchaseModel, fit: PurchaseFit, tuples: RfmData, options: TupleScoreOptions): PurchaseTupleScores {
  // the three fixed horizons and the CLV schedule's step ends in one call: each tuple's P(alive) is computed once, not 15 times
  const { times } = createClvSchedule(options.schedule);
  const expected = model.conditionalPurchasesAtAll(fit, [30 / options.unitDays, 90 / options.unitDays, 365 / options.unitDays, ...times], tuples);
  return {
    pAlive: clip(model.probabilityAliveAll(fit, tuples), 0, 1),
    expectedPurchases30d: clip(expected[0]!, 0, Infinity),
    expectedPurchases90d: clip(expected[1]!, 0, Infinity),
    expectedPurchases365d: clip(expected[2]!, 0, Infinity),
    discountedPurchases: predictClvAll({ ...options.schedule, expectedPurchasesAtAll: () => expected.slice(3), spendPerPurchase: 1 }),
    nextOrderP50: model.timeToNextPurchaseAll(fit, 0.5, tuples),
    nextOrderP90: model.timeToNextPurchaseAll(fit, 0.9, tuples),
  };
}
