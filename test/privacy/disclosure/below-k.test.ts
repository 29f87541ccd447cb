/** The k-floor's one test, which every rule that withholds a count for its size asks (src/privacy/disclosure/below-k.ts). */
import { describe, expect, it } from 'vitest';
import { belowK, withheldMark } from '../../../src/privacy/disclosure/below-k.js';

describe('belowK', () => {
  it('is true for 1 … k − 1 only: 0 describes nobody, k or more is a group', () => {
    expect([0, 1, 4, 5, 6].map((n) => belowK(n, 5))).toEqual([false, true, true, false, false]);
    expect([0, 1, 149, 150].map((n) => belowK(n, 150))).toEqual([false, true, true, false]);
    expect(belowK(Number.NaN, 5)).toBe(false);
  });
});

describe('withheldMark', () => {
  it('says small-group below k, complementary from k on, and nothing for an empty group', () => {
    expect([0, 3, 5, 40].map((n) => withheldMark(n, 5))).toEqual([null, 'small-group', 'complementary', 'complementary']);
  });
});
