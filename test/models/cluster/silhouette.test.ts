import { describe, expect, it } from 'vitest';
import { computeSilhouette, sampleIndices } from '../../../src/models/cluster/silhouette.js';

const line = (xs: number[]) => ({ values: Float64Array.from(xs), rows: xs.length, columns: 1 });

describe('silhouette (Rousseeuw 1987)', () => {
  it('equals the hand-computed value on two pairs of points', () => {
    // {0, 1} and {10, 11}: s(0) = (10.5 − 1) / 10.5, s(1) = (9.5 − 1) / 9.5, and symmetrically
    const result = computeSilhouette(line([0, 1, 10, 11]), Int32Array.from([0, 0, 1, 1]), 2);
    const expected = (9.5 / 10.5 + 8.5 / 9.5) / 2;
    expect(Math.abs(result.mean - expected)).toBeLessThan(1e-15);
    expect(result.byCluster[0]).toBeCloseTo(expected, 15);
    expect(result.rows).toBe(4);
  });

  it('gives 0 to a point alone in its cluster and is negative for a wrong assignment', () => {
    // {0, 1} and {10}: s(10) = 0; s(0) = (10 − 1) / 10, s(1) = (9 − 1) / 9
    const single = computeSilhouette(line([0, 1, 10]), Int32Array.from([0, 0, 1]), 2);
    expect(single.mean).toBeCloseTo((0.9 + 8 / 9 + 0) / 3, 15);
    // 10 put with {0, 1}: s(10) = (1 − 9.5) / 9.5 < 0
    const wrong = computeSilhouette(line([0, 1, 10, 11]), Int32Array.from([0, 0, 0, 1]), 2);
    expect(wrong.mean).toBeLessThan(single.mean);
    expect(wrong.byCluster[1]).toBe(0);
  });

  it('is NaN with one cluster, and samples reproducibly above the sample size', () => {
    expect(computeSilhouette(line([0, 1, 2]), Int32Array.from([0, 0, 0]), 1).mean).toBeNaN();
    const a = sampleIndices(1000, 10, 42);
    expect(Array.from(a)).toEqual(Array.from(sampleIndices(1000, 10, 42)));
    expect(new Set(a).size).toBe(10);
    expect(Array.from(a)).toEqual([...a].sort((x, y) => x - y));
    expect(Array.from(sampleIndices(5, 10, 1))).toEqual([0, 1, 2, 3, 4]);
    const xs = Array.from({ length: 400 }, (_, i) => (i < 200 ? i / 200 : 10 + i / 200));
    const labels = Int32Array.from(xs, (x) => (x < 5 ? 0 : 1));
    const sampled = computeSilhouette(line(xs), labels, 2, { sampleSize: 100, seed: 3 });
    const full = computeSilhouette(line(xs), labels, 2, { sampleSize: 400 });
    expect(sampled.rows).toBe(100);
    expect(Math.abs(sampled.mean - full.mean)).toBeLessThan(0.02);
  });
});
