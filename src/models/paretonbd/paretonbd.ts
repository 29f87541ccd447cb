/**
 * Pareto/NBD model of repeat purchasing in continuous time: Schmittlein,
 * Morrison & Colombo (1987), "Counting Your Customers: Who Are They and What
 * Will They Do Next?", Management Science 33(1), 1–24; likelihood and
 * predictions as derived in Fader & Hardie (2005), "A Note on Deriving the
 * Pareto/NBD Model and Related Expressions", and Fader & Hardie (2006),
 * "Deriving an Expression for P(X(t) = x) Under the Pareto/NBD Model".
 *
 * Story: while alive, a customer buys as a Poisson process with rate
 * λ ~ Gamma(r, α) (shape r, rate α); the lifetime is exponential with rate
 * μ ~ Gamma(s, β), independent of λ. Data per customer: x repeat purchases,
 * the time t_x of the last one and the length T of the observation window,
 * both from the first purchase, in the model's time unit.
 *
 * Likelihood (FH 2005 eq. 13–17), written with the integral that the
 * Gauss-hypergeometric terms come from:
 *   L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^{−(r+x)} (β+T)^{−s} + s·D ],
 *   D = ∫_{t_x}^{T} (α+τ)^{−(r+x)} (β+τ)^{−(s+1)} dτ
 *     = A0/(r+s+x) in FH's notation (A0: the two 2F1(r+s+x, ·; r+s+x+1; ·) terms).
 * D is evaluated by `computeParetoNbdLogIntegral` (see there) in logs, with its
 * analytic gradient, so x up to thousands, T up to 10⁴ and α ≫ β or α ≪ β
 * give finite values and exact derivatives.
 *
 * Prediction functions are plain functions of the params and return NaN on
 * invalid input; `fitParetoNbd` validates the data and throws `UserError`.
 */
import { UserError } from '../../core/errors/user-error.js';
import { betaln, digamma, gammaln, logAddExp, regularizedIncompleteBeta } from '../../math/special-functions.js';
import { advancePairCache, computeParetoNbdLogIntegral, createPairCache, MAX_TERMS, SERIES_EPS } from '../../math/pareto-nbd-integral.js';
import { fitMaximumLikelihood, type FitOptions, type MaximumLikelihoodProblem } from '../fit-maximum-likelihood.js';
import { defaultStarts, oneTimeBuyersStart, rateAndMeanWindow } from './paretonbd-starts.js';
import { jointGrowthDirection, noDropoutLogThresholdPerTime, type LimitFit } from '../fit-boundary.js';
import { fitParetoNbdCommonDropoutLimit, PARETO_COMMON_DROPOUT_MEANING } from './paretonbd-common-dropout-limit.js';
import type { FittedModel, RfmData } from '../model-types.js';
import { indexFrequencies, sampleRfmData, SCREEN_ROWS, SCREEN_ROWS_ABOVE, validateRfmData } from '../btyd/rfm-data.js';
import { noDropoutDirection, noHeterogeneityDirection } from '../nbd/nbd.js';
import { fitParetoNbdPoissonLimit } from './paretonbd-poisson-limit.js';
import { oneTimeBuyersDirection, PARETO_ONE_TIME_BUYERS_MEANING, paretoNbdOneTimeBuyersFitLimit } from './paretonbd-one-time-buyers-limit.js';
import { computeTimeToNextPurchaseQuantile } from '../btyd/next-purchase-probability.js';
import { logIntegrateExpAdaptive } from '../../math/gauss-legendre.js';
import {
  createParetoNbdWorkspace,
  evaluateCustomer,
  evaluateOne,
  isValidCustomer,
  isValidParams,
  PARETO_NBD_PARAM_NAMES,
  type ParetoNbdParams,
  type ParetoNbdWorkspace,
} from './paretonbd-likelihood.js';

export { PARETO_NBD_PARAM_NAMES, computeParetoNbdCustomerLogLikelihood, computeParetoNbdLogLikelihood, computeParetoNbdLogLikelihoods, type ParetoNbdParams } from './paretonbd-likelihood.js';
export { computeParetoNbdLogIntegral } from '../../math/pareto-nbd-integral.js';

export interface ParetoNbdFitOptions extends FitOptions {
  /** extra starting points (natural scale), tried in addition to the built-in ones */
  starts?: readonly ParetoNbdParams[];
}

