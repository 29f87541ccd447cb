import { describe, expect, it } from 'vitest';
import { scaleFeatures, unscaleValue, zScoreOf } from '../../../src/models/cluster/scale-features.js';

describe('feature scaling for k-means', () => {
  it('log1p-transforms, standardises, and maps back to the original units', () => {
    const spend = [0, Math.E - 1, Math.E ** 2 - 1, -5]; // log1p → 0, 1, 2, 0 (negatives clamped)
    const flag = [1, 0, 0, 1];
    const { matrix, scales } = scaleFeatures([spend, flag], [
      { name: 'spend', transform: 'log1p' },
      { name: 'flag', transform: 'indicator', weight: 0.5 },
    ]);
    expect(scales[0]!.mean).toBeCloseTo(0.75, 15);
    const sd = Math.sqrt((0.75 ** 2 + 0.25 ** 2 + 1.25 ** 2 + 0.75 ** 2) / 4);
    expect(scales[0]!.sd).toBeCloseTo(sd, 15);
    expect(matrix.values[0]).toBeCloseTo(-0.75 / sd, 14); // row 0, column 0
    expect(matrix.values[1]).toBe(0.5); // row 0, indicator × weight
    expect(matrix.values[3]).toBe(0);
    expect(unscaleValue(matrix.values[4]!, scales[0]!)).toBeCloseTo(Math.E ** 2 - 1, 12);
    expect(unscaleValue(0.25, scales[1]!)).toBe(0.5); // an indicator centre of 0.25 = a share of 0.5 before the weight
    expect(zScoreOf(0.5, scales[1]!)).toBeCloseTo((1 - 0.5) / 0.5, 14);
  });

  it('turns a constant feature into zeros', () => {
    const { matrix, scales } = scaleFeatures([[3, 3, 3]], [{ name: 'c', transform: 'identity' }]);
    expect(Array.from(matrix.values)).toEqual([0, 0, 0]);
    expect(scales[0]!.sd).toBe(0);
    expect(unscaleValue(0, scales[0]!)).toBe(3);
  });

  it('a constant feature whose rounded mean is off by a hair still has sd 0 (no ±1 sd cluster trait from float noise)', () => {
    // 1,500 customers who all bought 1 unit per order: log1p(1) summed 1,500 times is not exactly 1,500 × log1p(1)
    const units = new Array(1500).fill(1);
    const { matrix, scales } = scaleFeatures([units], [{ name: 'basket_size', transform: 'log1p' }]);
    expect(scales[0]!.sd).toBe(0);
    expect(scales[0]!.mean).toBe(Math.log1p(1));
    expect(Array.from(matrix.values).every((v) => v === 0)).toBe(true);
    expect(zScoreOf(matrix.values[0]!, scales[0]!)).toBe(0);
    expect(unscaleValue(0, scales[0]!)).toBe(1);
  });
});
