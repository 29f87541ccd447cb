/**
 * Complementary suppression hides the smallest shown cell that protects a small one, and a big cell only when nothing
 * smaller can (report QA of the events cross-table: "gone × churned" = 2,153 hidden to protect "lapsing × churned" = 1).
 * The churned column holds only those two non-empty cells and its total (2,154) is published in run.json
 * `segments.stages`, so hiding "lapsing × dormant" = 7 instead would leave the 1 recoverable as 2,154 − 2,153: the big
 * cell is the only partner in that column. In the row the cheapest partner is the one taken: among the cells whose
 * column holds a suppressed cell already (30 beside reactivated's 51, 31 beside at_risk's 4) the smallest, 30 — the 7
 * is smaller but would open the dormant column, which would need a partner of its own (8 cells withheld instead of 7).
 */
import { describe, expect, it } from 'vitest';
import { suppressLinkedCells, type Suppression } from '../../../src/privacy/disclosure/suppress-linked-cells.js';

// the reproduction's cross-table (synth --customers 3000), browse stage × purchase stage, with the browse stages' counts
const cells: [string, string, number][] = [
  ['browsing_active', 'active', 103], ['browsing_active', 'at_risk', 4], ['browsing_active', 'reactivated', 51],
  ['gone', 'active', 138], ['gone', 'at_risk', 181], ['gone', 'churned', 2153], ['gone', 'dormant', 162], ['gone', 'prospect', 300],
  ['lapsing', 'active', 139], ['lapsing', 'at_risk', 31], ['lapsing', 'churned', 1], ['lapsing', 'dormant', 7], ['lapsing', 'reactivated', 30],
];
const groups = (key: 0 | 1) => [...new Set(cells.map((c) => c[key]))].map((g) => cells.flatMap((c, i) => (c[key] === g ? [i] : [])));
const partitions = [cells.map((_, i) => i), ...groups(0), ...groups(1)];
const counts = cells.map((c) => c[2]);

/** Whether every partition with a suppressed cell has at least two suppressed, covering at least k. */
function protectedEverywhere(marks: readonly Suppression[], k: number): boolean {
  return partitions.every((p) => {
    const hidden = p.filter((i) => marks[i] !== null);
    return hidden.length === 0 || (hidden.length >= 2 && hidden.reduce((s, i) => s + counts[i]!, 0) >= k);
  });
}

describe('complementary suppression in a cross-table with published margins', () => {
  const marks = suppressLinkedCells(counts, { minGroupSize: 5, partitions });
  const at = (b: string, p: string) => marks[cells.findIndex((c) => c[0] === b && c[1] === p)];

  it('hides the big cell when it is the only other non-empty cell of the small cell’s column', () => {
    expect(at('lapsing', 'churned')).toBe('small-group');
    expect(at('gone', 'churned')).toBe('complementary');
    // the suggested cheaper choice is not valid protection: with gone × churned shown, the column total gives the 1 back
    const cheaper = marks.map((m, i) => (cells[i]![0] === 'gone' && cells[i]![1] === 'churned' ? null : m));
    expect(protectedEverywhere(cheaper, 5)).toBe(false);
    expect(protectedEverywhere(marks, 5)).toBe(true);
  });

  it('takes the cheapest shown partner in the small cell’s row (30, whose column is open already; not the 7, 31 or 139)', () => {
    expect(at('lapsing', 'reactivated')).toBe('complementary');
    expect(at('lapsing', 'dormant')).toBeNull();
    expect(at('lapsing', 'active')).toBeNull();
    expect(at('gone', 'prospect')).toBeNull();
    expect(marks.filter((m) => m !== null)).toHaveLength(7);
    expect(protectedEverywhere(marks, 5)).toBe(true);
  });

  it('prefers the smallest partner over the first in index order', () => {
    // one published total: the 3 needs one partner, the 6 (last) rather than the 900 (first)
    expect(suppressLinkedCells([900, 3, 40, 6], { minGroupSize: 5, partitions: [[0, 1, 2, 3]] })).toEqual([null, 'small-group', null, 'complementary']);
  });
});
