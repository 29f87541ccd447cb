/**
 * The BG/NBD's limit a, b → 0 with π = a/(a+b) fixed: the dropout probabilities p ~ Beta(a, b) pile up at 1 (a share π)
 * and at 0. The BG/NBD applies p after each repeat purchase — not at the first, unlike the MBG/NBD — so a customer with
 * p = 1 buys once more after the first purchase and then never again, and one with p = 0 never drops out:
 * B(a, b+x)/B(a, b) = E[(1−p)^x] → 1 for x = 0 and 1 − π for x ≥ 1, B(a+1, b+x−1)/B(a, b) = E[p(1−p)^{x−1}] → π·1{x = 1},
 * and the likelihood becomes
 *   x = 0: (α/(α+T))^r                                         (everyone is alive before a repeat purchase)
 *   x = 1: r α^r [(1 − π)(α+T)^{−(r+1)} + π (α+t_x)^{−(r+1)}]
 *   x ≥ 2: (1 − π)·Γ(r+x)/Γ(r)·α^r/(α+T)^{r+x}.
 * So the BG/NBD has no one-time-buyers limit: its customers cannot drop out before a repeat purchase, and its a, b → 0
 * holds customers who repeat exactly once. On one-time buyers beside buyers who never stop (the MBG/NBD's seed-3 shop,
 * 20% one-time buyers) every π > 0 lowers the likelihood below the NBD's (π = 10⁻⁴: −0.10, π = 0.2: −308) and the fit
 * ends at the NBD (a/b → 0); on customers of whom a share buy once more and stop, it runs off to a, b → 0. There this
 * limit, the NBD with a share who buy once more, is fitted in (r, α, π) and written back as a = π·S, b = (1 − π)·S with
 * S = 1e-20 (as the MBG/NBD's, mbgnbd-one-time-buyers-limit.ts); the NBD (π = 0) where it is less than
 * ONE_TIME_BUYERS_MARGIN above it. The fit records (r, α, π) in `boundary.limitParams` and predicts with the limit's
 * closed forms (nbd/no-dropout-predictions.ts, repeatOncePredictions): the BG/NBD's own E[X(t)] at a + b = 1e-20 holds
 * 2F1(r, b; a+b−1; ·) at the pole c = −1 and comes out 1.
 *
 * Its corner π = 1 is an edge of its own, a/b → ∞ (a → ∞, b → 0): p piles up at 1 for everyone, so every customer buys
 * once more and stops; L = NBD for x = 0, r α^r (α+t_x)^{−(r+1)} for x = 1, 0 for x ≥ 2. Where nobody repeats more than
 * once the likelihood depends on a, b only through a/(a+b) and rises to it: the fit stopped "converged" at a ≈ 5.5e4,
 * b ≈ 5.5e-5 with a singular information matrix and no boundary. `bgNbdEveryoneRepeatsOnceDirection` names it, fits
 * (r, α) and writes them back as a = S, b = 1/S (S = COMMON_DROPOUT_SHAPE); it predicts with repeatOncePredictions at π = 1.
 */
import { digamma, gammaln, logAddExp } from '../../math/special-functions.js';
import { NO_DROPOUT_LOG_THRESHOLD, type BoundaryDirection, type LimitFit } from '../fit-boundary.js';
import { COMMON_DROPOUT_SHAPE } from './common-dropout-limit.js';
import { fitMaximumLikelihood, type MaximumLikelihoodProblem } from '../fit-maximum-likelihood.js';
import type { RfmData } from '../model-types.js';
import { indexFrequencies, weightedTotals } from '../btyd/rfm-data.js';
import { softplus } from '../btyd/weighted-log-likelihood.js';
import { MBG_ONE_TIME_BUYERS_LOG_THRESHOLD, ONE_TIME_BUYERS_SHAPE } from '../mbgnbd/mbgnbd-one-time-buyers-limit.js';
import { nbdUnlessOneTimeBuyersShow } from '../paretonbd/paretonbd-one-time-buyers-limit.js';

export const BG_REPEAT_ONCE_LIMIT = 'a, b → 0 with a/(a+b) fixed';

export const BG_REPEAT_ONCE_MODEL = 'NBD with a share who buy once more';

/**
 * What the limit means, π written out where it was fitted.
 *
 * Example: `bgNbdRepeatOnceMeaning(0.3)` → 'a share who buy once more and no dropout: 30% of customers (a/(a+b)) buy once
 * more after their first purchase and then never again, and the rest never drop out'
 */
export function bgNbdRepeatOnceMeaning(share?: number): string {
  const who = share === undefined ? 'a share a/(a+b) of customers' : `${Number((100 * share).toPrecision(3))}% of customers (a/(a+b))`;
  return `a share who buy once more and no dropout: ${who} buy once more after their first purchase and then never again, and the rest never drop out`;
}