/**
 * The Pareto/NBD estimation problem for `fitMaximumLikelihood`: weighted
 * log-likelihood and its analytic gradient w.r.t. (log r, log α, log s, log β).
 * Per evaluation, everything that depends on a customer through fewer than
 * all three of (x, t_x, T) is computed once per distinct value: log Γ(r+x) −
 * log Γ(r) and ψ(r+x) − ψ(r) per x; log(α+T), log(β+T), log(α+t_x), log(β+t_x)
 * per T and t_x; and, per distinct (x, t_x) and (x, T) pair (`PairCache`),
 * the fast path's Φ series with its log-derivatives and the general path's
 * near-τ series ∫_{t_x}^{t_split} and far part ∫_{t_split}^{T} — the 219k
 * tuples of 1M simulated customers share ~17k pairs, so the series, the
 * costly part of a row, run 10–25× less often. A fast-path row then costs a
 * few arithmetic operations, one expm1 and one log1p, with no allocation:
 * ~25 ms per evaluation for those 219k tuples on this machine (was ~77 ms,
 * up to ~100 ms more where many rows took the near-τ path). Results are
 * identical to evaluating every row on its own (the same expressions, only
 * memoised). Expects validated data.
 */
export function createParetoNbdProblem(data: RfmData, extraStarts: readonly ParetoNbdParams[] = []): MaximumLikelihoodProblem {
  const index = indexFrequencies(data);
  const distinct = index.values.length;
  const xs = index.values;
  const rowIndex = index.rowIndex;
  const { frequency, recency, T, weight } = data;
  const rows = frequency.length;
  const tTable = new ShiftedLogPair(T);
  const txTable = new ShiftedLogPair(recency);
  const pairs = indexEndpointPairs(rowIndex, distinct, data);
  const cache = createPairCache(pairs.count);
  const { pairX, pairT } = pairs;
  const logGammaRatio = new Float64Array(distinct);
  const digammaDifference = new Float64Array(distinct);
  const rowGradient = new Float64Array(4);
  const ws = createParetoNbdWorkspace();
  const { rate, meanT } = rateAndMeanWindow(data);
  const noDropout = noDropoutDirection(data, { parameters: ['s', 'beta'], limit: 's/beta → 0 (s → 0 or beta → ∞)', escape: (z) => z[3]! - z[2]!, threshold: noDropoutLogThresholdPerTime(rate), toFull: (nbd, at) => ({ r: nbd.r, alpha: nbd.alpha, s: 0, beta: at.beta! }) });
  let n = 0;
  for (let i = 0; i < rows; i++) n += weight[i];
  // the one-rate limit fitted once, from the first stop (a multi-start fit of its own): each fit runs 3 starts of a
  // quadrature likelihood, 5–10 s where they run off to s, β → 0 (3,000 customers, 30% one-time buyers, one rate)
  let oneRate: LimitFit | null | undefined;
  const problem: MaximumLikelihoodProblem = {
    model: 'paretonbd',
    paramNames: PARETO_NBD_PARAM_NAMES,
    n,
    starts: defaultStarts(rate, extraStarts),
    confinedStarts: [oneTimeBuyersStart(rate, meanT)],
    ...(rows > SCREEN_ROWS_ABOVE ? { screen: () => createParetoNbdProblem(sampleRfmData(data), extraStarts) } : {}),
    ...(rows > SCREEN_ROWS ? { confinedScreen: () => createParetoNbdProblem(sampleRfmData(data), extraStarts) } : {}),
    boundaries: [
      noHeterogeneityDirection((at) => (oneRate === undefined ? (oneRate = fitParetoNbdPoissonLimit(data, at)) : oneRate)),
      noDropout,
      jointGrowthDirection(2, 3, ['s', 'beta'], PARETO_COMMON_DROPOUT_MEANING, (at) => fitParetoNbdCommonDropoutLimit(problem, at)),
      // the zero-inflated NBD in its place; where it does not beat the NBD by one parameter's worth, the NBD
      oneTimeBuyersDirection(3, PARETO_ONE_TIME_BUYERS_MEANING, paretoNbdOneTimeBuyersFitLimit(data, noDropout.fitLimit!)),
    ],
    logLikelihood(z, gradient) {
      const r = Math.exp(z[0]), alpha = Math.exp(z[1]), s = Math.exp(z[2]), beta = Math.exp(z[3]);
      const logAlpha = Math.log(alpha), logBeta = Math.log(beta);
      const lgR = gammaln(r), psiR = digamma(r);
      for (let k = 0; k < distinct; k++) {
        logGammaRatio[k] = gammaln(r + xs[k]) - lgR;
        digammaDifference[k] = digamma(r + xs[k]) - psiR;
      }
      tTable.update(alpha, beta);
      txTable.update(alpha, beta);
      advancePairCache(cache); // new parameters: every slot is stale
      const tIndex = tTable.rowIndex, txIndex = txTable.rowIndex;
      const logAlphaT = tTable.logFirst, logBetaT = tTable.logSecond;
      const logAlphaTx = txTable.logFirst, logBetaTx = txTable.logSecond;
      let ll = 0, g0 = 0, g1 = 0, g2 = 0, g3 = 0;
      for (let i = 0; i < rows; i++) {
        const w = weight[i];
        if (w === 0) continue;
        const k = rowIndex[i], kt = tIndex[i], kx = txIndex[i];
        const t = evaluateCustomer(
          r, alpha, s, beta, logAlpha, logBeta, frequency[i], recency[i], T[i], logGammaRatio[k], digammaDifference[k],
          logAlphaT[kt], logBetaT[kt], logAlphaTx[kx], logBetaTx[kx], rowGradient, cache, pairX[i], pairT[i], ws,
        );
        ll += w * t.logLikelihood;
        g0 += w * rowGradient[0];
        g1 += w * rowGradient[1];
        g2 += w * rowGradient[2];
        g3 += w * rowGradient[3];
      }
      gradient[0] = g0 * r;
      gradient[1] = g1 * alpha;
      gradient[2] = g2 * s;
      gradient[3] = g3 * beta;
      return ll;
    },
  };
  return problem;
}

