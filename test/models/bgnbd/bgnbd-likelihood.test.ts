import { describe, expect, it } from 'vitest';
import { BgNbdLikelihood, CHUNK_ROWS } from '../../../src/models/bgnbd/bgnbd-likelihood.js';
import { computeBgNbdCustomerLogLikelihood } from '../../../src/models/bgnbd/bgnbd.js';
import { simulateBgNbd } from '../../../src/models/bgnbd/simulate-bgnbd.js';
import { computeHessianFromGradient } from '../../../src/math/hessian.js';

// more rows than one chunk, weights other than 1, zero weights and x = 0 rows
const n = CHUNK_ROWS * 2 + 123;
const T = new Float64Array(n);
for (let i = 0; i < n; i++) T[i] = 20 + (i % 53) * 0.7;
const simulated = simulateBgNbd({ r: 0.4, alpha: 5, a: 0.7, b: 2.5 }, { T, seed: 9 });
const weight = new Float64Array(n);
for (let i = 0; i < n; i++) weight[i] = i % 17 === 0 ? 0 : 1 + (i % 5) * 0.75;
const data = { frequency: simulated.frequency, recency: simulated.recency, T: simulated.T, weight };
const likelihood = new BgNbdLikelihood(data);
const points = [
  Float64Array.of(Math.log(0.4), Math.log(5), Math.log(0.7), Math.log(2.5)),
  Float64Array.of(0.9, -1.3, 1.1, -0.6),
  Float64Array.of(-2, 2.5, -1.5, 1.8),
];

describe('BgNbdLikelihood', () => {
  it('is the weighted sum of the per-customer log-likelihood, over several chunks', () => {
    expect(simulated.frequency.some((x) => x === 0)).toBe(true);
    for (const z of points) {
      const params = { r: Math.exp(z[0]!), alpha: Math.exp(z[1]!), a: Math.exp(z[2]!), b: Math.exp(z[3]!) };
      let expected = 0;
      for (let i = 0; i < n; i++) expected += weight[i]! * computeBgNbdCustomerLogLikelihood(params, data.frequency[i]!, data.recency[i]!, data.T[i]!);
      const actual = likelihood.evaluate(z, new Float64Array(4), null);
      expect(Math.abs(actual - expected)).toBeLessThan(1e-10 * Math.abs(expected));
    }
  });

  it('has an exact Hessian equal to central differences of its analytic gradient (1e-6 relative), and the same value and gradient with or without it', () => {
    for (const z of points) {
      const gradient = new Float64Array(4), gradientWithHessian = new Float64Array(4), hessian = new Float64Array(16);
      const value = likelihood.evaluate(z, gradient, null);
      expect(likelihood.evaluate(z, gradientWithHessian, hessian)).toBe(value);
      expect(Array.from(gradientWithHessian)).toEqual(Array.from(gradient));
      const differences = computeHessianFromGradient((at, out) => void likelihood.evaluate(at, out, null), z);
      let scale = 0;
      for (const row of differences) for (const h of row) scale = Math.max(scale, Math.abs(h));
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          expect(hessian[4 * i + j]).toBe(hessian[4 * j + i]);
          expect(Math.abs(hessian[4 * i + j]! - differences[i]![j]!), `H[${i}][${j}] at ${Array.from(z)}`).toBeLessThan(1e-6 * scale);
        }
      }
    }
  });

  it('has a gradient equal to central differences of its value', () => {
    const z = points[1]!;
    const gradient = new Float64Array(4);
    likelihood.evaluate(z, gradient, null);
    for (let j = 0; j < 4; j++) {
      const h = 1e-6;
      const up = Float64Array.from(z), down = Float64Array.from(z);
      up[j]! += h;
      down[j]! -= h;
      const numeric = (likelihood.evaluate(up, new Float64Array(4), null) - likelihood.evaluate(down, new Float64Array(4), null)) / (2 * h);
      expect(Math.abs(gradient[j]! - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
    }
  });
});
