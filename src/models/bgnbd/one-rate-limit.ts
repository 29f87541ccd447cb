/**
 * The "one purchase rate for everyone" limit of BG/NBD and MBG/NBD: r, α → ∞
 * with λ = r/α fixed, where Gamma(r, α) collapses to the point λ. Every
 * customer buys as a Poisson process of rate λ while alive; dropout stays
 * Beta(a, b)-geometric — shops whose buyers keep one pace and differ only in
 * how long they stay (a subscription box, a replenishment shop) fit there.
 *
 * Likelihood (FHL 2005 eq. 3 with Γ(r+x)/Γ(r)·α^r/(α+τ)^{r+x} → λ^x e^{−λτ}),
 * with s = 0 for BG/NBD and s = 1 for MBG/NBD (Batislam et al. 2007 eq. 3):
 *   L = λ^x [ B(a, b+x+s)/B(a, b) · e^{−λT} + 1{x+s>0} · B(a+1, b+x+s−1)/B(a, b) · e^{−λ t_x} ].
 * Parameters on the optimiser's scale: (log λ, log a, log b); the analytic
 * gradient is checked against finite differences (test/models/bgnbd/one-rate-limit.test.ts).
 * Its own boundaries: a/b → 0 (nobody drops out either: the Poisson, closed
 * form), a, b → ∞ together (one dropout probability too: not fitted; the
 * estimates are where the optimiser stopped) and, for MBG/NBD, a, b → 0
 * (one-time buyers beside buyers who never stop: the zero-inflated Poisson,
 * mbgnbd/mbgnbd-one-time-buyers-limit.ts).
 *
 * Written in the full model's parameters as r = POISSON_SHAPE, α = r/λ (as
 * the NBD's and the Pareto/NBD's Poisson limits are), so every prediction
 * formula of the full model applies unchanged.
 */
import { betaln, digamma } from '../../math/special-functions.js';
import { jointGrowthDirection, NO_DROPOUT_LOG_THRESHOLD, type LimitFit } from '../fit-boundary.js';
import { fitMaximumLikelihood, type MaximumLikelihoodProblem } from '../fit-maximum-likelihood.js';
import type { RfmData } from '../model-types.js';
import { weightedTotals } from '../btyd/rfm-data.js';
import { fitPoisson, NO_HETEROGENEITY_MEANING, POISSON_SHAPE } from '../nbd/nbd.js';
import { COMMON_DROPOUT_MEANING } from './common-dropout-limit.js';
import { mbgNbdOneRateOneTimeBuyersDirection } from '../mbgnbd/mbgnbd-one-time-buyers-limit.js';
import { NO_DROPOUT_MODEL } from '../nbd/no-dropout-predictions.js';

/** The limit's name in a fit's boundary (`limitModel`). */
export function oneRateModelName(dropAtStart: boolean): string {
  return `${dropAtStart ? 'MBG/NBD' : 'BG/NBD'} with one purchase rate (Poisson purchases, Beta-geometric dropout)`;
}

