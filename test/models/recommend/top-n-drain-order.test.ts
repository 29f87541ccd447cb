/**
 * TopN.drain pops its heap in place (no sort): the kept pairs must be the n
 * best of everything offered, best-first, ties by lower item id — exactly a
 * full sort's first n, with many tied scores.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/math/random.js';
import { TopN } from '../../../src/models/recommend/top-n.js';

describe('TopN.drain', () => {
  it('the n best pairs of 2,000 random offers, best-first, ties by item id, at an offset; the heap is empty after', () => {
    const random = createRandom(5);
    for (const capacity of [1, 2, 7, 10, 50]) {
      for (let round = 0; round < 40; round++) {
        const heap = new TopN(capacity);
        const offered = Array.from({ length: random.integer(120) }, (_, item) => ({ item, score: random.integer(6) / 4 })); // many ties
        offered.sort(() => random.uniform() - 0.5);
        for (const { item, score } of offered) heap.offer(item, score);
        const expected = [...offered].sort((a, b) => b.score - a.score || a.item - b.item).slice(0, capacity);
        const items = new Int32Array(capacity + 3).fill(-9);
        const scores = new Float64Array(capacity + 3);
        expect(heap.drain(items, scores, 3)).toBe(expected.length);
        expect(Array.from(items.subarray(0, 3))).toEqual([-9, -9, -9]);
        expect(Array.from(items.subarray(3, 3 + expected.length))).toEqual(expected.map((p) => p.item));
        expect(Array.from(scores.subarray(3, 3 + expected.length))).toEqual(expected.map((p) => p.score));
        expect(heap.length).toBe(0);
      }
    }
  });
});
