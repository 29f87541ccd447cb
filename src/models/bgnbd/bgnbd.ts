/**
 * BG/NBD ("beta-geometric / negative binomial distribution") model of repeat
 * purchasing: Fader, Hardie & Lee (2005), "'Counting Your Customers' the Easy
 * Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2),
 * 275–284; with the formulas of Fader, Hardie & Lee (2008), note
 * "Computing P(alive) Using the BG/NBD Model" and Fader & Hardie's note
 * "Implementing the BG/NBD Model for Customer Base Analysis in Excel".
 *
 * Story: while alive, a customer purchases as a Poisson process with rate
 * λ ~ Gamma(r, α) (shape r, rate α); after every purchase they drop out with
 * probability p ~ Beta(a, b). Data per customer: x repeat purchases, the time
 * t_x of the last one and the length T of the observation window, both
 * measured from the first purchase in the model's time unit.
 *
 * Everything is in log space (gammaln, log-sum-exp, log 2F1), so x up to
 * thousands, T up to 10⁴ and a + b < 1 give finite values. Prediction
 * functions are plain functions of the params and return NaN on invalid
 * input; `fitBgNbd` validates its data and throws `UserError`.
 */
import { UserError } from '../../core/errors/user-error.js';
import { betaln, gammaln } from '../../math/special-functions.js';
import { BgNbdLikelihood } from './bgnbd-likelihood.js';
import { fitMaximumLikelihood, type FitOptions, type MaximumLikelihoodProblem } from '../fit-maximum-likelihood.js';
import { jointGrowthDirection } from '../fit-boundary.js';
import { COMMON_DROPOUT_MEANING, fitCommonDropoutLimit } from './common-dropout-limit.js';
import { fitOneRateLimit } from './one-rate-limit.js';
import { bgNbdEveryoneRepeatsOnceDirection, bgNbdRepeatOnceDirection } from './repeat-once-limit.js';
import type { FittedModel, RfmData } from '../model-types.js';
import { weightedLogLikelihood, softplus } from '../btyd/weighted-log-likelihood.js';
import { indexRfmRows, sampleRfmData, SCREEN_ROWS_ABOVE, validateRfmData } from '../btyd/rfm-data.js';
import { computeExpectedPurchasesWhileAlive } from '../btyd/expected-purchases-while-alive.js';
import { aliveFromLogOdds, conditionalPurchasesAtTimes } from '../btyd/conditional-purchases-at-times.js';
import { computeNoPurchaseProbability, computeTimeToNextPurchaseQuantile, probabilityFromLogOddsDead } from '../btyd/next-purchase-probability.js';
import { computeNbdLogProbability, computeNbdTailProbability, noDropoutDirection, noHeterogeneityDirection } from '../nbd/nbd.js';

/** BG/NBD parameters: λ ~ Gamma(shape r, rate alpha), p ~ Beta(a, b). */
export type BgNbdParams = { r: number; alpha: number; a: number; b: number };

export const BG_NBD_PARAM_NAMES = ['r', 'alpha', 'a', 'b'] as const;

export interface BgNbdFitOptions extends FitOptions {
  /** extra starting points (natural scale), tried in addition to the built-in ones */
  starts?: readonly BgNbdParams[];
}

// ---------------------------------------------------------------------------
// data handling shared with MBG/NBD

/** Starting points (log scale) for r, α, a, b from the mean purchase rate (Σ weight·x and Σ weight·T from `totals` when given). */
export function defaultNbdStarts(data: RfmData, extra: readonly BgNbdParams[] = [], totals?: { readonly purchases: number; readonly exposure: number }): Float64Array[] {
  let purchases = totals?.purchases ?? 0, exposure = totals?.exposure ?? 0;
  for (let i = 0; totals === undefined && i < data.frequency.length; i++) {
    purchases += data.weight[i] * data.frequency[i];
    exposure += data.weight[i] * data.T[i];
  }
  const rate = Math.max(purchases / exposure, 1e-6);
  const starts: BgNbdParams[] = [
    { r: 1, alpha: 1 / rate, a: 1, b: 3 },
    { r: 0.3, alpha: 0.3 / rate, a: 0.5, b: 1 },
    { r: 3, alpha: 3 / rate, a: 2, b: 8 },
    ...extra,
  ];
  return starts.map((s) => Float64Array.of(Math.log(s.r), Math.log(s.alpha), Math.log(s.a), Math.log(s.b)));
}

