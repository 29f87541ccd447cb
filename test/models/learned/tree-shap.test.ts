import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/math/random.js';
import { fitGradientBoosting, type GradientBoostedModel } from '../../../src/models/learned/gradient-boosting.js';
import type { RegressionTree } from '../../../src/models/learned/grow-tree.js';
import { predictGradientBoostingRaw } from '../../../src/models/learned/predict-gradient-boosting.js';
import { computeTreeExpectedValue, computeTreeShap } from '../../../src/models/learned/tree-shap.js';

/** E[tree(x) | x_S]: follow x at splits on features in S, average the children by cover elsewhere. */
function conditionalValue(tree: RegressionTree, x: number[], subset: Set<number>, node = 0): number {
  if (tree.feature[node] < 0) return tree.value[node];
  const f = tree.feature[node];
  const l = tree.left[node], r = tree.right[node];
  if (subset.has(f)) {
    const v = x[f];
    return conditionalValue(tree, x, subset, v <= tree.threshold[node] || (Number.isNaN(v) && tree.missingLeft[node]) ? l : r);
  }
  return (tree.cover[l] * conditionalValue(tree, x, subset, l) + tree.cover[r] * conditionalValue(tree, x, subset, r)) / (tree.cover[l] + tree.cover[r]);
}

/** Shapley values by enumerating every subset (2^M): the definition, for small M. */
function bruteForceShap(model: GradientBoostedModel, x: number[]): number[] {
  const m = x.length;
  const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));
  const value = (subset: Set<number>) => model.trees.reduce((sum, [tree]) => sum + conditionalValue(tree, x, subset), model.initialScores[0]);
  const phi = new Array<number>(m).fill(0);
  for (let mask = 0; mask < 1 << m; mask++) {
    const subset = new Set<number>();
    for (let f = 0; f < m; f++) if (mask & (1 << f)) subset.add(f);
    const weight = (factorial(subset.size) * factorial(m - subset.size - 1)) / factorial(m);
    for (let f = 0; f < m; f++) {
      if (subset.has(f)) continue;
      const withF = new Set(subset).add(f);
      phi[f] += weight * (value(withF) - value(subset));
    }
  }
  return phi;
}

describe('TreeSHAP', () => {
  const random = createRandom(4);
  const n = 1500;
  const columns = Array.from({ length: 4 }, (_, f) => Float64Array.from({ length: n }, () => (f === 2 && random.uniform() < 0.1 ? NaN : random.normal())));
  // interactions and a repeated feature on paths, so that unwinding is exercised
  const label = Float64Array.from({ length: n }, (_, i) =>
    random.poisson(Math.exp(0.3 + 0.6 * columns[0][i] * (columns[1][i] > 0 ? 1 : -0.5) + (Number.isNaN(columns[2][i]) ? 0.7 : 0.2 * columns[2][i]))),
  );
  const model = fitGradientBoosting({ columns, label }, { loss: 'poisson', rounds: 15, maxDepth: 5, maxLeaves: 12, minChildRows: 10, seed: 2 });

  it('equals the Shapley values of the definition (all 16 subsets) on 30 rows', () => {
    // the trees split twice on one feature along some path: the unwinding step is exercised
    const repeats = (tree: RegressionTree, node: number, seen: number[]): boolean =>
      tree.feature[node] >= 0 &&
      (seen.includes(tree.feature[node]) || [tree.left[node], tree.right[node]].some((child) => repeats(tree, child, [...seen, tree.feature[node]])));
    expect(model.trees.some(([tree]) => repeats(tree, 0, []))).toBe(true);
    // both ways of walking the trees: 30 rows alone would take the recursion (fewer than 2^depth)
    for (const leafTables of [true, false]) {
      const shap = computeTreeShap(model, columns.map((c) => c.subarray(0, 30)), 0, { leafTables });
      for (let i = 0; i < 30; i++) {
        const expected = bruteForceShap(model, columns.map((c) => c[i]));
        for (let f = 0; f < 4; f++) expect(shap.contributions[i * 4 + f]).toBeCloseTo(expected[f], 10);
      }
    }
  });

  it('adds up with the expected value to the raw score, and gives an unused feature 0', () => {
    const shap = computeTreeShap(model, columns);
    const raw = predictGradientBoostingRaw(model, columns);
    const expectedValue = model.trees.reduce((s, [tree]) => s + computeTreeExpectedValue(tree), model.initialScores[0]);
    expect(shap.bias).toBeCloseTo(expectedValue, 14);
    const used = new Set(model.trees.flatMap(([tree]) => tree.feature.filter((f) => f >= 0)));
    for (let i = 0; i < n; i++) {
      let sum = shap.bias;
      for (let f = 0; f < 4; f++) sum += shap.contributions[i * 4 + f];
      expect(sum).toBeCloseTo(raw[i], 10);
      for (let f = 0; f < 4; f++) if (!used.has(f)) expect(shap.contributions[i * 4 + f]).toBe(0);
    }
  });

  it('gives the recursion’s values from its leaf tables, on deeper trees with repeated features and missing values', () => {
    const deep = fitGradientBoosting({ columns, label }, { loss: 'poisson', rounds: 20, maxDepth: 8, maxLeaves: 40, minChildRows: 5, seed: 3 });
    const some = columns.map((c) => c.subarray(0, 300));
    const tables = computeTreeShap(deep, some);
    const recursion = computeTreeShap(deep, some, 0, { leafTables: false });
    expect(tables.bias).toBe(recursion.bias);
    let largest = 0;
    for (let i = 0; i < tables.contributions.length; i++) largest = Math.max(largest, Math.abs(tables.contributions[i]! - recursion.contributions[i]!));
    expect(largest).toBeLessThan(1e-12);
    expect(recursion.contributions.some((v) => v !== 0)).toBe(true);
  });

  it('gives a row the same values whatever other rows come with it (validate computes three example rows alone)', () => {
    const all = computeTreeShap(model, columns);
    const rows = [0, 700, n - 1];
    const some = computeTreeShap(model, columns.map((c) => Float64Array.from(rows, (r) => c[r]!)), 0, { leafTables: true });
    rows.forEach((row, k) => expect(Array.from(some.contributions.subarray(k * 4, k * 4 + 4))).toEqual(Array.from(all.contributions.subarray(row * 4, row * 4 + 4))));
  });
});

