/**
 * Synthetic shops of one-time buyers beside customers who keep buying, for the MBG/NBD's one-time-buyers limit
 * a, b → 0 (mbgnbd-one-time-buyers-limit.test.ts, mbgnbd-one-time-buyers-start.test.ts).
 */
import type { RfmData } from '../../../src/models/model-types.js';

/**
 * 3,000 customers, windows T of 20–52 weeks: a share `oneTime` buys once and never again, the rest buy at rates
 * λ ~ Gamma(5, rate 50) per week (one rate 0.1 with `oneRate`) and never drop out; `litt` for MBG/CNBD-k. The session's reproduction script,
 * seeded by its linear congruential generator.
 */
export function oneTimeBuyersBesideStayers(seed: number, oneTime: number, oneRate = false): RfmData & { litt: Float64Array } {
  let state = seed;
  const rand = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state + 0.5) / 2147483648;
  };
  const gamma = (k: number): number => {
    const d = k - 1 / 3, c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number, v: number;
      do {
        const u1 = rand(), u2 = rand();
        x = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      if (Math.log(rand()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  };
  const customers = 3000;
  const frequency = new Float64Array(customers), recency = new Float64Array(customers), T = new Float64Array(customers), litt = new Float64Array(customers);
  for (let i = 0; i < customers; i++) {
    T[i] = 20 + 32 * rand();
    if (rand() < oneTime) continue;
    const lambda = oneRate ? 0.1 : gamma(5) / 50;
    for (let time = -Math.log(rand()) / lambda; time <= T[i]!; time += -Math.log(rand()) / lambda) {
      frequency[i]!++;
      litt[i]! += Math.log(time - recency[i]!); // Σ log of the gaps between purchases, for MBG/CNBD-k
      recency[i] = time;
    }
  }
  return { frequency, recency, T, litt, weight: new Float64Array(customers).fill(1) };
}