function isValidParams(p: BgNbdParams): boolean {
  // a = 0 is the no-dropout limit (a boundary fit: the NBD)
  return p.r > 0 && p.alpha > 0 && p.a >= 0 && p.b > 0 && Number.isFinite(p.r + p.alpha + p.a + p.b);
}

// ---------------------------------------------------------------------------
// likelihood

/**
 * Log-likelihood of one customer (FHL 2005 eq. 6, in logs):
 *   log L = log Γ(r+x) − log Γ(r) + r log α + log B(a, b+x) − log B(a, b)
 *         + log[ (α+T)^{−(r+x)} + 1{x>0} · a/(b+x−1) · (α+t_x)^{−(r+x)} ].
 */
export function computeBgNbdCustomerLogLikelihood(params: BgNbdParams, x: number, recency: number, T: number): number {
  const { r, alpha, a, b } = params;
  const common = gammaln(r + x) - gammaln(r) + r * Math.log(alpha) + betaln(a, b + x) - betaln(a, b);
  const a3 = -(r + x) * Math.log(alpha + T);
  if (x === 0) return common + a3;
  const d = Math.log(a) - Math.log(x - 1 + b) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + recency));
  return common + a3 + softplus(d);
}

/** Per-row log-likelihoods (unweighted), one per entry of `data`. */
export function computeBgNbdLogLikelihoods(params: BgNbdParams, data: RfmData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = computeBgNbdCustomerLogLikelihood(params, data.frequency[i], data.recency[i], data.T[i]);
  }
  return out;
}

/** Weighted total log-likelihood Σ weight·log L. */
export function computeBgNbdLogLikelihood(params: BgNbdParams, data: RfmData): number {
  return weightedLogLikelihood(computeBgNbdLogLikelihoods(params, data), data.weight);
}

/**
 * The BG/NBD estimation problem for `fitMaximumLikelihood`: weighted
 * log-likelihood, its analytic gradient and its exact Hessian w.r.t.
 * z = (log r, log α, log a, log b) (bgnbd-likelihood.ts).
 */
export function createBgNbdProblem(data: RfmData, extraStarts: readonly BgNbdParams[] = []): MaximumLikelihoodProblem {
  const index = indexRfmRows(data);
  const likelihood = new BgNbdLikelihood(data, index);
  const rows = data.frequency.length;
  const n = likelihood.n;
  const starts = defaultNbdStarts(data, extraStarts, index.totals);
  // a screened fit ends with Hessian evaluations on all rows: compile the likelihood with that path from the start
  if (rows > SCREEN_ROWS_ABOVE) BgNbdLikelihood.warmUp(data, starts[0]!);

  const noDropout = noDropoutDirection(data, { parameters: ['a', 'b'], limit: 'a/b → 0', escape: (z) => z[3]! - z[2]!, toFull: (nbd, at) => ({ r: nbd.r, alpha: nbd.alpha, a: 0, b: at.b! }) });
  return {
    model: 'bgnbd',
    paramNames: BG_NBD_PARAM_NAMES,
    n,
    starts,
    forwardHessian: true,
    ...(rows > SCREEN_ROWS_ABOVE ? { screen: () => createBgNbdProblem(sampleRfmData(data), extraStarts) } : {}),
    boundaries: [
      noHeterogeneityDirection((at) => fitOneRateLimit(data, false, at)),
      noDropout,
      jointGrowthDirection(2, 3, ['a', 'b'], COMMON_DROPOUT_MEANING, (at) => fitCommonDropoutLimit(data, false, at)),
      // a share who buy once more and stop beside buyers who never stop (not one-time buyers: see repeat-once-limit.ts)
      bgNbdRepeatOnceDirection(data, noDropout.fitLimit!),
      // everyone buys once more and stops (a/b → ∞: the corner π = 1 of the one above, repeat-once-limit.ts)
      bgNbdEveryoneRepeatsOnceDirection(data),
    ],
    logLikelihood: (z, gradient) => likelihood.evaluate(z, gradient, null),
    logLikelihoodHessian: (z, gradient, hessian) => likelihood.evaluate(z, gradient, hessian),
  };
}

