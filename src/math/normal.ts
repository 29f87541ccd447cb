/**
 * Dense symmetric positive-definite linear algebra for small matrices
 * (parameter covariances, k ≤ ~10) and multivariate-normal sampling.
 *
 * Matrices are row-major `number[][]`-like arrays. Cholesky: the
 * Cholesky–Banachiewicz row-by-row algorithm (Golub & Van Loan, "Matrix
 * Computations", §4.2); a non-positive or non-finite pivot means the matrix is
 * not (numerically) positive definite and the functions return `null`.
 */
import type { Random } from './random.js';

export type Matrix = readonly (readonly number[])[];

/** Lower-triangular L with L·Lᵀ = A, or null when A is not positive definite (or has non-finite entries). */
export function choleskyDecompose(matrix: Matrix): number[][] | null {
  const n = matrix.length;
  const lower: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i][j];
      for (let k = 0; k < j; k++) sum -= lower[i][k] * lower[j][k];
      if (i === j) {
        if (!(sum > 0) || !Number.isFinite(sum)) return null;
        lower[i][i] = Math.sqrt(sum);
      } else {
        lower[i][j] = sum / lower[j][j];
        if (!Number.isFinite(lower[i][j])) return null;
      }
    }
  }
  return lower;
}

/**
 * Inverse of a symmetric positive-definite matrix via its Cholesky factor,
 * or null when it is not positive definite. The result is exactly symmetric.
 */
export function invertPositiveDefinite(matrix: Matrix): number[][] | null {
  const lower = choleskyDecompose(matrix);
  if (lower === null) return null;
  const n = matrix.length;
  // inverse of L by forward substitution, column by column
  const inverseLower: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    inverseLower[j][j] = 1 / lower[j][j];
    for (let i = j + 1; i < n; i++) {
      let sum = 0;
      for (let k = j; k < i; k++) sum -= lower[i][k] * inverseLower[k][j];
      inverseLower[i][j] = sum / lower[i][i];
    }
  }
  // A⁻¹ = L⁻ᵀ L⁻¹
  const inverse: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let k = i; k < n; k++) sum += inverseLower[k][i] * inverseLower[k][j];
      inverse[i][j] = sum;
      inverse[j][i] = sum;
    }
  }
  return inverse;
}

/**
 * Solve A·x = b for symmetric positive-definite A; null when A is not
 * positive definite.
 */
export function solvePositiveDefinite(matrix: Matrix, rhs: ArrayLike<number>): Float64Array | null {
  const lower = choleskyDecompose(matrix);
  if (lower === null) return null;
  const n = matrix.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = rhs[i];
    for (let k = 0; k < i; k++) sum -= lower[i][k] * y[k];
    y[i] = sum / lower[i][i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i];
    for (let k = i + 1; k < n; k++) sum -= lower[k][i] * x[k];
    x[i] = sum / lower[i][i];
  }
  return x;
}

/**
 * A sampler of N(mean, covariance): each call returns a fresh vector
 * mean + L·z with z ~ N(0, I) from `random`. When the covariance is not
 * positive definite (or has NaN entries) every draw is all-NaN, so
 * downstream intervals come out NaN rather than falsely narrow.
 */
export function createMultivariateNormalSampler(
  mean: ArrayLike<number>,
  covariance: Matrix,
  random: Random,
): () => Float64Array {
  const n = mean.length;
  const lower = choleskyDecompose(covariance);
  return () => {
    const out = new Float64Array(n);
    if (lower === null) return out.fill(NaN);
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) z[i] = random.normal();
    for (let i = 0; i < n; i++) {
      let sum = mean[i];
      for (let k = 0; k <= i; k++) sum += lower[i][k] * z[k];
      out[i] = sum;
    }
    return out;
  };
}
