import { describe, expect, it } from 'vitest';
import { firstSubtraction, partnerIn } from '../../../src/privacy/disclosure/close-subtractions.js';

describe('the reader’s check across sums', () => {
  it('finds a withheld cell a sum gives back, and one found through another sum’s', () => {
    expect(firstSubtraction([true, false, true], [[0, 1], [0, 2]])).toEqual({ cell: 0, sum: 0 });
    // 3 is unpublished: sum 0 gives it (cells 0, 1 shown), then sum 1 gives cell 2
    expect(firstSubtraction([false, false, true, false], [[0, 1, 3], [2, 3]], new Set([3]))).toEqual({ cell: 2, sum: 1 });
    // two withheld cells in every sum: nothing to find
    expect(firstSubtraction([true, true, false], [[0, 1, 2]])).toBeNull();
  });

  it('withholds next a free shown cell of the sum: the cheapest, a non-empty one before a 0, then the smallest', () => {
    const counts = [5, 0, 30, 12, 7];
    const shown = (i: number) => i !== 0;
    expect(partnerIn([0, 1, 2, 3, 4], counts, shown, () => true, () => 0)).toBe(4);
    expect(partnerIn([0, 1, 2, 3, 4], counts, shown, (i) => i !== 4, () => 0)).toBe(3);
    expect(partnerIn([0, 1, 2, 3, 4], counts, shown, () => true, (i) => (i === 2 ? 0 : 1))).toBe(2);
    expect(partnerIn([0, 1], counts, shown, () => true, () => 0)).toBe(1);
    expect(partnerIn([0], counts, shown, () => true, () => 0)).toBeNull();
  });
});
