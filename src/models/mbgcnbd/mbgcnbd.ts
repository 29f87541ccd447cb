/**
 * MBG/CNBD-k: the MBG/NBD model with Erlang-k inter-purchase times, for
 * customers who buy at regular intervals (Reutterer, Platzer & Schröder 2021,
 * "Leveraging purchase regularity for predicting customer behavior the easy
 * way", International Journal of Research in Marketing 38(1), 194–215;
 * implemented in R's BTYDplus as `mbgcnbd`).
 *
 * Model: while alive, a customer's inter-purchase times are Erlang(k, λ)
 * (shape k, rate λ: mean k/λ; k = 1 is the Poisson process of MBG/NBD), with
 * λ ~ Gamma(r, rate α) across customers; right at the first purchase and after
 * each repeat purchase the customer drops out with probability p ~ Beta(a, b).
 * The larger k, the more regular the timing: a customer past their usual gap
 * is then more likely gone.
 *
 * Inputs per customer: x (repeat purchases), t_x, T (as for every BTYD model,
 * in one time unit) and **litt = Σ log(inter-purchase times)** over the x
 * gaps between consecutive purchases (0 when x = 0), in the same time unit.
 * litt enters the likelihood only through a term free of (r, α, a, b), but it
 * is what makes likelihoods of different k comparable. Because litt differs
 * between customers, data are per customer (weights allow duplicates).
 *
 * Log-likelihood of one customer (derived by integrating the individual
 * Erlang-k likelihood over λ and p; it is BTYDplus's xbgcnbd.LL with
 * dropout at zero):
 *   ℓ = (k−1)·litt − x·log Γ(k) + log B(a, b+x+1) − log B(a, b)
 *       + log Γ(r+kx) − log Γ(r) + r·log α − (r+kx)·log(α+T) + log(S₁ + S₂)
 *   S₁ = a/(b+x)·((α+T)/(α+t_x))^{r+kx}                 (dropped out after the last purchase)
 *   S₂ = Σ_{j=0}^{k−1} Γ(r+kx+j)/(Γ(r+kx)·j!)·((T−t_x)/(α+T))^j   (alive, fewer than k Erlang steps since)
 * With k = 1 this is exactly the MBG/NBD likelihood. S₂'s terms grow like
 * (1 − (T−t_x)/(α+T))^{−(r+kx)}: on very regular buyers (k ≈ 700, x ≈ 25) they
 * pass 1e308, so the sum is rescaled exactly as it goes (S2_SCALE below) and
 * log S₂ is finite for any k. Predictions are in
 * predict-mbgcnbd.ts. k is an integer: `fitMbgCnbd` fits (r, α, a, b) by
 * maximum likelihood for k = 1, 2, … up to maxK (12) and keeps the best k; like
 * BTYDplus it stops early once the likelihood has fallen twice in a row. When
 * the best k is maxK itself (the cap binds: very regular buyers), the search
 * goes on in steps of about a quarter (15, 19, 24, 30, 38, 48, 60, 75, …,
 * 1376, 1720) while the likelihood improves, up to extendedMaxK (2000); past
 * k = 48 each fit starts from the previous k's estimates (warmStarts; a fixed
 * k beyond 48 is reached up the same ladder), which is what keeps those fits
 * cheap (0.03–0.1 CPU s each on 1,500 regular buyers); a warm fit that stops
 * short of the tolerance runs once more from
 * the warm (r, α) with the default start's dropout a = 1, b = 3, and the
 * better likelihood stays (a fit on a boundary is kept: its limit is fitted). When nobody drops out the estimates run off to
 * a/b → 0 (a → 0 with b unidentified): as for BG/NBD the fit then says it
 * sits on that boundary and fits the limit in its place — CNBD-k, the
 * likelihood above with S₁ = 0 and B(a, b+x+1)/B(a, b) = 1, in (r, α) only
 * (createCnbdNoDropoutProblem) — written as a = 0; predictions take a = 0
 * (P(alive) = 1). When CNBD-k's own rates run off to one (r → ∞: regular
 * buyers who are also alike), CNBD-k with one purchase rate is fitted in its
 * place (cnbd-one-rate.ts), written with r = 1e8 as the NBD writes the Poisson. Predictions visit
 * about O(√(r+kx)) phases per customer, one continued fraction per purchase and
 * a few multiplications per phase (predict-mbgcnbd.ts, phase-tails.ts; the phase weights themselves are O(k) cheap
 * products), one likelihood evaluation O(k) per customer. `searchLimitReached` says when the best k is the last k
 * of the ladder within extendedMaxK (the data would take a larger k still: k
 * is then a lower bound on the regularity, and the honest tournament counts
 * the fit as not converged — choose-honest-winner.ts).
 */
