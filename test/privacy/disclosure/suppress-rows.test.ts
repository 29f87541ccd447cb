import { describe, expect, it } from 'vitest';
import { impliedCount, isSmallPart, suppressRows, SuppressionTally } from '../../../src/privacy/disclosure/suppress-rows.js';
import { withholdExtremes } from '../../../src/privacy/disclosure/withhold-extremes.js';

const S = 'small-group';
const C = 'complementary';

describe('suppressRows', () => {
  it('nulls count and measures of the small row and of its complementary partner, and counts them', () => {
    const tally = new SuppressionTally(5);
    const rows = suppressRows(
      [
        { name: 'A', customers: 2, revenue: 200, means: [1, 2] },
        { name: 'B', customers: 40, revenue: 4000, means: [3, 4] },
        { name: 'C', customers: 9, revenue: 900, means: [5, 6] },
        { name: 'D', customers: 0, revenue: 0, means: [0, 0] },
      ],
      { count: 'customers', measures: ['revenue', 'means'], minGroupSize: 5, tally: { tally, table: 't' } },
    );
    expect(rows).toEqual([
      { name: 'A', customers: null, revenue: null, means: [null, null], suppression: S },
      { name: 'B', customers: 40, revenue: 4000, means: [3, 4], suppression: null },
      { name: 'C', customers: null, revenue: null, means: [null, null], suppression: C },
      { name: 'D', customers: 0, revenue: 0, means: [0, 0], suppression: null },
    ]);
    expect(tally.summary()).toEqual({ minGroupSize: 5, smallGroups: 1, complementary: 1, values: 0, rulesWithheld: 0, tables: { t: 2 } });
  });

  it('sub-counts: a part of 1…k−1 and a rest of 1…k−1 are both small', () => {
    expect([isSmallPart(3, 40, 5), isSmallPart(38, 40, 5), isSmallPart(20, 40, 5), isSmallPart(0, 40, 5), isSmallPart(40, 40, 5)]).toEqual([true, true, false, false, false]);
    expect(impliedCount(0.075, 40)).toBe(3);
    expect(impliedCount(Number.NaN, 40)).toBeNull();
  });

  it('withholds the lowest and highest end of all ranges, keeping inner ends', () => {
    expect(withholdExtremes([[1, 4], [5, 9], [10, 2500]])).toEqual([[null, 4], [5, 9], [10, null]]);
    // the top range is suppressed: the highest end shown is not everyone's highest and stays
    expect(withholdExtremes([[1, 4], [5, 9], null], [[1, 4], [5, 9], [10, 2500]])).toEqual([[null, 4], [5, 9], null]);
  });
});