/**
 * Numbers the distinct (x, t) pairs, t ∈ {t_x, T}, of the rows: `pairX[i]`
 * is row i's (x, t_x) pair and `pairT[i]` its (x, T) pair (one numbering, so
 * a t_x of one row equal to the T of another with the same x shares a slot).
 */
function indexEndpointPairs(
  frequencyIndex: Int32Array, distinctFrequencies: number, data: RfmData,
): { pairX: Int32Array; pairT: Int32Array; count: number } {
  const rows = data.frequency.length;
  const times = new Map<number, number>();
  const timeId = (t: number): number => {
    let id = times.get(t);
    if (id === undefined) {
      id = times.size;
      times.set(t, id);
    }
    return id;
  };
  const txIds = new Int32Array(rows);
  const tIds = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    txIds[i] = timeId(data.recency[i]);
    tIds[i] = timeId(data.T[i]);
  }
  // key = timeId·(distinct x) + x index: exact in a double (≤ 2·rows·distinct x)
  const pairs = new Map<number, number>();
  const pairId = (key: number): number => {
    let id = pairs.get(key);
    if (id === undefined) {
      id = pairs.size;
      pairs.set(key, id);
    }
    return id;
  };
  const pairX = new Int32Array(rows);
  const pairT = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    pairX[i] = pairId(txIds[i] * distinctFrequencies + frequencyIndex[i]);
    pairT[i] = pairId(tIds[i] * distinctFrequencies + frequencyIndex[i]);
  }
  return { pairX, pairT, count: pairs.size };
}

/** log(α + v) and log(β + v) over the distinct values v of an array, refreshed per evaluation. */
class ShiftedLogPair {
  readonly rowIndex: Int32Array;
  readonly logFirst: Float64Array;
  readonly logSecond: Float64Array;
  private readonly values: Float64Array;
  constructor(array: Float64Array) {
    const map = new Map<number, number>();
    const values: number[] = [];
    this.rowIndex = new Int32Array(array.length);
    for (let i = 0; i < array.length; i++) {
      let k = map.get(array[i]);
      if (k === undefined) {
        k = values.length;
        map.set(array[i], k);
        values.push(array[i]);
      }
      this.rowIndex[i] = k;
    }
    this.values = Float64Array.from(values);
    this.logFirst = new Float64Array(values.length);
    this.logSecond = new Float64Array(values.length);
  }
  update(first: number, second: number): void {
    const { values, logFirst, logSecond } = this;
    for (let k = 0; k < values.length; k++) {
      logFirst[k] = Math.log(first + values[k]);
      logSecond[k] = Math.log(second + values[k]);
    }
  }
}

