/**
 * P(alive), P(no purchase) and next-purchase quantiles from the posterior of
 * a customer who buys at a Gamma(s, κ)-distributed rate while alive and can
 * only drop out at a purchase: shared by BG/NBD and MBG/NBD.
 */

/**
 * P(alive at T) from the log-odds of being dead, log[a/(b′)] + s·log((κ)/(α+t_x)):
 * 1/(1 + exp(logOddsDead)), computed without overflow.
 */
export function probabilityFromLogOddsDead(logOddsDead: number): number {
  if (logOddsDead > 0) {
    const e = Math.exp(-logOddsDead);
    return e / (1 + e);
  }
  return 1 / (1 + Math.exp(logOddsDead));
}

/**
 * P(no purchase in (T, T+t] | history) = 1 − P(alive)·(1 − (κ/(κ+t))^s):
 * a dead customer never buys; an alive one buys at rate λ and cannot drop out
 * before that next purchase, and E[e^{−λt}] = (κ/(κ+t))^s under the
 * Gamma(s, κ) posterior of λ. Shared by BG/NBD and MBG/NBD.
 */
export function computeNoPurchaseProbability(pAlive: number, s: number, kappa: number, t: number): number {
  if (!(t >= 0) || Number.isNaN(pAlive)) return NaN;
  if (t === Infinity) return 1 - pAlive;
  const buy = -Math.expm1(s * Math.log(kappa / (kappa + t)));
  return 1 - pAlive * buy;
}

/**
 * Smallest t with P(next purchase within t | history) ≥ q, i.e.
 *   t_q = κ·((1 − q/P(alive))^{−1/s} − 1)   when q < P(alive),
 * and Infinity when q ≥ P(alive): a customer who may already be dead never
 * reaches a purchase probability above P(alive), however long we wait.
 * NaN for q outside [0, 1).
 */
export function computeTimeToNextPurchaseQuantile(pAlive: number, s: number, kappa: number, q: number): number {
  if (!(q >= 0) || !(q < 1) || Number.isNaN(pAlive)) return NaN;
  if (q === 0) return 0;
  if (q >= pAlive) return Infinity;
  return kappa * Math.expm1(-Math.log1p(-q / pAlive) / s);
}