/** The limit's estimation problem in (log λ, log a, log b); `dropAtStart` true for MBG/NBD (s = 1). */
export function createOneRateProblem(data: RfmData, dropAtStart: boolean, start: { lambda: number; a: number; b: number }): MaximumLikelihoodProblem {
  const s = dropAtStart ? 1 : 0;
  const { frequency, recency, T, weight } = data;
  const { weight: n, purchases, exposure } = weightedTotals(data);
  const rate = Math.max(purchases / exposure, 1e-9);
  const starts = [
    ...(start.lambda > 0 && start.a > 0 && start.b > 0 ? [Float64Array.of(Math.log(start.lambda), Math.log(start.a), Math.log(start.b))] : []),
    Float64Array.of(Math.log(rate), 0, Math.log(3)),
  ];
  return {
    model: dropAtStart ? 'mbgnbd-one-rate' : 'bgnbd-one-rate',
    paramNames: ['lambda', 'a', 'b'],
    n,
    starts,
    boundaries: [
      { parameters: ['a', 'b'], limit: 'a/b → 0', meaning: 'no dropout', escape: (z) => z[2]! - z[1]!, threshold: NO_DROPOUT_LOG_THRESHOLD },
      jointGrowthDirection(1, 2, ['a', 'b'], COMMON_DROPOUT_MEANING),
      // MBG/NBD: one-time buyers beside buyers who never stop (a, b → 0), the zero-inflated Poisson in its place
      ...(dropAtStart ? [mbgNbdOneRateOneTimeBuyersDirection(data)] : []),
    ],
    logLikelihood(z, gradient) {
      const lambda = Math.exp(z[0]!), a = Math.exp(z[1]!), b = Math.exp(z[2]!);
      const lbAB = betaln(a, b), psiA = digamma(a), psiA1 = digamma(a + 1), psiB = digamma(b), psiAB = digamma(a + b);
      let ll = 0, gl = 0, ga = 0, gb = 0;
      for (let i = 0; i < frequency.length; i++) {
        const w = weight[i]!;
        if (w === 0) continue;
        const x = frequency[i]!, xs = x + s;
        const psiABx = digamma(a + b + xs), psiBx = digamma(b + xs);
        // alive at T: B(a, b+x+s)/B(a, b) e^{−λT}
        const lA = betaln(a, b + xs) - lbAB - lambda * T[i]!;
        const aA = psiAB - psiABx, bA = psiBx - psiABx - psiB + psiAB;
        let logL = lA, dl = -T[i]!, da = aA, db = bA;
        if (xs > 0) {
          // dropped out after the last purchase: B(a+1, b+x+s−1)/B(a, b) e^{−λ t_x}
          const lB = betaln(a + 1, xs - 1 + b) - lbAB - lambda * recency[i]!;
          const top = Math.max(lA, lB);
          const eA = Math.exp(lA - top), eB = Math.exp(lB - top);
          const wA = eA / (eA + eB), wB = 1 - wA;
          logL = top + Math.log(eA + eB);
          dl = -(wA * T[i]! + wB * recency[i]!);
          da = wA * aA + wB * (psiA1 - psiABx - psiA + psiAB);
          db = wA * bA + wB * (digamma(xs - 1 + b) - psiABx - psiB + psiAB);
        }
        ll += w * ((x > 0 ? x * z[0]! : 0) + logL);
        gl += w * (x / lambda + dl);
        ga += w * da;
        gb += w * db;
      }
      gradient[0] = gl * lambda;
      gradient[1] = ga * a;
      gradient[2] = gb * b;
      return ll;
    },
  };
}

/**
 * Fits the limit from where the full fit was stopped (`stoppedAt`: r, alpha, a, b) and writes it as BG/NBD (MBG/NBD)
 * parameters. When the limit runs off to a/b → 0 as well, nobody drops out and everyone buys at one rate: the Poisson
 * (closed form) is returned in its place. Null when the fit fails.
 */
export function fitOneRateLimit(data: RfmData, dropAtStart: boolean, stoppedAt: Record<string, number>): LimitFit | null {
  const fitted = fitMaximumLikelihood<{ lambda: number; a: number; b: number }>(createOneRateProblem(data, dropAtStart, { lambda: stoppedAt.r! / stoppedAt.alpha!, a: stoppedAt.a!, b: stoppedAt.b! }));
  const own = fitted.fit.boundary;
  if (own?.limitParams !== undefined) {
    // the MBG/NBD's a, b → 0 as well: the zero-inflated Poisson (or the Poisson), its boundary already the full model's
    const { lambda, a, b } = fitted.params;
    return { params: { r: POISSON_SHAPE, alpha: POISSON_SHAPE / lambda, a, b }, logLikelihood: fitted.logLikelihood, boundary: own };
  }
  if (own?.limit === 'a/b → 0') {
    const poisson = fitPoisson(data);
    if (!(poisson.lambda > 0)) return null;
    return {
      params: { r: POISSON_SHAPE, alpha: POISSON_SHAPE / poisson.lambda, a: 0, b: fitted.params.b },
      logLikelihood: poisson.logLikelihood,
      boundary: { parameters: ['r', 'alpha', 'a', 'b'], limit: 'r, alpha → ∞ with r/alpha fixed, and a/b → 0', meaning: 'no dropout and no heterogeneity in purchase rates: every customer keeps buying at one constant rate (Poisson)', limitModel: NO_DROPOUT_MODEL.poisson, limitConverged: true, limitParams: { lambda: poisson.lambda } },
    };
  }
  const { lambda, a, b } = fitted.params;
  if (!(lambda > 0) || !Number.isFinite(fitted.logLikelihood)) return null;
  return {
    params: { r: POISSON_SHAPE, alpha: POISSON_SHAPE / lambda, a, b },
    logLikelihood: fitted.logLikelihood,
    boundary: {
      parameters: own ? ['r', 'alpha', 'a', 'b'] : ['r', 'alpha'],
      limit: own ? `r, alpha → ∞ with r/alpha fixed, and ${own.limit}` : 'r, alpha → ∞ with r/alpha fixed',
      meaning: own ? `${NO_HETEROGENEITY_MEANING}; ${own.meaning}` : NO_HETEROGENEITY_MEANING,
      limitModel: oneRateModelName(dropAtStart),
      // a limit that ran off again (one dropout probability too) stopped where it was: not an optimum
      limitConverged: own === undefined && fitted.fit.converged,
    },
  };
}
