/**
 * Simulate customers from the BG/NBD model (Fader, Hardie & Lee 2005,
 * Marketing Science 24(2)): λ ~ Gamma(r, rate α), p ~ Beta(a, b); purchases
 * arrive as a Poisson process with rate λ and after each purchase the
 * customer drops out with probability p. Seeded and reproducible; used for
 * parameter-recovery tests and demos.
 */
import { UserError } from '../../core/errors/user-error.js';
import { createRandom, type Random } from '../../math/random.js';
import type { SimulatedRfmData } from '../btyd/simulated-rfm-data.js';
import type { BgNbdParams } from './bgnbd.js';

export interface SimulateBtydOptions {
  /** number of customers (ignored when T is an array: one customer per entry) */
  customers?: number;
  /** observation length T since the first purchase: one for all, or one per customer */
  T: number | Float64Array;
  seed: number;
}

/** Checks options and returns the per-customer T array (throws `UserError`). */
export function resolveSimulationT(options: SimulateBtydOptions, model: string): Float64Array {
  let T: Float64Array;
  if (typeof options.T === 'number') {
    const customers = options.customers ?? 0;
    if (!(customers >= 1) || !Number.isInteger(customers)) {
      throw new UserError(`${model} simulation: customers must be a whole number ≥ 1, got ${options.customers}`);
    }
    T = new Float64Array(customers).fill(options.T);
  } else {
    T = options.T;
  }
  for (let i = 0; i < T.length; i++) {
    if (!(T[i] > 0) || !Number.isFinite(T[i])) throw new UserError(`${model} simulation: T must be finite and > 0, got ${T[i]} at customer ${i}`);
  }
  return T;
}

export function assertValidNbdParams(params: BgNbdParams, model: string): void {
  const { r, alpha, a, b } = params;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0) || !Number.isFinite(r + alpha + a + b)) {
    throw new UserError(`${model} simulation: invalid params ${JSON.stringify(params)}`, 'r, alpha, a and b must be finite and > 0');
  }
}

/**
 * One customer's (x, t_x, alive at T) over (0, T]: purchases at Poisson(λ)
 * times; after each, dropout with probability p. `dropAtStart` adds the
 * MBG/NBD dropout chance at time 0. A customer who never drops out by T
 * (including λ = 0: no purchase, so no chance to drop) is alive at T.
 */
export function simulateNbdDropoutCustomer(random: Random, lambda: number, p: number, T: number, dropAtStart: boolean): [number, number, boolean] {
  if (dropAtStart && random.uniform() < p) return [0, 0, false];
  if (!(lambda > 0)) return [0, 0, true];
  let t = 0;
  let x = 0;
  let tx = 0;
  for (;;) {
    t += random.exponential(lambda);
    if (t > T) return [x, tx, true];
    x++;
    tx = t;
    if (random.uniform() < p) return [x, tx, false];
  }
}

/** Draw customers from BG/NBD with the given params; RfmData with weight 1 per customer and each one's alive flag at T. */
export function simulateBgNbd(params: BgNbdParams, options: SimulateBtydOptions): SimulatedRfmData {
  return simulateNbdDropoutCustomers(params, options, 'BG/NBD', false);
}

/** BG/NBD (`dropAtStart` false) or MBG/NBD (true) customers: λ ~ Gamma(r, α), p ~ Beta(a, b), then `simulateNbdDropoutCustomer`. */
export function simulateNbdDropoutCustomers(params: BgNbdParams, options: SimulateBtydOptions, model: string, dropAtStart: boolean): SimulatedRfmData {
  assertValidNbdParams(params, model);
  const T = resolveSimulationT(options, model);
  const random = createRandom(options.seed);
  const n = T.length;
  const frequency = new Float64Array(n), recency = new Float64Array(n), alive = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const lambda = random.gamma(params.r, 1 / params.alpha);
    const p = random.beta(params.a, params.b);
    const [x, tx, isAlive] = simulateNbdDropoutCustomer(random, lambda, p, T[i], dropAtStart);
    frequency[i] = x;
    recency[i] = tx;
    alive[i] = isAlive ? 1 : 0;
  }
  return { frequency, recency, T: Float64Array.from(T), weight: new Float64Array(n).fill(1), alive };
}
