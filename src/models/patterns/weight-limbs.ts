/**
 * Basket weights cut into limbs on which every sum is exact, so that FP-growth's weight sums (added up node by node,
 * in the order the baskets come — the customers' tokens', which the key sets) do not depend on that order, lose no
 * weight however small beside the largest, and do not overflow on the way.
 *
 * Each weight is w = Σ_j m_j · q_j, exactly: q_1 = 2^(E − B) with max|w| < 2^E, q_(j+1) = q_j · 2^−B (never below the
 * smallest double, 2^−1074, where every double is a whole multiple and the cutting ends), B = 53 − ⌈log₂ n⌉; m_j the
 * whole number of q_j in what is left of w (cut toward zero, so |m_j| < 2^B). A limb's sums over any of the n baskets
 * are whole numbers below 2^53: exact whatever the order, and held as multiples (never near overflow). As many limbs
 * as the weights need (most data: two; 1e-6 beside 1e4 over a million baskets: three); `limbSum` turns a sum of limbs
 * back into the exact sum of the weights, rounded once (`ExactSum`).
 */
import { ExactSum } from '../../core/exact-sum.js';

export interface WeightLimbs {
  /** limbs per weight */
  readonly count: number;
  /** per limb: its grid q_j (a power of two) */
  readonly scales: Float64Array;
  /** per basket b, limb j: m_j at b · count + j (whole numbers) */
  readonly values: Float64Array;
}

/** The weights (finite) in limbs. */
export function weightLimbs(weights: Float64Array): WeightLimbs {
  const n = weights.length;
  let max = 0;
  for (let b = 0; b < n; b++) max = Math.max(max, Math.abs(weights[b]!));
  if (max === 0) return { count: 0, scales: new Float64Array(0), values: new Float64Array(0) };
  const bits = 53 - Math.ceil(Math.log2(Math.max(n, 1)));
  let e = Math.floor(Math.log2(max)) + 1;
  while (2 ** e <= max) e++;
  while (e > -1074 && 2 ** (e - 1) > max) e--;
  const left = Float64Array.from(weights);
  const scales: number[] = [];
  const limbs: Float64Array[] = [];
  for (let q = Math.max(2 ** (e - bits), Number.MIN_VALUE); ; q = Math.max(q * 2 ** -bits, Number.MIN_VALUE)) {
    const limb = new Float64Array(n);
    let rest = false;
    for (let b = 0; b < n; b++) {
      const m = Math.trunc(left[b]! / q);
      limb[b] = m;
      left[b] = left[b]! - m * q; // exact: the bits of left[b] below q
      if (left[b] !== 0) rest = true;
    }
    scales.push(q);
    limbs.push(limb);
    if (!rest || q === Number.MIN_VALUE) break;
  }
  const count = limbs.length;
  const values = new Float64Array(n * count);
  for (let b = 0; b < n; b++) for (let j = 0; j < count; j++) values[b * count + j] = limbs[j]![b]!;
  return { count, scales: Float64Array.from(scales), values };
}

/** The sum of the weights whose limbs were summed into `sums[at .. at + count)`: exact, rounded once. */
export function limbSum(limbs: WeightLimbs, sums: Float64Array, at: number): number {
  const sum = new ExactSum();
  for (let j = 0; j < limbs.count; j++) sum.add(sums[at + j]! * limbs.scales[j]!);
  return sum.value();
}