/** The limit's estimation problem in (log r, log α, log odds π/(1 − π)). */
export function createBgNbdRepeatOnceProblem(data: RfmData, start: { r: number; alpha: number; share: number }): MaximumLikelihoodProblem {
  const index = indexFrequencies(data);
  const { frequency, recency, T, weight } = data;
  const totals = weightedTotals(data);
  const rate = Math.max(totals.purchases / totals.exposure, 1e-9);
  const share = Math.min(Math.max(Number.isFinite(start.share) ? start.share : 0.1, 1e-6), 1 - 1e-6);
  const valid = start.r > 0 && start.alpha > 0 && Number.isFinite(start.r + start.alpha);
  return {
    model: 'bgnbd-repeat-once',
    paramNames: ['r', 'alpha', 'odds'],
    n: totals.weight,
    starts: [...(valid ? [Float64Array.of(Math.log(start.r), Math.log(start.alpha), Math.log(share / (1 - share)))] : []), Float64Array.of(0, Math.log(1 / rate), Math.log(0.25))],
    logLikelihood(z, gradient) {
      const r = Math.exp(z[0]!), alpha = Math.exp(z[1]!), logAlpha = z[1]!;
      const logPi = -softplus(-z[2]!), logStay = -softplus(z[2]!), pi = Math.exp(logPi);
      const lgR = gammaln(r), psiR = digamma(r);
      let ll = 0, gr = 0, galpha = 0, go = 0;
      // Γ(r+x)/Γ(r)·α^r, once per distinct x
      for (let k = 0; k < index.values.length; k++) {
        const x = index.values[k]!, w = index.weight[k]!;
        if (w === 0) continue;
        ll += w * (gammaln(r + x) - lgR + r * logAlpha);
        gr += w * (digamma(r + x) - psiR + logAlpha);
        galpha += w * (r / alpha);
        if (x >= 2) {
          ll += w * logStay;
          go -= w * pi;
        }
      }
      for (let i = 0; i < frequency.length; i++) {
        const w = weight[i]!;
        if (w === 0) continue;
        const x = frequency[i]!, rx = r + x, shiftedT = alpha + T[i]!, logT = Math.log(shiftedT);
        if (x !== 1) {
          ll -= w * rx * logT;
          gr -= w * logT;
          galpha -= (w * rx) / shiftedT;
          continue;
        }
        // log((1 − π)(α+T)^{−(r+1)} + π(α+t_x)^{−(r+1)}), wA the share of the first term
        const shiftedX = alpha + recency[i]!, logX = Math.log(shiftedX);
        const lA = logStay - rx * logT, lB = logPi - rx * logX, e = logAddExp(lA, lB), wA = Math.exp(lA - e), wB = 1 - wA;
        ll += w * e;
        gr -= w * (wA * logT + wB * logX);
        galpha -= w * rx * (wA / shiftedT + wB / shiftedX);
        go += w * (wA * -pi + wB * (1 - pi));
      }
      gradient[0] = gr * r;
      gradient[1] = galpha * alpha;
      gradient[2] = go;
      return ll;
    },
  };
}

/**
 * The direction a, b → 0 of the BG/NBD (log-parameters log r, log α, log a, log b): escape measure −log(a + b),
 * threshold as the MBG/NBD's. Its limit is fitted once from the first stop; `nbd` is the no-dropout direction's limit,
 * reported instead where this one is less than ONE_TIME_BUYERS_MARGIN above it.
 */
export function bgNbdRepeatOnceDirection(data: RfmData, nbd: (stoppedAt: Record<string, number>) => LimitFit | null): BoundaryDirection {
  let limit: LimitFit | null | undefined;
  return {
    parameters: ['a', 'b'],
    limit: BG_REPEAT_ONCE_LIMIT,
    meaning: bgNbdRepeatOnceMeaning(),
    escape: (z) => -logAddExp(z[2]!, z[3]!),
    threshold: MBG_ONE_TIME_BUYERS_LOG_THRESHOLD,
    fitLimit(stoppedAt) {
      if (limit === undefined) {
        const fitted = fitMaximumLikelihood<{ r: number; alpha: number; odds: number }>(createBgNbdRepeatOnceProblem(data, { r: stoppedAt.r!, alpha: stoppedAt.alpha!, share: stoppedAt.a! / (stoppedAt.a! + stoppedAt.b!) }));
        const { r, alpha, odds } = fitted.params;
        const share = odds / (1 + odds);
        limit =
          r > 0 && alpha > 0 && odds >= 0 && Number.isFinite(r + alpha + odds + fitted.logLikelihood)
            ? {
                params: { r, alpha, a: ONE_TIME_BUYERS_SHAPE * share, b: ONE_TIME_BUYERS_SHAPE * (1 - share) },
                logLikelihood: fitted.logLikelihood,
                // its predictions are the closed forms at (r, α, π) (nbd/no-dropout-predictions.ts: repeatOncePredictions)
                boundary: { parameters: ['a', 'b'], limit: BG_REPEAT_ONCE_LIMIT, meaning: bgNbdRepeatOnceMeaning(share), limitModel: BG_REPEAT_ONCE_MODEL, limitConverged: fitted.fit.converged, limitParams: { r, alpha, pi: share } },
              }
            : null;
      }
      if (limit === null) return null;
      return nbdUnlessOneTimeBuyersShow(nbd(stoppedAt), limit.logLikelihood) ?? limit;
    },
  };
}

