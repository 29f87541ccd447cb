/**
 * Gradient histograms and the best split of a node (Chen & Guestrin 2016,
 * "XGBoost", eqs. 5–7 and Alg. 3 with a default direction for missing
 * values; Ke et al. 2017, "LightGBM", Alg. 1 and the histogram subtraction
 * of §2).
 *
 * A histogram holds, per feature and bin code (0..255, 255 = missing), the
 * sums of gradients, hessians and row counts of the node's rows. The score of
 * a node with sums (G, H) is G²/(H + λ); a split's gain is
 *   ½·[G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)]
 * and the node's optimal output is −G/(H + λ). Missing values go to the side
 * (left or right) that gives the larger gain; "all values left, missing
 * right" is a candidate too. Ties keep the first candidate in scan order
 * (feature, then bin, then missing right before left): deterministic.
 */
import { MISSING_BIN } from './feature-bins.js';

/** Bin codes per feature in a histogram (value bins and the missing bin). */
export const HISTOGRAM_BINS = 256;
const STRIDE = 3;

export interface NodeStats {
  readonly gradient: number;
  readonly hessian: number;
  readonly count: number;
}

export interface SplitRule {
  readonly feature: number;
  /** rows with bin code ≤ bin go left (missing rows follow missingLeft) */
  readonly bin: number;
  readonly missingLeft: boolean;
  readonly gain: number;
  readonly left: NodeStats;
  readonly right: NodeStats;
}

export interface SplitOptions {
  /** L2 regularisation λ on leaf outputs */
  readonly l2: number;
  /** smallest hessian sum in a child */
  readonly minChildWeight: number;
  /** smallest number of rows in a child */
  readonly minChildRows: number;
  /** smallest gain worth a split */
  readonly minSplitGain: number;
}

/** The optimal output of a node with gradient sum G and hessian sum H: −G/(H + λ). */
export function computeLeafOutput(gradient: number, hessian: number, l2: number): number {
  const denominator = hessian + l2;
  return denominator > 0 ? -gradient / denominator : 0;
}

/** G²/(H + λ), 0 when H + λ = 0. */
function score(gradient: number, hessian: number, l2: number): number {
  const denominator = hessian + l2;
  return denominator > 0 ? (gradient * gradient) / denominator : 0;
}

/** ½·[G_L²/(H_L+λ) + G_R²/(H_R+λ) − (G_L+G_R)²/(H_L+H_R+λ)]. */
export function computeSplitGain(gradientLeft: number, hessianLeft: number, gradientRight: number, hessianRight: number, l2: number): number {
  return 0.5 * (score(gradientLeft, hessianLeft, l2) + score(gradientRight, hessianRight, l2) - score(gradientLeft + gradientRight, hessianLeft + hessianRight, l2));
}

export function createHistogram(features: number): Float64Array {
  return new Float64Array(features * HISTOGRAM_BINS * STRIDE);
}

/** rows whose gradients are gathered before the feature loops (256 rows × 40 features of codes: 10 KiB) */
const HISTOGRAM_BLOCK_ROWS = 256;
const blockGradient = new Float64Array(HISTOGRAM_BLOCK_ROWS);
const blockHessian = new Float64Array(HISTOGRAM_BLOCK_ROWS);
const blockBase = new Int32Array(HISTOGRAM_BLOCK_ROWS);

/**
 * Sums of gradient, hessian and count per (feature, bin) over rows[start..end)
 * of a row-major code matrix (codes[row·features + feature]); `out` is overwritten.
 *
 * Rows go HISTOGRAM_BLOCK_ROWS at a time: their gradients, hessians and row
 * offsets are gathered into a dense block, then eight features at a time take
 * the whole block (eight histograms of 6 KiB: the L1 cache) — eight
 * independent read-modify-writes per row instead of a chain through one
 * histogram, and no row touching all features' histograms (240 KiB for 40).
 * Every (feature, bin) sum still adds its rows in row order, so the sums are
 * the same bit for bit as a plain row-by-row pass.
 */
export function buildHistogram(
  codes: Uint8Array,
  features: number,
  rows: Uint32Array,
  start: number,
  end: number,
  gradient: Float64Array,
  hessian: Float64Array,
  out: Float64Array,
): void {
  buildHistogramFromPairs(codes, features, rows, start, end, interleaveGradients(gradient, hessian), out);
}

/** [g0, h0, g1, h1, …]: one cache line read gives a row's gradient and hessian (`buildHistogramFromPairs`). */
export function interleaveGradients(gradient: Float64Array, hessian: Float64Array, out: Float64Array = new Float64Array(2 * gradient.length)): Float64Array {
  for (let i = 0; i < gradient.length; i++) {
    out[2 * i] = gradient[i]!;
    out[2 * i + 1] = hessian[i]!;
  }
  return out;
}

/** The sum of the codes touched while gathering (stored so that the touching reads are not optimised away): see `buildHistogramFromPairs`. */
let touched = 0;

/**
 * `buildHistogram` with each row's gradient and hessian side by side (`interleaveGradients`): at 1M rows the
 * smaller children's rows lie far apart, and every row read costs cache misses — one line for both numbers instead
 * of two. The gather loop also touches the first and last code of each row, so that the row's code lines (40 bytes
 * can straddle two) are fetched while the block is gathered, many at once, not one by one in the feature loops.
 */
