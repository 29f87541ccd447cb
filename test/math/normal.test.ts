import { describe, expect, it } from 'vitest';
import { choleskyDecompose, createMultivariateNormalSampler, invertPositiveDefinite, solvePositiveDefinite } from '../../src/math/normal.js';
import { createRandom } from '../../src/math/random.js';

const A = [
  [4, 2, 0.6],
  [2, 5, 1.5],
  [0.6, 1.5, 3],
];

describe('Cholesky and positive-definite solves', () => {
  it('L·Lᵀ = A, A·A⁻¹ = I and A·solve(b) = b to 1e-14', () => {
    const L = choleskyDecompose(A)!;
    const inverse = invertPositiveDefinite(A)!;
    const b = [1, -2, 0.5];
    const x = solvePositiveDefinite(A, b)!;
    for (let i = 0; i < 3; i++) {
      let ax = 0;
      for (let j = 0; j < 3; j++) {
        let llt = 0, product = 0;
        for (let k = 0; k < 3; k++) {
          llt += L[i][k] * L[j][k];
          product += A[i][k] * inverse[k][j];
        }
        expect(Math.abs(llt - A[i][j])).toBeLessThan(1e-14);
        expect(Math.abs(product - (i === j ? 1 : 0))).toBeLessThan(1e-14);
        if (j > i) expect(L[i][j]).toBe(0);
        ax += A[i][j] * x[j];
      }
      expect(Math.abs(ax - b[i])).toBeLessThan(1e-14);
    }
  });

  it('returns null for indefinite, singular or NaN matrices', () => {
    expect(choleskyDecompose([[1, 2], [2, 1]])).toBeNull();
    expect(invertPositiveDefinite([[1, 1], [1, 1]])).toBeNull();
    expect(solvePositiveDefinite([[NaN, 0], [0, 1]], [1, 1])).toBeNull();
  });
});

describe('createMultivariateNormalSampler', () => {
  it('draws have the requested mean and covariance (50,000 draws, within 3 %)', () => {
    const mean = [1, -2, 0.5];
    const sampler = createMultivariateNormalSampler(mean, A, createRandom(10));
    const n = 50_000;
    const sum = [0, 0, 0];
    const cross = A.map((row) => row.map(() => 0));
    for (let s = 0; s < n; s++) {
      const v = sampler();
      for (let i = 0; i < 3; i++) {
        sum[i] += v[i];
        for (let j = 0; j < 3; j++) cross[i][j] += (v[i] - mean[i]) * (v[j] - mean[j]);
      }
    }
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(sum[i] / n - mean[i]), `mean ${i}`).toBeLessThan(5 * Math.sqrt(A[i][i] / n));
      for (let j = 0; j < 3; j++) expect(Math.abs(cross[i][j] / n - A[i][j]), `cov ${i},${j}`).toBeLessThan(0.03 * Math.sqrt(A[i][i] * A[j][j]) + 0.02);
    }
  });

  it('gives all-NaN draws for a covariance that is not positive definite', () => {
    const sampler = createMultivariateNormalSampler([0, 0], [[NaN, NaN], [NaN, NaN]], createRandom(1));
    expect(Array.from(sampler()).every(Number.isNaN)).toBe(true);
  });
});
