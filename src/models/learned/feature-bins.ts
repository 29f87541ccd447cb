/**
 * Feature binning for histogram gradient boosting (Ke et al. 2017,
 * "LightGBM", NeurIPS, §2; Chen & Guestrin 2016, "XGBoost", §3.3 approximate
 * split finding with quantile sketches).
 *
 * Each feature gets at most `maxBins` (≤ 255) value bins and one missing bin.
 * Bin b holds the values v with edges[b−1] < v ≤ edges[b] (the last bin has no
 * upper edge). When a feature has at most `maxBins` distinct values every value
 * gets its own bin and the edges are the midpoints between consecutive distinct
 * values, so a histogram split equals the exact split (same partition). With
 * more distinct values the edges are quantiles of the distinct-value
 * distribution weighted by counts (duplicates collapsed). Missing values (NaN)
 * get code MISSING_BIN (255) whatever the number of value bins.
 *
 * Edges are computed on at most `sampleRows` rows taken at a fixed stride, so
 * binning is deterministic without a seed.
 */

/** The code of a missing value (NaN) in every binned column. */
export const MISSING_BIN = 255;
/** Largest number of value bins per feature (codes 0..254). */
export const MAX_VALUE_BINS = 255;

export interface FeatureBins {
  /** per feature: upper edges of the value bins except the last (length = number of value bins − 1) */
  readonly edges: readonly Float64Array[];
}

export interface BinOptions {
  /** value bins per feature, 2..255 (default 255) */
  maxBins?: number;
  /** rows looked at to place the edges (default 100,000; every row below that) */
  sampleRows?: number;
}

/** Upper edges for one column (see the file header). */
export function computeColumnEdges(column: Float64Array, maxBins: number, sampleRows: number): Float64Array {
  const stride = Math.max(1, Math.ceil(column.length / sampleRows));
  const sample = new Float64Array(Math.ceil(column.length / stride));
  let size = 0;
  for (let i = 0; i < column.length; i += stride) if (!Number.isNaN(column[i])) sample[size++] = column[i];
  const sorted = sample.subarray(0, size).sort();
  // distinct values with counts, in place of typed arrays
  const distinct = new Float64Array(size);
  const counts = new Int32Array(size);
  let m = 0;
  for (let i = 0; i < size; i++) {
    if (m > 0 && sorted[i] === distinct[m - 1]) counts[m - 1]++;
    else {
      distinct[m] = sorted[i];
      counts[m++] = 1;
    }
  }
  if (m <= 1) return new Float64Array(0);
  if (m <= maxBins) {
    const edges = new Float64Array(m - 1);
    for (let i = 0; i < edges.length; i++) edges[i] = midpoint(distinct[i], distinct[i + 1]);
    return edges;
  }
  // quantile edges: close a bin when its cumulative count reaches the next quantile
  const edges: number[] = [];
  let cumulative = 0;
  for (let i = 0; i < m - 1 && edges.length < maxBins - 1; i++) {
    cumulative += counts[i];
    const target = ((edges.length + 1) * size) / maxBins;
    if (cumulative >= target) edges.push(midpoint(distinct[i], distinct[i + 1]));
  }
  return Float64Array.from(edges);
}

function midpoint(a: number, b: number): number {
  const m = a + (b - a) / 2;
  // never equal to b (then b would fall in the lower bin)
  return m < b ? m : a;
}

/** Edges for every column. */
export function computeFeatureBins(columns: readonly Float64Array[], options: BinOptions = {}): FeatureBins {
  const maxBins = Math.min(MAX_VALUE_BINS, Math.max(2, Math.floor(options.maxBins ?? MAX_VALUE_BINS)));
  const sampleRows = Math.max(1, Math.floor(options.sampleRows ?? 100_000));
  return { edges: columns.map((column) => computeColumnEdges(column, maxBins, sampleRows)) };
}

/** rows binned together: their codes (rows × features bytes) stay in cache while every column is written into them */
const BIN_BLOCK_ROWS = 4096;

/**
 * Bin codes of every row, row-major: codes[row·features + feature]. A value's
 * code is the index of the first edge ≥ value, MISSING_BIN for NaN. The search
 * is branchless over the edges padded with +∞ to 2^k − 1 (k steps of
 * lo += step·[edge[lo + step − 1] < value]), and rows go BIN_BLOCK_ROWS at a
 * time so that the strided writes of one column land in cache lines the other
 * columns fill too.
 */
export function binRows(columns: readonly Float64Array[], bins: FeatureBins): Uint8Array {
  const features = columns.length;
  const rows = features === 0 ? 0 : columns[0].length;
  const codes = new Uint8Array(rows * features);
  const padded = bins.edges.map((edges) => {
    let size = 1;
    while (size - 1 < edges.length) size *= 2;
    const out = new Float64Array(size).fill(Infinity);
    out.set(edges);
    return out;
  });
  for (let start = 0; start < rows; start += BIN_BLOCK_ROWS) {
    const end = Math.min(rows, start + BIN_BLOCK_ROWS);
    for (let f = 0; f < features; f++) {
      const edges = padded[f];
      const column = columns[f];
      const top = edges.length >>> 1;
      for (let i = start, at = start * features + f; i < end; i++, at += features) {
        const value = column[i];
        let lo = 0;
        for (let step = top; step > 0; step >>>= 1) lo += step & -(edges[lo + step - 1] < value);
        codes[at] = value === value ? lo : MISSING_BIN;
      }
    }
  }
  return codes;
}
