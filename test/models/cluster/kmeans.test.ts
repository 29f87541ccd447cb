import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/math/random.js';
import { fitKMeans, type FeatureMatrix } from '../../../src/models/cluster/kmeans.js';
import { computeSilhouette } from '../../../src/models/cluster/silhouette.js';

/** `k` well-separated Gaussian blobs in `d` dimensions, `perCluster` rows each, shuffled; returns the planted labels too. */
function plantedBlobs(k: number, d: number, perCluster: number, seed: number): { matrix: FeatureMatrix; labels: Int32Array } {
  const random = createRandom(seed);
  const n = k * perCluster;
  const values = new Float64Array(n * d);
  const labels = new Int32Array(n);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = random.integer(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (let i = 0; i < n; i++) {
    const cluster = order[i]! % k;
    labels[i] = cluster;
    for (let c = 0; c < d; c++) values[i * d + c] = 10 * ((cluster >> c) & 1) + 3 * cluster * (c === 0 ? 1 : 0) + random.normal();
  }
  return { matrix: { values, rows: n, columns: d }, labels };
}

/** Share of rows whose found cluster is the majority cluster of their planted label (1 = perfect recovery). */
function purity(found: Int32Array, planted: Int32Array, k: number): number {
  let agree = 0;
  for (let label = 0; label < k; label++) {
    const counts = new Map<number, number>();
    planted.forEach((p, i) => {
      if (p === label) counts.set(found[i]!, (counts.get(found[i]!) ?? 0) + 1);
    });
    agree += Math.max(...counts.values());
  }
  return agree / planted.length;
}

describe('k-means++ (Arthur & Vassilvitskii 2007)', () => {
  it('recovers planted clusters exactly, with Lloyd and with mini-batch', () => {
    const { matrix, labels } = plantedBlobs(5, 4, 2000, 11);
    for (const algorithm of ['lloyd', 'minibatch'] as const) {
      const result = fitKMeans(matrix, { k: 5, seed: 3, algorithm });
      expect(result.sizes.reduce((a, b) => a + b, 0)).toBe(10_000);
      expect(purity(result.assignments, labels, 5), algorithm).toBeGreaterThan(0.995);
      expect(new Set(result.assignments).size).toBe(5);
    }
  });

  it('is reproducible with a seed', () => {
    const { matrix } = plantedBlobs(4, 3, 500, 5);
    const a = fitKMeans(matrix, { k: 4, seed: 9 });
    const b = fitKMeans(matrix, { k: 4, seed: 9 });
    expect(Array.from(a.assignments)).toEqual(Array.from(b.assignments));
    expect(a.inertia).toBe(b.inertia);
  });

  it('silhouette is highest at the planted k', () => {
    const { matrix } = plantedBlobs(4, 3, 800, 17);
    const scores = [2, 3, 4, 5, 6].map((k) => computeSilhouette(matrix, fitKMeans(matrix, { k, seed: 1 }).assignments, k, { sampleSize: 1500, seed: 2 }).mean);
    const best = [2, 3, 4, 5, 6][scores.indexOf(Math.max(...scores))];
    expect(best, `silhouettes ${scores.map((s) => s.toFixed(3)).join(', ')}`).toBe(4);
  });
});
