import { describe, expect, it } from 'vitest';
import { indexValues } from '../../../src/models/btyd/index-values.js';
import { indexFrequencies, indexRfmRows } from '../../../src/models/btyd/rfm-data.js';
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
    for (let i = 0; i < array.length; i++) array[i] = Math.round(random.uniform() * 40_000) / 7; // ~28,000 distinct values: the table grows twice
    array[5] = NaN; // before the first growth, kept apart through it
    const index = indexValues(array);
    const reference = indexWithMap(array);
    expect(index.values.length).toBe(reference.values.length);
    expect(index.values.length).toBeGreaterThan(4 * 8192 * 0.8);
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

describe('indexRfmRows', () => {
  it('gives in one pass the same indexes as indexFrequencies and indexValues, and the row-order totals, incl. frequencies past the direct table', () => {
    const random = createRandom(8);
    const n = 20_000;
    const frequency = new Float64Array(n), recency = new Float64Array(n), T = new Float64Array(n), weight = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      frequency[i] = i % 1000 === 0 ? 70_000 + (i % 3) : Math.floor(random.uniform() * 40);
      T[i] = Math.round(300 + random.uniform() * 200) / 7;
      recency[i] = Math.round(random.uniform() * T[i]! * 7) / 7;
      weight[i] = 1 + Math.floor(random.uniform() * 4);
    }
    const data = { frequency, recency, T, weight };
    const index = indexRfmRows(data);
    const frequencies = indexFrequencies(data);
    expect(Array.from(index.frequency.values)).toEqual(Array.from(frequencies.values));
    expect(index.frequency.values).toContain(70_001);
    expect(Array.from(index.frequency.rowIndex)).toEqual(Array.from(frequencies.rowIndex));
    expect(Array.from(index.frequency.weight)).toEqual(Array.from(frequencies.weight));
    for (const [name, column] of [['T', T], ['recency', recency]] as const) {
      const reference = indexValues(column);
      expect(Array.from(index[name].values), name).toEqual(Array.from(reference.values));
      expect(Array.from(index[name].rowIndex), name).toEqual(Array.from(reference.rowIndex));
    }
    let total = 0, purchases = 0, exposure = 0;
    for (let i = 0; i < n; i++) {
      total += weight[i]!;
      purchases += weight[i]! * frequency[i]!;
      exposure += weight[i]! * T[i]!;
    }
    expect(index.totals).toEqual({ weight: total, purchases, exposure });
  });
});
