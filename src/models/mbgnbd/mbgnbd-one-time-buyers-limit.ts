/**
 * The MBG/NBD's limit a, b → 0 with π = a/(a+b) fixed: the dropout
 * probabilities p ~ Beta(a, b) pile up at 1 (a share π) and at 0. The MBG/NBD
 * applies p at every purchase including the first, so a customer with p = 1
 * never buys again after the first purchase (x = 0) and one with p = 0 never
 * drops out: B(a, b+x+1)/B(a, b) = E[(1−p)^{x+1}] → 1 − π and
 * B(a+1, b+x)/B(a, b) = E[p(1−p)^x] → π·1{x = 0}, and the likelihood becomes
 * the zero-inflated NBD
 *   L = (1 − π)·Γ(r+x)/Γ(r)·α^r/(α+T)^{r+x} + π·1{x = 0}.
 * Unlike the Pareto/NBD's one-time-buyers limit (s, β → 0), π is identified,
 * and the limit is fitted in the MBG/NBD's place (r, α, π). Data that lead
 * there: many customers who never come back beside steady buyers who never
 * stop (with dropout among the rest the optimum is in the interior near it).
 *
 * Written in MBG/NBD parameters as a = π·S, b = (1 − π)·S with
 * S = ONE_TIME_BUYERS_SHAPE = 1e-20: every prediction formula of mbgnbd.ts
 * then gives the limit's value to about 1e-14 (P(alive) 1 after a repeat
 * purchase, E[X(t)] = (1 − π)·r·t/α, …; test/models/mbgnbd/mbgnbd-one-time-buyers-limit.test.ts),
 * though not 1e-9 relative in far-tail count probabilities (P(1 in 520 weeks) ≈ 5.6e-14,
 * 3e-9 off). The fit records the limit's (r, α, π) in `boundary.limitParams` and predicts
 * with its closed forms, as the Pareto/NBD's (btyd/limit-predictions.ts).
 * Where the purchase rates collapse to one rate too (the limit's own r → ∞)
 * the zero-inflated Poisson is fitted, written with r = POISSON_SHAPE.
 *
 * The NBD is the edge π = 0. As for the Pareto/NBD, a limit less than
 * ONE_TIME_BUYERS_MARGIN above the NBD does not show one-time buyers, and the
 * NBD is reported in its place (`nbdUnlessOneTimeBuyersShow`).
 */
import { logAddExp } from '../../math/special-functions.js';
import type { BoundaryDirection, LimitFit } from '../fit-boundary.js';
import type { ConfinedStart } from '../confined-start.js';
import type { FittedModel, RfmData } from '../model-types.js';
import { weightedTotals } from '../btyd/rfm-data.js';
import { fitZeroInflatedNbd, zeroInflatedLimitParams, type ZeroInflatedNbdParams } from '../nbd/zero-inflated-nbd.js';
export { createZeroInflatedNbdProblem, createZeroInflatedPoissonProblem, fitZeroInflatedNbd, type ZeroInflatedNbdParams } from '../nbd/zero-inflated-nbd.js';
import { fitOneRateOneTimeBuyersLimit, nbdUnlessOneTimeBuyersShow, oneRateOneTimeBuyersBoundary } from '../paretonbd/paretonbd-one-time-buyers-limit.js';
import { NO_DROPOUT_MODEL } from '../nbd/no-dropout-predictions.js';

/** a + b standing for "a, b = 0" when the limit is written in Beta(a, b) parameters (see the file header). */
export const ONE_TIME_BUYERS_SHAPE = 1e-20;

export const MBG_ONE_TIME_BUYERS_LIMIT = 'a, b → 0 with a/(a+b) fixed';

/**
 * What the limit means, in the words the model card and the tournament's reasons use; `share` (π) written out where
 * the limit was fitted.
 *
 * Example: `mbgNbdOneTimeBuyersMeaning(0.2331)` → 'one-time buyers and no dropout: 23.3% of customers (a/(a+b)) never buy
 * again after their first purchase and the rest never drop out (the NBD with a share of one-time buyers, a zero-inflated NBD)'
 */
export function mbgNbdOneTimeBuyersMeaning(share?: number, oneRate = false): string {
  const who = share === undefined ? 'a share a/(a+b) of customers' : `${Number((100 * share).toPrecision(3))}% of customers (a/(a+b))`;
  return oneRate
    ? `no heterogeneity in purchase rates, one-time buyers and no dropout: every customer buys at one rate, ${who} never buy again after their first purchase and the rest never drop out (a zero-inflated Poisson)`
    : `one-time buyers and no dropout: ${who} never buy again after their first purchase and the rest never drop out (the NBD with a share of one-time buyers, a zero-inflated NBD)`;
}

