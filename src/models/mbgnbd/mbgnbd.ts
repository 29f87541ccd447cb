/**
 * MBG/NBD ("modified BG/NBD") model: Batislam, Denizel & Filiztekin (2007),
 * "Empirical validation and comparison of models for customer base analysis",
 * International Journal of Research in Marketing 24(3), 201–209.
 *
 * As BG/NBD (purchase rate λ ~ Gamma(r, α), dropout p ~ Beta(a, b) after each
 * purchase), except that a customer may also drop out right at time 0 after
 * the first purchase, so a customer with no repeat purchase is not
 * automatically alive: P(alive | x = 0) < 1, which fixes BG/NBD's optimism
 * about one-time buyers.
 *
 * Likelihood (Batislam et al. 2007, eq. 3; the `lifetimes` implementation):
 *   L = Γ(r+x) α^r / Γ(r) · [ B(a, b+x+1)/B(a, b) · (α+T)^{−(r+x)}
 *                            + B(a+1, b+x)/B(a, b) · (α+t_x)^{−(r+x)} ].
 * All functions work in log space; kernels return NaN on invalid input and
 * `fitMbgNbd` validates its data (throws `UserError`).
 */
import { UserError } from '../../core/errors/user-error.js';
import { betaln, digamma, gammaln } from '../../math/special-functions.js';
import { fitMaximumLikelihood, type MaximumLikelihoodProblem } from '../fit-maximum-likelihood.js';
import { jointGrowthDirection } from '../fit-boundary.js';
import { COMMON_DROPOUT_MEANING, fitCommonDropoutLimit } from '../bgnbd/common-dropout-limit.js';
import { fitOneRateLimit } from '../bgnbd/one-rate-limit.js';
import { mbgNbdOneTimeBuyersDirection, mbgNbdOneTimeBuyersStart } from './mbgnbd-one-time-buyers-limit.js';
import type { FittedModel, RfmData } from '../model-types.js';
import {
  BG_NBD_PARAM_NAMES,
  defaultNbdStarts,
  type BgNbdFitOptions,
  type BgNbdParams,
} from '../bgnbd/bgnbd.js';
import { weightedLogLikelihood, softplus } from '../btyd/weighted-log-likelihood.js';
import { indexFrequencies, sampleRfmData, SCREEN_ROWS, SCREEN_ROWS_ABOVE, ShiftedLogTable, validateRfmData } from '../btyd/rfm-data.js';
import { computeExpectedPurchasesWhileAlive } from '../btyd/expected-purchases-while-alive.js';
import { aliveFromLogOdds, conditionalPurchasesAtTimes } from '../btyd/conditional-purchases-at-times.js';
import { computeNoPurchaseProbability, computeTimeToNextPurchaseQuantile, probabilityFromLogOddsDead } from '../btyd/next-purchase-probability.js';
import { computeNbdLogProbability, computeNbdTailProbability, noDropoutDirection, noHeterogeneityDirection } from '../nbd/nbd.js';

/** MBG/NBD parameters (same meaning as BG/NBD): λ ~ Gamma(shape r, rate alpha), p ~ Beta(a, b). */
export type MbgNbdParams = BgNbdParams;
export type MbgNbdFitOptions = BgNbdFitOptions;

function isValidParams(p: MbgNbdParams): boolean {
  // a = 0 is the no-dropout limit (a boundary fit: the NBD)
  return p.r > 0 && p.alpha > 0 && p.a >= 0 && p.b > 0 && Number.isFinite(p.r + p.alpha + p.a + p.b);
}

function isValidCustomer(x: number, recency: number, T: number): boolean {
  return x >= 0 && Number.isInteger(x) && recency >= 0 && T >= recency && Number.isFinite(T);
}

/** log-odds of being dead at T: log a − log(b+x) + (r+x)·log((α+T)/(α+t_x)), for every x ≥ 0. */
function mbgNbdLogOddsDead(params: MbgNbdParams, x: number, recency: number, T: number): number {
  const { r, alpha, a, b } = params;
  return Math.log(a) - Math.log(b + x) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + recency));
}