/**
 * Fit the Pareto/NBD by maximum likelihood on RfmData (per customer with
 * weights 1, or compressed unique (x, t_x, T) tuples with counts — same
 * estimates), multi-start L-BFGS with an optional L2 penalty (see
 * `fitMaximumLikelihood`). Non-convergence is reported in `fit.converged` /
 * `fit.message`, never hidden.
 */
export function fitParetoNbd(data: RfmData, options: ParetoNbdFitOptions = {}): FittedModel<ParetoNbdParams> {
  validateRfmData(data, 'Pareto/NBD');
  for (const p of options.starts ?? []) {
    if (!isValidParams(p) || !(p.s > 0)) throw new UserError(`Pareto/NBD: invalid starting point ${JSON.stringify(p)}`, 'all parameters must be finite and > 0');
  }
  return fitMaximumLikelihood<ParetoNbdParams>(createParetoNbdProblem(data, options.starts), options);
}

// ---------------------------------------------------------------------------
// predictions

/** (1 − e^{−κL})/κ, → L at κ = 0 (κ of either sign). */
function expm1Ratio(kappa: number, L: number): number {
  if (kappa === 0) return L;
  return -Math.expm1(-kappa * L) / kappa;
}

/**
 * E[X(t)]: expected repeat purchases in (0, t] of a newly acquired customer
 * (SMC 1987; FH 2005 eq. 18): rβ/(α(s−1))·[1 − (β/(β+t))^{s−1}], with the
 * s = 1 limit (r β/α)·ln((β+t)/β) taken continuously.
 */
export function predictParetoNbdExpectedPurchases(params: ParetoNbdParams, t: number): number {
  if (!isValidParams(params) || !(t >= 0)) return NaN;
  const { r, alpha, s, beta } = params;
  if (t === Infinity) return s > 1 ? (r * beta) / (alpha * (s - 1)) : Infinity;
  return ((r * beta) / alpha) * expm1Ratio(s - 1, Math.log1p(t / beta));
}

/**
 * P(alive at T | x, t_x, T) (FH 2005 eq. 19) = (α+T)^{−(r+x)}(β+T)^{−s} / [(α+T)^{−(r+x)}(β+T)^{−s} + s·D].
 */
export function predictParetoNbdProbabilityAlive(params: ParetoNbdParams, x: number, recency: number, T: number, ws: ParetoNbdWorkspace = createParetoNbdWorkspace()): number {
  if (!isValidParams(params) || !isValidCustomer(x, recency, T)) return NaN;
  if (params.s === 0) return 1; // no dropout
  return Math.exp(evaluateOne(params, x, recency, T, 0, ws).logAliveShare);
}

/** P(alive) for every row of `data`. */
export function predictParetoNbdProbabilityAliveAll(params: ParetoNbdParams, data: RfmData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  const ws = createParetoNbdWorkspace();
  for (let i = 0; i < out.length; i++) out[i] = predictParetoNbdProbabilityAlive(params, data.frequency[i], data.recency[i], data.T[i], ws);
  return out;
}

/**
 * E[Y(t) | x, t_x, T]: expected purchases in (T, T+t] given the history
 * (FH 2005 eq. 22) = P(alive)·(r+x)(β+T)/((α+T)(s−1))·[1 − ((β+T)/(β+T+t))^{s−1}],
 * the s = 1 limit taken continuously.
 */
export function predictParetoNbdConditionalPurchases(
  params: ParetoNbdParams, t: number, x: number, recency: number, T: number, ws: ParetoNbdWorkspace = createParetoNbdWorkspace(),
): number {
  if (!isValidParams(params) || !isValidCustomer(x, recency, T) || !(t >= 0)) return NaN;
  return paretoNbdConditionalGivenAlive(params, predictParetoNbdProbabilityAlive(params, x, recency, T, ws), t, x, T);
}

/** The rest of `predictParetoNbdConditionalPurchases` once P(alive) is known (valid params, customer and t ≥ 0). */
export function paretoNbdConditionalGivenAlive({ r, alpha, s, beta }: ParetoNbdParams, pAlive: number, t: number, x: number, T: number): number {
  if (t === Infinity) return s > 1 ? (pAlive * (r + x) * (beta + T)) / ((alpha + T) * (s - 1)) : pAlive === 0 ? 0 : Infinity;
  return ((pAlive * (r + x) * (beta + T)) / (alpha + T)) * expm1Ratio(s - 1, Math.log1p(t / (beta + T)));
}

