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

  it('asks a partner’s cost of the cell it hides', () => {
    const asked = new Set<number>();
    const cost = (i: number, hidden: number) => (asked.add(hidden), i === hidden + 5 ? 0 : 1);
    const { marks } = closeCombinations({ counts, sums, decide: decided, mustHide: (i, m) => m[i] === 'small-group', free: () => true, cost });
    expect([...asked]).toEqual([0]);
    expect(marks).toEqual(['small-group', 'complementary', 'complementary', null, null, 'complementary']);
  });

  it('keeps a total its own table withholds unknown: a partner among the cells that give it', () => {
    // x0 + x1 = x2, the total withheld by the table that prints it (a cohort of 7 at k = 10), the cells shown
    const decide = (extra: ReadonlySet<number>): Suppression[] => [0, 1].map((i) => (extra.has(i) ? 'complementary' : null));
    const problem = { counts: [3, 4, 7], sums: [[[0, 1], [1, 1], [2, -1]]] as const, decide, mustHide: (i: number) => i === 2, free: () => true, cost: () => 0 };
    expect(closeCombinations({ ...problem, withheldTotals: new Set([2]) }).marks).toEqual(['complementary', null]);
    // (a total not said to be withheld is known: nothing to hide)
    expect(closeCombinations(problem).marks).toEqual([null, null]);
  });

  it('takes a total known through printed cells as unknown while none of them is printed', () => {
    // a row x0 + x1 + x2 = x3 whose total its printed non-zero cells give (rates): x0 (2) withheld for
    // its size, x1 as its partner; x1 + x4 = x5 (shown totals): with x2 printed, x0 = x3 − x2 − (x5 − x4)
    const problem = (x2: number) => ({
      counts: [2, 4, x2, 6 + x2, 1, 5],
      sums: [[[0, 1], [1, 1], [2, 1], [3, -1]], [[1, 1], [4, 1], [5, -1]]] as const,
      decide: (extra: ReadonlySet<number>): Suppression[] => [0, 1, 2].map((i) => (i === 0 ? 'small-group' : i === 1 || extra.has(i) ? 'complementary' : null)),
      mustHide: (i: number, m: readonly Suppression[]) => m[i] === 'small-group',
      free: (i: number) => i < 3,
      cost: () => 0,
      knownThrough: (total: number, printed: (i: number) => boolean) => (total === 3 ? [0, 1, 2].filter((i) => printed(i) && [2, 4, x2][i]! > 0) : undefined),
    });
    expect(closeCombinations(problem(0))).toEqual({ marks: ['small-group', 'complementary', null], givenAway: [] });
    expect(closeCombinations(problem(3))).toEqual({ marks: ['small-group', 'complementary', 'complementary'], givenAway: [] });
  });
});
