import { describe, expect, it } from 'vitest';
import { regularizedIncompleteBeta } from '../../../src/math/special-functions.js';
import type { MbgCnbdParams } from '../../../src/models/mbgcnbd/mbgcnbd.js';
import { computeMbgCnbdPhases, predictMbgCnbdConditionalPurchases, predictMbgCnbdTimeToNextPurchase } from '../../../src/models/mbgcnbd/predict-mbgcnbd.js';
import { everyPhase, purchasesInPhase } from '../../helpers/mbgcnbd-phases.js';

const pAliveOf = (k: number, params: MbgCnbdParams, x: number, tx: number, T: number) => 1 / (1 + Math.exp(computeMbgCnbdPhases(k, params, x, tx, T).logOddsDead));

describe('MBG/CNBD-k predictions summed over the heavy phases only', () => {
  const paramSets: MbgCnbdParams[] = [{ r: 1.8, alpha: 4.5, a: 0.7, b: 3.2 }, { r: 30, alpha: 5, a: 0.5, b: 8 }, { r: 110, alpha: 10, a: 1e-6, b: 5 }];
  const histories = [[0, 0, 30], [1, 4, 30], [5, 22.5, 30], [12, 29, 30], [3, 10, 10], [25, 100, 104], [8, 40, 52]] as const;

  it('equal the sums over every phase to 1e-9 relative for k ≤ 48 (expected purchases over 1, 13 and 52 units)', () => {
    let compared = 0;
    for (const k of [1, 2, 3, 7, 12, 24, 48]) {
      for (const params of paramSets) {
        for (const [x, tx, T] of histories) {
          for (const t of [1, 13, 52]) {
            const full = pAliveOf(k, params, x, tx, T) * everyPhase(k, params, x, tx, T, (j) => purchasesInPhase(k, params, t, x, T, j));
            const ours = predictMbgCnbdConditionalPurchases(k, params, t, x, tx, T);
            expect(Math.abs(ours - full), `k ${k} (${x}, ${tx}, ${T}) t ${t} r ${params.r}`).toBeLessThanOrEqual(1e-9 * full + 1e-300);
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(7 * 3 * 7 * 3);
  });

  it('the next-purchase quantiles reach q under the sum over every phase (k ≤ 48, to 1e-9)', () => {
    let compared = 0;
    for (const k of [2, 12, 48]) {
      for (const params of paramSets) {
        for (const [x, tx, T] of histories) {
          const pAlive = pAliveOf(k, params, x, tx, T);
          for (const share of [0.2, 0.5, 0.9]) {
            const t = predictMbgCnbdTimeToNextPurchase(k, params, share * pAlive, x, tx, T);
            if (!Number.isFinite(t)) continue;
            const u = t / (params.alpha + T + t);
            const reached = pAlive * everyPhase(k, params, x, tx, T, (j) => regularizedIncompleteBeta(u, k - j, params.r + k * x + j, 1 - u));
            expect(Math.abs(reached - share * pAlive), `k ${k} (${x}, ${tx}, ${T}) share ${share}`).toBeLessThanOrEqual(1e-9 * share * pAlive);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});
