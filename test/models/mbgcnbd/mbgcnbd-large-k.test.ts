import { beforeAll, describe, expect, it } from 'vitest';
import { betaln, gammaln, log1pExp, logSumExp } from '../../../src/math/special-functions.js';
import { computeMbgCnbdCustomerLogLikelihood, createMbgCnbdProblem, type MbgCnbdParams, type RegularityData } from '../../../src/models/mbgcnbd/mbgcnbd.js';
import { computeMbgCnbdPhases, PHASE_TOLERANCE, predictMbgCnbdConditionalPurchases, predictMbgCnbdProbabilityAlive, sumOverPhases } from '../../../src/models/mbgcnbd/predict-mbgcnbd.js';
import { everyPhase, purchasesInPhase } from '../../helpers/mbgcnbd-phases.js';
import { regularShopSnapshot } from '../../helpers/regular-shop-snapshot.js';
import { maxGradientError } from '../model-test-helpers.js';

/** The closed form of mbgcnbd.ts's header with S₂ summed term by term in linear space (the code before session 9): NaN once S₂ overflows. */
function linearSpaceLogLikelihood(k: number, { r, alpha, a, b }: MbgCnbdParams, x: number, tx: number, T: number, litt: number): number {
  const rk = r + k * x;
  const ratio = (T - tx) / (alpha + T);
  let term = 1, s2 = 1;
  for (let j = 1; j < k; j++) (term *= ((rk + j - 1) * ratio) / j), (s2 += term);
  const logS1 = Math.log(a) - Math.log(b + x) + rk * (Math.log(alpha + T) - Math.log(alpha + tx));
  const logS2 = Math.log(s2);
  const constant = (k - 1) * litt - x * gammaln(k);
  return constant + (betaln(a, b + x + 1) - betaln(a, b) + gammaln(rk) - gammaln(r) + r * Math.log(alpha) - rk * Math.log(alpha + T) + logS2 + log1pExp(logS1 - logS2));
}