import { UserError } from '../../core/errors/user-error.js';
import { sigmoid } from '../../math/sigmoid.js';
import { betaln, digamma, gammaln, log1pExp, logAddExp } from '../../math/special-functions.js';
import { MBG_ONE_TIME_BUYERS_LIMIT, MBG_ONE_TIME_BUYERS_LOG_THRESHOLD, ONE_TIME_BUYERS_SHAPE } from '../mbgnbd/mbgnbd-one-time-buyers-limit.js';
import { nbdUnlessOneTimeBuyersShow } from '../paretonbd/paretonbd-one-time-buyers-limit.js';
import { fitMaximumLikelihood, type FitOptions, type MaximumLikelihoodProblem } from '../fit-maximum-likelihood.js';
import { NO_DROPOUT_LOG_THRESHOLD, type BoundaryDirection, type LimitFit } from '../fit-boundary.js';
import { noHeterogeneityDirection, POISSON_SHAPE } from '../nbd/nbd.js';
import type { FittedModel } from '../model-types.js';
import { fitCnbdOneRate } from './cnbd-one-rate.js';
import { type RegularityData } from './regularity-data.js';
import { sumS2 } from './s2-sum.js';

export { S2_LOG_SCALE, S2_SCALE, S2_SCALE_BITS, type RegularityData } from './regularity-data.js';

export interface MbgCnbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
  [name: string]: number;
}

export interface MbgCnbdFit {
  readonly model: 'mbgcnbd';
  /** the Erlang shape chosen (1 = MBG/NBD) */
  readonly k: number;
  /** the fit of (r, α, a, b) at that k (its logLikelihood includes the litt term; its AIC/BIC do not count k) */
  readonly fitted: FittedModel<MbgCnbdParams>;
  /** the k tried, in order: 1, 2, … up to maxK, then beyond it (15, 19, …) when the best k was maxK */
  readonly kTried: readonly number[];
  /** log-likelihood at each k of kTried */
  readonly logLikelihoodByK: readonly number[];
  /** the best k is the largest the search allows (extendedMaxK, or maxK without an extension): a larger k may fit better */
  readonly searchLimitReached: boolean;
}

export interface MbgCnbdFitOptions extends FitOptions {
  /** fit this k only (default: search k = 1 … maxK) */
  k?: number;
  /** largest k of the step-by-one search (default 12) */
  maxK?: number;
  /** when the best k is maxK: how far the search goes on while the likelihood improves (default 2000; maxK: no extension) */
  extendedMaxK?: number;
}

/** The default limits of the k search (see the file header). */
export const MBGCNBD_MAX_K = 12;
export const MBGCNBD_EXTENDED_MAX_K = 2000;
/** Up to this k every fit runs from the cold starts; beyond it from the previous k's estimates (warmStarts). */
export const MBGCNBD_COLD_START_MAX_K = 48;

/** The next k after maxK: a step of about a quarter (12 → 15 → 19 → 24 → 30 → 38 → 48 → 60 → … → 1376 → 1720). */
const nextK = (k: number) => k + Math.max(1, Math.round(k / 4));

/**
 * Starts at k from the estimates at a smaller k: the same r (the spread of the customers' rates does not depend
 * on k) and α scaled by fromK/k, which keeps each customer's mean gap k/λ (λ ~ Gamma(r, α)); a floored at
 * WARM_A_FLOOR (the fits of regular buyers run off to a → 0). When r is past 1e3 the fit has run off towards the one-rate
 * boundary (r → ∞ at a fixed mean rate r/α: too small a k leaves no room for spread between customers), where
 * the likelihood is flat in r and a fit started there stays (measured: k = 400 simulated, the search stopped at
 * 231 with r = 9e12, not converged); a second start then has r = 100 at the same mean rate.
 */
/**
 * The warm start's a is at least this: on the log scale the gradient in a is a·∂ℓ/∂a, so from a = 1e-6 (the old
 * floor) a fit could not leave a → 0 unless ∂ℓ/∂a passed 1 per customer; from 1e-3 it moves once |∂ℓ/∂a| passes
 * 1e-3 per customer (the tolerance 1e-6 ÷ a), and where it is smaller the likelihood at a = 1e-3 and at a = 0
 * differ by less than the tolerance per customer. A fit that heads for a → 0 from there is stopped on the way
 * and the no-dropout limit fitted (cnbdNoDropoutDirection).
 */
