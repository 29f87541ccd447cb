/**
 * Feature scaling for k-means: skewed non-negative features are
 * log-transformed (log1p, negatives clamped to 0) and every numeric feature is
 * standardised to mean 0, standard deviation 1 (population sd), so that no
 * feature dominates the Euclidean distance by its units. Indicator (one-hot)
 * features enter as 0/1 times `weight`, not standardised: two customers who
 * differ in one category are as far apart as one standard deviation on one
 * numeric feature. A constant feature (sd 0) becomes all zeros.
 */
import type { FeatureMatrix } from './kmeans.js';

export type FeatureTransform = 'log1p' | 'identity' | 'indicator';

export interface FeatureSpec {
  readonly name: string;
  readonly transform: FeatureTransform;
  /** multiplier of an indicator (default 1) */
  readonly weight?: number;
}

export interface FeatureScale {
  readonly name: string;
  readonly transform: FeatureTransform;
  /** mean and sd of the transformed feature (indicator: of the 0/1 values) */
  readonly mean: number;
  readonly sd: number;
  readonly weight: number;
}

export interface ScaledFeatures {
  readonly matrix: FeatureMatrix;
  readonly scales: readonly FeatureScale[];
}

function transformValue(x: number, transform: FeatureTransform): number {
  if (transform === 'log1p') return Math.log1p(Math.max(0, x));
  return x;
}

/** Scale parallel feature columns (all the same length, no NaN) into a row-major matrix. */
export function scaleFeatures(columns: readonly ArrayLike<number>[], specs: readonly FeatureSpec[]): ScaledFeatures {
  if (columns.length !== specs.length) throw new RangeError(`scaleFeatures: ${columns.length} columns for ${specs.length} specs`);
  const d = specs.length;
  const n = d === 0 ? 0 : columns[0]!.length;
  const values = new Float64Array(n * d);
  const scales: FeatureScale[] = specs.map((spec, j) => {
    const column = columns[j]!;
    if (column.length !== n) throw new RangeError(`scaleFeatures: column ${spec.name} has ${column.length} values, expected ${n}`);
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const t = transformValue(column[i]!, spec.transform);
      sum += t;
      if (t < min) min = t;
      if (t > max) max = t;
    }
    // a constant column is constant exactly: its rounded sum would give a mean off by a hair and an sd of ~1e-14,
    // which standardises float noise to ±1 (a cluster trait such as “large baskets” where every basket is 1 unit)
    const constant = n > 0 && min === max;
    const mean = n === 0 ? NaN : constant ? min : sum / n;
    let squares = 0;
    if (!constant) for (let i = 0; i < n; i++) squares += (transformValue(column[i]!, spec.transform) - mean) ** 2;
    const sd = n === 0 ? NaN : Math.sqrt(squares / n);
    const weight = spec.transform === 'indicator' ? spec.weight ?? 1 : 1;
    for (let i = 0; i < n; i++) {
      const t = transformValue(column[i]!, spec.transform);
      values[i * d + j] = spec.transform === 'indicator' ? t * weight : sd > 0 ? (t - mean) / sd : 0;
    }
    return { name: spec.name, transform: spec.transform, mean, sd, weight };
  });
  return { matrix: { values, rows: n, columns: d }, scales };
}

/** A scaled value back in the feature's own units (log1p undone by expm1; an indicator gives its share in [0, 1]). */
export function unscaleValue(scaled: number, scale: FeatureScale): number {
  if (scale.transform === 'indicator') return scaled / scale.weight;
  const t = scale.sd > 0 ? scaled * scale.sd + scale.mean : scale.mean;
  return scale.transform === 'log1p' ? Math.expm1(t) : t;
}

/** The z-score of a scaled value against all rows ((transformed − mean) / sd); for an indicator, of its share. */
export function zScoreOf(scaled: number, scale: FeatureScale): number {
  if (scale.transform === 'indicator') return scale.sd > 0 ? (scaled / scale.weight - scale.mean) / scale.sd : 0;
  return scale.sd > 0 ? scaled : 0;
}
