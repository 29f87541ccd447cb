import { describe, expect, it } from 'vitest';
import { combiningReader, firstSubtraction, partnerIn, type SignedSum } from '../../../src/privacy/disclosure/close-subtractions.js';

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

describe('the reader who combines sums', () => {
  it('finds the cells no single sum gives but two combined do, with the shown cells of that combination', () => {
    // x0 − x1 = c2, x0 + x1 = c3: each sum holds two unknowns, their sum holds x0 alone, their difference x1
    const read = combiningReader([[[0, 1], [1, -1], [2, -1]], [[0, 1], [1, 1], [3, -1]]]);
    expect(firstSubtraction([true, true, false, false], [[0, 1, 2], [0, 1, 3]])).toBeNull();
    expect(read([true, true, false, false])).toEqual([{ cell: 0, cells: [2, 3], worked: [] }, { cell: 1, cells: [2, 3], worked: [] }]);
  });

  it("the reviewer's shape: the outs of two stages less the intos of two leaves the flow to a third stage", () => {
    // flows f(a→b), a ∈ {A, B}, b ∈ {X, Y, Z}: cells a·3 + b (0–5); the from-stages' counts 6, 7; the to-stages' 8, 9 and
    // 10 (Z's, unpublished). Withheld: A→X, A→Y, B→X, B→Y, B→Z; every sum holds two unknowns or more, but
    // out(A) + out(B) − into(X) − into(Y) = f(A→Z) + f(B→Z) − n_A − n_B + m_X + m_Y: B→Z alone
    const f = (a: number, b: number) => a * 3 + b;
    const out = (a: number): SignedSum => [[f(a, 0), 1], [f(a, 1), 1], [f(a, 2), 1], [6 + a, -1]];
    const into = (b: number): SignedSum => [[f(0, b), 1], [f(1, b), 1], [8 + b, -1]];
    const sums = [out(0), out(1), into(0), into(1), into(2)];
    const withheld = Array.from({ length: 11 }, (_, i) => [0, 1, 3, 4, 5].includes(i));
    expect(firstSubtraction(withheld, sums.map((sum) => sum.map(([cell]) => cell)), new Set([10]))).toBeNull();
    expect(combiningReader(sums, new Set([10]))(withheld)).toEqual([{ cell: f(1, 2), cells: [f(0, 2), 6, 7, 8, 9], worked: [] }]);
    // A→Z withheld too (a partner in that combination): nothing isolated
    expect(combiningReader(sums, new Set([10]))(withheld.map((w, i) => w || i === f(0, 2)))).toEqual([]);
  });

  it('tells apart a partner a reader would work out: a shown cell that shown cells alone sum to', () => {
    // x0 = c1 − c2 (sum 0), and c2 = c3 (sum 1: shown cells only): withholding c2 leaves x0 = c1 − c3, given all the same
    const read = combiningReader([[[0, 1], [1, -1], [2, 1]], [[2, 1], [3, -1]]]);
    expect(read([true, false, false, false])).toEqual([{ cell: 0, cells: [1], worked: [2] }]);
    expect(read([true, false, true, false])).toEqual([{ cell: 0, cells: [1, 3], worked: [] }, { cell: 2, cells: [3], worked: [] }]);
    // with c1 withheld too: x1 − x0 = c2, two unknowns, nothing isolated
    expect(read([true, true, false, false])).toEqual([]);
  });

  it('finds nothing when every combination keeps two unknowns, and does not report an unpublished cell', () => {
    expect(combiningReader([[[0, 1], [1, 1], [2, -1]]])([true, true, false])).toEqual([]);
    // 3 is unpublished and found (x3 = c1), then x0 = c2 − x3: reported; x3 is not
    expect(combiningReader([[[3, 1], [1, -1]], [[0, 1], [3, 1], [2, -1]]], new Set([3]))([true, false, false, false])).toEqual([{ cell: 0, cells: [1, 2], worked: [] }]);
  });
});
