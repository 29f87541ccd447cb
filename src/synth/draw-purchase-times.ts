/**
 * One customer's latent traits and repeat-purchase times under a BTYD
 * process, in the model's time unit, with the first purchase at time 0.
 *
 * - BG/NBD (Fader, Hardie & Lee 2005, Marketing Science 24(2)): λ ~ Gamma(r,
 *   rate α), p ~ Beta(a, b); while alive, purchases arrive as a Poisson
 *   process with rate λ; after each *repeat* purchase the customer drops out
 *   with probability p (no dropout at time 0, as in the paper).
 * - Pareto/NBD (Schmittlein, Morrison & Colombo 1987): λ ~ Gamma(r, rate α),
 *   μ ~ Gamma(s, rate β); lifetime τ ~ Exponential(μ); Poisson(λ) purchases
 *   on (0, min(τ, T)].
 *
 * Unlike `simulate-bgnbd.ts`, which returns only (x, t_x), this returns
 * every purchase time, which the shop needs to date its orders.
 */
import type { Random } from '../math/random.js';
import type { BgNbdParams } from '../models/bgnbd/bgnbd.js';
import type { ParetoNbdParams } from '../models/paretonbd/paretonbd.js';
import type { ShopPurchaseModel } from './shop-options.js';

export interface CustomerPurchases {
  /** purchase rate λ per time unit */
  readonly lambda: number;
  /** BG/NBD: dropout probability p per repeat purchase; Pareto/NBD: dropout rate μ per time unit */
  readonly dropout: number;
  /** repeat-purchase times in (0, T], increasing */
  readonly times: number[];
  /** still alive at T (BG/NBD: no dropout yet; Pareto/NBD: τ > T) */
  readonly aliveAtEnd: boolean;
}

/**
 * Draw a customer's latent λ and dropout and their repeat purchases over
 * (0, T]. Invalid or zero draws (λ underflowing to 0) give no purchases,
 * never NaN times.
 */
export function drawPurchaseTimes(random: Random, model: ShopPurchaseModel, params: BgNbdParams | ParetoNbdParams, T: number): CustomerPurchases {
  if (model === 'bgnbd') {
    const times: number[] = [];
    const { r, alpha, a, b } = params as BgNbdParams;
    const lambda = random.gamma(r, 1 / alpha);
    const p = random.beta(a, b);
    if (!(lambda > 0)) return { lambda: 0, dropout: p, times, aliveAtEnd: true };
    let t = 0;
    for (;;) {
      t += random.exponential(lambda);
      if (!(t <= T)) return { lambda, dropout: p, times, aliveAtEnd: true };
      times.push(t);
      if (random.uniform() < p) return { lambda, dropout: p, times, aliveAtEnd: false };
    }
  }
  const { r, alpha, s, beta } = params as ParetoNbdParams;
  const lambda = random.gamma(r, 1 / alpha);
  const mu = random.gamma(s, 1 / beta);
  const lifetime = mu > 0 ? random.exponential(mu) : Infinity;
  return { lambda, dropout: mu, times: drawPoissonTimes(random, lambda, Math.min(lifetime, T)), aliveAtEnd: lifetime > T };
}

/** Arrival times of a Poisson process with rate `lambda` on (0, end], increasing (none when λ is not > 0). */
export function drawPoissonTimes(random: Random, lambda: number, end: number): number[] {
  const times: number[] = [];
  if (!(lambda > 0)) return times;
  for (let t = random.exponential(lambda); t <= end; t += random.exponential(lambda)) times.push(t);
  return times;
}