/** Conditional expected purchases in (T, T+t] for every row of `data`. */
export function predictParetoNbdConditionalPurchasesAll(params: ParetoNbdParams, t: number, data: RfmData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  const ws = createParetoNbdWorkspace();
  for (let i = 0; i < out.length; i++) out[i] = predictParetoNbdConditionalPurchases(params, t, data.frequency[i], data.recency[i], data.T[i], ws);
  return out;
}

/**
 * log P(no purchase in (T, T+t] | x, t_x, T) = log L(x, t_x, T+t) − log L(x, t_x, T):
 * "x purchases with the last at t_x, none in (t_x, T+t]" is the likelihood
 * over the longer window. t = ∞ gives the probability of never buying again.
 */
function logNoPurchaseProbability(
  params: ParetoNbdParams, t: number, x: number, recency: number, T: number, ws: ParetoNbdWorkspace,
  now = evaluateOne(params, x, recency, T, 0, ws).logLikelihood,
): number {
  const { r, alpha, s, beta } = params;
  if (t === 0) return 0;
  // s = 0 (no dropout): the NBD's E[e^{−λt}] = ((α+T)/(α+T+t))^{r+x}
  if (s === 0) return t === Infinity ? -Infinity : -(r + x) * Math.log1p(t / (alpha + T));
  let later: number;
  if (t === Infinity) {
    // (α+T)^{−(r+x)} → 0: only s·∫_{t_x}^∞ remains
    const g = ws.gradient;
    const logD =
      alpha >= beta
        ? computeParetoNbdLogIntegral(r + x, s + 1, alpha, beta, recency, Infinity, g, ws.integral)
        : computeParetoNbdLogIntegral(s + 1, r + x, beta, alpha, recency, Infinity, g, ws.integral);
    later = r * Math.log(alpha) + s * Math.log(beta) + Math.log(s) + logD;
  } else {
    later = evaluateOne(params, x, recency, T + t, 0, ws).logLikelihood;
  }
  return Math.min(0, later - now);
}

/**
 * P(no purchase in (T, T+t] | x, t_x, T) = L(x, t_x, T+t)/L(x, t_x, T): the
 * customer is dead, or alive but does not buy before dying or before T+t.
 */
export function predictParetoNbdNoPurchaseProbability(
  params: ParetoNbdParams, t: number, x: number, recency: number, T: number, ws: ParetoNbdWorkspace = createParetoNbdWorkspace(),
): number {
  if (!isValidParams(params) || !isValidCustomer(x, recency, T) || !(t >= 0)) return NaN;
  return Math.exp(logNoPurchaseProbability(params, t, x, recency, T, ws));
}

/** P(no purchase in (T, T+t]) for every row of `data`. */
export function predictParetoNbdNoPurchaseProbabilityAll(params: ParetoNbdParams, t: number, data: RfmData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  const ws = createParetoNbdWorkspace();
  for (let i = 0; i < out.length; i++) out[i] = predictParetoNbdNoPurchaseProbability(params, t, data.frequency[i], data.recency[i], data.T[i], ws);
  return out;
}

/**
 * Quantile q of the time from T to the next purchase: the smallest t with
 * P(next purchase within t | x, t_x, T) = 1 − L(x, t_x, T+t)/L(x, t_x, T) ≥ q
 * (e.g. q = 0.5, 0.9). As t → ∞ that probability rises only to
 * P(ever buying again) = 1 − L(x, t_x, ∞)/L(x, t_x, T) < P(alive) < 1, where
 * L(x, t_x, ∞) = Γ(r+x)α^rβ^s/Γ(r)·s·∫_{t_x}^∞ (α+τ)^{−(r+x)}(β+τ)^{−(s+1)} dτ:
 * the customer may already be dead, or die before buying. When q is at or
 * above that ceiling the answer is Infinity (never reached), not a number.
 * Found by bracketing and Illinois false position to a relative width of 1e-10. NaN for q
 * outside [0, 1).
 */
