/**
 * Silhouette of a clustering (Rousseeuw 1987, "Silhouettes: a graphical aid
 * to the interpretation and validation of cluster analysis", J. Comput.
 * Appl. Math. 20): for row i with a(i) the mean Euclidean distance to the
 * other rows of its cluster and b(i) the smallest mean distance to the rows
 * of another cluster, s(i) = (b − a) / max(a, b); s(i) = 0 for a row alone
 * in its cluster. The mean of s over rows is in [−1, 1], higher is better.
 *
 * The exact value costs O(n²) distances, so above `sampleSize` rows it is
 * computed on a seeded uniform sample of rows (partial Fisher–Yates with
 * `createRandom(seed)`), distances among the sampled rows only — the
 * estimator scikit-learn's `silhouette_score(sample_size=…)` uses.
 * Returns NaN when fewer than two clusters are present in the rows used.
 */
import { createRandom } from '../../math/random.js';
import type { FeatureMatrix } from './kmeans.js';

export interface SilhouetteOptions {
  /** rows used at most (default 3000); all rows when n is smaller */
  readonly sampleSize?: number;
  readonly seed?: number;
}

export interface SilhouetteResult {
  /** mean silhouette over the rows used */
  readonly mean: number;
  /** mean silhouette per cluster (NaN for a cluster with no sampled row) */
  readonly byCluster: readonly number[];
  /** rows used */
  readonly rows: number;
}

/** A seeded uniform sample of `size` distinct indices from 0 … n−1, ascending (all of them when size ≥ n). */
export function sampleIndices(n: number, size: number, seed: number): Int32Array {
  const m = Math.max(0, Math.min(n, Math.floor(size)));
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (m < n) {
    const random = createRandom(seed);
    for (let j = 0; j < m; j++) {
      const r = j + random.integer(n - j);
      const t = order[j]!;
      order[j] = order[r]!;
      order[r] = t;
    }
  }
  return order.slice(0, m).sort();
}

export function computeSilhouette(matrix: FeatureMatrix, assignments: Int32Array, k: number, options: SilhouetteOptions = {}): SilhouetteResult {
  return computeSilhouettes(matrix, [{ assignments, k }], options)[0]!;
}

/** One clustering of a matrix's rows: each row's cluster, 0 … k−1. */
export interface Clustering {
  readonly assignments: Int32Array;
  readonly k: number;
}

/**
 * The silhouettes of several clusterings of the same rows, on the same sampled rows (the same `sampleSize` and `seed`):
 * each distance between two sampled rows is computed once for all of them (choosing k scores nine clusterings of
 * one sample). Each result is bit-identical to `computeSilhouette` of that clustering alone: its sums add the same
 * distances in the same order.
 */
export function computeSilhouettes(matrix: FeatureMatrix, clusterings: readonly Clustering[], options: SilhouetteOptions = {}): SilhouetteResult[] {
  const { values, rows: n, columns: d } = matrix;
  const picked = sampleIndices(n, options.sampleSize ?? 3000, options.seed ?? 1);
  const m = picked.length;
  const scored = clusterings.map(({ assignments, k }) => {
    const cluster = Int32Array.from(picked, (i) => assignments[i]!);
    const counts = new Float64Array(k);
    for (let a = 0; a < m; a++) counts[cluster[a]!]!++;
    const present = counts.reduce((s, c) => s + (c > 0 ? 1 : 0), 0);
    // sums[a·k + c]: total distance from sampled row a to the sampled rows of cluster c (none when fewer than two clusters)
    return { k, cluster, counts, sums: present < 2 ? null : new Float64Array(m * k) };
  });
  const summed = scored.filter((s): s is typeof s & { sums: Float64Array } => s.sums !== null);
  if (summed.length > 0) {
    // per sampled row a: its distances to the rows after it, then each clustering adds them (every sum gets the same
    // distances in the same order as one clustering alone would give it)
    const distances = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      const ra = picked[a]! * d;
      for (let b = a + 1; b < m; b++) {
        const rb = picked[b]! * d;
        let s = 0;
        for (let j = 0; j < d; j++) {
          const diff = values[ra + j]! - values[rb + j]!;
          s += diff * diff;
        }
        distances[b] = Math.sqrt(s);
      }
      for (const { k, cluster, sums } of summed) {
        const rowA = a * k;
        const ownA = cluster[a]!;
        for (let b = a + 1; b < m; b++) {
          const dist = distances[b]!;
          sums[rowA + cluster[b]!]! += dist;
          sums[b * k + ownA]! += dist;
        }
      }
    }
  }
  return scored.map(({ k, cluster, counts, sums }) => (sums === null ? { mean: NaN, byCluster: Array.from(counts, () => NaN), rows: m } : silhouetteFromSums(cluster, counts, sums, k)));
}

/** The mean silhouette, and per cluster, from each sampled row's summed distances to every cluster. */
function silhouetteFromSums(cluster: Int32Array, counts: Float64Array, sums: Float64Array, k: number): SilhouetteResult {
  const m = cluster.length;
  const byClusterSum = new Float64Array(k);
  let total = 0;
  for (let a = 0; a < m; a++) {
    const own = cluster[a]!;
    let s = 0;
    if (counts[own]! > 1) {
      const inner = sums[a * k + own]! / (counts[own]! - 1);
      let outer = Infinity;
      for (let c = 0; c < k; c++) if (c !== own && counts[c]! > 0) outer = Math.min(outer, sums[a * k + c]! / counts[c]!);
      const denominator = Math.max(inner, outer);
      s = denominator > 0 ? (outer - inner) / denominator : 0;
    }
    total += s;
    byClusterSum[own]! += s;
  }
  return { mean: total / m, byCluster: Array.from(byClusterSum, (s, c) => (counts[c]! > 0 ? s / counts[c]! : NaN)), rows: m };
}