const WARM_A_FLOOR = 1e-3;
function warmStarts(params: MbgCnbdParams, fromK: number, k: number): Float64Array[] {
  const at = (r: number) => Float64Array.of(Math.log(r), Math.log((params.alpha * (r / params.r) * fromK) / k), Math.log(Math.max(params.a, WARM_A_FLOOR)), Math.log(params.b));
  return params.r > 1e3 ? [at(params.r), at(100)] : [at(params.r)];
}

const PARAM_NAMES = ['r', 'alpha', 'a', 'b'] as const;
/** Largest table of S₂'s harmonic partial sums (distinct x × (k − 1) doubles, 32 MB) a likelihood keeps. */
const HARMONIC_TABLE_LIMIT = 1 << 22;

/** Throws a UserError unless the arrays agree in length and every row is a valid customer. */
export function validateRegularityData(data: RegularityData): void {
  const n = data.frequency.length;
  if (data.recency.length !== n || data.T.length !== n || data.weight.length !== n || data.litt.length !== n) {
    throw new UserError('MBG/CNBD-k: frequency, recency, T, weight and litt differ in length', 'pass one entry per customer in every array');
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i], tx = data.recency[i], T = data.T[i], w = data.weight[i], litt = data.litt[i];
    const row = `row ${i} (frequency ${x}, recency ${tx}, T ${T}, litt ${litt})`;
    if (!(x >= 0) || !Number.isInteger(x)) throw new UserError(`MBG/CNBD-k: ${row}: frequency must be a whole number ≥ 0`, 'frequency counts repeat purchases');
    if (!(T > 0) || !Number.isFinite(T) || !(tx >= 0) || !(tx <= T)) throw new UserError(`MBG/CNBD-k: ${row}: need 0 ≤ recency ≤ T, T finite`, 'recency and T are times since the first purchase');
    if (!Number.isFinite(litt) || (x === 0 && litt !== 0)) throw new UserError(`MBG/CNBD-k: ${row}: litt must be finite, and 0 without repeat purchases`, 'litt is the sum of the logs of the gaps between purchases');
    if (!(w >= 0) || !Number.isFinite(w)) throw new UserError(`MBG/CNBD-k: ${row}: weight must be finite and ≥ 0`, 'weights count identical customers');
    total += w;
  }
  if (!(total > 0)) throw new UserError('MBG/CNBD-k: no customers (all weights 0)', 'check that the data contain customers');
}

/**
 * Σ weight·ℓ at z and its analytic gradient: z = (log r, log α, log a, log b); with `dropout` false the no-dropout
 * limit a → 0 (CNBD-k: S₁ = 0 and B(a, b+x+1)/B(a, b) = 1, so ℓ no longer depends on b), z = (log r, log α); with
 * `zeroInflated` the limit a, b → 0, the zero-inflated CNBD-k L = (1 − π)·L_CNBD-k + π·1{x = 0},
 * z = (log r, log α, log π/(1 − π)).
 */
