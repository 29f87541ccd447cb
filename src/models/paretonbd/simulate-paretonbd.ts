/**
 * Draw customers from the Pareto/NBD generative story (Schmittlein, Morrison &
 * Colombo 1987; Fader & Hardie 2005): λ ~ Gamma(r, rate α), μ ~ Gamma(s, rate β),
 * lifetime τ ~ Exponential(μ), purchases a Poisson process of rate λ on
 * (0, min(τ, T)]. Returns per-customer RfmData (weights 1) in the same time
 * unit as the params and T, with each customer's alive flag at T (τ > T).
 * Seeded and reproducible.
 *
 * Given the number of purchases N ~ Poisson(λ·min(τ, T)), their times are N
 * uniform order statistics on (0, min(τ, T)], so t_x = min(τ, T)·U^{1/N}
 * (the maximum of N uniforms) — one draw instead of N.
 */
import { UserError } from '../../core/errors/user-error.js';
import { createRandom } from '../../math/random.js';
import type { SimulatedRfmData } from '../btyd/simulated-rfm-data.js';
import type { ParetoNbdParams } from './paretonbd.js';

export interface SimulateParetoNbdOptions {
  /** number of customers */
  customers: number;
  /** observation window T: one value for everyone or one per customer */
  T: number | Float64Array;
  /** seed of the random stream */
  seed: number;
}

/** Simulated Pareto/NBD customers as RfmData (frequency, recency, T, weight 1) and alive at T. */
export function simulateParetoNbd(params: ParetoNbdParams, options: SimulateParetoNbdOptions): SimulatedRfmData {
  const { r, alpha, s, beta } = params;
  if (!(r > 0 && alpha > 0 && s > 0 && beta > 0) || !Number.isFinite(r + alpha + s + beta)) {
    throw new UserError(`simulateParetoNbd: invalid params ${JSON.stringify(params)}`, 'r, alpha, s and beta must be finite and > 0');
  }
  const n = options.customers;
  if (!Number.isInteger(n) || n < 0) throw new UserError(`simulateParetoNbd: customers must be a whole number ≥ 0, got ${n}`);
  const windows = options.T;
  if (typeof windows !== 'number' && windows.length !== n) {
    throw new UserError(`simulateParetoNbd: ${windows.length} windows T for ${n} customers`, 'give one T or one per customer');
  }
  const random = createRandom(options.seed);
  const frequency = new Float64Array(n), recency = new Float64Array(n), T = new Float64Array(n), alive = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const window = typeof windows === 'number' ? windows : windows[i];
    if (!(window > 0) || !Number.isFinite(window)) throw new UserError(`simulateParetoNbd: T must be finite and > 0, got ${window} for customer ${i}`);
    const lambda = random.gamma(r, 1 / alpha);
    const mu = random.gamma(s, 1 / beta);
    const lifetime = random.exponential(mu);
    const end = Math.min(lifetime, window);
    alive[i] = lifetime > window ? 1 : 0;
    const x = random.poisson(lambda * end);
    frequency[i] = x;
    recency[i] = x === 0 ? 0 : end * Math.pow(random.uniform(), 1 / x);
    T[i] = window;
  }
  return { frequency, recency, T, weight: new Float64Array(n).fill(1), alive };
}
