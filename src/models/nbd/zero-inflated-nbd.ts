/**
 * The zero-inflated NBD: a share π of customers never buy again after their
 * first purchase, the rest buy at Gamma(r, α) rates and never drop out,
 *   L = (1 − π)·Γ(r+x)/Γ(r)·α^r/(α+T)^{r+x} + π·1{x = 0},
 * and its r → ∞ limit, the zero-inflated Poisson. The limit that the MBG/NBD
 * reaches at a, b → 0 (mbgnbd/mbgnbd-one-time-buyers-limit.ts) and the
 * Pareto/NBD at s, β → 0 (paretonbd/paretonbd-one-time-buyers-limit.ts), fitted
 * in their place.
 */
import { digamma, gammaln } from '../../math/special-functions.js';
import { fitMaximumLikelihood, type MaximumLikelihoodProblem } from '../fit-maximum-likelihood.js';
import type { FittedModel, RfmData } from '../model-types.js';
import { indexFrequencies, weightedTotals } from '../btyd/rfm-data.js';
import { softplus } from '../btyd/weighted-log-likelihood.js';
import { noHeterogeneityDirection, POISSON_SHAPE } from './nbd.js';
import { NO_DROPOUT_MODEL } from './no-dropout-predictions.js';

/** The zero-inflated Poisson's meaning where the zero-inflated NBD's rates collapse to one rate (its own r → ∞). */
export const ZERO_INFLATED_POISSON_MEANING = 'no heterogeneity in purchase rates: every customer who stays buys at one rate (a zero-inflated Poisson)';

/** The zero-inflated NBD's parameters: Gamma(r, α) purchase rates, odds = π/(1 − π) of a one-time buyer. */
export type ZeroInflatedNbdParams = { r: number; alpha: number; odds: number };

const clampShare = (share: number) => Math.min(Math.max(Number.isFinite(share) ? share : 0.1, 1e-6), 1 - 1e-6);
const logOdds = (share: number) => Math.log(clampShare(share) / (1 - clampShare(share)));

/** Weighted share of customers without a repeat purchase. */
function zeroShare(data: RfmData): number {
  let zeros = 0;
  for (let i = 0; i < data.frequency.length; i++) if (data.frequency[i] === 0) zeros += data.weight[i]!;
  return zeros / weightedTotals(data).weight;
}

/**
 * The zero-inflated Poisson (r → ∞ of the zero-inflated NBD): rate λ, odds π/(1 − π); its log-likelihood
 * Σ w·log((1 − π)·λ^x e^{−λT} + π·1{x = 0}), as the NBD's Poisson limit counts it (fitPoisson).
 */
export function createZeroInflatedPoissonProblem(data: RfmData, start: { lambda: number; share: number }): MaximumLikelihoodProblem {
  const { frequency, T, weight } = data;
  const totals = weightedTotals(data);
  const rate = Math.max(totals.purchases / totals.exposure, 1e-9);
  return {
    model: 'zero-inflated-poisson',
    paramNames: ['lambda', 'odds'],
    n: totals.weight,
    starts: [
      ...(start.lambda > 0 && Number.isFinite(start.lambda) ? [Float64Array.of(Math.log(start.lambda), logOdds(start.share))] : []),
      Float64Array.of(Math.log(rate), logOdds(zeroShare(data) / 2)),
    ],
    logLikelihood(z, gradient) {
      const lambda = Math.exp(z[0]!), logPi = -softplus(-z[1]!), logStay = -softplus(z[1]!), pi = Math.exp(logPi);
      let ll = 0, gl = 0, go = 0;
      for (let i = 0; i < frequency.length; i++) {
        const w = weight[i]!;
        if (w === 0) continue;
        const x = frequency[i]!;
        if (x > 0) {
          ll += w * (logStay + x * z[0]! - lambda * T[i]!);
          gl += w * (x / lambda - T[i]!);
          go -= w * pi;
          continue;
        }
        // log((1 − π)e^{−λT} + π), wA the share of the first term
        const lA = logStay - lambda * T[i]!, top = Math.max(lA, logPi);
        const eA = Math.exp(lA - top), eB = Math.exp(logPi - top), wA = eA / (eA + eB);
        ll += w * (top + Math.log(eA + eB));
        gl -= w * wA * T[i]!;
        go += w * (wA * -pi + (1 - wA) * (1 - pi));
      }
      gradient[0] = gl * lambda;
      gradient[1] = go;
      return ll;
    },
  };
}

