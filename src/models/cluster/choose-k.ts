/**
 * Choose the number of clusters by the silhouette: fit k-means for every k
 * in [kMin, kMax] on one seeded sample of rows (`fitSampleSize`, default
 * 20,000) and score each clustering by its mean silhouette on a seeded
 * sub-sample (`silhouetteSampleSize`, default 3,000). The k with the highest
 * silhouette wins (the smaller k on a tie). The whole curve, with the
 * inertia of each fit, is returned for the report: a flat curve means the
 * data have no strong cluster structure and any k is a convenience.
 */
import { fitKMeans, type FeatureMatrix, type KMeansOptions } from './kmeans.js';
import { computeSilhouettes, sampleIndices } from './silhouette.js';

export interface ChooseKOptions {
  readonly kMin?: number;
  readonly kMax?: number;
  readonly seed: number;
  readonly fitSampleSize?: number;
  readonly silhouetteSampleSize?: number;
  /** passed to every k-means fit */
  readonly kmeans?: Omit<KMeansOptions, 'k' | 'seed'>;
}

export interface SilhouettePoint {
  readonly k: number;
  readonly silhouette: number;
  /** inertia of the fit on the sample (for an elbow plot) */
  readonly inertia: number;
}

export interface ChooseKResult {
  readonly k: number;
  readonly curve: readonly SilhouettePoint[];
  /** rows the candidate fits used */
  readonly fitRows: number;
  /** rows each silhouette used */
  readonly silhouetteRows: number;
}

/** The rows `indices` of a matrix as a new matrix. */
export function selectRows(matrix: FeatureMatrix, indices: Int32Array): FeatureMatrix {
  const d = matrix.columns;
  const values = new Float64Array(indices.length * d);
  indices.forEach((row, i) => values.set(matrix.values.subarray(row * d, row * d + d), i * d));
  return { values, rows: indices.length, columns: d };
}

export function chooseKBySilhouette(matrix: FeatureMatrix, options: ChooseKOptions): ChooseKResult {
  const kMin = Math.max(2, Math.floor(options.kMin ?? 2));
  const kMax = Math.max(kMin, Math.floor(options.kMax ?? 10));
  const sample = selectRows(matrix, sampleIndices(matrix.rows, options.fitSampleSize ?? 20_000, options.seed));
  const fits: { k: number; fitted: number; assignments: Int32Array; inertia: number }[] = [];
  for (let k = kMin; k <= Math.min(kMax, Math.max(kMin, sample.rows - 1)); k++) {
    const fit = fitKMeans(sample, { ...options.kmeans, k, seed: options.seed + k, algorithm: 'lloyd' });
    fits.push({ k, fitted: fit.k, assignments: fit.assignments, inertia: fit.inertia });
  }
  // one pass over the sampled rows' distances scores every k
  const silhouettes = computeSilhouettes(sample, fits.map((f) => ({ assignments: f.assignments, k: f.fitted })), { sampleSize: options.silhouetteSampleSize ?? 3000, seed: options.seed });
  const curve: SilhouettePoint[] = fits.map((f, i) => ({ k: f.k, silhouette: silhouettes[i]!.mean, inertia: f.inertia }));
  const silhouetteRows = silhouettes[0]?.rows ?? 0;
  let best: SilhouettePoint | undefined;
  for (const point of curve) if (!Number.isNaN(point.silhouette) && (!best || point.silhouette > best.silhouette)) best = point;
  return { k: best?.k ?? kMin, curve, fitRows: sample.rows, silhouetteRows };
}
