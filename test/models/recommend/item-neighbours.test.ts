import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors/user-error.js';
import { createRandom } from '../../../src/math/random.js';
import { sequencesFromArrays } from '../../../src/models/patterns/sequences.js';
import { computeItemNeighbours } from '../../../src/models/recommend/item-neighbours.js';
import { summarizePurchaseHistory } from '../../../src/models/recommend/purchase-history.js';
import { computeRepeatShares, findRepeatItems } from '../../../src/models/recommend/repeat-items.js';
import { TopN } from '../../../src/models/recommend/top-n.js';

// customers → orders; item 0 bought by c0,c1,c4,c5; 1 by c0,c2,c4; 2 by c1,c2,c4; 3 by c5
const HISTORY_ORDERS = [
  [[0, 1], [0]], // c0: 0 twice
  [[0, 2]], // c1
  [[1, 2], [1]], // c2: 1 twice
  [], // c3: cold
  [[0, 1, 2]], // c4
  [[3], [0, 3]], // c5: 3 twice
];

const neighboursOf = (n: ReturnType<typeof computeItemNeighbours>, i: number) =>
  Array.from(n.neighbours.subarray(n.offsets[i], n.offsets[i + 1])).map((j, q) => [j, n.similarities[n.offsets[i] + q]]);

describe('summarizePurchaseHistory and repeat items', () => {
  it('counts distinct items per customer, buyers and repeat buyers', () => {
    const history = summarizePurchaseHistory(sequencesFromArrays(HISTORY_ORDERS, 4));
    expect(Array.from(history.customerItems.offsets)).toEqual([0, 2, 4, 6, 6, 9, 11]);
    expect(Array.from(history.customerItems.items)).toEqual([0, 1, 0, 2, 1, 2, 0, 1, 2, 0, 3]);
    expect(Array.from(history.buyerCounts)).toEqual([4, 3, 3, 1]);
    expect(Array.from(history.repeatBuyerCounts)).toEqual([1, 1, 0, 1]);
    expect(Array.from(computeRepeatShares(history))).toEqual([0.25, 1 / 3, 0, 1]);
    expect(Array.from(findRepeatItems(history, { repeatShare: 0.3, minRepeatBuyers: 1 }))).toEqual([0, 1, 0, 1]);
    expect(Array.from(findRepeatItems(history, { repeatShare: 0.2, minRepeatBuyers: 1 }))).toEqual([1, 1, 0, 1]);
    expect(Array.from(findRepeatItems(history, { repeatShare: 0.2, minRepeatBuyers: 2 }))).toEqual([0, 0, 0, 0]);
    expect(Array.from(findRepeatItems(history, { repeatShare: 1.01, minRepeatBuyers: 0 }))).toEqual([0, 0, 0, 0]);
    expect(() => findRepeatItems(history, { repeatShare: -1 })).toThrow(UserError);
  });
});

describe('computeItemNeighbours', () => {
  const history = summarizePurchaseHistory(sequencesFromArrays(HISTORY_ORDERS, 4));

  it('computes binary cosine similarities checked by hand', () => {
    const n = computeItemNeighbours(history.customerItems, { topK: 10 });
    // co(0,1)=2, co(0,2)=2, co(0,3)=1, co(1,2)=2; buyers 4,3,3,1
    const c01 = 2 / Math.sqrt(12);
    expect(neighboursOf(n, 0)).toEqual([[1, c01], [2, c01], [3, 0.5]]);
    expect(neighboursOf(n, 1)).toEqual([[2, 2 / 3], [0, c01]]);
    expect(neighboursOf(n, 3)).toEqual([[0, 0.5]]);
    const top2 = computeItemNeighbours(history.customerItems, { topK: 2 });
    expect(neighboursOf(top2, 0)).toEqual([[1, c01], [2, c01]]);
  });

  it('supports raw co-occurrence and a minimum co-occurrence', () => {
    const n = computeItemNeighbours(history.customerItems, { measure: 'cooccurrence', minCooccurrence: 2 });
    expect(neighboursOf(n, 0)).toEqual([[1, 2], [2, 2]]);
    expect(neighboursOf(n, 3)).toEqual([]);
    expect(() => computeItemNeighbours(history.customerItems, { topK: 0 })).toThrow(UserError);
    expect(() => computeItemNeighbours(history.customerItems, { measure: 'jaccard' as never })).toThrow(UserError);
  });
});

describe('TopN', () => {
  it('keeps the same n best as a full sort, ties by lower id, over 200 random inputs', () => {
    const rng = createRandom(99);
    for (let trial = 0; trial < 200; trial++) {
      const capacity = 1 + rng.integer(8);
      const count = rng.integer(40);
      const pairs = Array.from({ length: count }, (_, item) => [item, rng.integer(6) / 2] as [number, number]);
      const heap = new TopN(capacity);
      for (const [item, score] of pairs) heap.offer(item, score);
      const items = new Int32Array(capacity);
      const scores = new Float64Array(capacity);
      const kept = heap.drain(items, scores);
      const expected = [...pairs].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, capacity);
      expect(Array.from(items.subarray(0, kept)), JSON.stringify(pairs)).toEqual(expected.map((p) => p[0]));
      expect(Array.from(scores.subarray(0, kept))).toEqual(expected.map((p) => p[1]));
    }
  });
});
