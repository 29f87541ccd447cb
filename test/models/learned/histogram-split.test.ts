import { describe, expect, it } from 'vitest';
import { binRows, computeFeatureBins, MISSING_BIN } from '../../../src/models/learned/feature-bins.js';
import { findBinnedLeaf, growRegressionTree, type BinnedMatrix } from '../../../src/models/learned/grow-tree.js';
import { buildHistogram, computeSplitGain, createHistogram, findBestSplit } from '../../../src/models/learned/histogram-split.js';
import { createRandom } from '../../../src/math/random.js';

function matrixOf(columns: Float64Array[], maxBins = 255): BinnedMatrix {
  const bins = computeFeatureBins(columns, { maxBins });
  return { codes: binRows(columns, bins), rows: columns[0].length, features: columns.length, valueBins: bins.edges.map((e) => e.length + 1), edges: bins.edges };
}

const exactOptions = { l2: 1, minChildWeight: 0, minChildRows: 1, minSplitGain: 0, maxDepth: 1, maxLeaves: 2, learningRate: 1 };

describe('a single split on six points (by hand)', () => {
  // x = 1..6, g = (−2, −1, −3, 1, 2, 3), h = 1, λ = 1. G = 0, H = 6.
  // Split after 3 points: G_L = −6, H_L = 3 → 36/4 = 9; G_R = 6 → 9; gain = ½(9 + 9 − 0) = 9 (the others: 1.33, 2.4, 6.67, 3).
  // Leaf outputs −G/(H+λ): left 6/4 = 1.5, right −1.5; the threshold is the midpoint 3.5.
  const x = Float64Array.of(1, 2, 3, 4, 5, 6);
  const g = Float64Array.of(-2, -1, -3, 1, 2, 3);
  const h = new Float64Array(6).fill(1);

  it('finds the split of gain 9 at 3.5 with outputs ±1.5', () => {
    const tree = growRegressionTree(matrixOf([x]), Uint32Array.of(0, 1, 2, 3, 4, 5), 6, g, h, exactOptions);
    expect(tree.feature).toEqual([0, -1, -1]);
    expect(tree.threshold[0]).toBe(3.5);
    expect(tree.gain[0]).toBeCloseTo(9, 12);
    expect(tree.value).toEqual([-0, 1.5, -1.5]);
    expect(tree.cover).toEqual([6, 3, 3]);
  });

  it('computes the same gains as the hand calculation for every cut', () => {
    const expected = [4 / 3, 2.4, 9, 20 / 3, 3];
    for (let k = 1; k <= 5; k++) {
      let gl = 0;
      for (let i = 0; i < k; i++) gl += g[i];
      expect(computeSplitGain(gl, k, -gl, 6 - k, 1)).toBeCloseTo(expected[k - 1], 12);
    }
  });

  it('respects minChildRows: with 4 rows per child required there is no split', () => {
    const tree = growRegressionTree(matrixOf([x]), Uint32Array.of(0, 1, 2, 3, 4, 5), 6, g, h, { ...exactOptions, minChildRows: 4 });
    expect(tree.feature).toEqual([-1]);
  });
});

