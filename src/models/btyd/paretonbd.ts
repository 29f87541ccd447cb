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
import { betaln, digamma, gammaln, logAddExp, log1mExp, regularizedIncompleteBeta } from '../../math/special-functions.js';
import { fitMaximumLikelihood, type FitOptions, type MaximumLikelihoodProblem } from '../fit-maximum-likelihood.js';
import type { FittedModel, RfmData } from '../model-types.js';
import { indexFrequencies, validateRfmData } from './bgnbd.js';
import { weightedLogLikelihood } from './weighted-log-likelihood.js';

/** Pareto/NBD parameters: λ ~ Gamma(shape r, rate alpha), μ ~ Gamma(shape s, rate beta). */
export type ParetoNbdParams = { r: number; alpha: number; s: number; beta: number };

export const PARETO_NBD_PARAM_NAMES = ['r', 'alpha', 's', 'beta'] as const;

export interface ParetoNbdFitOptions extends FitOptions {
  /** extra starting points (natural scale), tried in addition to the built-in ones */
  starts?: readonly ParetoNbdParams[];
}

function isValidParams(p: ParetoNbdParams): boolean {
  return p.r > 0 && p.alpha > 0 && p.s > 0 && p.beta > 0 && Number.isFinite(p.r + p.alpha + p.s + p.beta);
}

function isValidCustomer(x: number, recency: number, T: number): boolean {
  return x >= 0 && Number.isInteger(x) && recency >= 0 && T >= recency && Number.isFinite(T);
}

// ---------------------------------------------------------------------------
// the integral D and its gradient

/** Relative-error target of the series. */
const SERIES_EPS = 1e-17;
/** Safety cap on series terms (the hard regime — x ≳ 300 purchases within t_x ≲ max(α,β)/x — needs ~10⁴). */
const MAX_TERMS = 1_000_000;

const gradientPart1 = new Float64Array(4);
const gradientPart2 = new Float64Array(4);
const gradientLow = new Float64Array(4);
const gradientHigh = new Float64Array(4);

/**
 * log D and ∂ log D/∂(P, Q, M, m) for
 *   D = ∫_{t0}^{t1} (M+τ)^{−P} (m+τ)^{−Q} dτ,   M ≥ m > 0, P, Q > 0, P+Q > 1, 0 ≤ t0 ≤ t1 ≤ ∞.
 * The Pareto/NBD uses (P, Q, M, m) = (r+x, s+1, α, β) when α ≥ β and
 * (s+1, r+x, β, α) otherwise, so that z below lies in [0, 1).
 *
 * Method. Far from τ = −m (z ≤ 1/(1+ρ), see below), the antiderivative
 *   I(t) = ∫_t^∞ … = (M+t)^{−P} (m+t)^{1−Q} Φ(z)/(P+Q−1),
 *   Φ = 2F1(1, P; P+Q; z) = Σ_n (P)_n/(P+Q)_n z^n,   z = (M−m)/(M+t)
 * — the Euler transform of FH's 2F1(r+s+x, s+1; r+s+x+1; z) (A&S 15.3.3) —
 * is a series of positive terms converging at least like z^n; D = I(t0) − I(t1)
 * and every partial derivative is a term-by-term derivative (digamma-like
 * running sums). Close to τ = −m, where z → 1 and that series crawls (and
 * where the 1−z transformation of 2F1 has poles whenever Q is an integer),
 * the factor (M+τ)^{−P} = (Δ + u)^{−P}, u = m+τ, Δ = M−m, is expanded
 * binomially and integrated term by term:
 *   ∫_{u0}^{u1} … = Σ_k (−1)^k (P)_k/k! Δ^{−P−k} ∫_{u0}^{u1} u^{k−Q} du,
 * with each power integral in the stable form (u1^e − u0^e)/e = u1^e·(−expm1(−e·L))/e,
 * L = ln(u1/u0), which stays finite at e = 0 (the log case behind the poles).
 * The split is at u = ρΔ with ρ = min(1/2, 4/P): the alternating sum then
 * loses at most e^{2Pρ} ≤ e^8 to cancellation, and the far part has
 * z ≤ 1/(1+ρ). Both parts are positive integrals, so their sum is exact.
 *
 * Writes the gradient into `gradient` (length ≥ 4); returns −Infinity (zero
 * gradient) when t1 ≤ t0.
 */
export function computeParetoNbdLogIntegral(
  P: number,
  Q: number,
  M: number,
  m: number,
  t0: number,
  t1: number,
  gradient: Float64Array,
): number {
  return logIntegral(P, Q, M, m, t0, t1, gradient, null, 0, 0);
}

/**
 * Per-evaluation memo of the parts of a likelihood evaluation that depend on
 * a customer through x and one of t_x, T only, slot `pair` of the distinct
 * (x, t) pairs of the data (`indexEndpointPairs`), stride `SLOT`:
 * - `endpoint`: the fast path's Φ(z_t) and ∂ log I(t)/∂(P, Q, M, m) (`computeEndpoint`);
 * - `near`: log ∫_{t_x}^{t_split} and its gradient (the split t_split depends on x only);
 * - `far`: log ∫_{t_split}^{T} and its gradient.
 * A slot is valid when its stamp equals `epoch`; the owner bumps `epoch`
 * whenever the parameters change. Slots are filled lazily — only what some
 * row needs is computed — and hold exactly what the direct call returns.
 */
