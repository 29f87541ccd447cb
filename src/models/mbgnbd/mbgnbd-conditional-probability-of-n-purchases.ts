/**
 * P(X(T, T+t] = n | x, t_x, T) under the MBG/NBD. Given alive at T, the
 * customer survived x+1 dropout chances (time 0 and each purchase), so
 * p ~ Beta(a, b+x+1) and λ ~ Gamma(r+x, α+T); from T on they drop out only
 * after purchases, as a new BG/NBD customer does (the time-0 chance is spent):
 *   P(n) = (1 − P(alive))·1{n = 0} + P(alive)·P_BG/NBD(X(t) = n; r+x, α+T, a, b+x+1).
 * Its mean is Batislam et al. (2007) eq. 6, as `predictMbgNbdConditionalPurchases`.
 */
import type { RfmData } from '../model-types.js';
import { computeConditionalCountProbability } from '../btyd/conditional-count-probability.js';
import { predictBgNbdPurchaseCountProbability } from '../bgnbd/bgnbd.js';
import { predictMbgNbdProbabilityAlive, type MbgNbdParams } from './mbgnbd.js';

/**
 * P(exactly n purchases in (T, T+t] | x, t_x, T) for MBG/NBD parameters; in
 * [0, 1], sums to 1 over n. NaN on invalid input.
 */
export function mbgNbdConditionalProbabilityOfNPurchases(params: MbgNbdParams, n: number, t: number, x: number, tx: number, T: number): number {
  const pAlive = predictMbgNbdProbabilityAlive(params, x, tx, T);
  if (Number.isNaN(pAlive) || !(t >= 0) || !Number.isFinite(t) || !(n >= 0) || !Number.isInteger(n)) return NaN;
  const posterior = { r: params.r + x, alpha: params.alpha + T, a: params.a, b: params.b + x + 1 };
  return computeConditionalCountProbability(pAlive, n, pAlive === 0 ? 0 : predictBgNbdPurchaseCountProbability(posterior, t, n));
}

/** P(exactly n purchases in (T, T+t]) for every row of `data`. */
export function mbgNbdConditionalProbabilityOfNPurchasesAll(params: MbgNbdParams, n: number, t: number, data: RfmData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  for (let i = 0; i < out.length; i++) out[i] = mbgNbdConditionalProbabilityOfNPurchases(params, n, t, data.frequency[i], data.recency[i], data.T[i]);
  return out;
}
