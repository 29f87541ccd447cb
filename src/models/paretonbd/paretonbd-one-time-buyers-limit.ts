/**
 * The Pareto/NBD's limit s → 0, β → 0: the lifetimes' Gamma(s, β) dropout
 * rates pile up at 0 and at ∞. A customer is still alive at t > 0 with
 * probability (β/(β+t))^s = exp(−s·ln(1 + t/β)); with s·ln(1/β) → c that
 * tends to π = e^{−c} for every t > 0. So a share 1 − π of customers drops out
 * right after the first purchase (one-time buyers: x = 0) and the share π never
 * drops out: the likelihood becomes the zero-inflated NBD,
 *   L = π·Γ(r+x)/Γ(r)·α^r/(α+T)^{r+x} + (1 − π)·1{x = 0},
 * in which only π is identified, not s and β on their own (any s, β with the
 * same s·ln(1/β) give nearly the same fit, and the likelihood keeps rising,
 * slowly, as β → 0). The limit has no finite Pareto/NBD parameters and is not
 * fitted in the Pareto/NBD's place: the fit reports the boundary with its
 * meaning and keeps the estimates where the optimiser stopped (not converged,
 * no standard errors). Data that lead there: many customers who never come
 * back beside steady buyers who never stop.
 *
 * The NBD is the edge π = 1 of that limit (no one-time buyers). Where a stop
 * near s, β → 0 is no better than the NBD by more than one parameter's worth
 * (`ONE_TIME_BUYERS_MARGIN`), the data do not show one-time buyers and the
 * NBD is reported in its place (`nbdUnlessOneTimeBuyersShow`): on buyers who
 * never drop out, the path of a start near the limit (paretonbd.ts) settles at
 * a share of one-time buyers of a fraction of a per cent, 0.2 above the NBD.
 */
import type { BoundaryDirection, LimitFit } from '../fit-boundary.js';

/** β below 1e-8 time units (the size at which fit-maximum-likelihood.ts calls a parameter "at the boundary"): far below any time between purchases. */
export const ONE_TIME_BUYERS_LOG_THRESHOLD = Math.log(1e8);

export const PARETO_ONE_TIME_BUYERS_LIMIT = 's, beta → 0';

/** What the limit means, in the words the model card and the tournament's reasons use. */
export const PARETO_ONE_TIME_BUYERS_MEANING =
  'one-time buyers and no dropout: a share of customers never buy again after their first purchase and the rest never drop out (the NBD with a share of one-time buyers, a zero-inflated NBD); s and beta are not identified on their own there, only the share of customers who stay';

/** The same limit where the purchase rates collapse to one rate too (the Pareto/NBD's Poisson limit, r → ∞). */
export const ONE_RATE_ONE_TIME_BUYERS_MEANING =
  'no heterogeneity in purchase rates, one-time buyers and no dropout: every customer buys at one rate, a share never buy again after their first purchase and the rest never drop out (a zero-inflated Poisson); s and beta are not identified on their own there, only the share of customers who stay';

/**
 * The direction s, β → 0 for a problem whose log-parameters hold log β at `betaIndex`: the escape measure is −log β
 * (s falls only like 1/ln(1/β) on the way). No limit is fitted (see the file header).
 *
 * Example: 3,000 customers, 40% of them never buying again and the rest buying at rates ~ Gamma(5, 50) per week without
 * dropping out → the fit stops at s ≈ 0.007, β ≈ 1e-8 with `fit.boundary.limit` 's, beta → 0' and this meaning.
 */
export function oneTimeBuyersDirection(betaIndex: number, meaning = PARETO_ONE_TIME_BUYERS_MEANING, fitLimit?: BoundaryDirection['fitLimit']): BoundaryDirection {
  return {
    parameters: ['s', 'beta'],
    limit: PARETO_ONE_TIME_BUYERS_LIMIT,
    meaning,
    escape: (z) => -z[betaIndex]!,
    threshold: ONE_TIME_BUYERS_LOG_THRESHOLD,
    ...(fitLimit ? { fitLimit } : {}),
  };
}

/**
 * How much a stop near s, β → 0 must beat the NBD by before its one-time buyers count: 1.92, half the 95% quantile
 * of χ² with one degree of freedom — the likelihood-ratio bound for the one parameter (the share who stay) that the
 * limit adds to the NBD.
 */
export const ONE_TIME_BUYERS_MARGIN = 1.92;

/**
 * `fitLimit` of the direction s, β → 0: the NBD limit (`nbd`, fitted and converged) when the stop's log-likelihood
 * (`stoppedLogLikelihood`) is less than ONE_TIME_BUYERS_MARGIN above it, else null (the stop stays where it is).
 *
 * Example: 3,000 buyers at Gamma(2, 10) rates who never drop out: the stop at s = 1.4e-4, β = 6.8e-12 (a share of
 * one-time buyers of 0.4%) is 0.23 above the NBD → the NBD, as the other starts find.
 */
export function nbdUnlessOneTimeBuyersShow(nbd: LimitFit | null, stoppedLogLikelihood: number): LimitFit | null {
  if (nbd === null || nbd.boundary.limitConverged !== true || !Number.isFinite(nbd.logLikelihood)) return null;
  return stoppedLogLikelihood - nbd.logLikelihood < ONE_TIME_BUYERS_MARGIN ? nbd : null;
}
