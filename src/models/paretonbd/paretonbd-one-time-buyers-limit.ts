/**
 * The Pareto/NBD's limit s → 0, β → 0: the lifetimes' Gamma(s, β) dropout
 * rates pile up at 0 and at ∞. A customer is still alive at t > 0 with
 * probability (β/(β+t))^s = exp(−s·ln(1 + t/β)); with s·ln(1/β) → c that
 * tends to 1 − π = e^{−c} for every t > 0. So a share π of customers drops out
 * right after the first purchase (one-time buyers: x = 0) and the share 1 − π
 * never drops out: the likelihood becomes the zero-inflated NBD
 * (nbd/zero-inflated-nbd.ts),
 *   L = (1 − π)·Γ(r+x)/Γ(r)·α^r/(α+T)^{r+x} + π·1{x = 0},
 * in which only π is identified, not s and β on their own. Data that lead
 * there: many customers who never come back beside steady buyers who never
 * stop. The limit is fitted in the Pareto/NBD's place (r, α, π), as the
 * MBG/NBD's a, b → 0 is (mbgnbd/mbgnbd-one-time-buyers-limit.ts).
 *
 * Written back in Pareto/NBD parameters as β = PARETO_ONE_TIME_BUYERS_BETA =
 * 1e-300 and s = −ln(1 − π)/ln(1 + t₀/β), t₀ the data's geometric mean window:
 * the share alive is 1 − π exactly at t₀ and (t₀/t)^s times that elsewhere.
 * Unlike the MBG/NBD's limit, no finite parameters give the limit's predictions
 * to rounding: the Pareto/NBD approaches its limit only like 1/ln(1/β), and
 * the smallest β a double holds (ln(1/β) ≤ 745) leaves s ≥ −ln(1 − π)/745, so
 * predictions differ from the zero-inflated NBD's closed forms by about
 * s·|ln(t/t₀)| relative (s = 3.8e-4 at π = 23%: under 2e-3 from a day to ten
 * years in weeks; test/models/paretonbd/paretonbd-zero-inflated-nbd-limit.test.ts).
 * So those parameters are for showing: the log-likelihood reported is the limit's,
 * the fit records the limit's own (r, α, π) in `boundary.limitParams`, and every
 * prediction of the fit is the zero-inflated NBD's closed form
 * (btyd/limit-predictions.ts; test/models/btyd/limit-predictions.test.ts).
 *
 * Where the purchase rates collapse to one rate too (the Pareto/NBD's limit
 * r → ∞, fitted first, paretonbd-poisson-limit.ts, whose own estimates then run
 * off to s, β → 0), the zero-inflated Poisson (λ, π) is fitted there
 * (`fitOneRateOneTimeBuyersLimit`, shared with the MBG/NBD's limit with one
 * purchase rate), written as the zero-inflated NBD's is, with r = POISSON_SHAPE.
 *
 * The NBD is the edge π = 0 of that limit (no one-time buyers). Where the
 * limit is no better than the NBD by more than one parameter's worth
 * (`ONE_TIME_BUYERS_MARGIN`), the data do not show one-time buyers and the
 * NBD is reported in its place (`nbdUnlessOneTimeBuyersShow`).
 */
import { LIKELIHOOD_RATIO_MARGIN, type BoundaryDirection, type FitBoundary, type LimitFit } from '../fit-boundary.js';
import type { FittedModel, RfmData } from '../model-types.js';
import { fitMaximumLikelihood } from '../fit-maximum-likelihood.js';
import { fitPoisson } from '../nbd/nbd.js';
import { createZeroInflatedPoissonProblem, fitZeroInflatedNbd, zeroInflatedLimitParams, type ZeroInflatedNbdParams } from '../nbd/zero-inflated-nbd.js';
import { NO_DROPOUT_MODEL } from '../nbd/no-dropout-predictions.js';

/** β below 1e-8 time units (the size at which fit-maximum-likelihood.ts calls a parameter "at the boundary"): far below any time between purchases. */
export const ONE_TIME_BUYERS_LOG_THRESHOLD = Math.log(1e8);

export const PARETO_ONE_TIME_BUYERS_LIMIT = 's, beta → 0';

