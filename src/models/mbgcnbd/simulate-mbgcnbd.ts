/**
 * Simulate customers from MBG/CNBD-k (Reutterer, Platzer & Schröder 2021,
 * IJRM 38(1)): λ ~ Gamma(r, rate α), p ~ Beta(a, b); dropout with probability
 * p at the first purchase (time 0) and after each repeat purchase; while alive,
 * inter-purchase times are Erlang(k, λ) (a sum of k exponentials of rate λ).
 * Seeded and reproducible; for parameter-recovery tests.
 */
import { UserError } from '../../core/errors/user-error.js';
import { createRandom } from '../../math/random.js';
import type { MbgCnbdParams, RegularityData } from './mbgcnbd.js';

export interface SimulateMbgCnbdOptions {
  readonly customers: number;
  /** observation length since the first purchase, the same for everyone */
  readonly T: number;
  readonly seed: number;
  /** also simulate a holdout window of this length after T (default 0: none) */
  readonly holdout?: number;
}

/** Simulated calibration data, plus the purchases each customer made in the holdout window and whether they were alive at T. */
export interface SimulatedRegularityData extends RegularityData {
  readonly holdoutPurchases: Float64Array;
  /** 1 when the customer is alive at T (the end of calibration), 0 when they dropped out by T */
  readonly alive: Uint8Array;
}

export function simulateMbgCnbd(k: number, params: MbgCnbdParams, options: SimulateMbgCnbdOptions): SimulatedRegularityData {
  const { r, alpha, a, b } = params;
  if (!(Number.isInteger(k) && k >= 1) || !(r > 0 && alpha > 0 && a > 0 && b > 0)) {
    throw new UserError(`MBG/CNBD-k simulation: invalid k ${k} or params ${JSON.stringify(params)}`, 'k a whole number ≥ 1; r, alpha, a, b > 0');
  }
  const { customers, T, seed } = options;
  const holdout = options.holdout ?? 0;
  if (!(Number.isInteger(customers) && customers >= 1) || !(T > 0) || !(holdout >= 0)) throw new UserError('MBG/CNBD-k simulation: need customers ≥ 1, T > 0 and holdout ≥ 0');
  const holdoutPurchases = new Float64Array(customers);
  const random = createRandom(seed);
  const frequency = new Float64Array(customers), recency = new Float64Array(customers), litt = new Float64Array(customers);
  const alive = new Uint8Array(customers).fill(1);
  for (let c = 0; c < customers; c++) {
    const lambda = random.gamma(r, 1 / alpha);
    const p = random.beta(a, b);
    if (random.uniform() < p) {
      alive[c] = 0; // gone right after the first purchase
      continue;
    }
    let t = 0;
    for (;;) {
      let gap = 0;
      for (let j = 0; j < k; j++) gap += random.exponential(lambda);
      if (t + gap > T + holdout) break;
      t += gap;
      if (t > T) holdoutPurchases[c]++;
      else {
        frequency[c]++;
        recency[c] = t;
        litt[c] += Math.log(gap);
      }
      if (random.uniform() < p) {
        if (t <= T) alive[c] = 0; // dropped out after a calibration purchase (after a holdout one, still alive at T)
        break;
      }
    }
  }
  return { frequency, recency, T: new Float64Array(customers).fill(T), weight: new Float64Array(customers).fill(1), litt, holdoutPurchases, alive };
}