export function buildHistogramFromPairs(codes: Uint8Array, features: number, rows: Uint32Array, start: number, end: number, pairs: Float64Array, out: Float64Array): void {
  out.fill(0);
  const gb = blockGradient, hb = blockHessian, bases = blockBase;
  const last = features - 1;
  let touch = 0;
  for (let blockStart = start; blockStart < end; blockStart += HISTOGRAM_BLOCK_ROWS) {
    const m = Math.min(HISTOGRAM_BLOCK_ROWS, end - blockStart);
    for (let i = 0; i < m; i++) {
      const row = rows[blockStart + i]!;
      const base = row * features;
      gb[i] = pairs[2 * row]!;
      hb[i] = pairs[2 * row + 1]!;
      bases[i] = base;
      touch += codes[base]! + codes[base + last]!;
    }
    let f = 0;
    for (; f + 8 <= features; f += 8) addEightFeatures(codes, f, m, out);
    for (; f < features; f++) addOneFeature(codes, f, m, out);
  }
  touched = touch;
}

const FEATURE_STRIDE = HISTOGRAM_BINS * STRIDE;

/** Adds the gathered block to the histograms of features f..f+7. */
function addEightFeatures(codes: Uint8Array, f: number, m: number, out: Float64Array): void {
  const gb = blockGradient, hb = blockHessian, bases = blockBase;
  const o0 = f * FEATURE_STRIDE, o1 = o0 + FEATURE_STRIDE, o2 = o1 + FEATURE_STRIDE, o3 = o2 + FEATURE_STRIDE;
  const o4 = o3 + FEATURE_STRIDE, o5 = o4 + FEATURE_STRIDE, o6 = o5 + FEATURE_STRIDE, o7 = o6 + FEATURE_STRIDE;
  for (let i = 0; i < m; i++) {
    const b = bases[i]! + f;
    const g = gb[i]!, h = hb[i]!;
    const s0 = o0 + codes[b]! * STRIDE, s1 = o1 + codes[b + 1]! * STRIDE, s2 = o2 + codes[b + 2]! * STRIDE, s3 = o3 + codes[b + 3]! * STRIDE;
    const s4 = o4 + codes[b + 4]! * STRIDE, s5 = o5 + codes[b + 5]! * STRIDE, s6 = o6 + codes[b + 6]! * STRIDE, s7 = o7 + codes[b + 7]! * STRIDE;
    out[s0]! += g; out[s0 + 1]! += h; out[s0 + 2]! += 1;
    out[s1]! += g; out[s1 + 1]! += h; out[s1 + 2]! += 1;
    out[s2]! += g; out[s2 + 1]! += h; out[s2 + 2]! += 1;
    out[s3]! += g; out[s3 + 1]! += h; out[s3 + 2]! += 1;
    out[s4]! += g; out[s4 + 1]! += h; out[s4 + 2]! += 1;
    out[s5]! += g; out[s5 + 1]! += h; out[s5 + 2]! += 1;
    out[s6]! += g; out[s6 + 1]! += h; out[s6 + 2]! += 1;
    out[s7]! += g; out[s7 + 1]! += h; out[s7 + 2]! += 1;
  }
}

/** Adds the gathered block to the histogram of feature f. */
function addOneFeature(codes: Uint8Array, f: number, m: number, out: Float64Array): void {
  const gb = blockGradient, hb = blockHessian, bases = blockBase;
  const offset = f * FEATURE_STRIDE;
  for (let i = 0; i < m; i++) {
    const slot = offset + codes[bases[i]! + f]! * STRIDE;
    out[slot]! += gb[i]!;
    out[slot + 1]! += hb[i]!;
    out[slot + 2]! += 1;
  }
}

/** out = parent − child (the sibling's histogram without a pass over its rows). */
export function subtractHistogram(parent: Float64Array, child: Float64Array, out: Float64Array): void {
  for (let i = 0; i < parent.length; i++) out[i] = parent[i] - child[i];
}

/**
 * The best split of a node from its histogram; null when no candidate meets
 * the child limits or has gain > minSplitGain. `valueBins[f]` is the number of
 * value bins of feature f (edges + 1).
 */
export function findBestSplit(histogram: Float64Array, valueBins: readonly number[], total: NodeStats, options: SplitOptions): SplitRule | null {
  const { l2, minChildWeight, minChildRows, minSplitGain } = options;
  let best: SplitRule | null = null;
  let bestGain = minSplitGain;
  const consider = (feature: number, bin: number, missingLeft: boolean, gl: number, hl: number, cl: number): void => {
    const gr = total.gradient - gl;
    const hr = total.hessian - hl;
    const cr = total.count - cl;
    if (cl < minChildRows || cr < minChildRows || hl < minChildWeight || hr < minChildWeight) return;
    const gain = computeSplitGain(gl, hl, gr, hr, l2);
    if (gain > bestGain) {
      bestGain = gain;
      best = { feature, bin, missingLeft, gain, left: { gradient: gl, hessian: hl, count: cl }, right: { gradient: gr, hessian: hr, count: cr } };
    }
  };
  for (let f = 0; f < valueBins.length; f++) {
    const base = f * HISTOGRAM_BINS * STRIDE;
    const missing = base + MISSING_BIN * STRIDE;
    const gm = histogram[missing], hm = histogram[missing + 1], cm = histogram[missing + 2];
    const lastBin = cm > 0 ? valueBins[f] - 1 : valueBins[f] - 2;
    let gl = 0, hl = 0, cl = 0;
    for (let b = 0; b <= lastBin; b++) {
      const slot = base + b * STRIDE;
      gl += histogram[slot];
      hl += histogram[slot + 1];
      cl += histogram[slot + 2];
      consider(f, b, false, gl, hl, cl);
      if (cm > 0 && b < valueBins[f] - 1) consider(f, b, true, gl + gm, hl + hm, cl + cm);
    }
  }
  return best;
}