/** What the limit means where it is not fitted (a stop on the way, named), in the words the model card and the tournament's reasons use. */
export const PARETO_ONE_TIME_BUYERS_MEANING =
  'one-time buyers and no dropout: a share of customers never buy again after their first purchase and the rest never drop out (the NBD with a share of one-time buyers, a zero-inflated NBD); s and beta are not identified on their own there, only the share of customers who stay';

/** The same limit where the purchase rates collapse to one rate too (the Pareto/NBD's Poisson limit, r → ∞). */
export const ONE_RATE_ONE_TIME_BUYERS_MEANING =
  'no heterogeneity in purchase rates, one-time buyers and no dropout: every customer buys at one rate, a share never buy again after their first purchase and the rest never drop out (a zero-inflated Poisson); s and beta are not identified on their own there, only the share of customers who stay';

/**
 * The direction s, β → 0 for a problem whose log-parameters hold log β at `betaIndex`: the escape measure is −log β
 * (s falls only like 1/ln(1/β) on the way). `fitLimit` fits the limit (the Pareto/NBD's: paretoNbdOneTimeBuyersFitLimit);
 * without, the estimates are where the optimiser stopped.
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
 * How much the limit s, β → 0 must beat the NBD by before its one-time buyers count: 1.92, half the 95% quantile
 * of χ² with one degree of freedom — the likelihood-ratio bound for the one parameter (the share who stay) that the
 * limit adds to the NBD.
 */
export const ONE_TIME_BUYERS_MARGIN = LIKELIHOOD_RATIO_MARGIN;

/**
 * The NBD limit (`nbd`, fitted and converged) when the one-time-buyers limit's log-likelihood (`limitLogLikelihood`) is
 * less than ONE_TIME_BUYERS_MARGIN above it, else null (the one-time-buyers limit stays).
 *
 * Example: 3,000 buyers at Gamma(5, 50) rates who never drop out (0.4% of them without a repeat purchase): the
 * zero-inflated NBD is 1.32 above the NBD → the NBD.
 */
export function nbdUnlessOneTimeBuyersShow(nbd: LimitFit | null, limitLogLikelihood: number): LimitFit | null {
  if (nbd === null || nbd.boundary.limitConverged !== true || !Number.isFinite(nbd.logLikelihood)) return null;
  return limitLogLikelihood - nbd.logLikelihood < ONE_TIME_BUYERS_MARGIN ? nbd : null;
}

/** The one-time-buyers limit of a model whose purchase rates are one rate already: its rate λ, the share π of one-time buyers (0: the Poisson). */
export interface OneRateOneTimeBuyersFit {
  readonly lambda: number;
  readonly pi: number;
  readonly logLikelihood: number;
  readonly converged: boolean;
}

/**
 * The limit of the one-time-buyers directions of the models with one purchase rate (the Pareto/NBD's and the MBG/NBD's
 * limits r → ∞, whose own estimates run off to s, β → 0 or a, b → 0): the zero-inflated Poisson, fitted from `start`,
 * or the Poisson (π = 0, closed form) where the zero-inflated Poisson is less than ONE_TIME_BUYERS_MARGIN above it —
 * the rule by which the NBD stands in for the zero-inflated NBD. Null when neither fit is finite.
 *
 * Example: 3,000 customers, 30% of them never buying again and the rest buying at 0.1 a week without dropping out →
 * λ = 0.09994, π = 0.311, log-likelihood −26,146.54 (the Poisson: −27,317.76).
 */
export function fitOneRateOneTimeBuyersLimit(data: RfmData, start: { lambda: number; share: number }): OneRateOneTimeBuyersFit | null {
  const fitted = fitMaximumLikelihood<{ lambda: number; odds: number }>(createZeroInflatedPoissonProblem(data, start));
  const poisson = fitPoisson(data);
  const { lambda, odds } = fitted.params;
  const valid = lambda > 0 && odds >= 0 && Number.isFinite(lambda + odds + fitted.logLikelihood);
  if (poisson.lambda > 0 && Number.isFinite(poisson.logLikelihood) && !(valid && fitted.logLikelihood - poisson.logLikelihood >= ONE_TIME_BUYERS_MARGIN)) {
    return { lambda: poisson.lambda, pi: 0, logLikelihood: poisson.logLikelihood, converged: true };
  }
  return valid ? { lambda, pi: odds / (1 + odds), logLikelihood: fitted.logLikelihood, converged: fitted.fit.converged } : null;
}