export const BG_EVERYONE_REPEATS_ONCE_LIMIT = 'a/b → ∞';

export const BG_EVERYONE_REPEATS_ONCE_MODEL = 'NBD in which everyone buys once more';

export const BG_EVERYONE_REPEATS_ONCE_MEANING = 'everyone drops out after one repeat purchase: every customer buys once more after their first purchase and then never again';

/** The limit π = 1 in (log r, log α): x = 0 → (α/(α+T))^r, x = 1 → r α^r (α+t_x)^{−(r+1)}; null when someone repeats more than once (L = 0). */
export function createBgNbdEveryoneRepeatsOnceProblem(data: RfmData, start: { r: number; alpha: number }): MaximumLikelihoodProblem | null {
  const { frequency, recency, T, weight } = data;
  const totals = weightedTotals(data);
  for (let i = 0; i < frequency.length; i++) if (weight[i]! > 0 && frequency[i]! > 1) return null;
  const rate = Math.max(totals.purchases / totals.exposure, 1e-9);
  const valid = start.r > 0 && start.alpha > 0 && Number.isFinite(start.r + start.alpha);
  return {
    model: 'bgnbd-everyone-repeats-once',
    paramNames: ['r', 'alpha'],
    n: totals.weight,
    starts: [...(valid ? [Float64Array.of(Math.log(start.r), Math.log(start.alpha))] : []), Float64Array.of(0, Math.log(1 / rate))],
    logLikelihood(z, gradient) {
      const r = Math.exp(z[0]!), alpha = Math.exp(z[1]!), logAlpha = z[1]!;
      let ll = 0, gr = 0, galpha = 0;
      for (let i = 0; i < frequency.length; i++) {
        const w = weight[i]!;
        if (w === 0) continue;
        const x = frequency[i]!, shifted = alpha + (x === 0 ? T[i]! : recency[i]!), logShifted = Math.log(shifted);
        ll += w * ((x === 0 ? 0 : Math.log(r)) + r * logAlpha - (r + x) * logShifted);
        gr += w * ((x === 0 ? 0 : 1 / r) + logAlpha - logShifted);
        galpha += w * (r / alpha - (r + x) / shifted);
      }
      gradient[0] = gr * r;
      gradient[1] = galpha * alpha;
      return ll;
    },
  };
}

/**
 * The direction a/b → ∞ of the BG/NBD (log-parameters log r, log α, log a, log b): escape measure log(a/b), threshold
 * as the no-dropout edge's (a/(a+b) ≥ 1 − 10⁻⁴). Its limit is fitted once; null where someone repeats more than once.
 */
export function bgNbdEveryoneRepeatsOnceDirection(data: RfmData): BoundaryDirection {
  let limit: LimitFit | null | undefined;
  return {
    parameters: ['a', 'b'],
    limit: BG_EVERYONE_REPEATS_ONCE_LIMIT,
    meaning: BG_EVERYONE_REPEATS_ONCE_MEANING,
    escape: (z) => z[2]! - z[3]!,
    threshold: NO_DROPOUT_LOG_THRESHOLD,
    fitLimit(stoppedAt) {
      if (limit !== undefined) return limit;
      const problem = createBgNbdEveryoneRepeatsOnceProblem(data, { r: stoppedAt.r!, alpha: stoppedAt.alpha! });
      const fitted = problem === null ? null : fitMaximumLikelihood<{ r: number; alpha: number }>(problem);
      const { r, alpha } = fitted?.params ?? { r: NaN, alpha: NaN };
      limit =
        fitted !== null && r > 0 && alpha > 0 && Number.isFinite(r + alpha + fitted.logLikelihood)
          ? {
              params: { r, alpha, a: COMMON_DROPOUT_SHAPE, b: 1 / COMMON_DROPOUT_SHAPE },
              logLikelihood: fitted.logLikelihood,
              boundary: { parameters: ['a', 'b'], limit: BG_EVERYONE_REPEATS_ONCE_LIMIT, meaning: BG_EVERYONE_REPEATS_ONCE_MEANING, limitModel: BG_EVERYONE_REPEATS_ONCE_MODEL, limitConverged: fitted.fit.converged, limitParams: { r, alpha } },
            }
          : null;
      return limit;
    },
  };
}