/**
 * a + b below 1e-6: Beta(a, b) holds under 2.3e-6 of its mass between 0.01 and 0.99, and E[(1−p)^{x+1}], E[p(1−p)^x]
 * differ from their limits by under 1e-6·(1 + ln x) — the model is its limit for every practical purpose. Not lower:
 * the gradient in log a, log b shrinks with a + b, and L-BFGS meets its tolerance on the way (at a + b = 2.4e-8 on
 * 3,000 customers, 3% of them one-time buyers), where a best point past the threshold still counts as at the limit.
 */
export const MBG_ONE_TIME_BUYERS_LOG_THRESHOLD = Math.log(1e6);

/** −log(a + b) for log-parameters holding log a, log b at 2, 3: grows along a, b → 0 whatever their ratio. */
function minusLogSum(z: Float64Array): number {
  return -logAddExp(z[2]!, z[3]!);
}

/** The zero-inflated NBD (or Poisson) fit written as an MBG/NBD limit: a = π·S, b = (1 − π)·S. */
function asMbgNbdLimit(fitted: FittedModel<ZeroInflatedNbdParams>): LimitFit | null {
  const { r, alpha, odds } = fitted.params;
  if (!(r > 0 && alpha > 0 && odds >= 0) || !Number.isFinite(r + alpha + odds + fitted.logLikelihood)) return null;
  const share = odds / (1 + odds);
  const poisson = fitted.fit.boundary?.limitModel === NO_DROPOUT_MODEL.zeroInflatedPoisson;
  return {
    params: { r, alpha, a: ONE_TIME_BUYERS_SHAPE * share, b: ONE_TIME_BUYERS_SHAPE * (1 - share) },
    logLikelihood: fitted.logLikelihood,
    boundary: poisson
      ? {
          parameters: ['a', 'b', 'r', 'alpha'],
          limit: `${MBG_ONE_TIME_BUYERS_LIMIT}, and r, alpha → ∞ with r/alpha fixed`,
          meaning: mbgNbdOneTimeBuyersMeaning(share, true),
          limitModel: NO_DROPOUT_MODEL.zeroInflatedPoisson,
          limitConverged: fitted.fit.boundary?.limitConverged === true,
          limitParams: zeroInflatedLimitParams(fitted),
        }
      : { parameters: ['a', 'b'], limit: MBG_ONE_TIME_BUYERS_LIMIT, meaning: mbgNbdOneTimeBuyersMeaning(share), limitModel: NO_DROPOUT_MODEL.zeroInflatedNbd, limitConverged: fitted.fit.converged, limitParams: zeroInflatedLimitParams(fitted) },
  };
}

/**
 * The direction a, b → 0 of the MBG/NBD (log-parameters log r, log α, log a, log b): escape measure −log(a + b),
 * threshold MBG_ONE_TIME_BUYERS_LOG_THRESHOLD. Its limit, the zero-inflated NBD, is fitted once from the first stop;
 * `nbd` is the no-dropout direction's limit, reported instead when the zero-inflated NBD is less than
 * ONE_TIME_BUYERS_MARGIN above it.
 *
 * Example: 3,000 customers, 20% of them never buying again and the rest buying at rates ~ Gamma(5, 50) per week without
 * dropping out → the fit stalled at a = 9.4e-14, b = 3.5e-13 (log-likelihood −29,283.23, not converged); now the
 * zero-inflated NBD r = 6.62, α = 63.3, π = 0.233 (log-likelihood −29,241.82) with `fit.boundary.limit` 'a, b → 0 with a/(a+b) fixed'.
 */
export function mbgNbdOneTimeBuyersDirection(data: RfmData, nbd: (stoppedAt: Record<string, number>) => LimitFit | null): BoundaryDirection {
  let limit: LimitFit | null | undefined;
  return {
    parameters: ['a', 'b'],
    limit: MBG_ONE_TIME_BUYERS_LIMIT,
    meaning: mbgNbdOneTimeBuyersMeaning(),
    escape: minusLogSum,
    threshold: MBG_ONE_TIME_BUYERS_LOG_THRESHOLD,
    fitLimit(stoppedAt) {
      limit ??= asMbgNbdLimit(fitZeroInflatedNbd(data, { r: stoppedAt.r!, alpha: stoppedAt.alpha!, share: stoppedAt.a! / (stoppedAt.a! + stoppedAt.b!) }));
      if (limit === null) return null;
      return nbdUnlessOneTimeBuyersShow(nbd(stoppedAt), limit.logLikelihood) ?? limit;
    },
  };
}