interface PairCache {
  endpoint: Float64Array;
  endpointStamp: Int32Array;
  near: Float64Array;
  nearStamp: Int32Array;
  far: Float64Array;
  farStamp: Int32Array;
  epoch: number;
}

/** Slot width of a `PairCache` record: a value and its 4 partial derivatives. */
const SLOT = 5;

function createPairCache(pairs: number): PairCache {
  return {
    endpoint: new Float64Array(pairs * SLOT),
    endpointStamp: new Int32Array(pairs),
    near: new Float64Array(pairs * SLOT),
    nearStamp: new Int32Array(pairs),
    far: new Float64Array(pairs * SLOT),
    farStamp: new Int32Array(pairs),
    epoch: 0,
  };
}

/** Invalidates every slot (new parameters). */
function advancePairCache(cache: PairCache): void {
  if (cache.epoch === 0x7fffffff) {
    cache.endpointStamp.fill(0);
    cache.nearStamp.fill(0);
    cache.farStamp.fill(0);
    cache.epoch = 0;
  }
  cache.epoch++;
}

function loadSlot(values: Float64Array, slot: number, gradient: Float64Array): number {
  const o = slot * SLOT;
  gradient[0] = values[o + 1];
  gradient[1] = values[o + 2];
  gradient[2] = values[o + 3];
  gradient[3] = values[o + 4];
  return values[o];
}

function storeSlot(values: Float64Array, slot: number, value: number, gradient: Float64Array): void {
  const o = slot * SLOT;
  values[o] = value;
  values[o + 1] = gradient[0];
  values[o + 2] = gradient[1];
  values[o + 3] = gradient[2];
  values[o + 4] = gradient[3];
}

/**
 * `computeParetoNbdLogIntegral`; with a `cache`, the near part ending at the
 * split comes from slot `pairX` = (x, t0) and the far part starting at the
 * split from slot `pairT` = (x, t1).
 */
function logIntegral(
  P: number, Q: number, M: number, m: number, t0: number, t1: number, gradient: Float64Array,
  cache: PairCache | null, pairX: number, pairT: number,
): number {
  gradient[0] = 0;
  gradient[1] = 0;
  gradient[2] = 0;
  gradient[3] = 0;
  if (!(t1 > t0)) return -Infinity;
  const delta = M - m;
  const rho = Math.min(0.5, 4 / P);
  const tSplit = rho * delta - m;
  const nearEnd = Math.min(t1, tSplit);
  let logNear = -Infinity;
  let logFar = -Infinity;
  if (nearEnd > t0) {
    if (cache !== null && nearEnd === tSplit) {
      if (cache.nearStamp[pairX] === cache.epoch) logNear = loadSlot(cache.near, pairX, gradientPart1);
      else {
        logNear = nearIntegral(P, Q, delta, m + t0, m + nearEnd, gradientPart1, t0 === 0);
        storeSlot(cache.near, pairX, logNear, gradientPart1);
        cache.nearStamp[pairX] = cache.epoch;
      }
    } else logNear = nearIntegral(P, Q, delta, m + t0, m + nearEnd, gradientPart1, t0 === 0);
  }
  const farStart = Math.max(t0, tSplit);
  if (t1 > farStart) {
    if (cache !== null && farStart === tSplit) {
      if (cache.farStamp[pairT] === cache.epoch) logFar = loadSlot(cache.far, pairT, gradientPart2);
      else {
        logFar = farIntegral(P, Q, M, m, farStart, t1, gradientPart2, t0 === 0 && farStart > t0);
        storeSlot(cache.far, pairT, logFar, gradientPart2);
        cache.farStamp[pairT] = cache.epoch;
      }
    } else logFar = farIntegral(P, Q, M, m, farStart, t1, gradientPart2, t0 === 0 && farStart > t0);
  }
  if (logNear === -Infinity && logFar === -Infinity) return -Infinity;
  const total = logAddExp(logNear, logFar);
  const wNear = logNear === -Infinity ? 0 : Math.exp(logNear - total);
  const wFar = logFar === -Infinity ? 0 : Math.exp(logFar - total);
  for (let i = 0; i < 4; i++) {
    gradient[i] = (wNear === 0 ? 0 : wNear * gradientPart1[i]) + (wFar === 0 ? 0 : wFar * gradientPart2[i]);
  }
  return total;
}

