/**
 * The predictions of the models without dropout that the purchase models reach at their limits, in closed form: the
 * zero-inflated NBD (a share π of customers never buy again after their first purchase, the rest buy at Gamma(r, α)
 * rates and never drop out; nbd/zero-inflated-nbd.ts), the zero-inflated Poisson (the rest at one rate λ), and their
 * edges π = 0, the NBD and the Poisson (nbd/nbd.ts).
 *
 * A customer who stays buys as a Poisson process; given x purchases in a window of length T, the rate is
 * Gamma(r + x, α + T) (one λ for the Poisson), and P(alive) = 1 once there is a repeat purchase. Without one,
 *   P(alive | x = 0, T) = (1 − π)·q(T) / ((1 − π)·q(T) + π),   q(T) = (α/(α+T))^r (e^{−λT}),
 * the posterior share of stayers among those who did not buy in (0, T]. Every prediction is that P(alive) times the
 * prediction for a customer alive with that rate posterior:
 *   E[Y(t) | x, T] = P(alive)·(r+x)·t/(α+T),   P(none in t) = 1 − P(alive)·(1 − ((α+T)/(α+T+t))^{r+x}),
 *   P(n in t) = (1 − P(alive))·1{n = 0} + P(alive)·NB(n; r+x, α+T, t),
 *   time to the next purchase, quantile q: (α+T)·((1 − q/P(alive))^{−1/(r+x)} − 1), ∞ for q ≥ P(alive),
 * and for a newly acquired customer E[X(t)] = (1 − π)·r·t/α, P(X(t) = n) = (1 − π)·NB(n; r, α, t) + π·1{n = 0}.
 * t_x does not enter (without dropout the time of the last purchase tells nothing), but is checked like the models'.
 */
import { betaln, gammaln } from '../../math/special-functions.js';
import { computeConditionalCountProbability } from '../btyd/conditional-count-probability.js';
import { probabilityFromLogOddsDead } from '../btyd/next-purchase-probability.js';

/**
 * The names of the limiting models without dropout, as a fit's `boundary.limitModel` says them: the key by which
 * limit-predictions.ts finds their closed forms, and what the fits at those limits compare to tell which they are.
 */
export const NO_DROPOUT_MODEL = { nbd: 'NBD', poisson: 'Poisson', zeroInflatedNbd: 'zero-inflated NBD', zeroInflatedPoisson: 'zero-inflated Poisson' } as const;

/** The parameters: Gamma(r, α) rates or one rate λ, and the share π ∈ [0, 1) of one-time buyers (0: the NBD, the Poisson). */
export type NoDropoutParams = { readonly r: number; readonly alpha: number; readonly pi: number } | { readonly lambda: number; readonly pi: number };

/** One customer's predictions, the same questions a purchase model answers (btyd/purchase-models.ts); NaN on an invalid argument. */
export interface NoDropoutPredictions {
  /** E[X(t)] of a newly acquired customer */
  expectedPurchases(t: number): number;
  /** P(X(t) = n) of a newly acquired customer */
  purchaseCountProbability(t: number, n: number): number;
  probabilityAlive(x: number, recency: number, T: number): number;
  /** E[Y(t) | x, t_x, T]: expected purchases in (T, T+t] */
  conditionalPurchases(t: number, x: number, recency: number, T: number): number;
  /** P(no purchase in (T, T+t] | x, t_x, T) */
  noPurchaseProbability(t: number, x: number, recency: number, T: number): number;
  /** P(exactly n purchases in (T, T+t] | x, t_x, T) */
  conditionalPurchaseCountProbability(n: number, t: number, x: number, recency: number, T: number): number;
  /** quantile q of the time from T to the next purchase (Infinity: may never be reached) */
  timeToNextPurchase(q: number, x: number, recency: number, T: number): number;
}

/** The purchase rates of the customers who stay, given x purchases in a window of length T. */
interface StayerRates {
  /** mean rate */
  mean(x: number, T: number): number;
  /** log P(no purchase in the next t) */
  logNone(x: number, T: number, t: number): number;
  /** P(n purchases in the next t) */
  count(x: number, T: number, t: number, n: number): number;
  /** smallest t with P(a purchase within t) ≥ p, for p in (0, 1) */
  quantile(x: number, T: number, p: number): number;
}