/** Brute force: every threshold between distinct values, missing values left or right. */
function exactBestSplit(columns: Float64Array[], g: Float64Array, h: Float64Array, l2: number): { feature: number; threshold: number; gain: number; missingLeft: boolean } {
  let best = { feature: -1, threshold: NaN, gain: 0, missingLeft: false };
  for (let f = 0; f < columns.length; f++) {
    const values = [...new Set(Array.from(columns[f]).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
    const thresholds = values.slice(0, -1).map((v, i) => (v + values[i + 1]) / 2);
    if (columns[f].some(Number.isNaN)) thresholds.push(Infinity);
    for (const t of thresholds) {
      for (const missingLeft of [false, true]) {
        let gl = 0, hl = 0, gr = 0, hr = 0, cl = 0, cr = 0;
        for (let i = 0; i < g.length; i++) {
          const v = columns[f][i];
          const goesLeft = Number.isNaN(v) ? missingLeft : v <= t;
          if (goesLeft) { gl += g[i]; hl += h[i]; cl++; } else { gr += g[i]; hr += h[i]; cr++; }
        }
        if (cl === 0 || cr === 0) continue;
        const gain = computeSplitGain(gl, hl, gr, hr, l2);
        if (gain > best.gain + 1e-12) best = { feature: f, threshold: t, gain, missingLeft };
      }
    }
  }
  return best;
}

describe('the histogram split equals the exact split search', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`on 300 rows × 4 features with missing values (seed ${seed})`, () => {
      const random = createRandom(seed);
      const n = 300;
      const columns = Array.from({ length: 4 }, (_, f) =>
        Float64Array.from({ length: n }, () => (random.uniform() < 0.1 * f ? NaN : Math.round(random.normal() * 20) / 4)),
      );
      const g = Float64Array.from({ length: n }, (_, i) => (Number.isNaN(columns[2][i]) ? 1.5 : 0) + (columns[1][i] > 0 ? -1 : 0.5) + random.normal());
      const h = Float64Array.from({ length: n }, () => 0.5 + random.uniform());
      const matrix = matrixOf(columns);
      const histogram = createHistogram(4);
      const rows = Uint32Array.from({ length: n }, (_, i) => i);
      buildHistogram(matrix.codes, 4, rows, 0, n, g, h, histogram);
      let gs = 0, hs = 0;
      for (let i = 0; i < n; i++) { gs += g[i]; hs += h[i]; }
      const split = findBestSplit(histogram, matrix.valueBins, { gradient: gs, hessian: hs, count: n }, { l2: 0.5, minChildWeight: 0, minChildRows: 1, minSplitGain: 0 })!;
      const exact = exactBestSplit(columns, g, h, 0.5);
      expect(split.gain).toBeCloseTo(exact.gain, 9);
      expect(split.feature).toBe(exact.feature);
      // the same partition of the rows
      const edges = matrix.edges[split.feature];
      const threshold = split.bin < edges.length ? edges[split.bin] : Infinity;
      for (let i = 0; i < n; i++) {
        const v = columns[split.feature][i];
        const ours = Number.isNaN(v) ? split.missingLeft : v <= threshold;
        const theirs = Number.isNaN(v) ? exact.missingLeft : v <= exact.threshold;
        expect(ours).toBe(theirs);
      }
    });
  }
});

describe('feature bins', () => {
  it('gives every distinct value its own bin when there are few, midpoints as edges, NaN the missing bin', () => {
    const bins = computeFeatureBins([Float64Array.of(3, 1, 2, 2, NaN)]);
    expect(Array.from(bins.edges[0])).toEqual([1.5, 2.5]);
    expect(Array.from(binRows([Float64Array.of(3, 1, 2, 2, NaN)], bins))).toEqual([2, 0, 1, 1, MISSING_BIN]);
  });

  it('caps the bins at maxBins with roughly equal counts (quantiles)', () => {
    const column = Float64Array.from({ length: 1000 }, (_, i) => i);
    const bins = computeFeatureBins([column], { maxBins: 4 });
    expect(Array.from(bins.edges[0])).toEqual([249.5, 499.5, 749.5]);
  });

  it('routes binned rows as the raw thresholds do', () => {
    const random = createRandom(9);
    const x = Float64Array.from({ length: 500 }, () => random.normal());
    const matrix = matrixOf([x], 16);
    const g = Float64Array.from(x, (v) => (v > 0.3 ? 1 : -1));
    const tree = growRegressionTree(matrix, Uint32Array.from({ length: 500 }, (_, i) => i), 500, g, new Float64Array(500).fill(1), { ...exactOptions, maxDepth: 3, maxLeaves: 8 });
    for (let i = 0; i < 500; i++) {
      let node = 0;
      while (tree.feature[node] >= 0) node = x[i] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
      expect(findBinnedLeaf(tree, matrix.codes, i)).toBe(node);
    }
  });
});