/** I(t0) − I(t1) with the Φ series; gradient w.r.t. (P, Q, M, m). */
function farIntegral(
  P: number, Q: number, M: number, m: number, t0: number, t1: number, gradient: Float64Array, cacheable: boolean,
): number {
  const h = t1 - t0;
  if (Number.isFinite(t1) && h <= 1e-9 * (m + t0)) return sliver(P, Q, M, m, t0, h, gradient);
  let logLow: number;
  const memo = splitMemo;
  if (cacheable && memo.P === P && memo.Q === Q && memo.M === M && memo.m === m && memo.t === t0) {
    logLow = memo.value;
    gradientLow.set(memo.gradient);
  } else {
    logLow = logAntiderivative(P, Q, M, m, t0, gradientLow);
    if (cacheable) {
      memo.P = P;
      memo.Q = Q;
      memo.M = M;
      memo.m = m;
      memo.t = t0;
      memo.value = logLow;
      memo.gradient.set(gradientLow);
    }
  }
  if (t1 === Infinity) {
    for (let i = 0; i < 4; i++) gradient[i] = gradientLow[i];
    return logLow;
  }
  const logHigh = logAntiderivative(P, Q, M, m, t1, gradientHigh);
  const ratio = Math.exp(logHigh - logLow); // I(t1)/I(t0) < 1
  if (!(ratio < 1)) return sliver(P, Q, M, m, t0, h, gradient); // rounding on a tiny interval
  const inv = 1 / (1 - ratio);
  for (let i = 0; i < 4; i++) gradient[i] = (gradientLow[i] - ratio * gradientHigh[i]) * inv;
  return logLow + log1mExp(logHigh - logLow);
}

/** Midpoint rule on [t0, t0+h] for h ≤ 1e-9·(m+t0): relative error O((h/(m+t0))²). */
function sliver(P: number, Q: number, M: number, m: number, t0: number, h: number, gradient: Float64Array): number {
  const t = t0 + h / 2;
  const lM = Math.log(M + t), lm = Math.log(m + t);
  gradient[0] = -lM;
  gradient[1] = -lm;
  gradient[2] = -P / (M + t);
  gradient[3] = -Q / (m + t);
  return Math.log(h) - P * lM - Q * lm;
}

/** Φ and its log-derivatives, written by `sumPhi`: [Φ, ∂lnΦ/∂z, ∂lnΦ/∂P, ∂lnΦ/∂Q] (c = P+Q). */
const phiLow = new Float64Array(4);

/**
 * Φ(z) = 2F1(1, P; P+Q; z) = Σ_n (P)_n/(P+Q)_n z^n, 0 ≤ z < 1, and its
 * logarithmic derivatives by term-wise differentiation (running sums of
 * 1/(P+j) and 1/(P+Q+j)). The term ratios (P+n)/(P+Q+n)·z increase towards z,
 * so the tail after a term u is at most u·z/(1−z).
 */
function sumPhi(P: number, Q: number, z: number, out: Float64Array): void {
  const c = P + Q;
  if (!(z > 0)) {
    out[0] = 1;
    out[1] = P / c;
    out[2] = 0;
    out[3] = 0;
    return;
  }
  let u = 1, phi = 1, phiN = 0, phiP = 0, phiC = 0, sP = 0, sC = 0;
  const tailFactor = z / (1 - z);
  for (let n = 0; n < MAX_TERMS; n++) {
    const invP = 1 / (P + n);
    const invC = 1 / (c + n);
    sP += invP;
    sC += invC;
    u *= (P + n) * invC * z;
    phi += u;
    phiN += (n + 1) * u;
    phiP += u * sP;
    phiC += u * sC;
    // the running sums grow like log n: (n+2) covers them
    if (u * tailFactor * (n + 2) <= SERIES_EPS * phi) break;
  }
  const inv = 1 / phi;
  out[0] = phi;
  out[1] = (phiN * inv) / z;
  out[2] = (phiP - phiC) * inv;
  out[3] = -phiC * inv;
}

/**
 * log I(t) = log ∫_t^∞ (M+τ)^{−P}(m+τ)^{−Q} dτ = −P ln(M+t) − (Q−1) ln(m+t) + ln Φ(z) − ln(P+Q−1),
 * with its gradient w.r.t. (P, Q, M, m).
 */
function logAntiderivative(P: number, Q: number, M: number, m: number, t: number, gradient: Float64Array): number {
  const a = P + Q - 1;
  const Mt = M + t;
  const mt = m + t;
  sumPhi(P, Q, (M - m) / Mt, phiLow);
  const logMt = Math.log(Mt);
  const logmt = Math.log(mt);
  antiderivativeGradient(P, Q, a, Mt, mt, logMt, logmt, phiLow, gradient, 0);
  return -P * logMt - (Q - 1) * logmt + Math.log(phiLow[0]) - Math.log(a);
}

/** ∂ log I(t)/∂(P, Q, M, m) from Φ's log-derivatives, written to gradient[offset … offset+3]. */
function antiderivativeGradient(
  P: number, Q: number, a: number, Mt: number, mt: number, logMt: number, logmt: number, phi: Float64Array,
  gradient: Float64Array, offset: number,
): void {
  gradient[offset] = -logMt + phi[2] - 1 / a;
  gradient[offset + 1] = -logmt + phi[3] - 1 / a;
  gradient[offset + 2] = -P / Mt + (phi[1] * mt) / (Mt * Mt);
  gradient[offset + 3] = -(Q - 1) / mt - phi[1] / Mt;
}