/** Gamma(r, α) rates: the negative binomial counts, in logs (−log n − log B(n, r) for Γ(r+n)/(Γ(r)·n!): exact at large r). */
function gammaRates(r: number, alpha: number): StayerRates {
  return {
    mean: (x, T) => (r + x) / (alpha + T),
    logNone: (x, T, t) => -(r + x) * Math.log1p(t / (alpha + T)),
    count(x, T, t, n) {
      if (t === 0) return n === 0 ? 1 : 0;
      const shape = r + x, scale = alpha + T;
      return Math.exp((n === 0 ? 0 : -Math.log(n) - betaln(n, shape) + n * Math.log(t / (scale + t))) - shape * Math.log1p(t / scale));
    },
    quantile: (x, T, p) => (alpha + T) * Math.expm1(-Math.log1p(-p) / (r + x)),
  };
}

/** One rate λ: Poisson counts. */
function oneRate(lambda: number): StayerRates {
  return {
    mean: () => lambda,
    logNone: (_x, _T, t) => -lambda * t,
    count: (_x, _T, t, n) => (t === 0 ? (n === 0 ? 1 : 0) : Math.exp((n === 0 ? 0 : n * Math.log(lambda * t) - gammaln(n + 1)) - lambda * t)),
    quantile: (_x, _T, p) => -Math.log1p(-p) / lambda,
  };
}

const validCustomer = (x: number, recency: number, T: number) => x >= 0 && Number.isInteger(x) && recency >= 0 && T >= recency && Number.isFinite(T);
const validCount = (n: number) => n >= 0 && Number.isInteger(n);

/**
 * The closed forms at `params`; null when they are not valid parameters (r, α, λ finite and > 0, π in [0, 1)).
 *
 * Example: `noDropoutPredictions({ r: 6.62, alpha: 63.3, pi: 0.233 }).probabilityAlive(0, 0, 52)` → 0.0042 (one without
 * a repeat purchase in 52 weeks is most likely a one-time buyer); 1 for x ≥ 1.
 */
export function noDropoutPredictions(params: NoDropoutParams): NoDropoutPredictions | null {
  const { pi } = params;
  if (!(pi >= 0 && pi < 1)) return null;
  let rates: StayerRates;
  if ('lambda' in params) {
    if (!(params.lambda > 0 && Number.isFinite(params.lambda))) return null;
    rates = oneRate(params.lambda);
  } else {
    if (!(params.r > 0 && params.alpha > 0 && Number.isFinite(params.r + params.alpha))) return null;
    rates = gammaRates(params.r, params.alpha);
  }
  // log(π/(1 − π)): −∞ at π = 0, where everyone stays
  const logOdds = Math.log(pi) - Math.log1p(-pi);
  const alive = (x: number, T: number) => (x > 0 ? 1 : probabilityFromLogOddsDead(logOdds - rates.logNone(0, 0, T)));
  const predictions: NoDropoutPredictions = {
    expectedPurchases: (t) => (t >= 0 ? (1 - pi) * rates.mean(0, 0) * t : NaN),
    purchaseCountProbability: (t, n) => (t >= 0 && Number.isFinite(t) && validCount(n) ? (1 - pi) * rates.count(0, 0, t, n) + (n === 0 ? pi : 0) : NaN),
    probabilityAlive: (x, recency, T) => (validCustomer(x, recency, T) ? alive(x, T) : NaN),
    conditionalPurchases(t, x, recency, T) {
      if (!validCustomer(x, recency, T) || !(t >= 0)) return NaN;
      const pAlive = alive(x, T);
      return pAlive === 0 ? 0 : pAlive * rates.mean(x, T) * t;
    },
    noPurchaseProbability(t, x, recency, T) {
      if (!validCustomer(x, recency, T) || !(t >= 0)) return NaN;
      return 1 - alive(x, T) * (t === Infinity ? 1 : -Math.expm1(rates.logNone(x, T, t)));
    },
    conditionalPurchaseCountProbability(n, t, x, recency, T) {
      if (!validCustomer(x, recency, T) || !(t >= 0) || !Number.isFinite(t) || !validCount(n)) return NaN;
      const pAlive = alive(x, T);
      return computeConditionalCountProbability(pAlive, n, pAlive === 0 ? 0 : rates.count(x, T, t, n));
    },
    timeToNextPurchase(q, x, recency, T) {
      if (!validCustomer(x, recency, T) || !(q >= 0) || !(q < 1)) return NaN;
      if (q === 0) return 0;
      const pAlive = alive(x, T);
      return q >= pAlive ? Infinity : rates.quantile(x, T, q / pAlive);
    },
  };
  return predictions;
}