function createMbgCnbdLogLikelihood(data: RegularityData, k: number, dropout: boolean, zeroInflated = false): MaximumLikelihoodProblem['logLikelihood'] {
  const { frequency, recency, T, weight, litt } = data;
  const rows = frequency.length;
  // the litt term of each row, added to the row's own terms before the row enters the sum (one row: the same bits as
  // before, constant + row). Summed apart, the constant (~1e8 on regular buyers at k ≈ 500) set the running sum's rounding
  // (~1e-6 in the log-likelihood over 3,000 rows), a noise floor the fits' line searches stalled on, 40 evaluations at a
  // time (the no-dropout limit of a regular shop: 100–340 evaluations per k, 10–30 without the noise)
  const lgK = gammaln(k);
  const constant = Float64Array.from(frequency, (x, i) => (k - 1) * litt[i]! - x * lgK);
  // the special functions of a row depend on its x alone (log Γ(r+kx), ψ(r+kx), log B(a, b+x+1), ψ(a+b+x+1), ψ(b+x+1)):
  // computed once per distinct x and evaluation, the same calls on the same arguments as per row (the same bits), where
  // they took over half the time of a fit (a few dozen distinct x among thousands of customers)
  const distinct = Array.from(new Set(Array.from(frequency))).sort((p, q) => p - q);
  const xs = Float64Array.from(distinct);
  const slot = new Map(distinct.map((x, j) => [x, j]));
  const row = Int32Array.from(frequency, (x) => slot.get(x)!);
  // and so do the partial sums Σ_{i<j} 1/(r+kx+i) of ∂S₂/∂r (one division per row and term before), while they fit in
  // HARMONIC_TABLE_LIMIT doubles (otherwise per row, as before: the same additions in the same order either way)
  const harmonics = k > 1 && xs.length * (k - 1) <= HARMONIC_TABLE_LIMIT ? new Float64Array(xs.length * (k - 1)) : null;
  const table = harmonics ?? new Float64Array(0);
  const sums = new Float64Array(4);
  const lgRk = new Float64Array(xs.length), psiRk = new Float64Array(xs.length), lbABx1 = new Float64Array(xs.length), psiABx1 = new Float64Array(xs.length), psiBx1 = new Float64Array(xs.length), logBx = new Float64Array(xs.length);
  return (z, gradient) => {
    const r = Math.exp(z[0]), alpha = Math.exp(z[1]);
    const a = dropout ? Math.exp(z[2]) : 0, b = dropout ? Math.exp(z[3]) : 1;
    const lgR = gammaln(r), psiR = digamma(r);
    const lbAB = dropout ? betaln(a, b) : 0, psiAB = dropout ? digamma(a + b) : 0, psiB = dropout ? digamma(b) : 0;
    for (let j = 0; j < xs.length; j++) {
      const x = xs[j]!, rk = r + k * x;
      lgRk[j] = gammaln(rk);
      psiRk[j] = digamma(rk);
      if (harmonics !== null) {
        let h = 0;
        for (let i = 1, at = j * (k - 1); i < k; i++) harmonics[at++] = h += 1 / (rk + i - 1);
      }
      if (!dropout) continue;
      lbABx1[j] = betaln(a, b + x + 1);
      psiABx1[j] = digamma(a + b + x + 1);
      psiBx1[j] = digamma(b + x + 1);
      logBx[j] = Math.log(b + x);
    }
    let ll = 0, gr = 0, galpha = 0, ga = 0, gb = 0, go = 0;
    const logPi = zeroInflated ? -log1pExp(-z[2]) : 0, logStay = zeroInflated ? -log1pExp(z[2]) : 0, pi = Math.exp(logPi);
    for (let i = 0; i < rows; i++) {
      const w = weight[i];
      if (w === 0) continue;
      const x = frequency[i], tx = recency[i], t = T[i], at = row[i]!;
      const rk = r + k * x;
      const logAlphaT = Math.log(alpha + t), logAlphaTx = Math.log(alpha + tx);
      // S₂ and its derivatives in r and α, term by term
      const ratio = (t - tx) / (alpha + t);
      // (scaled by 2^−S2_SCALE_BITS whenever a term grows past 2^S2_SCALE_BITS: S₂ itself overflows from k ≈ 700 on regular buyers)
      sumS2(rk, ratio, k, table, at * (k - 1) - 1, sums);
      const s2 = sums[0]!, ds2dr = sums[1]!, jTerms = sums[2]!, logScale = sums[3]!;
      const ds2dalpha = -jTerms / (alpha + t);
      const logS2 = Math.log(s2) + logScale;
      if (!dropout) {
        const own = lgRk[at]! - lgR + r * z[1] - rk * logAlphaT + logS2;
        // the share of the customers who stay in L (1 without one-time buyers, or after a repeat purchase)
        let stay = 1;
        if (!zeroInflated) ll += w * (constant[i]! + own);
        else if (x > 0) (ll += w * (constant[i]! + (logStay + own))), (go -= w * pi);
        else {
          const mixed = logStay + own, top = Math.max(mixed, logPi), e = top + Math.log(Math.exp(mixed - top) + Math.exp(logPi - top));
          stay = Math.exp(mixed - e);
          ll += w * e;
          go += w * (stay * -pi + (1 - stay) * (1 - pi));
        }
        gr += w * stay * (psiRk[at]! - psiR + z[1] - logAlphaT + ds2dr / s2);
        galpha += w * stay * (r / alpha - rk / (alpha + t) + ds2dalpha / s2);
        continue;
      }
      const logS1 = Math.log(a) - logBx[at]! + rk * (logAlphaT - logAlphaTx);
      const d = logS1 - logS2;
      // log(S₁ + S₂) = log S₂ + log(1 + e^d) and the share of S₁, without overflow
      const softplus = log1pExp(d);
      const share1 = sigmoid(d);
      const share2 = 1 - share1;
      ll += w * (constant[i]! + (lbABx1[at]! - lbAB + lgRk[at]! - lgR + r * z[1] - rk * logAlphaT + logS2 + softplus));
      gr += w * (psiRk[at]! - psiR + z[1] - logAlphaT + share1 * (logAlphaT - logAlphaTx) + (share2 * ds2dr) / s2);
      galpha += w * (r / alpha - rk / (alpha + t) + share1 * rk * (1 / (alpha + t) - 1 / (alpha + tx)) + (share2 * ds2dalpha) / s2);
      ga += w * (psiAB - psiABx1[at]! + share1 / a);
      gb += w * (psiBx1[at]! - psiB + psiAB - psiABx1[at]! - share1 / (b + x));
    }
    gradient[0] = gr * r;
    gradient[1] = galpha * alpha;
    if (dropout) (gradient[2] = ga * a), (gradient[3] = gb * b);
    if (zeroInflated) gradient[2] = go;
    return ll;
  };
}

