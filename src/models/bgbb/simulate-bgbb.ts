/**
 * Draw customers from the BG/BB generative story (Fader, Hardie & Shang 2010):
 * p ~ Beta(α, β), θ ~ Beta(γ, δ); at each of the n opportunities a customer
 * still alive first dies with probability θ and, if alive, transacts with
 * probability p. Returns per-customer BgBbData (weights 1) and whether each
 * customer is alive at the next opportunity, n + 1. Seeded and reproducible.
 */
import { UserError } from '../../core/errors/user-error.js';
import { createRandom } from '../../math/random.js';
import type { BgBbData, BgBbParams } from './bgbb.js';

export interface SimulateBgBbOptions {
  /** number of customers */
  customers: number;
  /** transaction opportunities after the first transaction (whole number ≥ 1) */
  periods: number;
  /** seed of the random stream */
  seed: number;
}

/** BG/BB customers drawn from the model. */
export interface SimulatedBgBbData extends BgBbData {
  /**
   * 1 when the customer is alive at opportunity n + 1 ("alive next period"):
   * survived all n opportunities and the next one's dropout draw; the model's
   * probability of this is `predictBgBbProbabilityAlive` (FHS 2010 eq. 11),
   * as in `lifetimes`' beta_geometric_beta_binom_model. The next
   * opportunity's draw comes from a second stream of the same seed, so the
   * frequency, recency and periods are those drawn without it.
   */
  readonly alive: Uint8Array;
}

/** Simulated BG/BB customers as BgBbData (frequency, recency, periods, weight 1) with each one's alive flag at n + 1. */
export function simulateBgBb(params: BgBbParams, options: SimulateBgBbOptions): SimulatedBgBbData {
  const { alpha, beta, gamma, delta } = params;
  if (!(alpha > 0 && beta > 0 && gamma > 0 && delta > 0) || !Number.isFinite(alpha + beta + gamma + delta)) {
    throw new UserError(`simulateBgBb: invalid params ${JSON.stringify(params)}`, 'alpha, beta, gamma and delta must be finite and > 0');
  }
  const { customers: n, periods } = options;
  if (!Number.isInteger(n) || n < 0) throw new UserError(`simulateBgBb: customers must be a whole number ≥ 0, got ${n}`);
  if (!Number.isInteger(periods) || periods < 1) throw new UserError(`simulateBgBb: periods must be a whole number ≥ 1, got ${periods}`);
  const random = createRandom(options.seed);
  const nextOpportunity = createRandom(options.seed ^ 0x5bd1e995);
  const frequency = new Float64Array(n), recency = new Float64Array(n), alive = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    const p = random.beta(alpha, beta);
    const theta = random.beta(gamma, delta);
    let x = 0, last = 0;
    for (let t = 1; t <= periods; t++) {
      if (random.uniform() < theta) {
        alive[i] = 0;
        break;
      }
      if (random.uniform() < p) {
        x++;
        last = t;
      }
    }
    frequency[i] = x;
    recency[i] = last;
    // alive through n: does the customer also survive opportunity n + 1?
    if (alive[i] === 1 && nextOpportunity.uniform() < theta) alive[i] = 0;
  }
  return { frequency, recency, periods: new Float64Array(n).fill(periods), weight: new Float64Array(n).fill(1), alive };
}