export function predictParetoNbdTimeToNextPurchase(
  params: ParetoNbdParams, q: number, x: number, recency: number, T: number, ws: ParetoNbdWorkspace = createParetoNbdWorkspace(),
): number {
  if (!isValidParams(params) || !isValidCustomer(x, recency, T) || !(q >= 0) || !(q < 1)) return NaN;
  if (q === 0) return 0;
  // no dropout: the closed form of an always-alive customer
  if (params.s === 0) return computeTimeToNextPurchaseQuantile(1, params.r + x, params.alpha + T, q);
  // P(no purchase) must fall to ≤ 1 − q; L(x, t_x, T) once for every trial t
  const logTarget = Math.log1p(-q);
  const now = evaluateOne(params, x, recency, T, 0, ws).logLikelihood;
  const logNever = logNoPurchaseProbability(params, Infinity, x, recency, T, ws, now);
  if (!(logNever < logTarget)) return Infinity;
  const scale = (params.alpha + T) / (params.r + x);
  // f(t) = log P(no purchase by t) − log(1 − q) falls from −log(1 − q) > 0 at t = 0 through 0
  const f = (t: number) => logNoPurchaseProbability(params, t, x, recency, T, ws, now) - logTarget;
  let low = 0, fLow = -logTarget;
  let high = scale, fHigh = f(high);
  for (let i = 0; i < 2000 && fHigh > 0; i++) {
    low = high;
    fLow = fHigh;
    high *= 2;
    fHigh = f(high);
  }
  // Illinois false position (bisection where it stalls): ~10 evaluations instead of bisection's ~35
  let side = 0;
  for (let i = 0; i < 200 && high - low > 1e-10 * high; i++) {
    let mid = (low * fHigh - high * fLow) / (fHigh - fLow);
    if (!(mid > low && mid < high) || i % 8 === 7) mid = 0.5 * (low + high);
    const fMid = f(mid);
    if (fMid > 0) {
      low = mid;
      fLow = fMid;
      if (side === 1) fHigh /= 2;
      side = 1;
    } else {
      high = mid;
      fHigh = fMid;
      if (side === -1) fLow /= 2;
      side = -1;
    }
  }
  return high;
}

/** Time-to-next-purchase quantile q for every row of `data`. */
export function predictParetoNbdTimeToNextPurchaseAll(params: ParetoNbdParams, q: number, data: RfmData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  const ws = createParetoNbdWorkspace();
  for (let i = 0; i < out.length; i++) out[i] = predictParetoNbdTimeToNextPurchase(params, q, data.frequency[i], data.recency[i], data.T[i], ws);
  return out;
}

/** Past this many terms the death term's series gives way to quadrature (predictParetoNbdPurchaseCountProbability). */
const LONG_SERIES_TERMS = 1e4;

/**
 * Whether P(X(t) = n)'s death term is taken by quadrature rather than by its series: the series' terms shrink only once
 * k passes ~shift·ratio/(1 − ratio), so a long series (base ≫ other, or a huge shift — the one-rate and one-dropout-rate
 * limits, written with r or s near 1e8, a million terms per call before) is replaced by the integral itself.
 */
export function paretoNbdDeathTermByQuadrature(params: ParetoNbdParams, n: number): boolean {
  const { shift, logRatio } = deathTermSeries(params, n);
  return byQuadrature(shift, logRatio);
}

/** The death term's binomial series: its base and other rate, the Pochhammer argument `shift`, log((base − other)/base). */
function deathTermSeries({ r, alpha, s, beta }: ParetoNbdParams, n: number) {
  const base = Math.max(alpha, beta);
  const other = Math.min(alpha, beta);
  return { base, other, shift: alpha >= beta ? s + 1 : r + n, logRatio: Math.log((base - other) / base) };
}

function byQuadrature(shift: number, logRatio: number): boolean {
  const ratio = Math.exp(logRatio);
  return logRatio > Math.log(0.99) || (shift * ratio) / (1 - ratio) > LONG_SERIES_TERMS;
}

