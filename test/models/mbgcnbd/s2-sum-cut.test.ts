import { describe, expect, it } from 'vitest';
import { S2_LOG_SCALE, S2_SCALE } from '../../../src/models/mbgcnbd/regularity-data.js';
import { sumS2 } from '../../../src/models/mbgcnbd/s2-sum.js';

/**
 * S₂'s loop (s2-sum.ts) stops once the terms left cannot change its sums, and takes each step's factor with 1/j from a
 * table: its sums must stay those of the whole loop over j < k (the likelihood's loop before, one division per term
 * and no cut) — log S₂ to 1e-13 absolute, the derivative sums per unit of S₂ to 1e-12 relative — on both sides of
 * rk = 1 (the steps fall towards the ratio above it, rise towards it below), for ratios from 0 to 0.99 and k to 2,000.
 */
function wholeLoop(rk: number, ratio: number, k: number) {
  let term = 1, s2 = 1, ds2dr = 0, jTerms = 0, harmonic = 0, logScale = 0;
  for (let j = 1; j < k; j++) {
    term *= ((rk + j - 1) * ratio) / j;
    harmonic += 1 / (rk + j - 1);
    s2 += term, ds2dr += term * harmonic, jTerms += term * j;
    if (term > S2_SCALE) (term /= S2_SCALE), (s2 /= S2_SCALE), (ds2dr /= S2_SCALE), (jTerms /= S2_SCALE), (logScale += S2_LOG_SCALE);
  }
  return { logS2: Math.log(s2) + logScale, dr: ds2dr / s2, dj: jTerms / s2 };
}

describe('S₂ with its loop cut where the terms left do not count', () => {
  it('equals the whole loop over every term (rk 0.3 … 20,000, ratio 0 … 0.99, k 1 … 2,000)', () => {
    let cases = 0;
    for (const k of [1, 2, 12, 150, 600, 2000]) {
      for (const rk of [0.3, 1, 7.5, 50, 2000, 20_000]) {
        // with the harmonic table (as the likelihood keeps per distinct x) and without (summed in the loop)
        const table = new Float64Array(Math.max(k - 1, 0));
        for (let j = 1, h = 0; j < k; j++) table[j - 1] = h += 1 / (rk + j - 1);
        for (const ratio of [0, 1e-3, 0.05, 0.3, 0.9, 0.99]) {
          const want = wholeLoop(rk, ratio, k);
          for (const harmonics of [table, new Float64Array(0)]) {
            const out = new Float64Array(4);
            sumS2(rk, ratio, k, harmonics, -1, out);
            const logS2 = Math.log(out[0]!) + out[3]!, dr = out[1]! / out[0]!, dj = out[2]! / out[0]!;
            const where = `k ${k}, rk ${rk}, ratio ${ratio}`;
            expect(Math.abs(logS2 - want.logS2), where).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(want.logS2)));
            expect(Math.abs(dr - want.dr), where).toBeLessThanOrEqual(1e-12 * Math.abs(want.dr) + 1e-300);
            expect(Math.abs(dj - want.dj), where).toBeLessThanOrEqual(1e-12 * Math.abs(want.dj) + 1e-300);
            cases++;
          }
        }
      }
    }
    expect(cases).toBe(6 * 6 * 6 * 2);
  });
});