/**
 * ∫_{u0}^{u1} (Δ+u)^{−P} u^{−Q} du by the binomial expansion in u/Δ (u1 ≤ Δ/2),
 * gradient w.r.t. (P, Q, M, m) where Δ = M − m and u = m + τ. With e = k−Q+1
 * the power integral is W_k = ∫ u^{e−1} du = b^e·ω, b = u1 (e ≥ 0) or u0 (e < 0),
 * ω = (1 − E)/|e|, E = e^{−|e|L}. Terms are kept relative to the first one
 * and updated by recurrences — E and b^e/Δ^k change by constant factors within
 * a branch — so a term costs a few multiplications and divisions; exp/expm1 only
 * at the branch switch and where |e|·L or |e−1|·L is small (cancellation).
 */
function nearIntegral(P: number, Q: number, delta: number, u0: number, u1: number, gradient: Float64Array, cacheable: boolean): number {
  if (!cacheable) return sumNearSeries(P, Q, delta, u0, u1, gradient);
  const memo = nearMemo;
  if (memo.P === P && memo.Q === Q && memo.delta === delta && memo.u0 === u0 && memo.u1 === u1) {
    gradient.set(memo.gradient);
    return memo.value;
  }
  const value = sumNearSeries(P, Q, delta, u0, u1, gradient);
  memo.P = P;
  memo.Q = Q;
  memo.delta = delta;
  memo.u0 = u0;
  memo.u1 = u1;
  memo.value = value;
  memo.gradient.set(gradient);
  return value;
}

/**
 * One-entry memos for integrals from t0 = 0 (the x = 0 rows): within a
 * likelihood evaluation they all share the same near part and I(t_split)
 * (when T is beyond the split).
 */
const nearMemo = { P: NaN, Q: NaN, delta: NaN, u0: NaN, u1: NaN, value: NaN, gradient: new Float64Array(4) };
const splitMemo = { P: NaN, Q: NaN, M: NaN, m: NaN, t: NaN, value: NaN, gradient: new Float64Array(4) };

function sumNearSeries(P: number, Q: number, delta: number, u0: number, u1: number, gradient: Float64Array): number {
  const logDelta = Math.log(delta);
  const logU0 = Math.log(u0);
  const logU1 = Math.log(u1);
  const L = logU1 - logU0;
  const shrink = u0 / u1; // e^{−L}
  const stepPositive = u1 / delta; // b^e/Δ^k factor per step, e ≥ 0 branch
  const stepNegative = u0 / delta; // same, e < 0 branch
  const ratioScale = stepPositive;
  let logScale0 = NaN; // log(b^e/Δ^{P+k}) of term 0
  let firstOmega = 1; // ω of term 0
  let scale = 1; // b^e/Δ^{P+k} relative to term 0's
  let sum = 0, absSum = 0;
  let gP = 0, gQ = 0, gDelta = 0, gBoundary = 0;
  let sP = 0; // Σ_{j<k} 1/(P+j)
  let coefficient = 1; // (P)_k/k! with sign (−1)^k
  let E = 0;
  let branchPositive = false;
  for (let k = 0; k < 100_000; k++) {
    const e = k - Q + 1;
    const positive = e >= 0;
    const absE = positive ? e : -e;
    if (k === 0 || positive !== branchPositive) {
      E = Math.exp(-absE * L);
      const logScale = (positive ? e * logU1 : e * logU0) - (P + k) * logDelta;
      if (k === 0) logScale0 = logScale;
      else scale = Math.exp(logScale - logScale0);
    } else if (positive) {
      E *= shrink;
      scale *= stepPositive;
    } else {
      E /= shrink;
      scale *= stepNegative;
    }
    branchPositive = positive;
    const x = absE * L;
    const oneMinusE = x < 0.5 ? -Math.expm1(-x) : 1 - E;
    const omega = absE === 0 ? L : oneMinusE / absE;
    const mean = x < 0.05 ? L * (0.5 - x / 12 + (x * x * x) / 720 - (x * x * x * x * x) / 30240) : 1 / absE - (L * E) / oneMinusE;
    let meanLog: number, boundary: number;
    const y = (e - 1) * L; // boundary: (u1^{e−1} − u0^{e−1})/W
    if (positive) {
      meanLog = logU1 - mean;
      // 1 − e^{−(e−1)L} = 1 − E/shrink
      boundary = (Math.abs(y) < 0.5 ? -Math.expm1(-y) : 1 - E / shrink) / (u1 * omega);
    } else {
      meanLog = logU0 + mean;
      // e^{(e−1)L} − 1 = E·shrink − 1
      boundary = (Math.abs(y) < 0.5 ? Math.expm1(y) : E * shrink - 1) / (u0 * omega);
    }
    if (k === 0) firstOmega = omega;
    const term = coefficient * scale * (omega / firstOmega); // signed, relative to term 0
    const magnitude = Math.abs(term);
    sum += term;
    absSum += magnitude;
    gP += term * (sP - logDelta);
    gQ -= term * meanLog;
    gDelta -= term * ((P + k) / delta);
    gBoundary += term * boundary;
    // later |term ratios| ≤ (P+j)/(j+1)·u1/Δ ≤ max(1, (P+k+1)/(k+2))·u1/Δ
    const bound = ratioScale * Math.max(1, (P + k + 1) / (k + 2));
    const nextRatio = ((P + k) / (k + 1)) * ratioScale;
    if (bound < 1 && (magnitude * nextRatio) / (1 - bound) <= SERIES_EPS * absSum) break;
    sP += 1 / (P + k);
    coefficient *= -(P + k) / (k + 1);
  }
  gradient[0] = gP / sum;
  gradient[1] = gQ / sum;
  gradient[2] = gDelta / sum; // ∂/∂M = ∂/∂Δ
  gradient[3] = (-gDelta + gBoundary) / sum; // ∂/∂m = −∂/∂Δ + ∂/∂u (both limits move with m)
  return logScale0 + Math.log(firstOmega) + Math.log(sum);
}