/**
 * The boundary of a full model (r, α and the dropout parameters `dropout`) at the one-time-buyers limit with one purchase
 * rate: the zero-inflated Poisson (`limit` names the full model's edge, `meaning` says it with π written out), or the
 * Poisson where `fit` has π = 0.
 */
export function oneRateOneTimeBuyersBoundary(fit: OneRateOneTimeBuyersFit, dropout: readonly [string, string], limit: string, meaning: string): FitBoundary {
  return fit.pi === 0
    ? {
        parameters: ['r', 'alpha', ...dropout],
        limit: `r, alpha → ∞ with r/alpha fixed, and ${dropout[0]}/${dropout[1]} → 0`,
        meaning: 'no dropout and no heterogeneity in purchase rates: every customer keeps buying at one constant rate (Poisson)',
        limitModel: NO_DROPOUT_MODEL.poisson,
        limitConverged: true,
        limitParams: { lambda: fit.lambda },
      }
    : { parameters: ['r', 'alpha', ...dropout], limit, meaning, limitModel: NO_DROPOUT_MODEL.zeroInflatedPoisson, limitConverged: fit.converged, limitParams: { lambda: fit.lambda, pi: fit.pi } };
}

/**
 * `fitLimit` of the direction s, β → 0 of the Pareto/NBD with one purchase rate (log λ, log s, log β): the zero-inflated
 * Poisson (or the Poisson) fitted once from the first stop, written in its (λ, s, β) as the full model's limit is
 * (β = PARETO_ONE_TIME_BUYERS_BETA; s = 0 for the Poisson), with the full model's boundary.
 */
export function paretoNbdOneRateOneTimeBuyersFitLimit(data: RfmData): NonNullable<BoundaryDirection['fitLimit']> {
  const t0 = geometricMeanWindow(data);
  let limit: LimitFit | null | undefined;
  return (stoppedAt) => {
    if (limit !== undefined) return limit;
    const fit = fitOneRateOneTimeBuyersLimit(data, { lambda: stoppedAt.lambda!, share: oneTimeShare(stoppedAt, t0) });
    if (fit === null) return (limit = null);
    const { s, beta } = fit.pi === 0 ? { s: 0, beta: stoppedAt.beta! } : paretoNbdOneTimeBuyersParams({ r: 1, alpha: 1, odds: fit.pi / (1 - fit.pi) }, t0);
    const boundary = oneRateOneTimeBuyersBoundary(fit, ['s', 'beta'], `r, alpha → ∞ with r/alpha fixed, and ${PARETO_ONE_TIME_BUYERS_LIMIT}`, paretoNbdOneTimeBuyersMeaning(fit.pi, true));
    return (limit = { params: { lambda: fit.lambda, s, beta }, logLikelihood: fit.logLikelihood, boundary });
  };
}

/** β of the limit written in Pareto/NBD parameters: small enough that s is small, far enough from the doubles' smallest (2.2e-308). */
export const PARETO_ONE_TIME_BUYERS_BETA = 1e-300;

/**
 * What the fitted limit means, with its share of one-time buyers (π) written out.
 *
 * Example: `paretoNbdOneTimeBuyersMeaning(0.2335)` → 'one-time buyers and no dropout: 23.3% of customers never buy again
 * after their first purchase and the rest never drop out (the NBD with a share of one-time buyers, a zero-inflated NBD)'
 */
export function paretoNbdOneTimeBuyersMeaning(share: number, oneRate = false): string {
  const who = `${Number((100 * share).toPrecision(3))}% of customers`;
  return oneRate
    ? `no heterogeneity in purchase rates, one-time buyers and no dropout: every customer buys at one rate, ${who} never buy again after their first purchase and the rest never drop out (a zero-inflated Poisson)`
    : `one-time buyers and no dropout: ${who} never buy again after their first purchase and the rest never drop out (the NBD with a share of one-time buyers, a zero-inflated NBD)`;
}

/** The weighted geometric mean of the windows T: where the written-back share alive is exact. */
export function geometricMeanWindow(data: RfmData): number {
  let sum = 0, weight = 0;
  for (let i = 0; i < data.T.length; i++) {
    if (!(data.T[i]! > 0) || data.weight[i] === 0) continue;
    sum += data.weight[i]! * Math.log(data.T[i]!);
    weight += data.weight[i]!;
  }
  return weight > 0 ? Math.exp(sum / weight) : 1;
}

