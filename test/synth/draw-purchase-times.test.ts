import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/math/random.js';
import { predictBgNbdExpectedPurchases } from '../../src/models/bgnbd/bgnbd.js';
import { drawPurchaseTimes } from '../../src/synth/draw-purchase-times.js';
import { CDNOW_BGNBD_WEEKS, CDNOW_PARETONBD_WEEKS } from '../../src/synth/shop-options.js';

const N = 200_000;

/** Pareto/NBD E[X(t)] (Schmittlein, Morrison & Colombo 1987): rβ/(α(s−1))·[1 − (β/(β+t))^(s−1)]. */
function paretoNbdExpectedRepeats(t: number): number {
  const { r, alpha, s, beta } = CDNOW_PARETONBD_WEEKS;
  return ((r * beta) / (alpha * (s - 1))) * (1 - Math.pow(beta / (beta + t), s - 1));
}

describe('drawPurchaseTimes (200,000 customers per case, CDNOW parameters in weeks)', () => {
  it('times are increasing in (0, T]; BG/NBD customers who dropped out are not alive', () => {
    const random = createRandom(4);
    for (let i = 0; i < 5000; i++) {
      const c = drawPurchaseTimes(random, i % 2 ? 'bgnbd' : 'paretonbd', i % 2 ? CDNOW_BGNBD_WEEKS : CDNOW_PARETONBD_WEEKS, 52);
      for (let k = 0; k < c.times.length; k++) {
        expect(c.times[k]).toBeGreaterThan(k === 0 ? 0 : c.times[k - 1]);
        expect(c.times[k]).toBeLessThanOrEqual(52);
      }
      expect(c.lambda).toBeGreaterThanOrEqual(0);
    }
  });

  for (const T of [10, 52, 104]) {
    it(`T = ${T} weeks: mean repeat purchases = E[X(T)] within 4 standard errors; BG/NBD P(X = 0) = (α/(α+T))^r within 4 se`, () => {
      for (const model of ['bgnbd', 'paretonbd'] as const) {
        const random = createRandom(100 + T);
        let sum = 0, sumSquares = 0, zeros = 0;
        for (let i = 0; i < N; i++) {
          const x = drawPurchaseTimes(random, model, model === 'bgnbd' ? CDNOW_BGNBD_WEEKS : CDNOW_PARETONBD_WEEKS, T).times.length;
          sum += x;
          sumSquares += x * x;
          if (x === 0) zeros++;
        }
        const mean = sum / N;
        const se = Math.sqrt(sumSquares / N - mean * mean) / Math.sqrt(N);
        const expected = model === 'bgnbd' ? predictBgNbdExpectedPurchases(CDNOW_BGNBD_WEEKS, T) : paretoNbdExpectedRepeats(T);
        expect(Math.abs(mean - expected), `${model} T=${T}: mean ${mean}, expected ${expected}, se ${se}`).toBeLessThan(4 * se);
        if (model === 'bgnbd') {
          const { r, alpha } = CDNOW_BGNBD_WEEKS;
          const p0 = Math.pow(alpha / (alpha + T), r);
          const share = zeros / N;
          expect(Math.abs(share - p0), `P(X=0) T=${T}: ${share} vs ${p0}`).toBeLessThan(4 * Math.sqrt((p0 * (1 - p0)) / N));
        }
      }
    });
  }
});
