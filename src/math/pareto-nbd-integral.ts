/**
 * The Pareto/NBD's integral kernel: log D and its gradient for
 *   D = ∫_{t0}^{t1} (M+τ)^{−P} (m+τ)^{−Q} dτ
 * (Fader & Hardie 2005, "A Note on Deriving the Pareto/NBD Model and Related
 * Expressions", eq. 13–17: the 2F1 terms of the likelihood are this integral),
 * by a hypergeometric series far from τ = −m, a binomial series near it, and
 * a fixed-cost Gauss–Laguerre rule (`computeLogPowerTailIntegral`) where the
 * series would need thousands of terms. Pure: scratch space comes from the
 * caller's `ParetoNbdIntegralWorkspace`, memo slots from its `PairCache`.
 * Checked against closed forms and mpmath (test/math/pareto-nbd-integral.test.ts;
 * golden likelihood rows from test/fixtures/special-functions/generate-reference.py).
 */
import { logAddExp, log1mExp } from './special-functions.js';
import { computeLogPowerTailIntegral } from './power-tail-integral.js';

/** Relative-error target of the series. */
export const SERIES_EPS = 1e-17;
/** Safety cap on series terms (the hard regime — x ≳ 300 purchases within t_x ≲ max(α,β)/x — needs ~10⁴). */
export const MAX_TERMS = 1_000_000;

/**
 * Scratch space of the kernel: gradients of the parts, Φ's log-derivatives and
 * the one-entry memos for integrals from t0 = 0 (the x = 0 rows of a
 * likelihood evaluation share the near part and I(t_split)). One per caller
 * (a fitting problem, a prediction loop): the kernel keeps no state between calls.
 */
export interface ParetoNbdIntegralWorkspace {
  readonly part1: Float64Array;
  readonly part2: Float64Array;
  readonly low: Float64Array;
  readonly high: Float64Array;
  /** [Φ, ∂lnΦ/∂z, ∂lnΦ/∂P, ∂lnΦ/∂Q], written by `sumPhi` */
  readonly phi: Float64Array;
  readonly nearMemo: { P: number; Q: number; delta: number; u0: number; u1: number; value: number; readonly gradient: Float64Array };
  readonly splitMemo: { P: number; Q: number; M: number; m: number; t: number; value: number; readonly gradient: Float64Array };
  /** two-entry memo of the quadrature endpoints (P, Q, M+t, m+t) → [Φ, ∂ log I (4)]: a prediction loop varies one end and keeps the other */
  readonly endpointMemo: { readonly keys: Float64Array; readonly values: Float64Array; next: number };
}