/** Log-likelihood of one customer (see file header), in logs. */
export function computeMbgNbdCustomerLogLikelihood(params: MbgNbdParams, x: number, recency: number, T: number): number {
  const { r, alpha, a, b } = params;
  const common = gammaln(r + x) - gammaln(r) + r * Math.log(alpha) + betaln(a, b + x + 1) - betaln(a, b);
  const d = mbgNbdLogOddsDead(params, x, recency, T);
  return common - (r + x) * Math.log(alpha + T) + softplus(d);
}

/** Per-row log-likelihoods (unweighted). */
export function computeMbgNbdLogLikelihoods(params: MbgNbdParams, data: RfmData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = computeMbgNbdCustomerLogLikelihood(params, data.frequency[i], data.recency[i], data.T[i]);
  }
  return out;
}

/** Weighted total log-likelihood. */
export function computeMbgNbdLogLikelihood(params: MbgNbdParams, data: RfmData): number {
  return weightedLogLikelihood(computeMbgNbdLogLikelihoods(params, data), data.weight);
}

/**
 * The MBG/NBD estimation problem: weighted log-likelihood with its analytic
 * gradient w.r.t. (log r, log α, log a, log b); x-only terms once per distinct x.
 */
export function createMbgNbdProblem(data: RfmData, extraStarts: readonly MbgNbdParams[] = []): MaximumLikelihoodProblem {
  const index = indexFrequencies(data);
  const m = index.values.length;
  const xs = index.values;
  const rowIndex = index.rowIndex;
  const { frequency, recency, T, weight } = data;
  const rows = frequency.length;
  const noDropout = noDropoutDirection(data, { parameters: ['a', 'b'], limit: 'a/b → 0', escape: (z) => z[3]! - z[2]!, toFull: (nbd, at) => ({ r: nbd.r, alpha: nbd.alpha, a: 0, b: at.b! }) });
  const tTable = new ShiftedLogTable(T);
  const txTable = new ShiftedLogTable(recency);
  const logRatio = new Float64Array(m); // log a − log(b+x)
  const inverseBx = new Float64Array(m); // 1/(b+x)
  let n = 0;
  for (let i = 0; i < rows; i++) n += weight[i];

  return {
    model: 'mbgnbd',
    paramNames: BG_NBD_PARAM_NAMES,
    n,
    starts: defaultNbdStarts(data, extraStarts),
    confinedStarts: [mbgNbdOneTimeBuyersStart(data)],
    forwardHessian: true,
    ...(rows > SCREEN_ROWS_ABOVE ? { screen: () => createMbgNbdProblem(sampleRfmData(data), extraStarts) } : {}),
    ...(rows > SCREEN_ROWS ? { confinedScreen: () => createMbgNbdProblem(sampleRfmData(data), extraStarts) } : {}),
    boundaries: [
      noHeterogeneityDirection((at) => fitOneRateLimit(data, true, at)),
      noDropout,
      jointGrowthDirection(2, 3, ['a', 'b'], COMMON_DROPOUT_MEANING, (at) => fitCommonDropoutLimit(data, true, at)),
      mbgNbdOneTimeBuyersDirection(data, noDropout.fitLimit!),
    ],
    logLikelihood(z, gradient) {
      const r = Math.exp(z[0]), alpha = Math.exp(z[1]), a = Math.exp(z[2]), b = Math.exp(z[3]);
      const logAlpha = z[1], logA = z[2];
      const lgR = gammaln(r), psiR = digamma(r), lbAB = betaln(a, b), psiAB = digamma(a + b), psiB = digamma(b);
      let ll = 0, gr = 0, galpha = 0, ga = 0, gb = 0;
      for (let k = 0; k < m; k++) {
        const x = xs[k], w = index.weight[k];
        if (w !== 0) {
          ll += w * (gammaln(r + x) - lgR + r * logAlpha + betaln(a, b + x + 1) - lbAB);
          const psiABx1 = digamma(a + b + x + 1);
          gr += w * (digamma(r + x) - psiR + logAlpha);
          galpha += w * (r / alpha);
          ga += w * (psiAB - psiABx1);
          gb += w * (digamma(b + x + 1) - psiB + psiAB - psiABx1);
        }
        logRatio[k] = logA - Math.log(b + x);
        inverseBx[k] = 1 / (b + x);
      }
      tTable.update(alpha);
      txTable.update(alpha);
      const tIndex = tTable.rowIndex, logT = tTable.log, inverseT = tTable.inverse;
      const txIndex = txTable.rowIndex, logTx = txTable.log, inverseTx = txTable.inverse;
      for (let i = 0; i < rows; i++) {
        const w = weight[i];
        if (w === 0) continue;
        const rx = r + frequency[i];
        const k = rowIndex[i];
        const ti = tIndex[i], txi = txIndex[i];
        const logAlphaT = logT[ti];
        const logAlphaTx = logTx[txi];
        const d = logRatio[k] + rx * (logAlphaT - logAlphaTx);
        let softplus: number, w4: number;
        if (d > 0) {
          const e = Math.exp(-d);
          softplus = d + Math.log(1 + e);
          w4 = 1 / (1 + e);
        } else {
          const e = Math.exp(d);
          softplus = Math.log(1 + e);
          w4 = e / (1 + e);
        }
        const w3 = 1 - w4;
        ll += w * (softplus - rx * logAlphaT);
        gr -= w * (w3 * logAlphaT + w4 * logAlphaTx);
        galpha -= w * rx * (w3 * inverseT[ti] + w4 * inverseTx[txi]);
        ga += (w * w4) / a;
        gb -= w * w4 * inverseBx[k];
      }
      gradient[0] = gr * r;
      gradient[1] = galpha * alpha;
      gradient[2] = ga * a;
      gradient[3] = gb * b;
      return ll;
    },
  };
}