// ---------------------------------------------------------------------------
// likelihood

const integralGradient = new Float64Array(4);
/** Endpoint slots for one customer when there is no cache (predictions): [Φ(z_{t_x}), ∂log I(t_x) (4), Φ(z_T), ∂log I(T) (4)]. */
const scratchEndpoints = new Float64Array(2 * SLOT);

interface CustomerTerms {
  /** log L */
  logLikelihood: number;
  /** log A − log(A + s·D) = log P(alive at T) */
  logAliveShare: number;
}
const terms: CustomerTerms = { logLikelihood: 0, logAliveShare: 0 };

/**
 * Fast-path quantities at one end t ∈ {t_x, T} of a customer's (t_x, T):
 * Φ(z_t), z_t = Δ/(M+t), then (with the gradient) ∂ log I(t)/∂(P, Q, M, m),
 * written to out[offset … offset+4]. They depend on the customer only through
 * x (in P or Q) and t, so a fit computes them once per distinct (x, t) pair.
 */
function computeEndpoint(
  P: number, Q: number, a: number, delta: number, Mt: number, mt: number, logMt: number, logmt: number,
  withGradient: boolean, out: Float64Array, offset: number,
): void {
  sumPhi(P, Q, delta / Mt, phiLow);
  out[offset] = phiLow[0];
  if (withGradient) antiderivativeGradient(P, Q, a, Mt, mt, logMt, logmt, phiLow, out, offset + 1);
}

/**
 * log L for one customer and (when `gradient` is given) ∂ log L/∂(r, α, s, β).
 * `logGammaRatio` = log Γ(r+x) − log Γ(r), `digammaDifference` = ψ(r+x) − ψ(r);
 * log α, log β and the four logs log(α+T), log(β+T), log(α+t_x), log(β+t_x)
 * come from the caller (tables over distinct values when fitting). With a
 * `cache` (fitting: `gradient` must then be given), the fast path's endpoint
 * quantities and the general path's near and far parts come from its slots
 * `pairX` = (x, t_x) and `pairT` = (x, T) (see `PairCache`).
 *
 * Fast path (no near-τ = −min(α,β) part, i.e. the usual case): with
 * A = (α+T)^{−(r+x)}(β+T)^{−s}, κ = s·I(T)/A = s·Φ(z_T)/(r+s+x)·[(α+T)/(β+T) if α < β]
 * and R = I(t_x)/I(T) ≥ 1, log L = common + log A + log(1 + κ(R−1)) — only two
 * transcendental calls beyond the series. Otherwise D goes through
 * `computeParetoNbdLogIntegral`.
 */