/**
 * P(X(t) = n) for a newly acquired customer (Fader & Hardie 2006 note
 * "Deriving an Expression for P(X(t) = x) Under the Pareto/NBD Model"):
 *   Γ(r+n)/(Γ(r) n!)·(α/(α+t))^r (t/(α+t))^n (β/(β+t))^s            [alive at t]
 *   + Γ(r+n) α^r s β^s/(Γ(r) n!)·∫_0^t τ^n (α+τ)^{−(r+n)} (β+τ)^{−(s+1)} dτ   [died at τ < t].
 * The integral is summed without cancellation: for α ≥ β,
 *   Σ_k (s+1)_k/k!·(α−β)^k α^{−(r+s+k)}·B(t/(α+t); n+1, r+s+k)
 * (roles swapped for α < β), with the incomplete beta functions by the
 * upward recurrence B_v(a, b+1) = b/(a+b)·B_v(a, b) + v^a(1−v)^b/(a+b) from
 * one regularized incomplete beta. NaN unless n is a whole number ≥ 0.
 */
export function predictParetoNbdPurchaseCountProbability(params: ParetoNbdParams, t: number, n: number): number {
  if (!isValidParams(params) || !(t >= 0) || !Number.isFinite(t) || !(n >= 0) || !Number.isInteger(n)) return NaN;
  const { r, alpha, s, beta } = params;
  if (t === 0) return n === 0 ? 1 : 0;
  // log Γ(r+n) − log Γ(r) − log n! = −log n − log B(n, r): exact to rounding at r = 1e8 (a limit's r), where the
  // difference of two log Γ near 2e9 keeps only seven digits; likewise log1p for (α/(α+t))^r
  const logLead = n === 0 ? 0 : -Math.log(n) - betaln(n, r);
  const alive = Math.exp(logLead - r * Math.log1p(t / alpha) + n * Math.log(t / (alpha + t)) - s * Math.log1p(t / beta));
  // the death term
  const { base, other, shift, logRatio } = deathTermSeries(params, n); // shift: the Pochhammer argument of the binomial expansion
  const v = t / (base + t);
  const logV = Math.log(v);
  const log1mV = Math.log(base / (base + t));
  const a = n + 1;
  let b = r + s;
  let logIncompleteBeta = Math.log(regularizedIncompleteBeta(v, a, b, base / (base + t))) + betaln(a, b);
  // a long series is replaced by the integral itself, by quadrature in panels
  if (byQuadrature(shift, logRatio)) {
    // α^r β^s τ^n (α+τ)^{−(r+n)} (β+τ)^{−(s+1)} dτ = (τ/(α+τ))^n (1 + τ/α)^{−r} e^{−s·v} dv with v = ln(1 + τ/β),
    // τ = β·expm1(v): no terms near 1e9 to cancel, and the deaths right after the first purchase — a peak of width β at
    // τ = 0, most of the mass near the one-time-buyers limit s, β → 0 — spread over v ∈ [0, ln(1 + t/β)] (in τ, a
    // quadrature missed that peak: P(X(52) = n) summed to 0.86 at s = 0.061, β = 7.5e-7)
    const logIntegral = logIntegrateExpAdaptive((v) => {
      const tau = beta * Math.expm1(v);
      return (n === 0 ? 0 : n * Math.log(tau / (alpha + tau))) - r * Math.log1p(tau / alpha) - s * v;
    }, 0, Math.log1p(t / beta));
    return alive + Math.exp(logLead + Math.log(s) + logIntegral);
  }
  const logBase = Math.log(base);
  let logCoefficient = 0;
  let logSum = -Infinity;
  for (let k = 0; k < MAX_TERMS; k++) {
    const logTerm = logCoefficient - (r + s) * logBase + logIncompleteBeta;
    logSum = logAddExp(logSum, logTerm);
    if (base === other) break;
    // next: (shift)_k/k!·((base−other)/base)^k and B_v(a, b+1)
    logCoefficient += Math.log((shift + k) / (k + 1)) + logRatio;
    logIncompleteBeta = logAddExp(Math.log(b / (a + b)) + logIncompleteBeta, a * logV + b * log1mV - Math.log(a + b));
    b += 1;
    // later term ratios ≤ (shift+j)/(j+1)·(base−other)/base (B_v(a, b) decreases in b), monotone in j
    const bound = Math.exp(logRatio) * Math.max(1, (shift + k + 2) / (k + 3));
    const nextLog = logCoefficient - (r + s) * logBase + logIncompleteBeta;
    if (bound < 1 && nextLog - Math.log1p(-bound) - logSum < Math.log(SERIES_EPS)) break;
  }
  const died = Math.exp(logLead + r * Math.log(alpha) + Math.log(s) + s * Math.log(beta) + logSum);
  return alive + died;
}
