import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/math/random.js';
import { shuffleInPlace } from '../../src/math/shuffle.js';

describe('shuffleInPlace', () => {
  it('gives an array and a typed array the same seeded permutation, in place', () => {
    const array = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(shuffleInPlace(array, createRandom(7))).toBe(array);
    expect(array).toEqual([5, 1, 8, 6, 3, 7, 4, 2]);
    // the Qini permutation test shuffles an Int32Array of indices with it (it had a Fisher–Yates of its own)
    const typed = Int32Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    expect(shuffleInPlace(typed, createRandom(7))).toBe(typed);
    expect(Array.from(typed)).toEqual(array);
  });
});
