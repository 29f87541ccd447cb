/**
 * Complementary suppression checked against a reader who combines sums: tables decided one published sum at a time
 * (`suppressLinkedCells`) are read as a linear system (`combiningReader`), and a count that must stay unknown and is
 * worked out takes one more withheld cell — a partner that breaks every combination giving it (`partnerIn`), or, where
 * no single cell does, the cheapest set that hides it (`hidingSet`) — after which the tables are decided again with
 * those cells withheld, until a decision leaves nothing worked out. The one loop of the tables read so: the events'
 * funnel rows by stage, cross-table and browse stages, and the stage transitions (whose partners cost more the further
 * in time they are from the count they hide, and whose matrix rows' totals are known through their rates).
 */
import { combiningReader, partnerIn, subtractionReader, type SignedSum } from './close-subtractions.js';
import { hidingSet, type LinearProgramSolver } from './hiding-set.js';
import type { Suppression } from './suppress-linked-cells.js';

export interface CombinationProblem {
  /** every cell's count: the tables' cells (the first `marks.length`), then the totals the sums hold (a total's count is not read) */
  readonly counts: readonly number[];
  /** every sum a reader knows: Σ coefficient × cell = 0 */
  readonly sums: readonly SignedSum[];
  /** totals no table prints (unknown to the reader, never reported as given away) */
  readonly unpublished?: ReadonlySet<number>;
  /** totals the table that prints them withholds (a cohort): unknown to the reader, and reported to `mustHide` when worked out */
  readonly withheldTotals?: ReadonlySet<number>;
  /**
   * a total the reader knows only through printed cells of the tables (a matrix row's total, which the rate of each
   * printed non-zero cell gives): those cells, of the ones `printed` now — the total is unknown while there are none,
   * and a hiding set that moves it withholds them all (at their weights together). Undefined for any other total.
   */
  readonly knownThrough?: (total: number, printed: (cell: number) => boolean) => readonly number[] | undefined;
  /** the marks of the tables' cells with `extra` withheld too */
  readonly decide: (extra: ReadonlySet<number>) => Suppression[];
  /** a withheld cell (or withheld total) the reader must not work out (one withheld for its size) */
  readonly mustHide: (cell: number, marks: readonly Suppression[]) => boolean;
  /** a shown cell of the tables that may be withheld as a partner (not a count published elsewhere, not 0 where a 0 is known); a cell given away never is */
  readonly free: (cell: number) => boolean;
  /** what withholding `cell` costs as a partner of `hidden`, the count worked out: the cheapest partner first (0 and up) */
  readonly cost: (cell: number, hidden: number) => number;
  /** a cell's weight in the hiding sets of `hidden` (default 2^cost: a cheaper kind before two of a dearer) */
  readonly weight?: (cell: number, hidden: number) => number;
  /** the cells a hiding set of `hidden` may move, tried in turn, nearest first (default: all at once): a smaller program, and a set near the cell */
  readonly reach?: (hidden: number) => readonly ((cell: number) => boolean)[];
  /** how many of `sums` (the first) a chain of single subtractions reads before the combining reader (default 0): a cell it gives takes its partner in that one sum */
  readonly chainSums?: number;
  /** the hiding sets' solver (`loadLinearProgramSolver()`); without it, where no single partner hides a cell, every free shown cell of its combination is withheld (of a total known through printed cells, those cells) */
  readonly solve?: LinearProgramSolver;
}

/**
 * The tables' marks once no combination of the sums gives back a cell that `mustHide`, and the cells that no
 * withholding hides (`givenAway`: a sum of shown totals alone gives them; they stay withheld — a table does not print a
 * count below k — though they hide nothing, and they are never partners).
 *
 * Example: counts [2, 6, 7, 8, 13, 9], sums x0 + x1 = x3, x1 + x2 = x4, x0 + x2 = x5, x0 withheld for its size and x1,
 * x2 as its partners (each sum holds two withheld cells, but their combination 2·x0 = x3 − x4 + x5 gives x0) → x3
 * withheld too (the cheapest, then the smallest, of that combination's shown cells), `givenAway` [].
 * (test/privacy/disclosure/close-combinations.test.ts)
 */