/**
 * Fit BG/NBD by maximum likelihood on RfmData (per customer with weights 1,
 * or compressed unique (x, t_x, T) tuples with counts — same estimates).
 * Non-convergence is reported in `fit.converged` / `fit.message`, never hidden.
 */
export function fitBgNbd(data: RfmData, options: BgNbdFitOptions = {}): FittedModel<BgNbdParams> {
  validateRfmData(data, 'BG/NBD');
  for (const s of options.starts ?? []) {
    if (!isValidParams(s) || !(s.a > 0)) throw new UserError(`BG/NBD: invalid starting point ${JSON.stringify(s)}`, 'all parameters must be finite and > 0');
  }
  return fitMaximumLikelihood<BgNbdParams>(createBgNbdProblem(data, options.starts), options);
}

// ---------------------------------------------------------------------------
// predictions (shared kernels first)

// ---------------------------------------------------------------------------
// BG/NBD predictions

/**
 * E[X(t)]: expected repeat purchases in (0, t] of a newly acquired customer
 * (FHL 2005 eq. 9): (a+b−1)/(a−1)·[1 − (α/(α+t))^r 2F1(r, b; a+b−1; t/(α+t))].
 */
export function predictBgNbdExpectedPurchases(params: BgNbdParams, t: number): number {
  if (!isValidParams(params)) return NaN;
  return computeExpectedPurchasesWhileAlive(params.r, params.alpha, params.a, params.b, t);
}

/** log of the odds of being dead at T, for x > 0: log a − log(b+x−1) + (r+x)·log((α+T)/(α+t_x)). */
function bgNbdLogOddsDead(params: BgNbdParams, x: number, recency: number, T: number): number {
  if (x === 0) return -Infinity;
  const { r, alpha, a, b } = params;
  return Math.log(a) - Math.log(x - 1 + b) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + recency));
}

function isValidCustomer(x: number, recency: number, T: number): boolean {
  return x >= 0 && Number.isInteger(x) && recency >= 0 && T >= recency && Number.isFinite(T);
}

/**
 * P(alive at T | x, t_x, T) (FHL 2008 note): 1 for x = 0, else
 * 1 / (1 + a/(b+x−1)·((α+T)/(α+t_x))^{r+x}).
 */
export function predictBgNbdProbabilityAlive(params: BgNbdParams, x: number, recency: number, T: number): number {
  if (!isValidParams(params) || !isValidCustomer(x, recency, T)) return NaN;
  return probabilityFromLogOddsDead(bgNbdLogOddsDead(params, x, recency, T));
}

/** P(alive) for every row of `data`. */
export function predictBgNbdProbabilityAliveAll(params: BgNbdParams, data: RfmData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  for (let i = 0; i < out.length; i++) out[i] = predictBgNbdProbabilityAlive(params, data.frequency[i], data.recency[i], data.T[i]);
  return out;
}

/**
 * E[Y(t) | x, t_x, T]: expected purchases in (T, T+t] given the history
 * (FHL 2005 eq. 10) = P(alive)·(a+b+x−1)/(a−1)·[1 − ((α+T)/(α+T+t))^{r+x}
 * 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))].
 */
export function predictBgNbdConditionalPurchases(params: BgNbdParams, t: number, x: number, recency: number, T: number): number {
  if (!isValidParams(params) || !isValidCustomer(x, recency, T)) return NaN;
  const pAlive = probabilityFromLogOddsDead(bgNbdLogOddsDead(params, x, recency, T));
  if (pAlive === 0) return 0;
  return pAlive * computeExpectedPurchasesWhileAlive(params.r + x, params.alpha + T, params.a, params.b + x, t);
}

