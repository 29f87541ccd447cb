/**
 * Calibration histogram (Fader, Hardie & Lee 2005, Figure 2): customers by
 * repeat count in the calibration window, actual vs expected from the model.
 */
import type { RfmData } from '../model-types.js';
import type { PurchaseFit, PurchaseModel } from '../btyd/purchase-models.js';

export interface CalibrationHistogram {
  /** repeat-purchase counts 0, 1, …, maxCount−1 and a last bucket "maxCount+" */
  readonly labels: readonly string[];
  readonly actual: readonly number[];
  readonly expected: readonly number[];
}

/** Customers by calibration repeat count, actual vs expected from the model at each customer's own T (ages grouped, see groupAges). */
export function computeCalibrationHistogram(model: PurchaseModel, fit: PurchaseFit, calibration: RfmData, maxCount = 7): CalibrationHistogram {
  const actual = new Array<number>(maxCount + 1).fill(0);
  const ages = new Map<number, number>();
  for (let i = 0; i < calibration.frequency.length; i++) {
    actual[Math.min(maxCount, calibration.frequency[i]!)]! += calibration.weight[i]!;
    ages.set(calibration.T[i]!, (ages.get(calibration.T[i]!) ?? 0) + calibration.weight[i]!);
  }
  const total = actual.reduce((a, b) => a + b, 0);
  const expected = new Array<number>(maxCount + 1).fill(0);
  for (const [T, count] of groupAges(ages, 120)) {
    for (let n = 0; n < maxCount; n++) expected[n]! += count * model.purchaseCountProbability(fit, T, n);
  }
  expected[maxCount] = total - expected.slice(0, maxCount).reduce((a, b) => a + b, 0);
  const labels = Array.from({ length: maxCount + 1 }, (_, n) => (n === maxCount ? `${n}+` : String(n)));
  return { labels, actual, expected };
}

/**
 * Customer ages (T → customers) merged into at most `maxGroups` groups of
 * neighbouring ages, each at its customer-weighted mean age: P(X(T) = n)
 * changes slowly with T, and some models' P(X(T) = n) is costly.
 */
function groupAges(ages: Map<number, number>, maxGroups: number): Map<number, number> {
  if (ages.size <= maxGroups) return ages;
  const sorted = [...ages].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((sum, [, count]) => sum + count, 0);
  const grouped = new Map<number, number>();
  let count = 0;
  let weighted = 0;
  let filled = 0;
  for (const [T, n] of sorted) {
    count += n;
    weighted += T * n;
    filled += n;
    if (filled >= total / maxGroups) {
      grouped.set(weighted / count, (grouped.get(weighted / count) ?? 0) + count);
      count = weighted = filled = 0;
    }
  }
  if (count > 0) grouped.set(weighted / count, (grouped.get(weighted / count) ?? 0) + count);
  return grouped;
}
