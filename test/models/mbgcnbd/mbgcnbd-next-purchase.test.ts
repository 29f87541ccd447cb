import { describe, expect, it } from 'vitest';
import { gammaln } from '../../../src/math/special-functions.js';
import { predictMbgNbdTimeToNextPurchase } from '../../../src/models/mbgnbd/mbgnbd.js';
import { predictMbgCnbdProbabilityAlive, predictMbgCnbdTimeToNextPurchase } from '../../../src/models/mbgcnbd/predict-mbgcnbd.js';

const PARAMS = { r: 0.8, alpha: 6, a: 0.4, b: 2.5 };

/** P(Erlang(k, λ) ≤ t) = 1 − Σ_{i<k} e^{−λt}(λt)^i/i! */
function erlangCdf(k: number, lambda: number, t: number): number {
  let term = Math.exp(-lambda * t), sum = term;
  for (let i = 1; i < k; i++) (term *= (lambda * t) / i), (sum += term);
  return 1 - sum;
}

/** E_λ[P(Erlang(k, λ) ≤ t)] with λ ~ Gamma(shape s, rate κ), by the midpoint rule on a fine grid (independent of the incomplete beta). */
function mixedErlangCdf(k: number, s: number, kappa: number, t: number): number {
  const upper = (s + 40 * Math.sqrt(s)) / kappa + 50 / kappa;
  const n = 200_000, h = upper / n;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const lambda = (i + 0.5) * h;
    total += Math.exp(s * Math.log(kappa) + (s - 1) * Math.log(lambda) - kappa * lambda - gammaln(s)) * erlangCdf(k, lambda, t) * h;
  }
  return total;
}

describe('MBG/CNBD-k time to the next purchase', () => {
  it('is MBG/NBD’s quantile when k = 1', () => {
    for (const [x, tx, T] of [[0, 0, 20], [2, 10, 30], [7, 29, 30], [1, 3, 52]] as const) {
      for (const q of [0.1, 0.5, 0.9]) {
        const mbg = predictMbgNbdTimeToNextPurchase(PARAMS, q, x, tx, T);
        const cnbd = predictMbgCnbdTimeToNextPurchase(1, PARAMS, q, x, tx, T);
        if (mbg === Infinity) expect(cnbd).toBe(Infinity);
        else expect(cnbd, `x ${x} t_x ${tx} T ${T} q ${q}`).toBeCloseTo(mbg, 8);
      }
    }
  });

  it('for a customer who bought at T (phase 0), P(alive) × the Gamma-mixed Erlang-k distribution reaches q at the quantile', () => {
    const k = 4, x = 5, T = 40;
    const pAlive = predictMbgCnbdProbabilityAlive(k, PARAMS, x, T, T);
    const s = PARAMS.r + k * x, kappa = PARAMS.alpha + T;
    for (const q of [0.2, 0.5]) {
      const t = predictMbgCnbdTimeToNextPurchase(k, PARAMS, q, x, T, T);
      expect(Number.isFinite(t) && t > 0).toBe(true);
      expect(pAlive * mixedErlangCdf(k, s, kappa, t)).toBeCloseTo(q, 6);
    }
  });

  it('is Infinity when q is not below P(alive), 0 at q = 0, NaN outside [0, 1), and rises with q', () => {
    const pAlive = predictMbgCnbdProbabilityAlive(3, PARAMS, 2, 5, 40);
    expect(pAlive).toBeLessThan(0.9);
    expect(predictMbgCnbdTimeToNextPurchase(3, PARAMS, 0.95, 2, 5, 40)).toBe(Infinity);
    expect(predictMbgCnbdTimeToNextPurchase(3, PARAMS, 0, 2, 5, 40)).toBe(0);
    expect(predictMbgCnbdTimeToNextPurchase(3, PARAMS, 1, 2, 5, 40)).toBeNaN();
    const quantiles = [0.1, 0.3, 0.5, 0.8].map((share) => predictMbgCnbdTimeToNextPurchase(3, PARAMS, share * pAlive, 2, 5, 40));
    expect(Number.isFinite(quantiles[3]!)).toBe(true);
    for (let i = 1; i < quantiles.length; i++) expect(quantiles[i]!).toBeGreaterThan(quantiles[i - 1]!);
  });

  it('with a tolerance (in the time unit), stops early and stays within half of it of the exact quantile; 0 is exact', () => {
    const params = { r: 2.3, alpha: 9, a: 0.6, b: 4 };
    let compared = 0, differ = 0;
    for (const k of [1, 3, 12]) {
      for (const [x, tx, T] of [[0, 0, 3], [1, 2, 20], [6, 28, 30], [14, 50, 52], [30, 100, 104], [3, 10, 80]] as const) {
        for (const q of [0.05, 0.5, 0.9]) {
          const exact = predictMbgCnbdTimeToNextPurchase(k, params, q, x, tx, T);
          expect(predictMbgCnbdTimeToNextPurchase(k, params, q, x, tx, T, 0)).toBe(exact);
          for (const tolerance of [1e-3 / 7, 0.5]) {
            const near = predictMbgCnbdTimeToNextPurchase(k, params, q, x, tx, T, tolerance);
            if (exact === Infinity) {
              expect(near).toBe(Infinity);
              continue;
            }
            expect(Math.abs(near - exact), `k ${k} (${x}, ${tx}, ${T}) q ${q} tolerance ${tolerance}`).toBeLessThanOrEqual(tolerance / 2 + 1e-12 * exact);
            compared++;
            if (near !== exact) differ++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(60);
    // it did stop early: at half a week the answers are not the exact ones
    expect(differ).toBeGreaterThan(compared / 4);
    expect(predictMbgCnbdTimeToNextPurchase(3, params, 0.5, 2, 5, 40, -1)).toBeNaN();
  });
});