/**
 * The direction a, b → 0 of the MBG/NBD with one purchase rate (bgnbd/one-rate-limit.ts; log-parameters log λ, log a,
 * log b): the MBG/NBD's own limits r → ∞ and a, b → 0 together. Its limit, the zero-inflated Poisson (or the Poisson
 * where that is less than ONE_TIME_BUYERS_MARGIN above it), is fitted once from the first stop and written in (λ, a, b)
 * as a = π·S, b = (1 − π)·S (a = 0 for the Poisson), with the full model's boundary — the same as the path through the
 * zero-inflated NBD reaches. Without it the one-rate fit went on towards a, b ≈ 1e-12, where betaln(a, b) has lost
 * digits: on 3,000 customers, 30% of them one-time buyers and the rest buying at 0.1 a week, it stopped at
 * a, b ≈ 1e-12, not converged, 0.07 above the zero-inflated Poisson's −26,146.54 by rounding alone.
 */
export function mbgNbdOneRateOneTimeBuyersDirection(data: RfmData): BoundaryDirection {
  let limit: LimitFit | null | undefined;
  return {
    parameters: ['a', 'b'],
    limit: MBG_ONE_TIME_BUYERS_LIMIT,
    meaning: mbgNbdOneTimeBuyersMeaning(undefined, true),
    escape: (z) => -logAddExp(z[1]!, z[2]!),
    threshold: MBG_ONE_TIME_BUYERS_LOG_THRESHOLD,
    fitLimit(stoppedAt) {
      if (limit !== undefined) return limit;
      const fit = fitOneRateOneTimeBuyersLimit(data, { lambda: stoppedAt.lambda!, share: stoppedAt.a! / (stoppedAt.a! + stoppedAt.b!) });
      if (fit === null) return (limit = null);
      const boundary = oneRateOneTimeBuyersBoundary(fit, ['a', 'b'], `${MBG_ONE_TIME_BUYERS_LIMIT}, and r, alpha → ∞ with r/alpha fixed`, mbgNbdOneTimeBuyersMeaning(fit.pi, true));
      const params = fit.pi === 0 ? { lambda: fit.lambda, a: 0, b: stoppedAt.b! } : { lambda: fit.lambda, a: ONE_TIME_BUYERS_SHAPE * fit.pi, b: ONE_TIME_BUYERS_SHAPE * (1 - fit.pi) };
      return (limit = { params, logLikelihood: fit.logLikelihood, boundary });
    },
  };
}

/** a + b of the one-time-buyers start: far from the ordinary starts (a + b of 1.5 to 10), not yet at the limit (1e-6). */
const ONE_TIME_BUYERS_START_AB = 1e-3;
/** a + b past which the one-time-buyers start has left its region: the ordinary starts search there. */
const ONE_TIME_BUYERS_REGION_AB = 0.1;

/**
 * A start in the basin of the limit a, b → 0, confined to it: the first ordinary start's purchase rates (r = 1,
 * α = 1/rate) and a + b = 1e-3 with a = b (half the customers dropping out right after their first purchase, the rest
 * hardly ever). The ordinary starts begin at a + b of 1.5 to 10, from where the path may settle on the NBD and not
 * reach the limit or an interior optimum near it: on 3,000 customers, 3% of them one-time buyers and the rest buying at
 * Gamma(5, 50) rates without dropping out, all three ended at the NBD, log-likelihood −33,808.36, where the limit
 * reaches −33,790.50. The run is dropped once a + b passes 0.1, back where the ordinary starts search (on CDNOW after
 * 19 iterations, heading for a/b → 0), so it never replaces their result there.
 */
export function mbgNbdOneTimeBuyersStart(data: RfmData): ConfinedStart {
  const totals = weightedTotals(data);
  const rate = Math.max(totals.purchases / totals.exposure, 1e-6);
  const half = Math.log(ONE_TIME_BUYERS_START_AB / 2);
  return {
    start: Float64Array.of(0, Math.log(1 / rate), half, half),
    region: `near ${MBG_ONE_TIME_BUYERS_LIMIT}`,
    leaves: (z) => -minusLogSum(z) > Math.log(ONE_TIME_BUYERS_REGION_AB),
  };
}