/** The zero-inflated NBD's estimation problem in (log r, log α, log odds), with the zero-inflated Poisson as its r → ∞ boundary. */
export function createZeroInflatedNbdProblem(data: RfmData, start: { r: number; alpha: number; share: number }): MaximumLikelihoodProblem {
  const index = indexFrequencies(data);
  const { frequency, T, weight } = data;
  const totals = weightedTotals(data);
  const rate = Math.max(totals.purchases / totals.exposure, 1e-9);
  const valid = start.r > 0 && start.alpha > 0 && Number.isFinite(start.r + start.alpha);
  return {
    model: 'zero-inflated-nbd',
    paramNames: ['r', 'alpha', 'odds'],
    n: totals.weight,
    starts: [
      ...(valid ? [Float64Array.of(Math.log(start.r), Math.log(start.alpha), logOdds(start.share))] : []),
      Float64Array.of(0, Math.log(1 / rate), logOdds(zeroShare(data) / 2)),
    ],
    boundaries: [
      noHeterogeneityDirection((at) => {
        const fitted = fitMaximumLikelihood<{ lambda: number; odds: number }>(createZeroInflatedPoissonProblem(data, { lambda: at.r! / at.alpha!, share: at.odds! / (1 + at.odds!) }));
        if (!(fitted.params.lambda > 0) || !Number.isFinite(fitted.logLikelihood)) return null;
        return {
          params: { r: POISSON_SHAPE, alpha: POISSON_SHAPE / fitted.params.lambda, odds: fitted.params.odds },
          logLikelihood: fitted.logLikelihood,
          boundary: {
            parameters: ['r', 'alpha'],
            limit: 'r, alpha → ∞ with r/alpha fixed',
            meaning: ZERO_INFLATED_POISSON_MEANING,
            limitModel: NO_DROPOUT_MODEL.zeroInflatedPoisson,
            limitConverged: fitted.fit.converged,
            limitParams: { lambda: fitted.params.lambda, pi: shareOf(fitted.params.odds) },
          },
        };
      }),
    ],
    logLikelihood(z, gradient) {
      const r = Math.exp(z[0]!), alpha = Math.exp(z[1]!), logAlpha = z[1]!;
      const logPi = -softplus(-z[2]!), logStay = -softplus(z[2]!), pi = Math.exp(logPi);
      const lgR = gammaln(r), psiR = digamma(r);
      let ll = 0, gr = 0, galpha = 0, go = 0;
      // the terms of x > 0 (all of Γ(r+x)/Γ(r)·α^r·(1 − π) but the exposure), once per distinct x
      for (let k = 0; k < index.values.length; k++) {
        const x = index.values[k]!, w = index.weight[k]!;
        if (x === 0 || w === 0) continue;
        ll += w * (gammaln(r + x) - lgR + r * logAlpha + logStay);
        gr += w * (digamma(r + x) - psiR + logAlpha);
        galpha += w * (r / alpha);
        go -= w * pi;
      }
      for (let i = 0; i < frequency.length; i++) {
        const w = weight[i]!;
        if (w === 0) continue;
        const x = frequency[i]!, shifted = alpha + T[i]!, logShifted = Math.log(shifted);
        if (x > 0) {
          ll -= w * (r + x) * logShifted;
          gr -= w * logShifted;
          galpha -= (w * (r + x)) / shifted;
          continue;
        }
        // log((1 − π)(α/(α+T))^r + π), wA the share of the first term
        const lA = logStay + r * (logAlpha - logShifted), top = Math.max(lA, logPi);
        const eA = Math.exp(lA - top), eB = Math.exp(logPi - top), wA = eA / (eA + eB);
        ll += w * (top + Math.log(eA + eB));
        gr += w * wA * (logAlpha - logShifted);
        galpha += w * wA * r * (1 / alpha - 1 / shifted);
        go += w * (wA * -pi + (1 - wA) * (1 - pi));
      }
      gradient[0] = gr * r;
      gradient[1] = galpha * alpha;
      gradient[2] = go;
      return ll;
    },
  };
}

/** The share π of one-time buyers from the odds π/(1 − π). */
const shareOf = (odds: number) => odds / (1 + odds);

/**
 * The limit's own parameters of a zero-inflated NBD fit, for `boundary.limitParams` where a purchase model writes it
 * back in its own: { r, alpha, pi }, or { lambda, pi } where the fit is the zero-inflated Poisson.
 *
 * Example: r = 6.62, α = 63.3, odds 0.305 → { r: 6.62, alpha: 63.3, pi: 0.233 }.
 */
export function zeroInflatedLimitParams(fitted: FittedModel<ZeroInflatedNbdParams>): Readonly<Record<string, number>> {
  const poisson = fitted.fit.boundary?.limitModel === NO_DROPOUT_MODEL.zeroInflatedPoisson ? fitted.fit.boundary.limitParams : undefined;
  return poisson ?? { r: fitted.params.r, alpha: fitted.params.alpha, pi: shareOf(fitted.params.odds) };
}

/** Fits the zero-inflated NBD from `start` (its r → ∞ limit, the zero-inflated Poisson, in its place where it runs off there). */
export function fitZeroInflatedNbd(data: RfmData, start: { r: number; alpha: number; share: number }): FittedModel<ZeroInflatedNbdParams> {
  return fitMaximumLikelihood<ZeroInflatedNbdParams>(createZeroInflatedNbdProblem(data, start));
}
