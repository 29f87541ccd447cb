/**
 * P(X(T, T+t] = n | x, t_x, T) under the Pareto/NBD: the probability that a
 * customer with history (x, t_x, T) makes exactly n purchases in the next t
 * time units (`lifetimes`' ParetoNBDFitter.conditional_probability_of_n_purchases_up_to_time;
 * Fader & Hardie's note "Deriving the Conditional PMF of the Pareto/NBD Model").
 *
 * Method: a customer dead at T buys nothing. Given alive at T, the posterior
 * of (λ, μ) is the product of Gamma(r+x, α+T) and Gamma(s, β+T) (the
 * likelihood of "alive at T" is λ^x e^{−λT} e^{−μT}, which factorises), and
 * by the memoryless lifetime the future (T, T+t] is the first t units of a
 * newly acquired customer with those parameters. So
 *   P(n) = (1 − P(alive))·1{n = 0} + P(alive)·P_new(X(t) = n; r+x, α+T, s, β+T),
 * with P_new the unconditional P(X(t) = n) of Fader & Hardie (2006) in
 * `predictParetoNbdPurchaseCountProbability`: one formula, reused.
 */
import type { RfmData } from '../model-types.js';
import { computeConditionalCountProbability } from '../btyd/conditional-count-probability.js';
import { createParetoNbdWorkspace, isValidCustomer, isValidParams, type ParetoNbdParams, type ParetoNbdWorkspace } from './paretonbd-likelihood.js';
import { predictParetoNbdProbabilityAlive, predictParetoNbdPurchaseCountProbability } from './paretonbd.js';

/**
 * P(exactly n purchases in (T, T+t] | x, t_x, T) for Pareto/NBD parameters.
 * In [0, 1]; sums to 1 over n = 0, 1, …. NaN on invalid parameters or
 * history, t < 0 or n not a whole number ≥ 0.
 *
 * Example: at the CDNOW estimates (r 0.553, α 10.578, s 0.606, β 11.669), a
 * customer with no repeat purchase in 30 weeks (x 0, t_x 0, T 30) has
 * `paretoNbdConditionalProbabilityOfNPurchases(p, 0, 39, 0, 0, 30)` ≈ 0.91 chance of no purchase in the next 39.
 */
export function paretoNbdConditionalProbabilityOfNPurchases(
  params: ParetoNbdParams, n: number, t: number, x: number, tx: number, T: number, ws: ParetoNbdWorkspace = createParetoNbdWorkspace(),
): number {
  if (!isValidParams(params) || !isValidCustomer(x, tx, T) || !(t >= 0) || !Number.isFinite(t) || !(n >= 0) || !Number.isInteger(n)) return NaN;
  const pAlive = predictParetoNbdProbabilityAlive(params, x, tx, T, ws);
  const posterior: ParetoNbdParams = { r: params.r + x, alpha: params.alpha + T, s: params.s, beta: params.beta + T };
  return computeConditionalCountProbability(pAlive, n, pAlive === 0 ? 0 : predictParetoNbdPurchaseCountProbability(posterior, t, n));
}

/** P(exactly n purchases in (T, T+t]) for every row of `data`. */
export function paretoNbdConditionalProbabilityOfNPurchasesAll(params: ParetoNbdParams, n: number, t: number, data: RfmData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  const ws = createParetoNbdWorkspace();
  for (let i = 0; i < out.length; i++) out[i] = paretoNbdConditionalProbabilityOfNPurchases(params, n, t, data.frequency[i], data.recency[i], data.T[i], ws);
  return out;
}