export function closeCombinations(problem: CombinationProblem): { readonly marks: Suppression[]; readonly givenAway: readonly number[] } {
  const { counts, sums, free } = problem;
  const unpublished = problem.unpublished ?? new Set<number>();
  const withheldTotals = problem.withheldTotals ?? new Set<number>();
  const extra = new Set<number>();
  const givenAway = new Set<number>();
  const reader = combiningReader(sums, unpublished);
  const chain = (problem.chainSums ?? 0) > 0 ? subtractionReader(sums.slice(0, problem.chainSums).map((sum) => sum.map(([i]) => i)), unpublished) : null;
  const weight = problem.weight ?? ((i: number, hidden: number) => 2 ** problem.cost(i, hidden));
  let marks = problem.decide(extra);
  // `withheld`: per cell of the tables, withheld and not given away (a cell given away is known, though not printed)
  const printedIn = (withheld: readonly boolean[]) => (i: number) => i < marks.length && !withheld[i] && !givenAway.has(i);
  // what the reader does not know: the withheld cells, the withheld totals not given away, a total known through
  // printed cells while none is (the unpublished ones the reader takes as unknown itself)
  const unknownOf = (withheld: readonly boolean[]) => {
    const printed = printedIn(withheld);
    return counts.map((_, i) => (i < marks.length ? withheld[i] === true : !givenAway.has(i) && (withheldTotals.has(i) || problem.knownThrough?.(i, printed)?.length === 0)));
  };
  const read = (withheld: readonly boolean[]) => {
    const unknown = unknownOf(withheld);
    const first = chain?.(unknown) ?? null;
    if (first !== null && !givenAway.has(first.cell) && problem.mustHide(first.cell, marks)) return [{ cell: first.cell, cells: sums[first.sum]!.map(([i]) => i), worked: [] as number[] }];
    return reader(unknown).filter(({ cell }) => !givenAway.has(cell) && problem.mustHide(cell, marks));
  };
  // the cheapest shown cells whose withholding hides `cell` (null: none within any reach)
  const hide = (cell: number, withheld: readonly boolean[], combination: readonly number[]) => {
    const printed = printedIn(withheld);
    const partner = (i: number) => printed(i) && free(i);
    const through = (i: number) => (i >= marks.length ? problem.knownThrough?.(i, printed) : undefined);
    if (!problem.solve) return [...new Set(combination.flatMap((i) => (i < marks.length ? [i] : through(i) ?? [])))].filter(partner);
    const unknown = unknownOf(withheld);
    const cellWeight = (i: number) => (partner(i) ? weight(i, cell) : null);
    const totalWeight = (parts: readonly number[] | undefined) => (parts !== undefined && parts.every((c) => cellWeight(c) !== null) ? parts.reduce((sum, c) => sum + cellWeight(c)!, 0) : null);
    for (const within of problem.reach?.(cell) ?? [() => true]) {
      const found = hidingSet({ sums, cell, unknown: (i) => unknown[i] === true || unpublished.has(i), weight: (i) => (i < marks.length ? cellWeight(i) : totalWeight(through(i))), within }, problem.solve);
      if (found !== null) return [...new Set(found.flatMap((i) => (i < marks.length ? [i] : through(i) ?? [])))];
    }
    return null;
  };
  for (let more = true; more; ) {
    const withheld = marks.map((m, i) => m !== null && !givenAway.has(i));
    const before = extra.size;
    for (let found = read(withheld); found.length > 0; found = read(withheld)) {
      // one withheld cell per combination found at once: a combination that this round broke already — a partner taken
      // among its cells, or a total it holds no longer known (the printed cells it is known through withheld or given
      // away) — is left for the next reading, which tells whether another still gives the cell. (Taken as given away
      // then, the cell was hidden only while those cells stay withheld, and a decision that prints one again gave it
      // back unguarded: test/privacy/disclosure/close-combinations.test.ts)
      const taken = new Set<number>();
      const shown = printedIn(withheld);
      const broken = (combination: readonly number[]) => {
        if (combination.some((i) => taken.has(i))) return true;
        if (taken.size === 0 && givenAway.size === 0) return false;
        const unknown = unknownOf(withheld);
        return combination.some((i) => i >= marks.length && !unpublished.has(i) && unknown[i] === true);
      };
      for (const { cell, cells, worked } of found) {
        if (broken([...cells, ...worked])) continue;
        const partner = partnerIn(cells, counts, shown, free, (i) => problem.cost(i, cell));
        const partners = partner !== null ? [partner] : hide(cell, withheld, [...cells, ...worked]);
        // (an empty set — the reader and the program disagree, which exact arithmetic rules out — ends the search as none)
        if (partners === null || partners.length === 0) {
          givenAway.add(cell);
          if (cell < withheld.length) withheld[cell] = false;
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
