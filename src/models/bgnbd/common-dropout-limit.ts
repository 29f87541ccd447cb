/**
 * The "one dropout probability for everyone" limit of BG/NBD and MBG/NBD:
 * a, b → ∞ with a/(a+b) = p fixed, where Beta(a, b) collapses to the point
 * p. Purchase rates stay Gamma(r, α); every customer drops out after each
 * purchase (and, for MBG/NBD, also at time 0) with the same probability p.
 *
 * Likelihood (FHL 2005 eq. 3 integrated over λ only; B(a, b+x)/B(a, b) →
 * (1−p)^x and B(a+1, b+x−1)/B(a, b) → p(1−p)^{x−1}), with s = 0 for BG/NBD
 * and s = 1 for MBG/NBD (Batislam et al. 2007 eq. 3):
 *   L = Γ(r+x) α^r / Γ(r) · [ (1−p)^{x+s} (α+T)^{−(r+x)} + 1{x+s>0} · p (1−p)^{x+s−1} (α+t_x)^{−(r+x)} ].
 * Parameters on the optimiser's scale: (log r, log α, log o), o = p/(1−p)
 * the odds, so p stays in (0, 1). The analytic gradient is checked against
 * finite differences (test/models/bgnbd/common-dropout-limit.test.ts).
 *
 * Written in the full model's parameters as a = S·p, b = S·(1−p) with
 * S = COMMON_DROPOUT_SHAPE: the dropout probabilities' standard deviation is
 * √(p(1−p)/(S+1)) ≤ 0.05%, and every prediction formula stays finite.
 */
import { digamma, gammaln } from '../../math/special-functions.js';
import type { LimitFit } from '../fit-boundary.js';
import { fitMaximumLikelihood, type MaximumLikelihoodProblem } from '../fit-maximum-likelihood.js';
import type { RfmData } from '../model-types.js';

/** a + b standing for "a, b = ∞" when the limit is written in Beta(a, b) parameters. */
export const COMMON_DROPOUT_SHAPE = 1e6;

export const COMMON_DROPOUT_MEANING = 'no heterogeneity in dropout: every customer drops out after a purchase with the same probability a/(a+b)';

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** The limit's estimation problem; `dropAtStart` true for MBG/NBD (s = 1). */
export function createCommonDropoutProblem(data: RfmData, dropAtStart: boolean, start: { r: number; alpha: number; p: number }): MaximumLikelihoodProblem {
  const s = dropAtStart ? 1 : 0;
  const { frequency, recency, T, weight } = data;
  let n = 0;
  for (let i = 0; i < weight.length; i++) n += weight[i]!;
  const p0 = Math.min(Math.max(start.p, 1e-6), 1 - 1e-6);
  const starts = [
    Float64Array.of(Math.log(start.r), Math.log(start.alpha), Math.log(p0 / (1 - p0))),
    Float64Array.of(Math.log(start.r), Math.log(start.alpha), Math.log(0.1 / 0.9)),
  ];
  return {
    model: dropAtStart ? 'mbgnbd-common-dropout' : 'bgnbd-common-dropout',
    paramNames: ['r', 'alpha', 'odds'],
    n,
    starts,
    logLikelihood(z, gradient) {
      const r = Math.exp(z[0]!), alpha = Math.exp(z[1]!);
      const logP = -softplus(-z[2]!), logQ = -softplus(z[2]!), p = Math.exp(logP);
      const lgR = gammaln(r), psiR = digamma(r), logAlpha = z[1]!;
      let ll = 0, gr = 0, galpha = 0, gz = 0;
      for (let i = 0; i < frequency.length; i++) {
        const w = weight[i]!;
        if (w === 0) continue;
        const x = frequency[i]!;
        const logT = Math.log(alpha + T[i]!);
        const lA = (x + s) * logQ - (r + x) * logT;
        ll += w * (gammaln(r + x) - lgR + r * logAlpha);
        gr += w * (digamma(r + x) - psiR + logAlpha);
        galpha += w * (r / alpha);
        if (x + s === 0) {
          ll += w * lA;
          gr -= w * logT;
          galpha -= w * (r + x) / (alpha + T[i]!);
          gz += w * (x + s) * -p;
          continue;
        }
        const logTx = Math.log(alpha + recency[i]!);
        const lB = logP + (x + s - 1) * logQ - (r + x) * logTx;
        const top = Math.max(lA, lB);
        const eA = Math.exp(lA - top), eB = Math.exp(lB - top);
        const wA = eA / (eA + eB), wB = 1 - wA;
        ll += w * (top + Math.log(eA + eB));
        gr -= w * (wA * logT + wB * logTx);
        galpha -= w * (r + x) * (wA / (alpha + T[i]!) + wB / (alpha + recency[i]!));
        gz += w * (wA * (x + s) * -p + wB * (1 - p - (x + s - 1) * p));
      }
      gradient[0] = gr * r;
      gradient[1] = galpha * alpha;
      gradient[2] = gz;
      return ll;
    },
  };
}

/**
 * Fits the limit from where the full fit was stopped (`stoppedAt`: r, alpha,
 * a, b) and writes it as BG/NBD (MBG/NBD) parameters; null when it fails.
 */
export function fitCommonDropoutLimit(data: RfmData, dropAtStart: boolean, stoppedAt: Record<string, number>): LimitFit | null {
  const a = stoppedAt.a!, b = stoppedAt.b!;
  const start = { r: stoppedAt.r!, alpha: stoppedAt.alpha!, p: a / (a + b) };
  if (!(start.r > 0 && start.alpha > 0 && start.p > 0 && start.p < 1)) return null;
  const fitted = fitMaximumLikelihood<{ r: number; alpha: number; odds: number }>(createCommonDropoutProblem(data, dropAtStart, start));
  if (!fitted.fit.converged || !Number.isFinite(fitted.logLikelihood)) return null;
  const { r, alpha, odds } = fitted.params;
  const p = odds / (1 + odds);
  return {
    params: { r, alpha, a: COMMON_DROPOUT_SHAPE * p, b: COMMON_DROPOUT_SHAPE * (1 - p) },
    logLikelihood: fitted.logLikelihood,
    boundary: {
      parameters: ['a', 'b'],
      limit: 'a, b → ∞ with a/(a+b) fixed',
      meaning: `${COMMON_DROPOUT_MEANING} (p = ${Number(p.toPrecision(4))})`,
      limitModel: `${dropAtStart ? 'MBG/NBD' : 'BG/NBD'} with one dropout probability`,
      limitConverged: true,
    },
  };
}
