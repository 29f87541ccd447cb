/**
 * P(X(T, T+t] = n | x, t_x, T) under the BG/NBD. Given alive at T, the
 * posterior is λ ~ Gamma(r+x, α+T) and p ~ Beta(a, b+x) (the customer
 * survived x dropout chances), and from T on the customer is a newly
 * acquired one with those parameters (drops out only after purchases); so
 *   P(n) = (1 − P(alive))·1{n = 0} + P(alive)·P_new(X(t) = n; r+x, α+T, a, b+x),
 * with P_new FHL (2005) eq. 8 (`predictBgNbdPurchaseCountProbability`).
 * Its mean is FHL eq. 10 and n = 0 is `predictBgNbdNoPurchaseProbability`.
 */
import type { RfmData } from '../model-types.js';
import { computeConditionalCountProbability } from '../btyd/conditional-count-probability.js';
import { predictBgNbdProbabilityAlive, predictBgNbdPurchaseCountProbability, type BgNbdParams } from './bgnbd.js';

/**
 * P(exactly n purchases in (T, T+t] | x, t_x, T) for BG/NBD parameters; in
 * [0, 1], sums to 1 over n. NaN on invalid input.
 *
 * Example: at the CDNOW estimates, `bgNbdConditionalProbabilityOfNPurchases(p, 0, 39, 0, 0, 30)` ≈ 0.83 (no purchase in the next 39 weeks).
 */
export function bgNbdConditionalProbabilityOfNPurchases(params: BgNbdParams, n: number, t: number, x: number, tx: number, T: number): number {
  const pAlive = predictBgNbdProbabilityAlive(params, x, tx, T);
  if (Number.isNaN(pAlive) || !(t >= 0) || !Number.isFinite(t) || !(n >= 0) || !Number.isInteger(n)) return NaN;
  const posterior = { r: params.r + x, alpha: params.alpha + T, a: params.a, b: params.b + x };
  return computeConditionalCountProbability(pAlive, n, pAlive === 0 ? 0 : predictBgNbdPurchaseCountProbability(posterior, t, n));
}

/** P(exactly n purchases in (T, T+t]) for every row of `data`. */
export function bgNbdConditionalProbabilityOfNPurchasesAll(params: BgNbdParams, n: number, t: number, data: RfmData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  for (let i = 0; i < out.length; i++) out[i] = bgNbdConditionalProbabilityOfNPurchases(params, n, t, data.frequency[i], data.recency[i], data.T[i]);
  return out;
}
