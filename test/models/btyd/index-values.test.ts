import { describe, expect, it } from 'vitest';
import { indexValues } from '../../../src/models/btyd/index-values.js';
import { indexFrequencies } from '../../../src/models/btyd/rfm-data.js';
import { createRandom } from '../../../src/math/random.js';

/** The Map-based index the typed hash table replaced: the reference for order and keys. */
function indexWithMap(array: ArrayLike<number>): { values: number[]; rowIndex: number[] } {
  const map = new Map<number, number>();
  const values: number[] = [];
  const rowIndex: number[] = [];
  for (let i = 0; i < array.length; i++) {
    let k = map.get(array[i]!);
    if (k === undefined) {
      k = values.length;
      map.set(array[i]!, k);
      values.push(array[i]!);
    }
    rowIndex.push(k);
  }
  return { values, rowIndex };
}

describe('indexValues (typed hash table)', () => {
  it('gives the same distinct values, in first-appearance order, and row indexes as a Map on 50,000 rows with many repeats', () => {
    const random = createRandom(3);
    const array = new Float64Array(50_000);
    for (let i = 0; i < array.length; i++) array[i] = Math.round(random.uniform() * 5000) / 7; // ~5,000 distinct values: forces the table to grow
    const index = indexValues(array);
    const reference = indexWithMap(array);
    expect(index.values.length).toBe(reference.values.length);
    expect(index.values.length).toBeGreaterThan(4000);
    expect(Array.from(index.values)).toEqual(reference.values);
    expect(Array.from(index.rowIndex)).toEqual(reference.rowIndex);
  });

  it('treats −0 and +0 as one value and every NaN as one value, as a Map does', () => {
    const index = indexValues(Float64Array.of(0, -0, NaN, 1.5, Number.NaN, 1.5, -0, Infinity, -Infinity));
    expect(Array.from(index.rowIndex)).toEqual([0, 0, 1, 2, 1, 2, 0, 3, 4]);
    expect(Object.is(index.values[0], 0)).toBe(true);
    expect(index.values[1]).toBeNaN();
    expect(Array.from(index.values.subarray(2))).toEqual([1.5, Infinity, -Infinity]);
  });

  it('keeps values that differ in the last bit apart', () => {
    const a = 0.1 + 0.2, b = 0.3;
    expect(a).not.toBe(b);
    const index = indexValues([a, b, a, b]);
    expect(Array.from(index.values)).toEqual([a, b]);
    expect(Array.from(index.rowIndex)).toEqual([0, 1, 0, 1]);
  });

  it('returns empty arrays for no rows', () => {
    const index = indexValues(new Float64Array(0));
    expect(index.values.length).toBe(0);
    expect(index.rowIndex.length).toBe(0);
  });
});

describe('indexFrequencies', () => {
  it('sums the weight of every distinct frequency', () => {
    const index = indexFrequencies({ frequency: Float64Array.of(2, 0, 2, 5), recency: new Float64Array(4), T: Float64Array.of(1, 1, 1, 1), weight: Float64Array.of(1, 3, 2.5, 4) });
    expect(Array.from(index.values)).toEqual([2, 0, 5]);
    expect(Array.from(index.weight)).toEqual([3.5, 3, 4]);
    expect(Array.from(index.rowIndex)).toEqual([0, 1, 0, 2]);
  });
});