/** Fit MBG/NBD by maximum likelihood on RfmData (per customer or compressed tuples). */
export function fitMbgNbd(data: RfmData, options: MbgNbdFitOptions = {}): FittedModel<MbgNbdParams> {
  validateRfmData(data, 'MBG/NBD');
  for (const s of options.starts ?? []) {
    if (!isValidParams(s) || !(s.a > 0)) throw new UserError(`MBG/NBD: invalid starting point ${JSON.stringify(s)}`, 'all parameters must be finite and > 0');
  }
  return fitMaximumLikelihood<MbgNbdParams>(createMbgNbdProblem(data, options.starts), options);
}

/**
 * E[X(t)] for a new customer: P(survives time 0)·E[purchases | alive] =
 * b/(a+b) · (a+b)/(a−1)·[1 − (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))]
 * = b/(a−1)·[…] (Batislam et al. 2007, eq. 5).
 */
export function predictMbgNbdExpectedPurchases(params: MbgNbdParams, t: number): number {
  if (!isValidParams(params)) return NaN;
  const { r, alpha, a, b } = params;
  return (b / (a + b)) * computeExpectedPurchasesWhileAlive(r, alpha, a, b + 1, t);
}

/** P(alive at T | x, t_x, T) = 1 / (1 + a/(b+x)·((α+T)/(α+t_x))^{r+x}), for every x ≥ 0. */
export function predictMbgNbdProbabilityAlive(params: MbgNbdParams, x: number, recency: number, T: number): number {
  if (!isValidParams(params) || !isValidCustomer(x, recency, T)) return NaN;
  return probabilityFromLogOddsDead(mbgNbdLogOddsDead(params, x, recency, T));
}

export function predictMbgNbdProbabilityAliveAll(params: MbgNbdParams, data: RfmData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  for (let i = 0; i < out.length; i++) out[i] = predictMbgNbdProbabilityAlive(params, data.frequency[i], data.recency[i], data.T[i]);
  return out;
}

/**
 * E[Y(t) | x, t_x, T] = P(alive)·(a+b+x)/(a−1)·[1 − ((α+T)/(α+T+t))^{r+x}
 * 2F1(r+x, b+x+1; a+b+x; t/(α+T+t))] (Batislam et al. 2007, eq. 6).
 */
