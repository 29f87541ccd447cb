/**
 * `hidingSet`: the cheapest shown cells whose withholding leaves a cell undetermined for a reader who combines every
 * published sum (a linear program). Checked on tables small enough to reason about by hand, and against the combining
 * reader itself: after the set is withheld, the reader no longer gives the cell.
 */
import { describe, expect, it } from 'vitest';
import { combiningReader, type SignedSum } from '../../../src/privacy/disclosure/close-subtractions.js';
import { hidingSet, loadLinearProgramSolver } from '../../../src/privacy/disclosure/hiding-set.js';

const solve = await loadLinearProgramSolver();

/** A rows × cols table with its row totals and column totals published: cell (r, c) = r·cols + c, then the row totals, then the column totals. */
function tableWithMargins(rows: number, cols: number): { sums: SignedSum[]; size: number } {
  const cell = (r: number, c: number) => r * cols + c;
  const rowTotal = (r: number) => rows * cols + r;
  const colTotal = (c: number) => rows * cols + rows + c;
  const sums: SignedSum[] = [
    ...Array.from({ length: rows }, (_, r): SignedSum => [...Array.from({ length: cols }, (_, c) => [cell(r, c), 1] as const), [rowTotal(r), -1]]),
    ...Array.from({ length: cols }, (_, c): SignedSum => [...Array.from({ length: rows }, (_, r) => [cell(r, c), 1] as const), [colTotal(c), -1]]),
  ];
  return { sums, size: rows * cols + rows + cols };
}

/** Whether the combining reader still gives `cell` when `withheld` are withheld. */
function stillGiven(sums: readonly SignedSum[], size: number, withheld: readonly number[], cell: number): boolean {
  const mask = Array.from({ length: size }, (_, i) => withheld.includes(i));
  return combiningReader(sums)(mask).some((found) => found.cell === cell);
}

describe('hidingSet', () => {
  it('a cell of a sum of two: its only partner', () => {
    // x0 + x1 = x4 = x2 + x3
    const sums: SignedSum[] = [[[0, 1], [1, 1], [4, -1]], [[2, 1], [3, 1], [4, -1]]];
    expect(hidingSet({ sums, cell: 0, unknown: (i) => i === 0, weight: () => 1 }, solve)).toEqual([1]);
  });

  it('a cell of a table whose margins are all published: the three other corners of a rectangle, where no single partner hides it', () => {
    const { sums, size } = tableWithMargins(2, 2);
    // withholding any one other cell leaves the cell given (the reader works that one out from its other margin)
    for (const one of [1, 2, 3]) expect(stillGiven(sums, size, [0, one], 0)).toBe(true);
    const set = hidingSet({ sums, cell: 0, unknown: (i) => i === 0, weight: (i) => (i < 4 ? 1 : null) }, solve);
    expect(set).toEqual([1, 2, 3]);
    expect(stillGiven(sums, size, [0, ...set!], 0)).toBe(false);
  });

  it('takes the cheaper rectangle: of the two columns that could close it, the one whose cells cost less', () => {
    const { sums, size } = tableWithMargins(2, 3);
    // cells (0,0)=0 (0,1)=1 (0,2)=2 / (1,0)=3 (1,1)=4 (1,2)=5; column 1 costs 5 a cell, column 2 costs 1
    const weight = (i: number) => (i >= 6 ? null : i % 3 === 1 ? 5 : 1);
    const set = hidingSet({ sums, cell: 0, unknown: (i) => i === 0, weight }, solve);
    expect(set).toEqual([2, 3, 5]);
    expect(stillGiven(sums, size, [0, ...set!], 0)).toBe(false);
  });

  it('uses cells the reader does not know at no cost: a partner whose other sum holds a withheld cell needs no partner of its own', () => {
    // x0 + x1 = x3 and x1 + x2 = x4, both totals shown: x1 withheld with x0 is worked out from the second sum unless x2 is
    // withheld too
    const sums: SignedSum[] = [[[0, 1], [1, 1], [3, -1]], [[1, 1], [2, 1], [4, -1]]];
    const weight = (i: number) => (i < 3 ? 1 : null);
    expect(hidingSet({ sums, cell: 0, unknown: (i) => i === 0, weight }, solve)).toEqual([1, 2]);
    expect(hidingSet({ sums, cell: 0, unknown: (i) => i === 0 || i === 2, weight }, solve)).toEqual([1]);
    // x0 and x1 withheld: x1 is the second total less x2, so x2 still has to go; with x2 withheld too, nothing more
    expect(hidingSet({ sums, cell: 0, unknown: (i) => i <= 1, weight }, solve)).toEqual([2]);
    expect(hidingSet({ sums, cell: 0, unknown: (i) => i <= 2, weight }, solve)).toEqual([]);
  });

  it('null when every change that moves the cell moves a count the reader knows', () => {
    const { sums } = tableWithMargins(2, 2);
    // the cell opposite (3) cannot be withheld (a count published elsewhere, say): no rectangle closes
    expect(hidingSet({ sums, cell: 0, unknown: (i) => i === 0, weight: (i) => (i < 3 ? 1 : null) }, solve)).toBeNull();
    // a sum of the cell alone with known cells gives it whatever is withheld
    expect(hidingSet({ sums: [[[0, 1], [1, -1]]], cell: 0, unknown: (i) => i === 0, weight: () => null }, solve)).toBeNull();
  });

  it('the solver answers null for an infeasible program only: any other end throws rather than passing for "no set hides it"', () => {
    expect(solve('Minimize\n obj: + 1 x\nSubject To\n r0: + 1 x = 1\n r1: + 1 x = 2\nEnd')).toBeNull();
    expect(solve('Minimize\n obj: + 1 x\nSubject To\n r0: + 1 x - 1 y = 1\nEnd')?.get('x')).toBe(1);
    // unbounded: no hiding set's program is (its objective is ≥ 0), so this is a program gone wrong
    expect(() => solve('Minimize\n obj: - 1 x\nSubject To\n r0: + 1 x - 1 y = 0\nBounds\n x free\n y free\nEnd')).toThrow(/ended Unbounded/);
  });

  it('only cells within reach move: outside them the table is taken as it is', () => {
    const { sums } = tableWithMargins(2, 3);
    const weight = (i: number) => (i < 6 ? 1 : null);
    // column 1 out of reach: the rectangle closes through column 2
    expect(hidingSet({ sums, cell: 0, unknown: (i) => i === 0, weight, within: (i) => i % 3 !== 1 || i >= 6 }, solve)).toEqual([2, 3, 5]);
    // both other columns out of reach: nothing closes it
    expect(hidingSet({ sums, cell: 0, unknown: (i) => i === 0, weight, within: (i) => i % 3 === 0 || i >= 6 }, solve)).toBeNull();
  });
});