export function createParetoNbdIntegralWorkspace(): ParetoNbdIntegralWorkspace {
  return {
    part1: new Float64Array(4),
    part2: new Float64Array(4),
    low: new Float64Array(4),
    high: new Float64Array(4),
    phi: new Float64Array(4),
    nearMemo: { P: NaN, Q: NaN, delta: NaN, u0: NaN, u1: NaN, value: NaN, gradient: new Float64Array(4) },
    splitMemo: { P: NaN, Q: NaN, M: NaN, m: NaN, t: NaN, value: NaN, gradient: new Float64Array(4) },
    endpointMemo: { keys: new Float64Array(8).fill(NaN), values: new Float64Array(10), next: 0 },
  };
}

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
  workspace: ParetoNbdIntegralWorkspace = createParetoNbdIntegralWorkspace(),
): number {
  return computeParetoNbdLogIntegralCached(P, Q, M, m, t0, t1, gradient, workspace, null, 0, 0);
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
export interface PairCache {
  endpoint: Float64Array;
  endpointStamp: Int32Array;
  near: Float64Array;
  nearStamp: Int32Array;
  far: Float64Array;
  farStamp: Int32Array;
  epoch: number;
}

/** Slot width of a `PairCache` record: a value and its 4 partial derivatives. */
export const SLOT = 5;

export function createPairCache(pairs: number): PairCache {
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
export function advancePairCache(cache: PairCache): void {
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
export function computeParetoNbdLogIntegralCached(
  P: number, Q: number, M: number, m: number, t0: number, t1: number, gradient: Float64Array,
  ws: ParetoNbdIntegralWorkspace, cache: PairCache | null, pairX: number, pairT: number,
): number {
  const gradientPart1 = ws.part1, gradientPart2 = ws.part2;
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
        logNear = nearIntegral(P, Q, delta, m + t0, m + nearEnd, gradientPart1, t0 === 0, ws);
        storeSlot(cache.near, pairX, logNear, gradientPart1);
        cache.nearStamp[pairX] = cache.epoch;
      }
    } else logNear = nearIntegral(P, Q, delta, m + t0, m + nearEnd, gradientPart1, t0 === 0, ws);
  }
  const farStart = Math.max(t0, tSplit);
  if (t1 > farStart) {
    if (cache !== null && farStart === tSplit) {
      if (cache.farStamp[pairT] === cache.epoch) logFar = loadSlot(cache.far, pairT, gradientPart2);
      else {
        logFar = farIntegral(P, Q, M, m, farStart, t1, gradientPart2, t0 === 0 && farStart > t0, ws);
        storeSlot(cache.far, pairT, logFar, gradientPart2);
        cache.farStamp[pairT] = cache.epoch;
      }
    } else logFar = farIntegral(P, Q, M, m, farStart, t1, gradientPart2, t0 === 0 && farStart > t0, ws);
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
  P: number, Q: number, M: number, m: number, t0: number, t1: number, gradient: Float64Array, cacheable: boolean, ws: ParetoNbdIntegralWorkspace,
): number {
  const gradientLow = ws.low, gradientHigh = ws.high;
  const h = t1 - t0;
  if (Number.isFinite(t1) && h <= 1e-9 * (m + t0)) return sliver(P, Q, M, m, t0, h, gradient);
  let logLow: number;
  const memo = ws.splitMemo;
  if (cacheable && memo.P === P && memo.Q === Q && memo.M === M && memo.m === m && memo.t === t0) {
    logLow = memo.value;
    gradientLow.set(memo.gradient);
  } else {
    logLow = logAntiderivative(P, Q, M, m, t0, gradientLow, ws.phi);
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
  const logHigh = logAntiderivative(P, Q, M, m, t1, gradientHigh, ws.phi);
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

/**
 * The Φ series needs about 40/(1−z) terms: past ~2,000 (z > 0.98, only with
 * r+x or s+1 in the hundreds and more) the Gauss–Laguerre rule of
 * `computeLogPowerTailIntegral` (fixed cost) takes over, so an evaluation
 * costs the same however large the parameters grow.
 */
function seriesIsLong(z: number): boolean {
  return z > 0.98;
}


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
function logAntiderivative(P: number, Q: number, M: number, m: number, t: number, gradient: Float64Array, phiLow: Float64Array): number {
  const a = P + Q - 1;
  const Mt = M + t;
  const mt = m + t;
  const logMt = Math.log(Mt);
  const logmt = Math.log(mt);
  const z = (M - m) / Mt;
  if (seriesIsLong(z)) return computeLogPowerTailIntegral(P, Q, Mt, mt, gradient);
  sumPhi(P, Q, z, phiLow);
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
function nearIntegral(P: number, Q: number, delta: number, u0: number, u1: number, gradient: Float64Array, cacheable: boolean, ws: ParetoNbdIntegralWorkspace): number {
  if (!cacheable) return sumNearSeries(P, Q, delta, u0, u1, gradient);
  const memo = ws.nearMemo;
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

/**
 * Fast-path quantities at one end t ∈ {t_x, T} of a customer's (t_x, T):
 * Φ(z_t), z_t = Δ/(M+t), then (with the gradient) ∂ log I(t)/∂(P, Q, M, m),
 * written to out[offset … offset+4]. They depend on the customer only through
 * x (in P or Q) and t, so a fit computes them once per distinct (x, t) pair.
 */
export function computeParetoNbdEndpoint(
  P: number, Q: number, a: number, delta: number, Mt: number, mt: number, logMt: number, logmt: number,
  withGradient: boolean, out: Float64Array, offset: number, ws: ParetoNbdIntegralWorkspace,
): void {
  const phiLow = ws.phi;
  const z = delta / Mt;
  if (seriesIsLong(z)) {
    const memo = ws.endpointMemo;
    for (let e = 0; e < 2; e++) {
      const k = 4 * e;
      if (memo.keys[k] === P && memo.keys[k + 1] === Q && memo.keys[k + 2] === Mt && memo.keys[k + 3] === mt) {
        for (let i = 0; i < 5; i++) out[offset + i] = memo.values[5 * e + i]!;
        return;
      }
    }
    // Φ = (P+Q−1)·I(t)·(M+t)^P·(m+t)^{Q−1}
    const logI = computeLogPowerTailIntegral(P, Q, Mt, mt, out, offset + 1);
    out[offset] = Math.exp(Math.log(a) + logI + P * logMt + (Q - 1) * logmt);
    const e = memo.next;
    memo.next = 1 - e;
    memo.keys.set([P, Q, Mt, mt], 4 * e);
    for (let i = 0; i < 5; i++) memo.values[5 * e + i] = out[offset + i]!;
    return;
  }
  sumPhi(P, Q, z, phiLow);
  out[offset] = phiLow[0];
  if (withGradient) antiderivativeGradient(P, Q, a, Mt, mt, logMt, logmt, phiLow, out, offset + 1);
}
