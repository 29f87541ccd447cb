/**
 * Simulate customers from the MBG/NBD model (Batislam, Denizel & Filiztekin
 * 2007, IJRM 24(3)): as BG/NBD, plus a dropout chance p right after the first
 * purchase (time 0). Seeded and reproducible.
 */
import { createRandom } from '../../math/random.js';
import type { RfmData } from '../model-types.js';
import type { MbgNbdParams } from './mbgnbd.js';
import { assertValidNbdParams, resolveSimulationT, simulateNbdDropoutCustomer, type SimulateBtydOptions } from './simulate-bgnbd.js';

/** Draw customers from MBG/NBD with the given params; RfmData with weight 1 per customer. */
export function simulateMbgNbd(params: MbgNbdParams, options: SimulateBtydOptions): RfmData {
  assertValidNbdParams(params, 'MBG/NBD');
  const T = resolveSimulationT(options, 'MBG/NBD');
  const random = createRandom(options.seed);
  const n = T.length;
  const frequency = new Float64Array(n), recency = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lambda = random.gamma(params.r, 1 / params.alpha);
    const p = random.beta(params.a, params.b);
    const [x, tx] = simulateNbdDropoutCustomer(random, lambda, p, T[i], true);
    frequency[i] = x;
    recency[i] = tx;
  }
  return { frequency, recency, T: Float64Array.from(T), weight: new Float64Array(n).fill(1) };
}
