/**
 * The Pareto/NBD likelihood of one customer and its gradient (Fader & Hardie
 * 2005, eq. 13–17), shared by the fit (`createParetoNbdProblem`) and the
 * predictions (P(alive) is the share of the "alive at T" term). See
 * paretonbd.ts for the model and math/pareto-nbd-integral.ts for D.
 */
import { gammaln, logAddExp } from '../../math/special-functions.js';
import {
  computeParetoNbdEndpoint,
  computeParetoNbdLogIntegralCached,
  createParetoNbdIntegralWorkspace,
  SLOT,
  type PairCache,
  type ParetoNbdIntegralWorkspace,
} from '../../math/pareto-nbd-integral.js';
import type { RfmData } from '../model-types.js';
import { weightedLogLikelihood } from '../btyd/weighted-log-likelihood.js';

/** Pareto/NBD parameters: λ ~ Gamma(shape r, rate alpha), μ ~ Gamma(shape s, rate beta). */
export type ParetoNbdParams = { r: number; alpha: number; s: number; beta: number };

export const PARETO_NBD_PARAM_NAMES = ['r', 'alpha', 's', 'beta'] as const;

export function isValidParams(p: ParetoNbdParams): boolean {
  // s = 0 is the no-dropout limit (a boundary fit: the NBD)
  return p.r > 0 && p.alpha > 0 && p.s >= 0 && p.beta > 0 && Number.isFinite(p.r + p.alpha + p.s + p.beta);
}

export function isValidCustomer(x: number, recency: number, T: number): boolean {
  return x >= 0 && Number.isInteger(x) && recency >= 0 && T >= recency && Number.isFinite(T);
}

interface CustomerTerms {
  /** log L */
  logLikelihood: number;
  /** log A − log(A + s·D) = log P(alive at T) */
  logAliveShare: number;
}

/**
 * Scratch space of `evaluateCustomer`: the kernel's workspace, a gradient,
 * the endpoint slots for one customer without a cache (predictions:
 * [Φ(z_{t_x}), ∂log I(t_x) (4), Φ(z_T), ∂log I(T) (4)]) and the result record.
 * One per fitting problem or prediction loop; nothing is shared between callers.
 */
export interface ParetoNbdWorkspace {
  readonly integral: ParetoNbdIntegralWorkspace;
  readonly gradient: Float64Array;
  readonly endpoints: Float64Array;
  readonly terms: CustomerTerms;
}

export function createParetoNbdWorkspace(): ParetoNbdWorkspace {
  return { integral: createParetoNbdIntegralWorkspace(), gradient: new Float64Array(4), endpoints: new Float64Array(2 * SLOT), terms: { logLikelihood: 0, logAliveShare: 0 } };
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
export function evaluateCustomer(
  r: number, alpha: number, s: number, beta: number, logAlpha: number, logBeta: number,
  x: number, recency: number, T: number,
  logGammaRatio: number, digammaDifference: number,
  logAlphaT: number, logBetaT: number, logAlphaTx: number, logBetaTx: number,
  gradient: Float64Array | null,
  cache: PairCache | null, pairX: number, pairT: number, ws: ParetoNbdWorkspace,
): CustomerTerms {
  const terms = ws.terms;
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
      ends = ws.endpoints;
      ox = 0;
      oT = SLOT;
      computeParetoNbdEndpoint(P, Q, a, delta, Mx, mx, logMx, logmx, gradient !== null, ends, ox, ws.integral);
      computeParetoNbdEndpoint(P, Q, a, delta, MT, mT, logMT, logmT, gradient !== null, ends, oT, ws.integral);
    } else {
      ends = cache.endpoint;
      ox = pairX * SLOT;
      oT = pairT * SLOT;
      const stamp = cache.endpointStamp, epoch = cache.epoch;
      if (stamp[pairX] !== epoch) {
        computeParetoNbdEndpoint(P, Q, a, delta, Mx, mx, logMx, logmx, true, ends, ox, ws.integral);
        stamp[pairX] = epoch;
      }
      if (stamp[pairT] !== epoch) {
        computeParetoNbdEndpoint(P, Q, a, delta, MT, mT, logMT, logmT, true, ends, oT, ws.integral);
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
  const g = ws.gradient;
  const logD = computeParetoNbdLogIntegralCached(P, Q, M, m, recency, T, g, ws.integral, cache, pairX, pairT);
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
export function evaluateOne(params: ParetoNbdParams, x: number, recency: number, T: number, logGammaRatio: number, ws: ParetoNbdWorkspace): CustomerTerms {
  const { r, alpha, s, beta } = params;
  return evaluateCustomer(
    r, alpha, s, beta, Math.log(alpha), Math.log(beta), x, recency, T, logGammaRatio, 0,
    Math.log(alpha + T), Math.log(beta + T), Math.log(alpha + recency), Math.log(beta + recency), null, null, 0, 0, ws,
  );
}

/**
 * Log-likelihood of one customer (FH 2005): log Γ(r+x) − log Γ(r) + r log α + s log β
 * + log[(α+T)^{−(r+x)}(β+T)^{−s} + s·D]. NaN for invalid input.
 */
export function computeParetoNbdCustomerLogLikelihood(params: ParetoNbdParams, x: number, recency: number, T: number): number {
  if (!isValidParams(params) || !isValidCustomer(x, recency, T)) return NaN;
  return evaluateOne(params, x, recency, T, gammaln(params.r + x) - gammaln(params.r), createParetoNbdWorkspace()).logLikelihood;
}

/** Per-row log-likelihoods (unweighted), one per entry of `data`. */
export function computeParetoNbdLogLikelihoods(params: ParetoNbdParams, data: RfmData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  if (!isValidParams(params)) return out.fill(NaN);
  const lgR = gammaln(params.r);
  const ws = createParetoNbdWorkspace();
  for (let i = 0; i < out.length; i++) {
    const x = data.frequency[i], tx = data.recency[i], T = data.T[i];
    out[i] = isValidCustomer(x, tx, T) ? evaluateOne(params, x, tx, T, gammaln(params.r + x) - lgR, ws).logLikelihood : NaN;
  }
  return out;
}

/** Weighted total log-likelihood Σ weight·log L. */
export function computeParetoNbdLogLikelihood(params: ParetoNbdParams, data: RfmData): number {
  return weightedLogLikelihood(computeParetoNbdLogLikelihoods(params, data), data.weight);
}
