import { describe, expect, it } from 'vitest';
import { closeCombinations } from '../../../src/privacy/disclosure/close-combinations.js';
import type { Suppression } from '../../../src/privacy/disclosure/suppress-linked-cells.js';

// x0 + x1 = x3, x1 + x2 = x4, x0 + x2 = x5: each sum holds two withheld cells (x0 of 2, its partners x1 and x2), but
// (sum 1) − (sum 2) + (sum 3) is 2·x0 = x3 − x4 + x5
const counts = [2, 6, 7, 8, 13, 9];
const sums = [[[0, 1], [1, 1], [3, -1]], [[1, 1], [2, 1], [4, -1]], [[0, 1], [2, 1], [5, -1]]] as const;
const decided = (extra: ReadonlySet<number>): Suppression[] => counts.map((_, i) => (i === 0 ? 'small-group' : i < 3 || extra.has(i) ? 'complementary' : null));

describe('closeCombinations', () => {
  it('withholds one more cell where a combination of sums gives a small count back: the cheapest, then the smallest', () => {
    const { marks, givenAway } = closeCombinations({ counts, sums, decide: decided, mustHide: (i, m) => m[i] === 'small-group', free: () => true, cost: () => 0 });
    expect(marks).toEqual(['small-group', 'complementary', 'complementary', 'complementary', null, null]);
    expect(givenAway).toEqual([]);
  });

  it('takes the cost first', () => {
    const { marks } = closeCombinations({ counts, sums, decide: decided, mustHide: (i, m) => m[i] === 'small-group', free: () => true, cost: (i) => (i === 3 ? 1 : 0) });
    expect(marks).toEqual(['small-group', 'complementary', 'complementary', null, null, 'complementary']);
  });

  it('says which count no cell it may withhold hides (the totals are not its to withhold)', () => {
    const { marks, givenAway } = closeCombinations({ counts, sums, decide: decided, mustHide: (i, m) => m[i] === 'small-group', free: (i) => i < 3, cost: () => 0 });
    expect(marks).toEqual(['small-group', 'complementary', 'complementary', null, null, null]);
    expect(givenAway).toEqual([0]);
  });

  it('leaves tables alone that no combination gives back', () => {
    const { marks } = closeCombinations({ counts, sums: sums.slice(0, 2), decide: decided, mustHide: (i, m) => m[i] === 'small-group', free: () => true, cost: () => 0 });
    expect(marks).toEqual(decided(new Set()));
  });
});
