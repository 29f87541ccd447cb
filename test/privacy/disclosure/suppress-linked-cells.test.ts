import { describe, expect, it } from 'vitest';
import { suppressLinkedCells } from '../../../src/privacy/disclosure/suppress-linked-cells.js';

const S = 'small-group';
const C = 'complementary';

/** Rows and columns of an r × c table flattened row by row. */
function margins(rows: number, cols: number): number[][] {
  return [
    ...Array.from({ length: rows }, (_, a) => Array.from({ length: cols }, (_, b) => a * cols + b)),
    ...Array.from({ length: cols }, (_, b) => Array.from({ length: rows }, (_, a) => a * cols + b)),
  ];
}

describe('suppressLinkedCells', () => {
  it('a 2 × 2 table with both margins published loses all four cells for one small cell', () => {
    expect(suppressLinkedCells([2, 10, 8, 9], { minGroupSize: 5, partitions: margins(2, 2) })).toEqual([S, C, C, C]);
  });

  it('a 3 × 3 table: the small cell, a partner in its row and its column, and one more to close the partners’ row and column', () => {
    // [[2, 10, 30], [8, 9, 40], [20, 30, 50]]: 2 is small; row 0 takes 10, column 0 takes 8, column 1 (10) takes 9; row 1 (8, 9) is then closed
    const marks = suppressLinkedCells([2, 10, 30, 8, 9, 40, 20, 30, 50], { minGroupSize: 5, partitions: margins(3, 3) });
    expect(marks).toEqual([S, C, null, C, C, null, null, null, null]);
  });

  it('shows a known cell whatever its size and never takes it as a partner (its count follows from published totals)', () => {
    // stages now [prospect 6, new 3, reactivated 20, churned 100], all and buyers published: the prospects are their difference
    const partitions = [[0, 1, 2, 3], [1, 2, 3]];
    expect(suppressLinkedCells([6, 3, 20, 100], { minGroupSize: 5, partitions })).toEqual([C, S, C, null]);
    expect(suppressLinkedCells([6, 3, 20, 100], { minGroupSize: 5, partitions, known: [true, false, false, false] })).toEqual([null, S, C, null]);
    // a known cell below k stays shown, and a preset does not withhold it
    expect(suppressLinkedCells([3, 8, 9], { minGroupSize: 5, partitions: [[0, 1, 2]], known: [true, false, false], preset: [C, null, null] })).toEqual([null, null, null]);
    // the only other cell of the sum is known: the withheld one cannot be closed, and the known cell is still not taken
    expect(suppressLinkedCells([40, 2], { minGroupSize: 5, partitions: [[0, 1]], known: [true, false] })).toEqual([null, S]);
  });

  it('keeps preset cells and protects them like small ones; 0 is shown and never a partner', () => {
    expect(suppressLinkedCells([0, 50, 7, 30], { minGroupSize: 5, preset: [null, C, null, null], partitions: [[0, 1, 2, 3]] })).toEqual([null, C, C, null]);
    // without a published sum only the small cells go
    expect(suppressLinkedCells([0, 3, 7, 30], { minGroupSize: 5 })).toEqual([null, S, null, null]);
  });

  it('marks a preset cell below k small-group, not complementary: its own size withholds it (regression, session 40)', () => {
    // callers read the mark: a complementary cell may be shown again once worked out, a small-group one never; the stage
    // transitions' matrix cell none → new of 4 (k = 5) preset as a partner was shown to a reader of linear sums
    expect(suppressLinkedCells([4, 50, 7, 30], { minGroupSize: 5, preset: [C, C, null, null], partitions: [[0, 1, 2, 3]] })).toEqual([S, C, null, null]);
    expect(suppressLinkedCells([4, 9], { minGroupSize: 5, preset: [C, null] })).toEqual([S, null]);
  });
});