function evaluateCustomer(
  r: number, alpha: number, s: number, beta: number, logAlpha: number, logBeta: number,
  x: number, recency: number, T: number,
  logGammaRatio: number, digammaDifference: number,
  logAlphaT: number, logBetaT: number, logAlphaTx: number, logBetaTx: number,
  gradient: Float64Array | null,
  cache: PairCache | null, pairX: number, pairT: number,
): CustomerTerms {
  const rx = r + x;
  const logA = -rx * logAlphaT - s * logBetaT;
  const common = logGammaRatio + r * logAlpha + s * logBeta;
  const alphaBase = alpha >= beta;
  const P = alphaBase ? rx : s + 1;
  const Q = alphaBase ? s + 1 : rx;
  const M = alphaBase ? alpha : beta;
  const m = alphaBase ? beta : alpha;
  const delta = M - m;
  const tSplit = Math.min(0.5, 4 / P) * delta - m;
  let logG: number; // log(1 + s·D/A)
  let wx: number, wT: number; // s·I(t_x)/E, s·I(T)/E
  const general = tSplit > recency || !(T - recency > 1e-9 * (m + recency));
  if (!general) {
    const a = P + Q - 1;
    const MT = M + T, mT = m + T, Mx = M + recency, mx = m + recency;
    const logMT = alphaBase ? logAlphaT : logBetaT, logmT = alphaBase ? logBetaT : logAlphaT;
    const logMx = alphaBase ? logAlphaTx : logBetaTx, logmx = alphaBase ? logBetaTx : logAlphaTx;
    let ends: Float64Array, ox: number, oT: number;
    if (cache === null) {
      ends = scratchEndpoints;
      ox = 0;
      oT = SLOT;
      computeEndpoint(P, Q, a, delta, Mx, mx, logMx, logmx, gradient !== null, ends, ox);
      computeEndpoint(P, Q, a, delta, MT, mT, logMT, logmT, gradient !== null, ends, oT);
    } else {
      ends = cache.endpoint;
      ox = pairX * SLOT;
      oT = pairT * SLOT;
      const stamp = cache.endpointStamp, epoch = cache.epoch;
      if (stamp[pairX] !== epoch) {
        computeEndpoint(P, Q, a, delta, Mx, mx, logMx, logmx, true, ends, ox);
        stamp[pairX] = epoch;
      }
      if (stamp[pairT] !== epoch) {
        computeEndpoint(P, Q, a, delta, MT, mT, logMT, logmT, true, ends, oT);
        stamp[pairT] = epoch;
      }
    }
    const phiX = ends[ox], phiT = ends[oT];
    const kappa = ((s * phiT) / a) * (alphaBase ? 1 : (alpha + T) / (beta + T));
    const exponent = P * (logMT - logMx) + (Q - 1) * (logmT - logmx); // log of the power-law part of R
    const phiRatio = phiX / phiT;
    let wA: number;
    if (exponent < 600) {
      const Rm1 = Math.expm1(exponent) * phiRatio + (phiRatio - 1); // R − 1
      const G = 1 + kappa * Rm1;
      logG = Math.log1p(kappa * Rm1);
      wA = 1 / G;
      wx = (kappa * (Rm1 + 1)) / G;
      wT = kappa / G;
    } else {
      const logR = exponent + Math.log(phiRatio);
      const logKappa = Math.log(kappa);
      logG = logKappa + logR + Math.log1p((1 - kappa) * Math.exp(-logKappa - logR));
      wA = Math.exp(-logG);
      wx = Math.exp(logKappa + logR - logG);
      wT = Math.exp(logKappa - logG);
    }
    terms.logLikelihood = common + logA + logG;
    terms.logAliveShare = -logG;
    if (gradient === null) return terms;
    // ∂ log E = wA ∂log A + wx ∂log I(t_x) − wT ∂log I(T) + (wx − wT)/s ∂s
    let dr: number, ds: number, dalpha: number, dbeta: number;
    if (alphaBase) {
      dr = wx * ends[ox + 1] - wT * ends[oT + 1];
      ds = wx * ends[ox + 2] - wT * ends[oT + 2];
      dalpha = wx * ends[ox + 3] - wT * ends[oT + 3];
      dbeta = wx * ends[ox + 4] - wT * ends[oT + 4];
    } else {
      dr = wx * ends[ox + 2] - wT * ends[oT + 2];
      ds = wx * ends[ox + 1] - wT * ends[oT + 1];
      dalpha = wx * ends[ox + 4] - wT * ends[oT + 4];
      dbeta = wx * ends[ox + 3] - wT * ends[oT + 3];
    }
    gradient[0] = digammaDifference + logAlpha - wA * logAlphaT + dr;
    gradient[1] = r / alpha - (wA * rx) / (alpha + T) + dalpha;
    gradient[2] = logBeta - wA * logBetaT + ds + (wx - wT) / s;
    gradient[3] = s / beta - (wA * s) / (beta + T) + dbeta;
    return terms;
  }
  // general path: near part present (t_x close to −min(α, β) relative to |α − β|) or T ≈ t_x
  const g = integralGradient;
  const logD = logIntegral(P, Q, M, m, recency, T, g, cache, pairX, pairT);
  const logSD = Math.log(s) + logD;
  const logE = logAddExp(logA, logSD);
  terms.logLikelihood = common + logE;
  terms.logAliveShare = logA - logE;
  if (gradient === null) return terms;
  const wA = Math.exp(logA - logE);
  const wD = logD === -Infinity ? 0 : Math.exp(logSD - logE);
  const dr = alphaBase ? g[0] : g[1];
  const ds = alphaBase ? g[1] : g[0];
  const dalpha = alphaBase ? g[2] : g[3];
  const dbeta = alphaBase ? g[3] : g[2];
  gradient[0] = digammaDifference + logAlpha - wA * logAlphaT + (wD === 0 ? 0 : wD * dr);
  gradient[1] = r / alpha - (wA * rx) / (alpha + T) + (wD === 0 ? 0 : wD * dalpha);
  gradient[2] = logBeta - wA * logBetaT + (wD === 0 ? 0 : wD * (ds + 1 / s));
  gradient[3] = s / beta - (wA * s) / (beta + T) + (wD === 0 ? 0 : wD * dbeta);
  return terms;
}