/** Conditional expected purchases in (T, T+t] for every row of `data`. */
export function predictBgNbdConditionalPurchasesAll(params: BgNbdParams, t: number, data: RfmData): Float64Array {
  return predictBgNbdConditionalPurchasesAtAll(params, [t], data)[0]!;
}

/** `predictBgNbdConditionalPurchases` at every t of `times` (one array per t): P(alive) once per row, the 2F1 factor once per (x, T) pair. */
export function predictBgNbdConditionalPurchasesAtAll(params: BgNbdParams, times: ArrayLike<number>, data: RfmData): Float64Array[] {
  const pAlive = aliveFromLogOdds(data, isValidParams(params), isValidCustomer, (x, recency, T) => bgNbdLogOddsDead(params, x, recency, T));
  return conditionalPurchasesAtTimes(data, times, { r: params.r, alpha: params.alpha, a: params.a, b: params.b, plusOne: false }, pAlive);
}

/**
 * P(X(t) = n) for a newly acquired customer (FHL 2005 eq. 8):
 *   B(a, b+n)/B(a, b)·NB(n) + 1{n>0}·B(a+1, b+n−1)/B(a, b)·P(NB ≥ n),
 * with NB the negative binomial count of a Gamma(r, α)-mixed Poisson over
 * (0, t]; the tail 1 − Σ_{j<n} NB(j) is the regularized incomplete beta
 * I_{t/(α+t)}(n, r), which keeps small tails accurate. NaN unless n is a whole number ≥ 0.
 */
export function predictBgNbdPurchaseCountProbability(params: BgNbdParams, t: number, n: number): number {
  if (!isValidParams(params) || !(t >= 0) || !Number.isFinite(t) || !(n >= 0) || !Number.isInteger(n)) return NaN;
  const { r, alpha, a, b } = params;
  if (a === 0) return Math.exp(computeNbdLogProbability(r, alpha, t, n)); // no dropout: the NBD
  const lbAB = betaln(a, b);
  const first = Math.exp(betaln(a, b + n) - lbAB + computeNbdLogProbability(r, alpha, t, n));
  if (n === 0) return first;
  return first + Math.exp(betaln(a + 1, b + n - 1) - lbAB) * computeNbdTailProbability(r, alpha, t, n);
}

/** P(no purchase in (T, T+t] | x, t_x, T); see `computeNoPurchaseProbability`. */
export function predictBgNbdNoPurchaseProbability(params: BgNbdParams, t: number, x: number, recency: number, T: number): number {
  if (!isValidParams(params) || !isValidCustomer(x, recency, T)) return NaN;
  const pAlive = probabilityFromLogOddsDead(bgNbdLogOddsDead(params, x, recency, T));
  return computeNoPurchaseProbability(pAlive, params.r + x, params.alpha + T, t);
}

/**
 * Quantile q of the time from T to the next purchase: the smallest t with
 * P(next purchase within t | x, t_x, T) ≥ q (e.g. q = 0.5, 0.9). Infinity
 * when q ≥ P(alive): the customer may be dead, so the purchase probability
 * never reaches q. See `computeTimeToNextPurchaseQuantile`.
 */
export function predictBgNbdTimeToNextPurchase(params: BgNbdParams, q: number, x: number, recency: number, T: number): number {
  if (!isValidParams(params) || !isValidCustomer(x, recency, T)) return NaN;
  const pAlive = probabilityFromLogOddsDead(bgNbdLogOddsDead(params, x, recency, T));
  return computeTimeToNextPurchaseQuantile(pAlive, params.r + x, params.alpha + T, q);
}

/** Time-to-next-purchase quantile q for every row of `data`. */
export function predictBgNbdTimeToNextPurchaseAll(params: BgNbdParams, q: number, data: RfmData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  for (let i = 0; i < out.length; i++) out[i] = predictBgNbdTimeToNextPurchase(params, q, data.frequency[i], data.recency[i], data.T[i]);
  return out;
}
