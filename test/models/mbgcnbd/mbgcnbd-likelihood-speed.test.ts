import { describe, expect, it } from 'vitest';
import { createCnbdNoDropoutProblem, createMbgCnbdProblem } from '../../../src/models/mbgcnbd/mbgcnbd.js';
import { simulateMbgCnbd } from '../../../src/models/mbgcnbd/simulate-mbgcnbd.js';

/**
 * One likelihood evaluation of MBG/CNBD-k is O(k) per customer: a loop over S₂'s k terms. Timed here against a plain
 * loop of the same length (3,000 customers × 599 terms: the same multiplications, additions and one division per
 * term, in local variables), so the check does not depend on the machine or its load. Regression: the loop read the
 * imported S2_SCALE once per term, a getter call under vitest's module runner — 45–80 ms per evaluation instead of
 * 7–9 ms, ~10× the plain loop (2–3× after) — which made the tests of regular buyers (k in the hundreds) take 20 s each.
 */
const median = (values: number[]) => values.sort((p, q) => p - q)[Math.floor(values.length / 2)]!;
function timeIt(run: () => void, repeats = 7): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  return median(times);
}

describe('MBG/CNBD-k likelihood speed at large k', () => {
  const data = simulateMbgCnbd(600, { r: 100, alpha: 100 / (600 / 4.3), a: 1e-9, b: 10 }, { customers: 3000, T: 52, seed: 3 });
  const k = 600;
  // the plain loop: per customer and term one product, one quotient, three sums (S₂ and its two derivatives)
  let sink = 0;
  const plain = () => {
    for (let i = 0; i < data.frequency.length; i++) {
      const rk = 101 + k * data.frequency[i]!, ratio = (data.T[i]! - data.recency[i]!) / (0.72 + data.T[i]!);
      let term = 1, s = 1, d1 = 0, d2 = 0, h = 0;
      for (let j = 1; j < k; j++) {
        term *= ((rk + j - 1) * ratio) / j;
        h += 1 / (rk + j - 1);
        s += term, d1 += term * h, d2 += term * j;
      }
      sink += s + d1 + d2;
    }
  };

  it('takes at most 5× a plain loop over the same terms (no-dropout limit and full model, 3,000 customers, k = 600)', () => {
    const reference = timeIt(plain);
    const limit = createCnbdNoDropoutProblem(data, k), full = createMbgCnbdProblem(data, k);
    const z2 = Float64Array.of(Math.log(101), Math.log(0.72)), z4 = Float64Array.of(Math.log(101), Math.log(0.72), Math.log(0.01), Math.log(10));
    const g2 = new Float64Array(2), g4 = new Float64Array(4);
    const noDropout = timeIt(() => limit.logLikelihood(z2, g2));
    const withDropout = timeIt(() => full.logLikelihood(z4, g4));
    expect(sink).toBeGreaterThan(0);
    expect(Number.isFinite(limit.logLikelihood(z2, g2)) && Number.isFinite(full.logLikelihood(z4, g4))).toBe(true);
    expect(noDropout / reference, `no-dropout ${noDropout.toFixed(1)} ms, plain loop ${reference.toFixed(1)} ms`).toBeLessThan(5);
    expect(withDropout / reference, `with dropout ${withDropout.toFixed(1)} ms, plain loop ${reference.toFixed(1)} ms`).toBeLessThan(5);
  });
});