/** `evaluateCustomer` computing its own logs (predictions). */
function evaluateOne(params: ParetoNbdParams, x: number, recency: number, T: number, logGammaRatio: number): CustomerTerms {
  const { r, alpha, s, beta } = params;
  return evaluateCustomer(
    r, alpha, s, beta, Math.log(alpha), Math.log(beta), x, recency, T, logGammaRatio, 0,
    Math.log(alpha + T), Math.log(beta + T), Math.log(alpha + recency), Math.log(beta + recency), null, null, 0, 0,
  );
}

/**
 * Log-likelihood of one customer (FH 2005): log Γ(r+x) − log Γ(r) + r log α + s log β
 * + log[(α+T)^{−(r+x)}(β+T)^{−s} + s·D]. NaN for invalid input.
 */
export function computeParetoNbdCustomerLogLikelihood(params: ParetoNbdParams, x: number, recency: number, T: number): number {
  if (!isValidParams(params) || !isValidCustomer(x, recency, T)) return NaN;
  return evaluateOne(params, x, recency, T, gammaln(params.r + x) - gammaln(params.r)).logLikelihood;
}

/** Per-row log-likelihoods (unweighted), one per entry of `data`. */
export function computeParetoNbdLogLikelihoods(params: ParetoNbdParams, data: RfmData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  if (!isValidParams(params)) return out.fill(NaN);
  const lgR = gammaln(params.r);
  for (let i = 0; i < out.length; i++) {
    const x = data.frequency[i], tx = data.recency[i], T = data.T[i];
    out[i] = isValidCustomer(x, tx, T) ? evaluateOne(params, x, tx, T, gammaln(params.r + x) - lgR).logLikelihood : NaN;
  }
  return out;
}

/** Weighted total log-likelihood Σ weight·log L. */
export function computeParetoNbdLogLikelihood(params: ParetoNbdParams, data: RfmData): number {
  return weightedLogLikelihood(computeParetoNbdLogLikelihoods(params, data), data.weight);
}