describe('MBG/CNBD-k likelihood at large k (S₂ summed without overflow)', () => {
  let data: RegularityData;
  beforeAll(async () => {
    ({ data } = await regularShopSnapshot());
  }, 120_000);

  it('equals the linear-space sum wherever that is finite (to 1e-12 relative), k = 1 … 2000', () => {
    // near the fits of docs/learned-models.md: r ≈ 110 at every k, mean gap k·α/r ≈ 4.3 weeks
    let compared = 0, overflowed = 0;
    for (const k of [1, 2, 12, 48, 150, 300, 600, 1000, 2000]) {
      const scaled = { r: 110, alpha: (4.3 * 110) / k, a: 1e-3, b: 5 };
      for (let i = 0; i < data.frequency.length; i += 7) {
        const args = [data.frequency[i]!, data.recency[i]!, data.T[i]!, data.litt[i]!] as const;
        const linear = linearSpaceLogLikelihood(k, scaled, ...args);
        const ours = computeMbgCnbdCustomerLogLikelihood(k, scaled, ...args);
        expect(Number.isFinite(ours), `k ${k} row ${i}`).toBe(true);
        if (!Number.isFinite(linear)) {
          overflowed++;
          continue;
        }
        expect(Math.abs(ours - linear), `k ${k} row ${i}`).toBeLessThanOrEqual(1e-12 * Math.abs(linear));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
    expect(overflowed).toBeGreaterThan(10); // the comparison reached the customers where the linear sum overflows
  });

  it('is finite at k = 1000 on the regular shop, its analytic gradient matches finite differences there, and P(alive) matches a log-sum-exp S₂', () => {
    const problem = createMbgCnbdProblem(data, 1000);
    // a = 0.5, not the fits' a → 0: there ∂ℓ/∂log a is small beside the rounding of a likelihood made of terms like log Γ(r + kx) ≈ 1e5 (finite differences then err ~1e-4 at any k)
    const z = Float64Array.of(Math.log(110), Math.log((4.3 * 110) / 1000), Math.log(0.5), Math.log(5));
    const gradient = new Float64Array(4);
    expect(Number.isFinite(problem.logLikelihood(z, gradient))).toBe(true);
    expect(gradient.every(Number.isFinite)).toBe(true);
    expect(maxGradientError(problem, z).error).toBeLessThan(1e-6);
    // P(alive) = S₂/(S₁ + S₂) is finite there too (its phase weights are scaled as S₂ is): against S₂ summed from log-terms by log-sum-exp
    const params = { r: 110, alpha: (4.3 * 110) / 1000, a: 0.5, b: 5 };
    let checked = 0;
    for (let i = 0; i < data.frequency.length; i += 11) {
      const x = data.frequency[i]!, tx = data.recency[i]!, T = data.T[i]!;
      const rk = params.r + 1000 * x;
      const logRatio = Math.log((T - tx) / (params.alpha + T));
      const logTerms = Array.from({ length: 1000 }, (_, j) => (j === 0 ? 0 : gammaln(rk + j) - gammaln(rk) - gammaln(j + 1) + j * logRatio));
      const logS1 = Math.log(params.a) - Math.log(params.b + x) + rk * (Math.log(params.alpha + T) - Math.log(params.alpha + tx));
      const expected = 1 / (1 + Math.exp(logS1 - logSumExp(logTerms)));
      expect(Math.abs(predictMbgCnbdProbabilityAlive(1000, params, x, tx, T) - expected), `row ${i}`).toBeLessThanOrEqual(1e-9 * expected + 1e-13);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('expected purchases skip the light phases within PHASE_TOLERANCE of the sum over every phase (k = 100, 564, 1000), visiting a fraction of them at large k', () => {
    for (const k of [1000, 564, 100]) {
      const params = { r: 110, alpha: (4.3 * 110) / k, a: 1e-6, b: 5 };
      const t = 90 / 7;
      let visited = 0, phases = 0, worst = 0;
      for (let i = 0; i < data.frequency.length; i += 37) {
        const x = data.frequency[i]!, tx = data.recency[i]!, T = data.T[i]!;
        const term = (j: number) => purchasesInPhase(k, params, t, x, T, j);
        const full = everyPhase(k, params, x, tx, T, term);
        const bound = 1 + ((params.r + k * x + k - 1) * t) / (k * (params.alpha + T));
        const window = sumOverPhases(computeMbgCnbdPhases(k, params, x, tx, T), bound, term);
        // the bound holds for every phase's term
        for (let j = 0; j < k; j += 9) expect(term(j)).toBeLessThanOrEqual(bound);
        expect(Math.abs(window.sum - full), `k ${k} row ${i}`).toBeLessThanOrEqual((PHASE_TOLERANCE + 1e-14) * full);
        const pAlive = predictMbgCnbdProbabilityAlive(k, params, x, tx, T);
        // the prediction steps from phase to phase (phase-tails.ts) rather than a continued fraction per phase: the same
        // sum to rounding, within PHASE_TOLERANCE of the one over every phase
        const predicted = predictMbgCnbdConditionalPurchases(k, params, t, x, tx, T);
        expect(Math.abs(predicted - pAlive * window.sum), `k ${k} row ${i}`).toBeLessThanOrEqual(PHASE_TOLERANCE * pAlive * window.sum);
        worst = Math.max(worst, Math.abs(predicted - pAlive * window.sum) / (pAlive * window.sum));
        expect(Math.abs(predicted - pAlive * full), `k ${k} row ${i}`).toBeLessThanOrEqual((PHASE_TOLERANCE + 1e-13) * pAlive * full);
        visited += window.visited;
        phases += k;
      }
      // the window is O(√(r + kx)) phases wide: all of them at k = 100 (70% visited), 36% at k = 564, 28% at k = 1000
      if (k >= 564) expect(visited, `k ${k}`).toBeLessThan(0.4 * phases);
      // measured: at most 1.9e-13 relative at k = 1000, 1.7e-13 at 564, 4.3e-14 at 100
      expect(worst, `k ${k}`).toBeLessThan(1e-12);
    }
  });
});
