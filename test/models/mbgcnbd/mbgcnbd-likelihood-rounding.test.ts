/**
 * The MBG/CNBD-k log-likelihood's rounding at large k on regular buyers: the litt term Σ (k−1)·litt − x·log Γ(k) is
 * ~1e8 there (k = 560, 3,000 customers, ~14 purchases each), and summed apart it set the rounding of the running sum
 * (~1e-6 in a log-likelihood of a few thousand): the line searches of the fits stalled on that noise, 40 evaluations at
 * a time (the no-dropout limit at k = 564 of a regular shop: 263 evaluations instead of 10). Added per row, the sum
 * rounds at the rows' own size: the noise left (2–3e-8 here) is the rows' own rounding (log Γ(r+kx) ≈ 6e4 per row).
 */
import { describe, expect, it } from 'vitest';
import { createCnbdNoDropoutProblem, createMbgCnbdProblem } from '../../../src/models/mbgcnbd/mbgcnbd.js';
import { simulateMbgCnbd } from '../../../src/models/mbgcnbd/simulate-mbgcnbd.js';

const k = 560;
const data = simulateMbgCnbd(k, { r: 100, alpha: 100 / (k / 4.3), a: 1e-9, b: 10 }, { customers: 3000, T: 60, seed: 5 });

/** Largest distance of ℓ(z + j·h·d), j = 0 … 40, from the straight line through its ends: rounding noise (the curvature over 4e-9 is ~1e-13). */
function roughness(logLikelihood: (z: Float64Array, g: Float64Array) => number, z: Float64Array): number {
  const g = new Float64Array(z.length);
  const at = (j: number) => logLikelihood(Float64Array.from(z, (v) => v + j * 1e-10), g);
  const first = at(0), last = at(40);
  let worst = 0;
  for (let j = 1; j < 40; j++) worst = Math.max(worst, Math.abs(at(j) - (first + ((last - first) * j) / 40)));
  return worst;
}

describe('MBG/CNBD-k log-likelihood rounding at large k', () => {
  it('the no-dropout limit (CNBD-k) is smooth to 8e-8 at k = 560 (2e-7 with the constant summed apart)', () => {
    const z = Float64Array.of(Math.log(100), Math.log(100 / (k / 4.3)));
    expect(roughness(createCnbdNoDropoutProblem(data, k).logLikelihood, z)).toBeLessThan(8e-8);
  });
  it('the four-parameter likelihood is smooth to 8e-8 at k = 560 (2e-7 with the constant summed apart)', () => {
    const z = Float64Array.of(Math.log(100), Math.log(100 / (k / 4.3)), Math.log(0.01), Math.log(10));
    expect(roughness(createMbgCnbdProblem(data, k).logLikelihood, z)).toBeLessThan(8e-8);
  });
});