/** The default starts (log scale) of (r, α[, a, b]) at k: the mean gap k/λ at the observed purchase rate. */
function defaultStarts(data: RegularityData, k: number, dropout: boolean): Float64Array[] {
  let purchases = 0, exposure = 0;
  for (let i = 0; i < data.frequency.length; i++) (purchases += data.weight[i] * data.frequency[i]), (exposure += data.weight[i] * data.T[i]);
  const rate = Math.max(purchases / exposure, 1e-6);
  const starts = [
    [1, k / rate, 1, 3],
    [0.3, (0.3 * k) / rate, 0.5, 1],
    [3, (3 * k) / rate, 2, 8],
  ];
  return starts.map((s) => Float64Array.from(dropout ? s : s.slice(0, 2), Math.log));
}

const sumOfWeights = (data: RegularityData) => data.weight.reduce((sum, w) => sum + w, 0);

/**
 * CNBD-k's own r → ∞ limit, one purchase rate for everyone (cnbd-one-rate.ts), written in its parameters with
 * r = POISSON_SHAPE and α = r/λ as the NBD writes the Poisson; null when it cannot be fitted (nobody repeated).
 */
function cnbdOneRateLimit(data: RegularityData, k: number): LimitFit | null {
  const oneRate = fitCnbdOneRate(data, k);
  if (!(oneRate.lambda > 0) || !Number.isFinite(oneRate.logLikelihood)) return null;
  return {
    params: { r: POISSON_SHAPE, alpha: POISSON_SHAPE / oneRate.lambda },
    logLikelihood: oneRate.logLikelihood,
    boundary: {
      parameters: ['r', 'alpha'],
      limit: 'r, alpha → ∞ with r/alpha fixed',
      meaning: `all at one purchase rate (no heterogeneity: a mean gap of ${Number((k / oneRate.lambda).toPrecision(4))} time units)`,
      limitModel: `CNBD-${k} with one purchase rate`,
      limitConverged: oneRate.converged,
    },
  };
}

/**
 * The no-dropout limit a → 0 (with b fixed, a/b → 0): nobody drops out and every customer keeps buying at an
 * Erlang-k pace, the CNBD-k model — (r, α) only, from `start` (r, α) and the default starts.
 */
export function createCnbdNoDropoutProblem(data: RegularityData, k: number, start?: { readonly r: number; readonly alpha: number }): MaximumLikelihoodProblem {
  const starts = defaultStarts(data, k, false);
  return {
    model: 'cnbd-no-dropout',
    paramNames: ['r', 'alpha'],
    n: sumOfWeights(data),
    starts: start !== undefined && start.r > 0 && start.alpha > 0 && Number.isFinite(start.r + start.alpha) ? [Float64Array.of(Math.log(start.r), Math.log(start.alpha)), ...starts] : starts,
    boundaries: [noHeterogeneityDirection(() => cnbdOneRateLimit(data, k))],
    logLikelihood: createMbgCnbdLogLikelihood(data, k, false),
  };
}

/**
 * The limit a, b → 0 with π = a/(a+b) fixed: as for the MBG/NBD (mbgnbd-one-time-buyers-limit.ts) a share π never buy
 * again after the first purchase and the rest never drop out, the zero-inflated CNBD-k — (r, α, odds π/(1 − π)).
 */
