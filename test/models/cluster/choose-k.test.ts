import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/math/random.js';
import { chooseKBySilhouette } from '../../../src/models/cluster/choose-k.js';
import { fitKMeans } from '../../../src/models/cluster/kmeans.js';

/** `k` Gaussian blobs (sd 1) on the corners of a square of side 12 (and its centre for k = 5), 2 dimensions. */
function blobs(k: number, perCluster: number, seed: number) {
  const random = createRandom(seed);
  const centres = [[0, 0], [12, 0], [0, 12], [12, 12], [6, 6]];
  const values = new Float64Array(k * perCluster * 2);
  for (let i = 0; i < k * perCluster; i++) {
    const c = centres[i % k]!;
    values[2 * i] = c[0]! + random.normal();
    values[2 * i + 1] = c[1]! + random.normal();
  }
  return { values, rows: k * perCluster, columns: 2 };
}

describe('choosing k by silhouette', () => {
  it('finds the planted k on a sample and returns the whole curve', () => {
    for (const planted of [3, 5]) {
      const result = chooseKBySilhouette(blobs(planted, 3000, planted), { seed: 1, fitSampleSize: 4000, silhouetteSampleSize: 1000 });
      expect(result.k, result.curve.map((p) => `${p.k}: ${p.silhouette.toFixed(3)}`).join(', ')).toBe(planted);
      expect(result.curve.map((p) => p.k)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(result.fitRows).toBe(4000);
      expect(result.silhouetteRows).toBe(1000);
      // inertia falls with k on the same sample
      for (let j = 1; j < result.curve.length; j++) expect(result.curve[j]!.inertia).toBeLessThan(result.curve[j - 1]!.inertia);
    }
  });
});

describe('k-means edge cases', () => {
  it('handles fewer distinct rows than k, k above n, and no rows', () => {
    const twoPoints = { values: Float64Array.from([0, 0, 0, 5, 5, 5]), rows: 3, columns: 2 };
    const fit = fitKMeans(twoPoints, { k: 3, seed: 1 });
    expect(fit.inertia).toBe(0);
    expect(fit.sizes.reduce((a, b) => a + b, 0)).toBe(3);
    expect(fitKMeans({ values: Float64Array.from([1, 2]), rows: 2, columns: 1 }, { k: 5, seed: 1 }).k).toBe(2);
    const empty = fitKMeans({ values: new Float64Array(0), rows: 0, columns: 2 }, { k: 2, seed: 1 });
    expect(empty.inertia).toBeNaN();
    expect(() => fitKMeans(twoPoints, { k: 0, seed: 1 })).toThrow(RangeError);
  });
});
