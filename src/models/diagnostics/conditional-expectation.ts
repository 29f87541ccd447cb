/**
 * Conditional expectation of holdout purchases by calibration frequency
 * (Fader, Hardie & Lee 2005, Figure 4): actual vs the model's prediction.
 */
import type { RfmData } from '../model-types.js';
import type { PurchaseFit, PurchaseModel } from '../btyd/purchase-models.js';

export interface ConditionalExpectation {
  /** calibration repeat counts 0 … maxCount−1 and "maxCount+" */
  readonly labels: readonly string[];
  readonly customers: readonly number[];
  /** mean holdout purchases per customer in the bucket */
  readonly actual: readonly number[];
  readonly expected: readonly number[];
}

/** Mean holdout purchases by calibration frequency: actual vs the model's conditional expectation. */
export function computeConditionalExpectation(
  model: PurchaseModel,
  fit: PurchaseFit,
  calibration: RfmData,
  holdoutPurchases: Float64Array,
  holdoutDuration: number,
  maxCount = 7,
): ConditionalExpectation {
  const predicted = model.conditionalPurchasesAll(fit, holdoutDuration, calibration);
  const customers = new Array<number>(maxCount + 1).fill(0);
  const actualSum = new Array<number>(maxCount + 1).fill(0);
  const expectedSum = new Array<number>(maxCount + 1).fill(0);
  for (let i = 0; i < calibration.frequency.length; i++) {
    const bucket = Math.min(maxCount, calibration.frequency[i]!);
    const w = calibration.weight[i]!;
    customers[bucket]! += w;
    actualSum[bucket]! += w * holdoutPurchases[i]!;
    expectedSum[bucket]! += w * predicted[i]!;
  }
  return {
    labels: Array.from({ length: maxCount + 1 }, (_, n) => (n === maxCount ? `${n}+` : String(n))),
    customers,
    actual: actualSum.map((s, k) => (customers[k] ? s / customers[k]! : NaN)),
    expected: expectedSum.map((s, k) => (customers[k] ? s / customers[k]! : NaN)),
  };
}
