/**
 * `computeSilhouettes` scores several clusterings of the same rows in one pass over their distances (choosing k
 * scores nine): each result must be exactly what the definition gives for that clustering alone, computed here the
 * plain way — for each sampled row, its mean distance to the other rows of its own cluster and to each other cluster,
 * distances summed in row order.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/math/random.js';
import { computeSilhouette, computeSilhouettes, sampleIndices, type SilhouetteResult } from '../../../src/models/cluster/silhouette.js';
import type { FeatureMatrix } from '../../../src/models/cluster/kmeans.js';

function plainSilhouette(matrix: FeatureMatrix, assignments: Int32Array, k: number, sampleSize: number, seed: number): SilhouetteResult {
  const picked = Array.from(sampleIndices(matrix.rows, sampleSize, seed));
  const d = matrix.columns;
  const distance = (i: number, j: number) => Math.sqrt(Array.from({ length: d }, (_, c) => (matrix.values[i * d + c]! - matrix.values[j * d + c]!) ** 2).reduce((s, x) => s + x, 0));
  const counts = Array.from({ length: k }, (_, c) => picked.filter((i) => assignments[i] === c).length);
  if (counts.filter((n) => n > 0).length < 2) return { mean: NaN, byCluster: counts.map(() => NaN), rows: picked.length };
  const scores = picked.map((i) => {
    const own = assignments[i]!;
    if (counts[own]! < 2) return 0;
    const sums = new Array<number>(k).fill(0);
    for (const j of picked) if (j !== i) sums[assignments[j]!]! += distance(i, j);
    const inner = sums[own]! / (counts[own]! - 1);
    const outer = Math.min(...sums.map((s, c) => (c !== own && counts[c]! > 0 ? s / counts[c]! : Infinity)));
    return (outer - inner) / Math.max(inner, outer);
  });
  const byCluster = counts.map((n, c) => (n > 0 ? picked.reduce((s, i, a) => s + (assignments[i] === c ? scores[a]! : 0), 0) / n : NaN));
  return { mean: scores.reduce((s, x) => s + x, 0) / picked.length, byCluster, rows: picked.length };
}

describe('computeSilhouettes: several clusterings, one pass over the distances', () => {
  const random = createRandom(17);
  const rows = 400;
  const columns = 5;
  const matrix: FeatureMatrix = { values: Float64Array.from({ length: rows * columns }, () => random.normal()), rows, columns };
  const clusterings = [2, 3, 4, 6, 9].map((k) => ({ k, assignments: Int32Array.from({ length: rows }, () => random.integer(k)) }));
  // one cluster present only (three declared): no silhouette
  clusterings.push({ k: 3, assignments: new Int32Array(rows).fill(1) });

  it('gives each clustering exactly its own silhouette, on a sample and on every row', () => {
    for (const sampleSize of [150, 1000]) {
      const together = computeSilhouettes(matrix, clusterings, { sampleSize, seed: 5 });
      expect(together).toHaveLength(clusterings.length);
      together.forEach((result, i) => {
        const { assignments, k } = clusterings[i]!;
        expect(result).toEqual(computeSilhouette(matrix, assignments, k, { sampleSize, seed: 5 }));
        const plain = plainSilhouette(matrix, assignments, k, sampleSize, 5);
        expect(result.rows).toBe(plain.rows);
        if (Number.isNaN(plain.mean)) expect(result.mean).toBeNaN();
        else expect(Math.abs(result.mean - plain.mean)).toBeLessThan(1e-14);
        result.byCluster.forEach((s, c) => (Number.isNaN(plain.byCluster[c]!) ? expect(s).toBeNaN() : expect(Math.abs(s - plain.byCluster[c]!)).toBeLessThan(1e-14)));
      });
      expect(together[5]!.mean).toBeNaN();
      expect(together[0]!.rows).toBe(Math.min(sampleSize, rows));
    }
  });
});