export function predictMbgNbdConditionalPurchases(params: MbgNbdParams, t: number, x: number, recency: number, T: number): number {
  if (!isValidParams(params) || !isValidCustomer(x, recency, T)) return NaN;
  const pAlive = probabilityFromLogOddsDead(mbgNbdLogOddsDead(params, x, recency, T));
  if (pAlive === 0) return 0;
  return pAlive * computeExpectedPurchasesWhileAlive(params.r + x, params.alpha + T, params.a, params.b + x + 1, t);
}

export function predictMbgNbdConditionalPurchasesAll(params: MbgNbdParams, t: number, data: RfmData): Float64Array {
  return predictMbgNbdConditionalPurchasesAtAll(params, [t], data)[0]!;
}

/** `predictMbgNbdConditionalPurchases` at every t of `times` (one array per t): P(alive) once per row, the 2F1 factor once per (x, T) pair. */
export function predictMbgNbdConditionalPurchasesAtAll(params: MbgNbdParams, times: ArrayLike<number>, data: RfmData): Float64Array[] {
  const pAlive = aliveFromLogOdds(data, isValidParams(params), isValidCustomer, (x, recency, T) => mbgNbdLogOddsDead(params, x, recency, T));
  return conditionalPurchasesAtTimes(data, times, { r: params.r, alpha: params.alpha, a: params.a, b: params.b, plusOne: true }, pAlive);
}

/**
 * P(X(t) = n) for a new customer. Individually, X(t) = n when the customer
 * survives n+1 dropout chances (time 0 and n purchases) and makes exactly n
 * purchases, or survives n chances, makes ≥ n purchases and drops at the n-th:
 *   B(a, b+n+1)/B(a, b)·NB(n) + B(a+1, b+n)/B(a, b)·P(NB ≥ n)
 * (for n = 0 the second term is the time-0 dropout a/(a+b)). Derived here
 * from the model definition; `lifetimes` 0.11.3 has its own MBG/NBD formula
 * (`ModifiedBetaGeoFitter.probability_of_n_purchases_up_to_time`), not the
 * BG/NBD one, and its values agree with this function.
 */
export function predictMbgNbdPurchaseCountProbability(params: MbgNbdParams, t: number, n: number): number {
  if (!isValidParams(params) || !(t >= 0) || !Number.isFinite(t) || !(n >= 0) || !Number.isInteger(n)) return NaN;
  const { r, alpha, a, b } = params;
  if (a === 0) return Math.exp(computeNbdLogProbability(r, alpha, t, n)); // no dropout: the NBD
  const lbAB = betaln(a, b);
  return (
    Math.exp(betaln(a, b + n + 1) - lbAB + computeNbdLogProbability(r, alpha, t, n)) +
    Math.exp(betaln(a + 1, b + n) - lbAB) * computeNbdTailProbability(r, alpha, t, n)
  );
}

/** P(no purchase in (T, T+t] | history) = 1 − P(alive)·(1 − ((α+T)/(α+T+t))^{r+x}). */
export function predictMbgNbdNoPurchaseProbability(params: MbgNbdParams, t: number, x: number, recency: number, T: number): number {
  if (!isValidParams(params) || !isValidCustomer(x, recency, T)) return NaN;
  const pAlive = probabilityFromLogOddsDead(mbgNbdLogOddsDead(params, x, recency, T));
  return computeNoPurchaseProbability(pAlive, params.r + x, params.alpha + T, t);
}

/**
 * Smallest t with P(next purchase within t | history) ≥ q; Infinity when
 * q ≥ P(alive) (the customer may be dead and then never buys again).
 */
export function predictMbgNbdTimeToNextPurchase(params: MbgNbdParams, q: number, x: number, recency: number, T: number): number {
  if (!isValidParams(params) || !isValidCustomer(x, recency, T)) return NaN;
  const pAlive = probabilityFromLogOddsDead(mbgNbdLogOddsDead(params, x, recency, T));
  return computeTimeToNextPurchaseQuantile(pAlive, params.r + x, params.alpha + T, q);
}

export function predictMbgNbdTimeToNextPurchaseAll(params: MbgNbdParams, q: number, data: RfmData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  for (let i = 0; i < out.length; i++) out[i] = predictMbgNbdTimeToNextPurchase(params, q, data.frequency[i], data.recency[i], data.T[i]);
  return out;
}
