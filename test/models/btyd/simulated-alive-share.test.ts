import { describe, expect, it } from 'vitest';
import { simulateBgNbd } from '../../../src/models/bgnbd/simulate-bgnbd.js';
import { simulateMbgNbd } from '../../../src/models/mbgnbd/simulate-mbgnbd.js';
import { simulateParetoNbd } from '../../../src/models/paretonbd/simulate-paretonbd.js';
import { simulateBgBb } from '../../../src/models/bgbb/simulate-bgbb.js';
import { simulateMbgCnbd } from '../../../src/models/mbgcnbd/simulate-mbgcnbd.js';
import { predictBgNbdProbabilityAlive } from '../../../src/models/bgnbd/bgnbd.js';
import { predictMbgNbdProbabilityAlive } from '../../../src/models/mbgnbd/mbgnbd.js';
import { predictParetoNbdProbabilityAlive } from '../../../src/models/paretonbd/paretonbd.js';
import { predictBgBbProbabilityAlive } from '../../../src/models/bgbb/bgbb.js';
import { predictMbgCnbdProbabilityAlive } from '../../../src/models/mbgcnbd/predict-mbgcnbd.js';

/**
 * Under the model, each customer's alive flag is a Bernoulli draw with
 * probability P(alive | their data), so Σ(alive − P) has mean 0 and
 * variance Σ P(1 − P): the simulated share alive must lie within 4
 * standard errors of the mean model P(alive).
 */
function expectShareAliveMatchesModel(alive: Uint8Array, pAlive: (i: number) => number, label: string): void {
  const n = alive.length;
  let share = 0, mean = 0, variance = 0;
  for (let i = 0; i < n; i++) {
    const p = pAlive(i);
    share += alive[i];
    mean += p;
    variance += p * (1 - p);
  }
  share /= n;
  mean /= n;
  const se = Math.sqrt(variance) / n;
  expect(se).toBeGreaterThan(0);
  expect(Math.abs(share - mean), `${label}: simulated share alive ${share}, mean model P(alive) ${mean}, se ${se}`).toBeLessThan(4 * se);
  // and the flag is not trivially all 1 or all 0
  expect(share).toBeGreaterThan(0.05);
  expect(share).toBeLessThan(0.95);
}

describe('the simulators return each customer’s alive flag at T, matching the model’s P(alive)', () => {
  const customers = 20_000;

  it('BG/NBD', () => {
    const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const data = simulateBgNbd(params, { customers, T: 39, seed: 21 });
    expectShareAliveMatchesModel(data.alive, (i) => predictBgNbdProbabilityAlive(params, data.frequency[i], data.recency[i], data.T[i]), 'BG/NBD');
    // a customer without a repeat purchase never had a chance to drop out
    for (let i = 0; i < customers; i++) if (data.frequency[i] === 0) expect(data.alive[i]).toBe(1);
  });

  it('MBG/NBD', () => {
    const params = { r: 0.5, alpha: 6, a: 0.9, b: 3 };
    const data = simulateMbgNbd(params, { customers, T: 52, seed: 22 });
    expectShareAliveMatchesModel(data.alive, (i) => predictMbgNbdProbabilityAlive(params, data.frequency[i], data.recency[i], data.T[i]), 'MBG/NBD');
  });

  it('Pareto/NBD, with one window per customer', () => {
    const params = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
    const T = Float64Array.from({ length: customers }, (_, i) => 10 + (i % 50));
    const data = simulateParetoNbd(params, { customers, T, seed: 23 });
    expectShareAliveMatchesModel(data.alive, (i) => predictParetoNbdProbabilityAlive(params, data.frequency[i], data.recency[i], data.T[i]), 'Pareto/NBD');
  });

  it('BG/BB: alive at the next opportunity, n + 1, as P(alive next period)', () => {
    const params = { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 };
    const n = 6;
    const data = simulateBgBb(params, { customers, periods: n, seed: 24 });
    expectShareAliveMatchesModel(data.alive, (i) => predictBgBbProbabilityAlive(params, data.frequency[i], data.recency[i], n), 'BG/BB');
  });

  it("BG/BB: lifetimes' test_alive_probs — share alive by (x, t_x) is FHS (2010) Table 6's 0.11, 0.59, 0.93 (± 0.01)", () => {
    const data = simulateBgBb({ alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 }, { customers: 200_000, periods: 6, seed: 188_898 });
    for (const [x, tx, expected] of [[0, 0, 0.11], [2, 4, 0.59], [6, 6, 0.93]]) {
      let alive = 0, count = 0;
      for (let i = 0; i < data.frequency.length; i++) {
        if (data.frequency[i] === x && data.recency[i] === tx) {
          count++;
          alive += data.alive[i];
        }
      }
      expect(Math.abs(alive / count - expected), `(${x}, ${tx}): ${alive} of ${count}`).toBeLessThan(0.01);
    }
  });

  it('MBG/CNBD-k (k = 2), with a holdout window that does not change who was alive at T', () => {
    const params = { r: 0.8, alpha: 6, a: 0.8, b: 4 };
    const data = simulateMbgCnbd(2, params, { customers, T: 39, holdout: 26, seed: 25 });
    expectShareAliveMatchesModel(data.alive, (i) => predictMbgCnbdProbabilityAlive(2, params, data.frequency[i], data.recency[i], data.T[i]), 'MBG/CNBD-2');
    // anyone who bought in the holdout was alive at T
    for (let i = 0; i < customers; i++) if (data.holdoutPurchases[i] > 0) expect(data.alive[i]).toBe(1);
  });
});
