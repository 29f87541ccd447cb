/**
 * The NBD model of repeat purchasing without dropout (Ehrenberg 1959, "The
 * Pattern of Consumer Purchases", Applied Statistics 8(1)): a customer buys
 * as a Poisson process with rate λ ~ Gamma(r, α) and never becomes inactive.
 * It is the limit of BG/NBD and MBG/NBD as a/b → 0 and of Pareto/NBD as
 * s/β → 0, and its own limit r, α → ∞ with r/α = λ fixed is the Poisson
 * (every customer buys at the same rate).
 *
 * Log-likelihood of (x, t_x, T) — t_x drops out without dropout:
 *   log Γ(r+x) − log Γ(r) + r log α − (r+x) log(α+T),
 * and, for the Poisson, x log λ − λT with the closed-form MLE λ = Σx/ΣT.
 */
import { digamma, gammaln, regularizedIncompleteBeta } from '../../math/special-functions.js';
import { NO_DROPOUT_LOG_THRESHOLD, NO_HETEROGENEITY_LOG_THRESHOLD, type BoundaryDirection, type LimitFit } from '../fit-boundary.js';
import { fitMaximumLikelihood, type FitOptions, type MaximumLikelihoodProblem } from '../fit-maximum-likelihood.js';
import type { FittedModel, RfmData } from '../model-types.js';
import { indexFrequencies } from '../btyd/rfm-data.js';
import { NO_DROPOUT_MODEL } from './no-dropout-predictions.js';

export type NbdParams = { r: number; alpha: number };

/**
 * The shape r that stands for "r = ∞" when a Poisson fit is written in the
 * Gamma(r, α) parameters (α = r/λ): the rates' coefficient of variation is
 * 1/√r = 1e-4, and every prediction formula stays finite and within ~1e-6 of
 * the Poisson's (a fit at the Poisson predicts with its closed forms all the
 * same: `boundary.limitParams` { lambda }, btyd/limit-predictions.ts).
 */
export const POISSON_SHAPE = 1e8;

/** Poisson MLE λ = Σ w·x / Σ w·T and its log-likelihood Σ w·(x log λ − λT). */
export function fitPoisson(data: RfmData): { lambda: number; logLikelihood: number } {
  let purchases = 0, exposure = 0;
  for (let i = 0; i < data.frequency.length; i++) {
    purchases += data.weight[i]! * data.frequency[i]!;
    exposure += data.weight[i]! * data.T[i]!;
  }
  const lambda = purchases / exposure;
  let ll = 0;
  for (let i = 0; i < data.frequency.length; i++) {
    const x = data.frequency[i]!;
    ll += data.weight[i]! * ((x > 0 ? x * Math.log(lambda) : 0) - lambda * data.T[i]!);
  }
  return { lambda, logLikelihood: ll };
}

/** The Poisson as an NBD limit: r = POISSON_SHAPE, α = r/λ. */
function poissonLimit(data: RfmData): LimitFit | null {
  const { lambda, logLikelihood } = fitPoisson(data);
  if (!(lambda > 0) || !Number.isFinite(logLikelihood)) return null;
  return {
    params: { r: POISSON_SHAPE, alpha: POISSON_SHAPE / lambda },
    logLikelihood,
    boundary: { parameters: ['r', 'alpha'], limit: 'r, alpha → ∞ with r/alpha fixed', meaning: NO_HETEROGENEITY_MEANING, limitModel: NO_DROPOUT_MODEL.poisson, limitConverged: true, limitParams: { lambda } },
  };
}

export const NO_HETEROGENEITY_MEANING = 'no heterogeneity in purchase rates: every customer buys at the same rate (Poisson)';

/**
 * "r, α → ∞" for any model whose first two log-parameters are (log r, log α);
 * `fitLimit` is given where the limit is a model of its own.
 */
export function noHeterogeneityDirection(fitLimit?: BoundaryDirection['fitLimit']): BoundaryDirection {
  return {
    parameters: ['r', 'alpha'],
    limit: 'r, alpha → ∞ with r/alpha fixed',
    meaning: NO_HETEROGENEITY_MEANING,
    escape: (z) => z[0]!,
    threshold: NO_HETEROGENEITY_LOG_THRESHOLD,
    ...(fitLimit ? { fitLimit } : {}),
  };
}

