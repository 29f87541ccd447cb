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

/**
 * Sums of gradient, hessian and count per (feature, bin) over rows[start..end)
 * of a row-major code matrix (codes[row·features + feature]); `out` is overwritten.
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
  out.fill(0);
  const featureStride = HISTOGRAM_BINS * STRIDE;
  for (let k = start; k < end; k++) {
    const row = rows[k];
    const g = gradient[row];
    const h = hessian[row];
    const base = row * features;
    for (let f = 0, offset = 0; f < features; f++, offset += featureStride) {
      const slot = offset + codes[base + f] * STRIDE;
      out[slot] += g;
      out[slot + 1] += h;
      out[slot + 2] += 1;
    }
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
