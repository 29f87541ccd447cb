import { describe, expect, it } from 'vitest';
import { createBoostingLoss, type BoostingLossName } from '../../../src/models/learned/create-boosting-loss.js';
import { computeZilnMean, computeZilnRowLoss } from '../../../src/models/learned/ziln-loss.js';

/** Central-difference derivative of f at x. */
function derivative(f: (x: number) => number, x: number, h = 1e-5): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}

describe('logistic loss', () => {
  it('g = σ(f) − y and h = σ(1 − σ) at f = 0.3 (by hand)', () => {
    const loss = createBoostingLoss('logistic');
    const g = new Float64Array(2), h = new Float64Array(2);
    loss.computeGradients(Float64Array.of(1, 0), Float64Array.of(0.3, 0.3), undefined, g, h);
    const p = 1 / (1 + Math.exp(-0.3)); // 0.574442516811659
    expect(p).toBeCloseTo(0.574442516811659, 15);
    expect(g[0]).toBeCloseTo(p - 1, 15);
    expect(g[1]).toBeCloseTo(p, 15);
    expect(h[0]).toBeCloseTo(p * (1 - p), 15);
    // loss log(1 + e^f) − y f: mean of log(1+e^0.3) − 0.3 and log(1+e^0.3)
    expect(loss.computeLoss(Float64Array.of(1, 0), Float64Array.of(0.3, 0.3), undefined)).toBeCloseTo(Math.log(1 + Math.exp(0.3)) - 0.15, 15);
  });
});

describe('gradients and hessians against finite differences of the loss', () => {
  const cases: [BoostingLossName, number[]][] = [
    ['poisson', [0, 1, 3, 7]],
    ['tweedie', [0, 0.5, 2.5, 10]],
    ['logistic', [0, 1, 1, 0]],
  ];
  for (const [name, labels] of cases) {
    it(name, () => {
      const loss = createBoostingLoss(name, 1.3);
      const label = Float64Array.from(labels);
      const raw = Float64Array.of(-0.7, 0.2, 1.1, 2.3);
      const g = new Float64Array(4), h = new Float64Array(4);
      loss.computeGradients(label, raw, undefined, g, h);
      for (let i = 0; i < 4; i++) {
        const rowLoss = (f: number) => loss.computeLoss(label.subarray(i, i + 1), Float64Array.of(f), undefined);
        expect(g[i]).toBeCloseTo(derivative(rowLoss, raw[i]), 7);
        expect(h[i]).toBeCloseTo(derivative((f) => derivative(rowLoss, f, 1e-4), raw[i], 1e-4), 4);
        expect(h[i]).toBeGreaterThan(0);
      }
    });
  }

  it('weights multiply g and h', () => {
    const loss = createBoostingLoss('poisson');
    const g = new Float64Array(1), h = new Float64Array(1);
    loss.computeGradients(Float64Array.of(2), Float64Array.of(0), Float64Array.of(3), g, h);
    expect([g[0], h[0]]).toEqual([3 * (1 - 2), 3]);
  });

  it('Tweedie refuses a power outside (1, 2)', () => {
    expect(() => createBoostingLoss('tweedie', 2)).toThrow(/between 1 and 2/);
  });
});

describe('ZILN loss', () => {
  it('its value by hand: y = e, q = 0, μ = 0.5, s = 0', () => {
    // log 2 − 0 + log e + 0 + ½ log 2π + (1 − 0.5)²/2
    expect(computeZilnRowLoss(Math.E, 0, 0.5, 0)).toBeCloseTo(Math.LN2 + 1 + 0.5 * Math.log(2 * Math.PI) + 0.125, 14);
    // a zero: only the logit part, log(1 + e^q)
    expect(computeZilnRowLoss(0, 0.4, 3, 1)).toBeCloseTo(Math.log(1 + Math.exp(0.4)), 15);
  });

  it('its gradient matches finite differences in all three outputs; zeros move only the logit', () => {
    const loss = createBoostingLoss('ziln');
    const label = Float64Array.of(0, 2.5, 40, 0.3);
    const n = 4;
    const raw = Float64Array.of(-0.5, 0.1, 0.8, 1.4, /* μ */ 0.2, 1.1, 2.9, -0.4, /* s */ 0.3, -0.2, 0.5, 0);
    const g = new Float64Array(3 * n), h = new Float64Array(3 * n);
    loss.computeGradients(label, raw, undefined, g, h);
    for (let i = 0; i < n; i++) {
      const at = (k: number) => (v: number) => {
        const r = [raw[i], raw[n + i], raw[2 * n + i]];
        r[k] = v;
        return computeZilnRowLoss(label[i], r[0], r[1], r[2]);
      };
      for (let k = 0; k < 3; k++) expect(g[k * n + i]).toBeCloseTo(derivative(at(k), raw[k * n + i]), 7);
    }
    expect([g[n], g[2 * n], h[n], h[2 * n]]).toEqual([0, 0, 0, 0]);
    // the μ hessian is exact (1/σ²); the s hessian is the Fisher information 2
    expect(h[n + 1]).toBeCloseTo(Math.exp(0.4), 14);
    expect(h[2 * n + 1]).toBe(2);
    // the loss of the set is the mean of the row losses
    let mean = 0;
    for (let i = 0; i < n; i++) mean += computeZilnRowLoss(label[i], raw[i], raw[n + i], raw[2 * n + i]) / n;
    expect(loss.computeLoss(label, raw, undefined)).toBeCloseTo(mean, 14);
  });

  it('the expected value is p·exp(μ + σ²/2)', () => {
    expect(computeZilnMean(0, 1, Math.log(2))).toBeCloseTo(0.5 * Math.exp(1 + 2), 12);
  });

  it('starts from the share of positives and the mean and sd of log y over them', () => {
    const start = createBoostingLoss('ziln').initialScores(Float64Array.of(0, Math.E, Math.E ** 3, 0), undefined);
    expect(Array.from(start)).toEqual([0, 2, 0]); // logit ½ = 0, mean of logs (1, 3) = 2, sd 1 → log 1 = 0
  });
});