export function createZeroInflatedCnbdProblem(data: RegularityData, k: number, start: { readonly r: number; readonly alpha: number; readonly share: number }): MaximumLikelihoodProblem {
  const share = Math.min(Math.max(Number.isFinite(start.share) ? start.share : 0.1, 1e-6), 1 - 1e-6);
  const own = start.r > 0 && start.alpha > 0 && Number.isFinite(start.r + start.alpha) ? [Float64Array.of(Math.log(start.r), Math.log(start.alpha), Math.log(share / (1 - share)))] : [];
  return {
    model: 'zero-inflated-cnbd',
    paramNames: ['r', 'alpha', 'odds'],
    n: sumOfWeights(data),
    starts: [...own, ...defaultStarts(data, k, false).map((z) => Float64Array.of(z[0]!, z[1]!, Math.log(0.25)))],
    logLikelihood: createMbgCnbdLogLikelihood(data, k, false, true),
  };
}

/**
 * a, b → 0 as for the MBG/NBD (mbgnbd-one-time-buyers-limit.ts, whose threshold and written-back shape it takes): the
 * zero-inflated CNBD-k fitted once from the first stop, written as a = π·S, b = (1 − π)·S, S = 1e-20; CNBD-k
 * (`noDropout`'s limit) where it is less than ONE_TIME_BUYERS_MARGIN above that. On the MBG/NBD's seed-3 shop (20%
 * one-time buyers, Poisson-timed stayers) MBG/CNBD-1 — the MBG/NBD — stalled at a = 9.4e-14, b = 3.5e-13, not
 * converged, −29,283.23, as the MBG/NBD had; its limit reaches −29,241.82, the zero-inflated NBD's.
 */
function zeroInflatedCnbdDirection(data: RegularityData, k: number, noDropout: BoundaryDirection): BoundaryDirection {
  let limit: LimitFit | null | undefined;
  return {
    parameters: ['a', 'b'],
    limit: MBG_ONE_TIME_BUYERS_LIMIT,
    meaning: 'one-time buyers and no dropout: a share a/(a+b) of customers never buy again after their first purchase and the rest never drop out (a zero-inflated CNBD-k)',
    escape: (z) => -logAddExp(z[2]!, z[3]!),
    threshold: MBG_ONE_TIME_BUYERS_LOG_THRESHOLD,
    fitLimit(stoppedAt) {
      if (limit === undefined) {
        const fitted = fitMaximumLikelihood<{ r: number; alpha: number; odds: number }>(createZeroInflatedCnbdProblem(data, k, { r: stoppedAt.r!, alpha: stoppedAt.alpha!, share: stoppedAt.a! / (stoppedAt.a! + stoppedAt.b!) }));
        const { r, alpha, odds } = fitted.params;
        const share = odds / (1 + odds);
        const who = `${Number((100 * share).toPrecision(3))}% of customers (a/(a+b))`;
        limit =
          r > 0 && alpha > 0 && odds >= 0 && Number.isFinite(r + alpha + odds + fitted.logLikelihood)
            ? {
                params: { r, alpha, a: ONE_TIME_BUYERS_SHAPE * share, b: ONE_TIME_BUYERS_SHAPE * (1 - share) },
                logLikelihood: fitted.logLikelihood,
                boundary: {
                  parameters: ['a', 'b'],
                  limit: MBG_ONE_TIME_BUYERS_LIMIT,
                  meaning: `one-time buyers and no dropout: ${who} never buy again after their first purchase and the rest keep buying at their regular pace and never drop out (a zero-inflated CNBD-${k})`,
                  limitModel: `zero-inflated CNBD-${k}`,
                  limitConverged: fitted.fit.converged,
                },
              }
            : null;
      }
      if (limit === null) return null;
      return nbdUnlessOneTimeBuyersShow(noDropout.fitLimit!(stoppedAt), limit.logLikelihood) ?? limit;
    },
  };
}

const CNBD_NO_DROPOUT_MEANING = 'no dropout: customers keep buying at their regular pace and never become inactive (CNBD-k)';

/**
 * a/b → 0 as for BG/NBD and MBG/NBD (nbd.ts's noDropoutDirection): the limit, CNBD-k, is fitted once per problem
 * (createCnbdNoDropoutProblem; CNBD-k with one purchase rate when its own rates run off to one) and written as a = 0
 * with b where the path stopped (b has no effect at a = 0). The boundary says whether that limit converged.
 */
