/**
 * Complementary suppression checked against a reader who combines sums: tables decided one published sum at a time
 * (`suppressLinkedCells`) are read as a linear system (`combiningReader`), and a count that must stay unknown and is
 * worked out takes one more withheld cell — a partner that breaks every combination giving it (`partnerIn`), or, where
 * no single cell does, the cheapest set that hides it (`hidingSet`) — after which the tables are decided again with
 * those cells withheld, until a decision leaves nothing worked out. The stage transitions do the same with rules of
 * their own (lifecycle/publish-stage-transitions.ts); this is the loop for tables without them (the events' funnel rows
 * by stage, cross-table and browse stages).
 */
import { combiningReader, partnerIn, type SignedSum } from './close-subtractions.js';
import { hidingSet, type LinearProgramSolver } from './hiding-set.js';
import type { Suppression } from './suppress-linked-cells.js';

export interface CombinationProblem {
  /** every cell's count: the tables' cells, then any total the sums hold (shown, or `unpublished`) */
  readonly counts: readonly number[];
  /** every sum a reader knows: Σ coefficient × cell = 0 */
  readonly sums: readonly SignedSum[];
  /** cells no table prints (unknown to the reader, never reported as given away) */
  readonly unpublished?: ReadonlySet<number>;
  /** the marks of the tables' cells (the first `marks.length` cells; the others are totals, shown) with `extra` withheld too */
  readonly decide: (extra: ReadonlySet<number>) => Suppression[];
  /** a withheld cell the reader must not work out (one withheld for its size) */
  readonly mustHide: (cell: number, marks: readonly Suppression[]) => boolean;
  /** a shown cell that may be withheld as a partner (not a count published elsewhere, not a total, not 0) */
  readonly free: (cell: number) => boolean;
  /** what withholding a cell costs: the cheapest partner first (0 and up, whole numbers) */
  readonly cost: (cell: number) => number;
  /** the hiding sets' solver (`loadLinearProgramSolver()`); without it, where no single partner hides a cell, every free shown cell of its combination is withheld */
  readonly solve?: LinearProgramSolver;
}

/**
 * The tables' marks once no combination of the sums gives back a cell that `mustHide`, and the cells that no
 * withholding hides (`givenAway`: a sum of shown totals alone gives them; they stay withheld — a table does not print a
 * count below k — though they hide nothing).
 *
 * Example: counts [2, 6, 7, 8, 13, 9], sums x0 + x1 = x3, x1 + x2 = x4, x0 + x2 = x5, x0 withheld for its size and x1,
 * x2 as its partners (each sum holds two withheld cells, but their combination 2·x0 = x3 − x4 + x5 gives x0) → x3
 * withheld too (the cheapest, then the smallest, of that combination's shown cells), `givenAway` [].
 * (test/privacy/disclosure/close-combinations.test.ts)
 */
export function closeCombinations(problem: CombinationProblem): { readonly marks: Suppression[]; readonly givenAway: readonly number[] } {
  const { counts, sums, free, cost } = problem;
  const unpublished = problem.unpublished ?? new Set<number>();
  const extra = new Set<number>();
  const givenAway = new Set<number>();
  const reader = combiningReader(sums, unpublished);
  let marks = problem.decide(extra);
  const withheldOf = (m: readonly Suppression[]) => counts.map((_, i) => i < m.length && m[i] !== null && !givenAway.has(i));
  const read = (withheld: readonly boolean[]) => reader(withheld).filter(({ cell }) => cell < marks.length && !givenAway.has(cell) && problem.mustHide(cell, marks));
  // the cheapest shown cells whose withholding hides `cell` (each costs 2^cost: a cheaper kind before two of a dearer)
  const hide = (cell: number, withheld: readonly boolean[], cells: readonly number[]) => {
    const shown = (i: number) => !withheld[i] && !unpublished.has(i);
    if (!problem.solve) return cells.filter((i) => shown(i) && free(i));
    return hidingSet({ sums, cell, unknown: (i) => withheld[i] === true || unpublished.has(i), weight: (i) => (shown(i) && free(i) ? 2 ** cost(i) : null) }, problem.solve);
  };
  for (let more = true; more; ) {
    const withheld = withheldOf(marks);
    const before = extra.size;
    for (let found = read(withheld); found.length > 0; found = read(withheld)) {
      // one withheld cell per combination found at once (a combination a partner of this round broke already is left for
      // the next reading, which tells whether another still gives the cell)
      const taken = new Set<number>();
      for (const { cell, cells, worked } of found) {
        if (cells.some((i) => taken.has(i)) || worked.some((i) => taken.has(i))) continue;
        const partner = partnerIn(cells, counts, (i) => !withheld[i], free, cost);
        const partners = partner !== null ? [partner] : hide(cell, withheld, [...cells, ...worked]);
        if (partners === null || partners.length === 0) {
          givenAway.add(cell);
          withheld[cell] = false;
        }
        for (const i of partners ?? []) {
          extra.add(i);
          withheld[i] = true;
          taken.add(i);
        }
      }
    }
    more = extra.size > before;
    if (more) marks = problem.decide(extra);
  }
  return { marks, givenAway: [...givenAway].sort((x, y) => x - y) };
}
