import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors/user-error.js';
import { basketsFromArrays } from '../../../src/models/patterns/baskets.js';
import { computeRankingMetrics } from '../../../src/models/recommend/ranking-metrics.js';
import type { Recommendations } from '../../../src/models/recommend/recommendations.js';

function recommendationsFrom(lists: number[][]): Recommendations {
  const offsets = new Uint32Array(lists.length + 1);
  lists.forEach((l, c) => (offsets[c + 1] = offsets[c] + l.length));
  const items = Uint32Array.from(lists.flat());
  return { offsets, items, scores: new Float64Array(items.length), fromFallback: new Uint8Array(items.length), nCustomers: lists.length, coldCustomers: 0 };
}

const RECS = recommendationsFrom([
  [5, 1, 7, 2], // test {1,2,9}: at k=3 one hit at rank 2
  [3, 4], // test {3}: short list, hit at rank 1
  [0, 1, 2], // no test items: not evaluated
  [6, 8, 9], // test {8,9,10,11}: hits at ranks 2 and 3
  [0], // test {1}: miss
]);
const TEST = basketsFromArrays([[1, 2, 9], [3], [], [8, 9, 10, 11], [1]], 12);

function expectClose(actual: number, expected: number, label: string): void {
  // exact fractions; 1e-12 absolute
  expect(Math.abs(actual - expected), `${label}: expected ${expected}, got ${actual}`).toBeLessThanOrEqual(1e-12);
}

describe('computeRankingMetrics', () => {
  it('matches hand-computed precision, recall, hit rate and MAP at k = 3', () => {
    const m = computeRankingMetrics(RECS, TEST, { k: 3 });
    expect(m.nCustomers).toBe(4);
    // per customer precision 1/3, 1/3, 2/3, 0
    expectClose(m.precisionAtK, 1 / 3, 'precision@3');
    // recall 1/3, 1, 1/2, 0
    expectClose(m.recallAtK, 11 / 24, 'recall@3');
    expectClose(m.hitRateAtK, 3 / 4, 'hitRate@3');
    // AP: (1/3)(1/2) = 1/6; 1; (1/3)(1/2 + 2/3) = 7/18; 0 → mean 7/18
    expectClose(m.mapAtK, 7 / 18, 'MAP@3');
  });

  it('matches hand values at k = 1 and with customers excluded', () => {
    const m1 = computeRankingMetrics(RECS, TEST, { k: 1 });
    for (const [label, value] of Object.entries({ precision: m1.precisionAtK, recall: m1.recallAtK, hitRate: m1.hitRateAtK, map: m1.mapAtK })) {
      expectClose(value, 1 / 4, `${label}@1`);
    }
    const include = Uint8Array.from([1, 0, 1, 1, 1]);
    const m = computeRankingMetrics(RECS, TEST, { k: 3, include });
    expect(m.nCustomers).toBe(3);
    expectClose(m.precisionAtK, 1 / 3, 'precision@3 without customer 1');
    expectClose(m.recallAtK, 5 / 18, 'recall@3 without customer 1');
    expectClose(m.hitRateAtK, 2 / 3, 'hitRate@3 without customer 1');
    expectClose(m.mapAtK, 5 / 27, 'MAP@3 without customer 1');
  });

  it('gives AP = 1 for a perfect list and NaN when nobody has test items', () => {
    const perfect = computeRankingMetrics(recommendationsFrom([[4, 2, 9]]), basketsFromArrays([[2, 4]], 10), { k: 3 });
    expectClose(perfect.mapAtK, 1, 'perfect MAP');
    expectClose(perfect.precisionAtK, 2 / 3, 'perfect-list precision@3 with 2 test items');
    const none = computeRankingMetrics(recommendationsFrom([[1]]), basketsFromArrays([[]], 3), { k: 2 });
    expect(none.nCustomers).toBe(0);
    expect(none.precisionAtK).toBeNaN();
    expect(none.mapAtK).toBeNaN();
  });

  it('rejects a bad k or misaligned customers with UserError', () => {
    expect(() => computeRankingMetrics(RECS, TEST, { k: 0 })).toThrow(UserError);
    expect(() => computeRankingMetrics(RECS, basketsFromArrays([[1]]), { k: 3 })).toThrow(UserError);
  });
});

describe('computeRankingMetrics in any customer order', () => {
  // AP@10 of 0.1, 0.2 and 0.3 (the first 1, 2, 3 of ten test items recommended first): 0.1 + 0.2 + 0.3 is
  // 0.6000000000000001 in that order and 0.6 in the other, so means summed in customer order differ in the last digit —
  // and customers come in the order of their pseudonymous tokens, which the key decides
  const lists = [[0, 20, 21, 22, 23, 24, 25, 26, 27, 28], [0, 1, 20, 21, 22, 23, 24, 25, 26, 27], [0, 1, 2, 20, 21, 22, 23, 24, 25, 26]];
  const tests = [0, 1, 2].map(() => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

  it('gives the same MAP, precision and recall to the bit whatever order the customers come in', () => {
    const forward = computeRankingMetrics(recommendationsFrom(lists), basketsFromArrays(tests, 30), { k: 10 });
    const backward = computeRankingMetrics(recommendationsFrom([...lists].reverse()), basketsFromArrays(tests, 30), { k: 10 });
    expect(backward).toEqual(forward);
    expect(forward.mapAtK).toBe(0.6 / 3); // the exact sum of the APs, rounded once, over the three customers
  });
});
