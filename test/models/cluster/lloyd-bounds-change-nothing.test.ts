import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/math/random.js';
import { fitKMeans, seedKMeansPlusPlus, type FeatureMatrix } from '../../../src/models/cluster/kmeans.js';

// Lloyd's iterations skip rows by Hamerly's bounds (kmeans.ts). The bounds must change nothing: the same assignments, the
// same centres to the bit, the same number of iterations as plain Lloyd, also on data full of ties (rows on a coarse
// grid, many of them equal, centres equidistant from some rows) where a bound that kept a row at a tie would differ.

function squared(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let sum = 0;
  for (let c = 0; c < d; c++) {
    const diff = a[i * d + c]! - b[j * d + c]!;
    sum += diff * diff;
  }
  return sum;
}

/** Plain Lloyd from the given centres, as kmeans.ts defines it: every row to its nearest centre (the first of equals), centres to their rows' means (an emptied centre to the rows farthest from theirs), until no row moves, the largest move is ≤ tolerance, or maxIterations. */
function plainLloyd(matrix: FeatureMatrix, centroids: Float64Array, k: number, maxIterations: number, tolerance: number) {
  const { values, rows: n, columns: d } = matrix;
  let previous: Int32Array | null = null;
  let assignments = new Int32Array(n);
  let iterations = 0;
  for (; iterations < maxIterations; ) {
    assignments = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestDistance = Infinity;
      for (let c = 0; c < k; c++) {
        const dist = squared(values, i, centroids, c, d);
        if (dist < bestDistance) {
          bestDistance = dist;
          best = c;
        }
      }
      assignments[i] = best;
    }
    if (previous !== null && assignments.every((c, i) => c === previous![i])) break;
    previous = assignments;
    iterations++;
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      counts[assignments[i]!]!++;
      for (let j = 0; j < d; j++) sums[assignments[i]! * d + j]! += values[i * d + j]!;
    }
    const empty = [...counts.keys()].filter((c) => counts[c] === 0);
    if (empty.length > 0) {
      const distance = Array.from({ length: n }, (_, i) => squared(values, i, centroids, assignments[i]!, d));
      const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => distance[b]! - distance[a]! || a - b);
      empty.forEach((c, e) => {
        for (let j = 0; j < d; j++) sums[c * d + j] = values[order[e]! * d + j]!;
        counts[c] = 1;
      });
    }
    let largest = 0;
    for (let c = 0; c < k; c++) {
      let move = 0;
      for (let j = 0; j < d; j++) {
        const next = sums[c * d + j]! / counts[c]!;
        move += (next - centroids[c * d + j]!) ** 2;
        centroids[c * d + j] = next;
      }
      largest = Math.max(largest, Math.sqrt(move));
    }
    if (largest <= tolerance) break;
  }
  return { centroids, iterations };
}

function gaussianMixture(n: number, d: number, seed: number): FeatureMatrix {
  const random = createRandom(seed);
  const values = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const group = random.integer(6);
    for (let j = 0; j < d; j++) values[i * d + j] = ((group * (j + 2)) % 5) * 0.7 + random.normal();
  }
  return { values, rows: n, columns: d };
}

/** Rows on a grid of step 1 in [0, 3]^d: many equal rows, and rows midway between centres that sit on grid points. */
function coarseGrid(n: number, d: number, seed: number): FeatureMatrix {
  const random = createRandom(seed);
  return { values: Float64Array.from({ length: n * d }, () => random.integer(4)), rows: n, columns: d };
}

/** A few rows on the even points of [0, 4]^d, sized by the seed: rows land exactly midway between two centres (found by search among 4,000 seeds; a bound that kept such a row at its centre differed from plain Lloyd on these two). */
function smallEvenGrid(seed: number): [FeatureMatrix, number] {
  const random = createRandom(seed);
  const n = 6 + random.integer(30);
  const d = 1 + random.integer(2);
  const k = 2 + random.integer(4);
  return [{ values: Float64Array.from({ length: n * d }, () => random.integer(3) * 2), rows: n, columns: d }, k];
}

describe('Lloyd with bounds gives what plain Lloyd gives', () => {
  const cases: [string, FeatureMatrix, number][] = [
    ['a mixture, 2 000 × 5, k = 7', gaussianMixture(2000, 5, 11), 7],
    ['a mixture, 3 000 × 11, k = 10', gaussianMixture(3000, 11, 12), 10],
    ['a coarse grid, 1 500 × 2, k = 6 (ties)', coarseGrid(1500, 2, 13), 6],
    ['a coarse grid, 800 × 3, k = 9 (ties, emptied centres)', coarseGrid(800, 3, 14), 9],
    ['ten rows, k = 4', coarseGrid(10, 2, 15), 4],
    ['rows midway between centres (seed 1451)', ...smallEvenGrid(1451)],
    ['rows midway between centres (seed 2330)', ...smallEvenGrid(2330)],
  ];
  it.each(cases)('%s', (name, matrix, k) => {
    for (const seed of name.startsWith('rows midway') ? [Number(/\d+/.exec(name)![0])] : [1, 2, 3]) {
      const fitted = fitKMeans(matrix, { k, seed, algorithm: 'lloyd', restarts: 1 });
      const reference = plainLloyd(matrix, seedKMeansPlusPlus(matrix, k, createRandom(seed)), k, 100, 1e-6);
      expect(fitted.iterations).toBe(reference.iterations);
      expect(Array.from(fitted.centroids)).toEqual(Array.from(reference.centroids));
    }
  });
});