function cnbdNoDropoutDirection(data: RegularityData, k: number): BoundaryDirection {
  let limit: FittedModel<{ r: number; alpha: number }> | undefined;
  return {
    parameters: ['a', 'b'],
    limit: 'a/b → 0',
    meaning: CNBD_NO_DROPOUT_MEANING,
    escape: (z) => z[3]! - z[2]!,
    threshold: NO_DROPOUT_LOG_THRESHOLD,
    fitLimit(stoppedAt) {
      // from where the path stopped first (one start: each evaluation is O(k) per customer), from every start only when that fails
      if (limit === undefined) {
        const problem = createCnbdNoDropoutProblem(data, k, { r: stoppedAt.r!, alpha: stoppedAt.alpha! });
        // L-BFGS to 1e-5 per customer, the polish to the tolerance: at k in the hundreds the likelihood's rounding stalls
        // L-BFGS's line searches short of 1e-6 (100–300 evaluations per k), the polish's Newton steps need two
        const first = fitMaximumLikelihood<{ r: number; alpha: number }>({ ...problem, starts: problem.starts.slice(0, 1) }, { searchTolerance: 1e-5 });
        const again = first.fit.converged || first.fit.boundary !== undefined ? first : fitMaximumLikelihood<{ r: number; alpha: number }>(problem);
        limit = again.logLikelihood > first.logLikelihood || !Number.isFinite(first.logLikelihood) ? again : first;
      }
      if (!Number.isFinite(limit.logLikelihood)) return null;
      // the limit's own estimates may run off too, to one purchase rate for everyone (r, α → ∞): its fit is then CNBD-k
      // with one rate (createCnbdNoDropoutProblem's boundary), already written with r = POISSON_SHAPE
      const own = limit.fit.boundary;
      if (own !== undefined) {
        return {
          params: { r: limit.params.r, alpha: limit.params.alpha, a: 0, b: stoppedAt.b! },
          logLikelihood: limit.logLikelihood,
          boundary: {
            parameters: ['a', 'b', ...own.parameters],
            limit: `a/b → 0, and ${own.limit}`,
            meaning: `${CNBD_NO_DROPOUT_MEANING}, ${own.meaning}`,
            limitModel: own.limitModel ?? `CNBD-${k}`,
            limitConverged: own.limitConverged === true,
          },
        };
      }
      const unconverged = limit.fit.converged ? '' : ` (the limit's own fit did not converge: ${limit.fit.message.replace(/^not converged: /, '').split(/; | \[/)[0]})`;
      return {
        params: { r: limit.params.r, alpha: limit.params.alpha, a: 0, b: stoppedAt.b! },
        logLikelihood: limit.logLikelihood,
        boundary: { parameters: ['a', 'b'], limit: 'a/b → 0', meaning: CNBD_NO_DROPOUT_MEANING + unconverged, limitModel: `CNBD-${k}`, limitConverged: limit.fit.converged },
      };
    },
  };
}

/**
 * The estimation problem for a fixed k: weighted log-likelihood and its
 * analytic gradient with respect to (log r, log α, log a, log b); the
 * estimates may run off to no dropout (a/b → 0), where the limit CNBD-k is
 * fitted in their place (cnbdNoDropoutDirection).
 */
export function createMbgCnbdProblem(data: RegularityData, k: number): MaximumLikelihoodProblem {
  const noDropout = cnbdNoDropoutDirection(data, k);
  return {
    model: 'mbgcnbd',
    paramNames: PARAM_NAMES,
    n: sumOfWeights(data),
    starts: defaultStarts(data, k, true),
    boundaries: [noDropout, zeroInflatedCnbdDirection(data, k, noDropout)],
    logLikelihood: createMbgCnbdLogLikelihood(data, k, true),
  };
}

/** Log-likelihood of one customer at (k, r, α, a, b) (see the file header). */
export function computeMbgCnbdCustomerLogLikelihood(k: number, params: MbgCnbdParams, x: number, recency: number, T: number, litt: number): number {
  const one: RegularityData = {
    frequency: Float64Array.of(x),
    recency: Float64Array.of(recency),
    T: Float64Array.of(T),
    weight: Float64Array.of(1),
    litt: Float64Array.of(litt),
  };
  const z = Float64Array.of(Math.log(params.r), Math.log(params.alpha), Math.log(params.a), Math.log(params.b));
  return createMbgCnbdProblem(one, k).logLikelihood(z, new Float64Array(4));
}