/** The NBD estimation problem (gradient w.r.t. log r, log α), with the Poisson as its boundary. */
export function createNbdProblem(data: RfmData): MaximumLikelihoodProblem {
  const index = indexFrequencies(data);
  let n = 0, purchases = 0, exposure = 0;
  for (let i = 0; i < data.frequency.length; i++) {
    n += data.weight[i]!;
    purchases += data.weight[i]! * data.frequency[i]!;
    exposure += data.weight[i]! * data.T[i]!;
  }
  const rate = Math.max(purchases / exposure, 1e-6);
  return {
    model: 'nbd',
    paramNames: ['r', 'alpha'],
    n,
    starts: [Float64Array.of(0, Math.log(1 / rate)), Float64Array.of(Math.log(5), Math.log(5 / rate))],
    boundaries: [noHeterogeneityDirection(() => poissonLimit(data))],
    logLikelihood(z, gradient) {
      const r = Math.exp(z[0]!), alpha = Math.exp(z[1]!);
      const lgR = gammaln(r), psiR = digamma(r);
      let ll = 0, gr = 0, galpha = 0;
      for (let k = 0; k < index.values.length; k++) {
        const x = index.values[k]!, w = index.weight[k]!;
        ll += w * (gammaln(r + x) - lgR + r * z[1]!);
        gr += w * (digamma(r + x) - psiR + z[1]!);
        galpha += w * (r / alpha);
      }
      for (let i = 0; i < data.frequency.length; i++) {
        const w = data.weight[i]!;
        if (w === 0) continue;
        const rx = r + data.frequency[i]!, shifted = alpha + data.T[i]!, logShifted = Math.log(shifted);
        ll -= w * rx * logShifted;
        gr -= w * logShifted;
        galpha -= (w * rx) / shifted;
      }
      gradient[0] = gr * r;
      gradient[1] = galpha * alpha;
      return ll;
    },
  };
}

/** Fit the NBD (expects validated data); on the r → ∞ boundary the result is the Poisson (r = POISSON_SHAPE) with `fit.boundary` set. */
export function fitNbd(data: RfmData, options: FitOptions = {}): FittedModel<NbdParams> {
  return fitMaximumLikelihood<NbdParams>(createNbdProblem(data), options);
}

/**
 * P(N(t) = n) for N ~ NB(r, α/(α+t)) — Poisson counts with a Gamma(r, α)
 * rate — in logs: log Γ(r+n) − log Γ(r) − log n! + r log(α/(α+t)) + n log(t/(α+t)).
 */
export function computeNbdLogProbability(r: number, alpha: number, t: number, n: number): number {
  if (t === 0) return n === 0 ? 0 : -Infinity;
  return gammaln(r + n) - gammaln(r) - gammaln(n + 1) + r * Math.log(alpha / (alpha + t)) + (n === 0 ? 0 : n * Math.log(t / (alpha + t)));
}

/** P(N(t) ≥ n) for the same NB = I_{t/(α+t)}(n, r) (regularized incomplete beta); 1 for n = 0. */
export function computeNbdTailProbability(r: number, alpha: number, t: number, n: number): number {
  if (n === 0) return 1;
  if (t === 0) return 0;
  return regularizedIncompleteBeta(t / (alpha + t), n, r, alpha / (alpha + t));
}

export const NO_DROPOUT_MEANING = 'no dropout: customers keep buying and never become inactive (the NBD model)';

export interface NoDropoutSpec {
  readonly parameters: readonly string[];
  readonly limit: string;
  /** grows along the direction, e.g. log(b/a) */
  escape(logParams: Float64Array): number;
  /** the NBD estimates written in the full model's parameters (dropout switched off: a = 0 or s = 0) */
  toFull(nbd: NbdParams, stoppedAt: Record<string, number>): Record<string, number>;
  /** past this value of `escape` the model is the NBD (default NO_DROPOUT_LOG_THRESHOLD; the Pareto/NBD's depends on the data's time scale) */
  readonly threshold?: number;
}

/**
 * "No dropout" for BG/NBD, MBG/NBD (a/b → 0) and Pareto/NBD (s/β → 0): the
 * limit is the NBD, fitted once on the same data when a start runs off
 * (and the Poisson when the NBD's own r runs off too).
 */
export function noDropoutDirection(data: RfmData, spec: NoDropoutSpec): BoundaryDirection {
  let nbd: FittedModel<NbdParams> | null = null;
  return {
    parameters: spec.parameters,
    limit: spec.limit,
    meaning: NO_DROPOUT_MEANING,
    escape: spec.escape,
    threshold: spec.threshold ?? NO_DROPOUT_LOG_THRESHOLD,
    // dropout must show: an interior optimum less than 1.92 above the NBD is the NBD (fit-boundary.ts)
    likelihoodRatioTest: true,
    fitLimit(stoppedAt) {
      nbd ??= fitNbd(data);
      if (!Number.isFinite(nbd.logLikelihood)) return null;
      const poisson = nbd.fit.boundary?.limitModel === 'Poisson';
      return {
        params: spec.toFull(nbd.params, stoppedAt),
        logLikelihood: nbd.logLikelihood,
        boundary: poisson
          ? {
              parameters: [...spec.parameters, 'r', 'alpha'],
              limit: `${spec.limit}, and r, alpha → ∞ with r/alpha fixed`,
              meaning: 'no dropout and no heterogeneity in purchase rates: every customer keeps buying at one constant rate (Poisson)',
              limitModel: NO_DROPOUT_MODEL.poisson,
              limitConverged: nbd.fit.boundary?.limitConverged === true,
              ...(nbd.fit.boundary?.limitParams ? { limitParams: nbd.fit.boundary.limitParams } : {}),
            }
          : { parameters: spec.parameters, limit: spec.limit, meaning: NO_DROPOUT_MEANING, limitModel: NO_DROPOUT_MODEL.nbd, limitConverged: nbd.fit.converged, limitParams: { r: nbd.params.r, alpha: nbd.params.alpha } },
      };
    },
  };
}