/** Starting points (log scale) for r, α, s, β from the mean purchase rate and the mean window. */
function defaultStarts(data: RfmData, extra: readonly ParetoNbdParams[]): Float64Array[] {
  let purchases = 0, exposure = 0, weight = 0;
  for (let i = 0; i < data.frequency.length; i++) {
    purchases += data.weight[i] * data.frequency[i];
    exposure += data.weight[i] * data.T[i];
    weight += data.weight[i];
  }
  const rate = Math.max(purchases / exposure, 1e-6);
  const meanT = exposure / weight;
  // λ with mean ≈ the observed purchase rate; μ with mean lifetime ≈ the mean window (β/s = T̄)
  const starts: ParetoNbdParams[] = [
    { r: 1, alpha: 1 / rate, s: 1, beta: 1 / rate },
    { r: 0.5, alpha: 0.5 / rate, s: 0.5, beta: 0.5 / rate },
    { r: 2, alpha: 2 / rate, s: 2, beta: 2 / rate },
    ...extra,
  ];
  return starts.map((p) => Float64Array.of(Math.log(p.r), Math.log(p.alpha), Math.log(p.s), Math.log(p.beta)));
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
  let n = 0;
  for (let i = 0; i < rows; i++) n += weight[i];
  return {
    model: 'paretonbd',
    paramNames: PARETO_NBD_PARAM_NAMES,
    n,
    starts: defaultStarts(data, extraStarts),
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
          logAlphaT[kt], logBetaT[kt], logAlphaTx[kx], logBetaTx[kx], rowGradient, cache, pairX[i], pairT[i],
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
    if (!isValidParams(p)) throw new UserError(`Pareto/NBD: invalid starting point ${JSON.stringify(p)}`, 'all parameters must be finite and > 0');
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
export function predictParetoNbdProbabilityAlive(params: ParetoNbdParams, x: number, recency: number, T: number): number {
  if (!isValidParams(params) || !isValidCustomer(x, recency, T)) return NaN;
  return Math.exp(evaluateOne(params, x, recency, T, 0).logAliveShare);
}

/** P(alive) for every row of `data`. */
export function predictParetoNbdProbabilityAliveAll(params: ParetoNbdParams, data: RfmData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  for (let i = 0; i < out.length; i++) out[i] = predictParetoNbdProbabilityAlive(params, data.frequency[i], data.recency[i], data.T[i]);
  return out;
}

/**
 * E[Y(t) | x, t_x, T]: expected purchases in (T, T+t] given the history
 * (FH 2005 eq. 22) = P(alive)·(r+x)(β+T)/((α+T)(s−1))·[1 − ((β+T)/(β+T+t))^{s−1}],
 * the s = 1 limit taken continuously.
 */
export function predictParetoNbdConditionalPurchases(params: ParetoNbdParams, t: number, x: number, recency: number, T: number): number {
  if (!isValidParams(params) || !isValidCustomer(x, recency, T) || !(t >= 0)) return NaN;
  const { r, alpha, s, beta } = params;
  const pAlive = predictParetoNbdProbabilityAlive(params, x, recency, T);
  if (t === Infinity) return s > 1 ? (pAlive * (r + x) * (beta + T)) / ((alpha + T) * (s - 1)) : pAlive === 0 ? 0 : Infinity;
  return ((pAlive * (r + x) * (beta + T)) / (alpha + T)) * expm1Ratio(s - 1, Math.log1p(t / (beta + T)));
}

/** Conditional expected purchases in (T, T+t] for every row of `data`. */
export function predictParetoNbdConditionalPurchasesAll(params: ParetoNbdParams, t: number, data: RfmData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  for (let i = 0; i < out.length; i++) out[i] = predictParetoNbdConditionalPurchases(params, t, data.frequency[i], data.recency[i], data.T[i]);
  return out;
}

/**
 * log P(no purchase in (T, T+t] | x, t_x, T) = log L(x, t_x, T+t) − log L(x, t_x, T):
 * "x purchases with the last at t_x, none in (t_x, T+t]" is the likelihood
 * over the longer window. t = ∞ gives the probability of never buying again.
 */
function logNoPurchaseProbability(params: ParetoNbdParams, t: number, x: number, recency: number, T: number): number {
  const { r, alpha, s, beta } = params;
  const now = evaluateOne(params, x, recency, T, 0).logLikelihood;
  if (t === 0) return 0;
  let later: number;
  if (t === Infinity) {
    // (α+T)^{−(r+x)} → 0: only s·∫_{t_x}^∞ remains
    const g = integralGradient;
    const logD =
      alpha >= beta
        ? computeParetoNbdLogIntegral(r + x, s + 1, alpha, beta, recency, Infinity, g)
        : computeParetoNbdLogIntegral(s + 1, r + x, beta, alpha, recency, Infinity, g);
    later = r * Math.log(alpha) + s * Math.log(beta) + Math.log(s) + logD;
  } else {
    later = evaluateOne(params, x, recency, T + t, 0).logLikelihood;
  }
  return Math.min(0, later - now);
}

/**
 * P(no purchase in (T, T+t] | x, t_x, T) = L(x, t_x, T+t)/L(x, t_x, T): the
 * customer is dead, or alive but does not buy before dying or before T+t.
 */
export function predictParetoNbdNoPurchaseProbability(params: ParetoNbdParams, t: number, x: number, recency: number, T: number): number {
  if (!isValidParams(params) || !isValidCustomer(x, recency, T) || !(t >= 0)) return NaN;
  return Math.exp(logNoPurchaseProbability(params, t, x, recency, T));
}

/** P(no purchase in (T, T+t]) for every row of `data`. */
export function predictParetoNbdNoPurchaseProbabilityAll(params: ParetoNbdParams, t: number, data: RfmData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  for (let i = 0; i < out.length; i++) out[i] = predictParetoNbdNoPurchaseProbability(params, t, data.frequency[i], data.recency[i], data.T[i]);
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
 * Found by bracketing and bisection to a relative width of 1e-10. NaN for q
 * outside [0, 1).
 */
export function predictParetoNbdTimeToNextPurchase(params: ParetoNbdParams, q: number, x: number, recency: number, T: number): number {
  if (!isValidParams(params) || !isValidCustomer(x, recency, T) || !(q >= 0) || !(q < 1)) return NaN;
  if (q === 0) return 0;
  // P(no purchase) must fall to ≤ 1 − q
  const logTarget = Math.log1p(-q);
  const logNever = logNoPurchaseProbability(params, Infinity, x, recency, T);
  if (!(logNever < logTarget)) return Infinity;
  const scale = (params.alpha + T) / (params.r + x);
  let low = 0;
  let high = scale;
  for (let i = 0; i < 2000 && logNoPurchaseProbability(params, high, x, recency, T) > logTarget; i++) {
    low = high;
    high *= 2;
  }
  for (let i = 0; i < 200 && high - low > 1e-10 * high; i++) {
    const mid = 0.5 * (low + high);
    if (logNoPurchaseProbability(params, mid, x, recency, T) > logTarget) low = mid;
    else high = mid;
  }
  return high;
}

/** Time-to-next-purchase quantile q for every row of `data`. */
export function predictParetoNbdTimeToNextPurchaseAll(params: ParetoNbdParams, q: number, data: RfmData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  for (let i = 0; i < out.length; i++) out[i] = predictParetoNbdTimeToNextPurchase(params, q, data.frequency[i], data.recency[i], data.T[i]);
  return out;
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
  const logFactorial = gammaln(n + 1);
  const logLead = gammaln(r + n) - gammaln(r) - logFactorial;
  const alive = Math.exp(
    logLead + r * Math.log(alpha / (alpha + t)) + n * Math.log(t / (alpha + t)) + s * Math.log(beta / (beta + t)),
  );
  // the death term
  const base = Math.max(alpha, beta);
  const other = Math.min(alpha, beta);
  const shift = alpha >= beta ? s + 1 : r + n; // Pochhammer argument of the binomial expansion
  const v = t / (base + t);
  const logV = Math.log(v);
  const log1mV = Math.log(base / (base + t));
  const a = n + 1;
  let b = r + s;
  let logIncompleteBeta = Math.log(regularizedIncompleteBeta(v, a, b, base / (base + t))) + betaln(a, b);
  const logRatio = Math.log((base - other) / base);
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