/** Fit MBG/CNBD-k (see the file header); k searched upwards from 1 unless given. */
export function fitMbgCnbd(data: RegularityData, options: MbgCnbdFitOptions = {}): MbgCnbdFit {
  validateRegularityData(data);
  const { k: fixedK, maxK = MBGCNBD_MAX_K, extendedMaxK = Math.max(maxK, MBGCNBD_EXTENDED_MAX_K), ...fitOptions } = options;
  if (fixedK !== undefined && !(Number.isInteger(fixedK) && fixedK >= 1)) throw new UserError(`MBG/CNBD-k: k must be a whole number ≥ 1, got ${fixedK}`, 'k = 1 is MBG/NBD; regular buyers have k of 2 to 10');
  if (!(Number.isInteger(maxK) && maxK >= 1)) throw new UserError(`MBG/CNBD-k: maxK must be a whole number ≥ 1, got ${maxK}`, 'the default is 12');
  if (!(Number.isInteger(extendedMaxK) && extendedMaxK >= maxK)) throw new UserError(`MBG/CNBD-k: extendedMaxK must be a whole number ≥ maxK (${maxK}), got ${extendedMaxK}`, `the default is ${MBGCNBD_EXTENDED_MAX_K}; maxK turns the extension off`);
  const tried: number[] = [];
  const byK: number[] = [];
  let best: FittedModel<MbgCnbdParams> | null = null;
  let bestK = 0;
  const fitAt = (k: number, starts?: Float64Array[]) => {
    const problem = createMbgCnbdProblem(data, k);
    if (starts === undefined) return fitMaximumLikelihood<MbgCnbdParams>(problem, fitOptions);
    const warm = fitMaximumLikelihood<MbgCnbdParams>({ ...problem, starts }, fitOptions);
    if (warm.fit.converged || warm.fit.boundary !== undefined) return warm;
    // short of the tolerance: once more from the warm (r, α) with the default start's dropout (a = 1, b = 3); the better likelihood stays
    const again = fitMaximumLikelihood<MbgCnbdParams>({ ...problem, starts: [Float64Array.of(starts[0]![0]!, starts[0]![1]!, 0, Math.log(3))] }, fitOptions);
    return again.logLikelihood > warm.logLikelihood ? again : warm;
  };
  const tryK = (k: number) => {
    const fitted = k > MBGCNBD_COLD_START_MAX_K && best !== null ? fitAt(k, warmStarts((best as FittedModel<MbgCnbdParams>).params, bestK, k)) : fitAt(k);
    tried.push(k);
    byK.push(fitted.logLikelihood);
    const improved = best === null || fitted.logLikelihood > best.logLikelihood;
    if (improved) {
      best = fitted;
      bestK = k;
    }
    return improved;
  };
  if (fixedK !== undefined) {
    // beyond the cold starts' reach, up the search's ladder from MBGCNBD_COLD_START_MAX_K, each fit warm-started from the last (cheap: ~0.1 CPU s each on 1,500 customers)
    if (fixedK > MBGCNBD_COLD_START_MAX_K) {
      let k = MBGCNBD_COLD_START_MAX_K, fitted = fitAt(k);
      for (let next = nextK(k); next < fixedK; k = next, next = nextK(k)) fitted = fitAt(next, warmStarts(fitted.params, k, next));
      best = fitAt(fixedK, warmStarts(fitted.params, k, fixedK));
      return { model: 'mbgcnbd', k: fixedK, fitted: best, kTried: [fixedK], logLikelihoodByK: [best.logLikelihood], searchLimitReached: false };
    }
    tryK(fixedK);
    return { model: 'mbgcnbd', k: bestK, fitted: best!, kTried: tried, logLikelihoodByK: byK, searchLimitReached: false };
  }
  for (let k = 1; k <= maxK; k++) {
    tryK(k);
    const n = byK.length;
    if (n > 2 && byK[n - 1] < byK[n - 2] && byK[n - 2] < byK[n - 3]) break;
  }
  // the cap binds: go on while the likelihood improves
  if (bestK === maxK) for (let k = nextK(maxK); k <= extendedMaxK && tryK(k); k = nextK(k));
  return { model: 'mbgcnbd', k: bestK, fitted: best!, kTried: tried, logLikelihoodByK: byK, searchLimitReached: bestK === tried[tried.length - 1] && bestK >= maxK && nextK(bestK) > extendedMaxK };
}