/**
 * The zero-inflated NBD (r, α, odds π/(1 − π)) in Pareto/NBD parameters: β = PARETO_ONE_TIME_BUYERS_BETA and s with
 * (β/(β+t₀))^s = 1 − π (s = 0, the NBD, at π = 0).
 *
 * Example: r = 6.62, α = 63.3, π = 0.2335, t₀ = 34.5 weeks → s = 3.83e-4, β = 1e-300.
 */
export function paretoNbdOneTimeBuyersParams(limit: ZeroInflatedNbdParams, t0: number): { r: number; alpha: number; s: number; beta: number } {
  const beta = PARETO_ONE_TIME_BUYERS_BETA;
  return { r: limit.r, alpha: limit.alpha, s: Math.log1p(limit.odds) / Math.log1p(t0 / beta), beta };
}

/** The share of one-time buyers of Pareto/NBD parameters near the limit: 1 − (β/(β+t₀))^s. */
function oneTimeShare(at: Record<string, number>, t0: number): number {
  return -Math.expm1(-at.s! * Math.log1p(t0 / at.beta!));
}

/** The zero-inflated NBD (or Poisson) fit written as a Pareto/NBD limit. */
function asParetoNbdLimit(fitted: FittedModel<ZeroInflatedNbdParams>, t0: number): LimitFit | null {
  const { r, alpha, odds } = fitted.params;
  if (!(r > 0 && alpha > 0 && odds >= 0) || !Number.isFinite(r + alpha + odds + fitted.logLikelihood)) return null;
  const share = odds / (1 + odds);
  const poisson = fitted.fit.boundary?.limitModel === NO_DROPOUT_MODEL.zeroInflatedPoisson;
  return {
    params: paretoNbdOneTimeBuyersParams(fitted.params, t0),
    logLikelihood: fitted.logLikelihood,
    boundary: poisson
      ? {
          parameters: ['r', 'alpha', 's', 'beta'],
          limit: `r, alpha → ∞ with r/alpha fixed, and ${PARETO_ONE_TIME_BUYERS_LIMIT}`,
          meaning: paretoNbdOneTimeBuyersMeaning(share, true),
          limitModel: NO_DROPOUT_MODEL.zeroInflatedPoisson,
          limitConverged: fitted.fit.boundary?.limitConverged === true,
          limitParams: zeroInflatedLimitParams(fitted),
        }
      : { parameters: ['s', 'beta'], limit: PARETO_ONE_TIME_BUYERS_LIMIT, meaning: paretoNbdOneTimeBuyersMeaning(share), limitModel: NO_DROPOUT_MODEL.zeroInflatedNbd, limitConverged: fitted.fit.converged, limitParams: zeroInflatedLimitParams(fitted) },
  };
}

/**
 * `fitLimit` of the Pareto/NBD's direction s, β → 0: the zero-inflated NBD, fitted once from the first stop (its share
 * of one-time buyers 1 − (β/(β+t₀))^s there), or `nbd` (the no-dropout direction's limit) where the zero-inflated NBD
 * is less than ONE_TIME_BUYERS_MARGIN above it.
 *
 * Example: 3,000 customers, 20% of them never buying again and the rest buying at rates ~ Gamma(5, 50) per week without
 * dropping out → the fit stopped at β ≈ 1e-8, log-likelihood −29,247.41, not converged; now the zero-inflated NBD
 * r = 6.62, α = 63.3, π = 0.233 (log-likelihood −29,241.82), written as s = 3.83e-4, β = 1e-300.
 */
export function paretoNbdOneTimeBuyersFitLimit(data: RfmData, nbd: (stoppedAt: Record<string, number>) => LimitFit | null): NonNullable<BoundaryDirection['fitLimit']> {
  const t0 = geometricMeanWindow(data);
  let limit: LimitFit | null | undefined;
  return (stoppedAt) => {
    limit ??= asParetoNbdLimit(fitZeroInflatedNbd(data, { r: stoppedAt.r!, alpha: stoppedAt.alpha!, share: oneTimeShare(stoppedAt, t0) }), t0);
    if (limit === null) return null;
    return nbdUnlessOneTimeBuyersShow(nbd(stoppedAt), limit.logLikelihood) ?? limit;
  };
}