/**
 * The closed forms of the BG/NBD's limit a, b → 0 (bgnbd/repeat-once-limit.ts): a share π of customers buy once more
 * after the first purchase and then never again, the rest never drop out, all at Gamma(r, α) rates. Before a repeat
 * purchase both are alive with the same rate posterior Gamma(r, α+T), so with q = (α+T)/(α+T+t)
 *   E[Y(t) | x = 0] = (1 − π)·r·t/(α+T) + π·(1 − q^r),   P(none in t | x = 0) = q^r,
 *   P(n in t | x = 0) = (1 − π)·NB(n) + π·(q^r·1{n = 0} + (1 − q^r)·1{n = 1});
 * after one repeat purchase P(alive) = 1/(1 + π/(1 − π)·((α+T)/(α+t_x))^{r+1}), after more 1, and those alive stay,
 * as in `noDropoutPredictions`. For a new customer E[X(t)] = (1 − π)·r·t/α + π·(1 − (α/(α+t))^r) and P(X(t) = n) alike.
 * The BG/NBD's own formulas fail there: its E[X(t)] holds 2F1(r, b; a+b−1; ·), whose c = a+b−1 rounds to the pole −1
 * (E[X(52)] came out 1 on 3,000 customers, 30% of them buying once more, where the limit says 3.90). π = 1 is the BG/NBD's
 * a/b → ∞, where everyone buys once more and stops (P(alive) = 0 after the repeat purchase). Null when the parameters are not valid.
 */
export function repeatOncePredictions(params: { readonly r: number; readonly alpha: number; readonly pi: number }): NoDropoutPredictions | null {
  const { r, alpha, pi } = params;
  // π = 1: everyone buys once more and stops (the BG/NBD's a/b → ∞, bgNbdEveryoneRepeatsOnceDirection)
  if (!(pi >= 0 && pi <= 1) || !(r > 0 && alpha > 0 && Number.isFinite(r + alpha))) return null;
  const rates = gammaRates(r, alpha);
  const stayers = noDropoutPredictions({ r, alpha, pi: 0 })!;
  const logOdds = Math.log(pi) - Math.log1p(-pi);
  // P(alive) after one repeat purchase: the stayers' share of L(x = 1)
  const alive = (x: number, recency: number, T: number) => (x === 1 ? probabilityFromLogOddsDead(logOdds + (r + 1) * (Math.log(alpha + T) - Math.log(alpha + recency))) : 1);
  /** P(a purchase within t) of a customer without a repeat purchase in a window T (0 for a new customer) */
  const some = (T: number, t: number) => -Math.expm1(rates.logNone(0, T, t));
  const oneMore = (T: number, t: number, n: number) => (n === 0 ? 1 - some(T, t) : n === 1 ? some(T, t) : 0);
  return {
    expectedPurchases: (t) => (t >= 0 ? (1 - pi) * rates.mean(0, 0) * t + (t === Infinity ? pi : pi * some(0, t)) : NaN),
    purchaseCountProbability: (t, n) => (t >= 0 && Number.isFinite(t) && validCount(n) ? (1 - pi) * rates.count(0, 0, t, n) + pi * oneMore(0, t, n) : NaN),
    probabilityAlive: (x, recency, T) => (validCustomer(x, recency, T) ? alive(x, recency, T) : NaN),
    conditionalPurchases(t, x, recency, T) {
      if (!validCustomer(x, recency, T) || !(t >= 0)) return NaN;
      if (x === 0) return (1 - pi) * rates.mean(0, T) * t + (t === Infinity ? pi : pi * some(T, t));
      const pAlive = alive(x, recency, T);
      return pAlive === 0 ? 0 : pAlive * rates.mean(x, T) * t;
    },
    noPurchaseProbability(t, x, recency, T) {
      if (!validCustomer(x, recency, T) || !(t >= 0)) return NaN;
      if (x === 0) return stayers.noPurchaseProbability(t, x, recency, T);
      return 1 - alive(x, recency, T) * (t === Infinity ? 1 : -Math.expm1(rates.logNone(x, T, t)));
    },
    conditionalPurchaseCountProbability(n, t, x, recency, T) {
      if (!validCustomer(x, recency, T) || !(t >= 0) || !Number.isFinite(t) || !validCount(n)) return NaN;
      if (x === 0) return (1 - pi) * rates.count(0, T, t, n) + pi * oneMore(T, t, n);
      const pAlive = alive(x, recency, T);
      return computeConditionalCountProbability(pAlive, n, pAlive === 0 ? 0 : rates.count(x, T, t, n));
    },
    timeToNextPurchase(q, x, recency, T) {
      if (!validCustomer(x, recency, T) || !(q >= 0) || !(q < 1)) return NaN;
      if (q === 0) return 0;
      // without a repeat purchase both kinds buy next at the same rate posterior: everyone is alive
      if (x === 0) return rates.quantile(0, T, q);
      const pAlive = alive(x, recency, T);
      return q >= pAlive ? Infinity : rates.quantile(x, T, q / pAlive);
    },
  };
}
