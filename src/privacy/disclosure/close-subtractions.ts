/**
 * The check behind complementary suppression, run on the whole: a reader who knows every published sum (a margin, a
 * total, a count published in another table, written as a set of cells whose signed sum is 0) and every shown cell
 * solves any sum left with one unknown, and goes on with what they found. `suppressLinkedCells` closes each sum by
 * itself; a chain of sums (a flow found from its month's count, then the month before from that flow) it does not see.
 * `firstSubtraction` finds the first withheld cell such a reader recovers, and the sum that gives it; the caller
 * withholds one more cell of that sum (`partnerIn`) and decides again, until none is found.
 */

/**
 * The first withheld cell a reader recovers by subtraction, and the index of the sum that gives it (null: none).
 * `withheld` per cell; `sums`: cells whose signed sum is known (the coefficients do not matter, only who is in it);
 * `unpublished` cells (a total no table prints) are unknown to start with and are not reported when found, only used.
 *
 * Example: withheld [true, false, true], sums [[0, 1], [0, 2]] → { cell: 0, sum: 0 } (cell 0 is sum 0 less cell 1).
 */
export function firstSubtraction(withheld: readonly boolean[], sums: readonly (readonly number[])[], unpublished: ReadonlySet<number> = new Set()): { readonly cell: number; readonly sum: number } | null {
  return subtractionReader(sums, unpublished)(withheld);
}

/**
 * `firstSubtraction` for many looks at the same sums: who is in which sum is worked out once.
 *
 * Example: `const read = subtractionReader(sums); read(withheld)` → the first cell given back, or null.
 */
export function subtractionReader(sums: readonly (readonly number[])[], unpublished: ReadonlySet<number> = new Set()): (withheld: readonly boolean[]) => { readonly cell: number; readonly sum: number } | null {
  const members = sums.map((cells) => [...new Set(cells)]);
  const sumsOf = new Map<number, number[]>();
  members.forEach((cells, s) => {
    for (const i of cells) {
      const of = sumsOf.get(i);
      if (of) of.push(s);
      else sumsOf.set(i, [s]);
    }
  });
  return (withheld) => {
    const unknown = (i: number) => withheld[i] === true || unpublished.has(i);
    const found = new Set<number>();
    const open = members.map((cells) => cells.reduce((n, i) => n + (unknown(i) ? 1 : 0), 0));
    const queue = members.map((_, s) => s).filter((s) => open[s] === 1);
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q]!;
      if (open[s] !== 1) continue;
      const cell = members[s]!.find((i) => unknown(i) && !found.has(i))!;
      if (!unpublished.has(cell)) return { cell, sum: s };
      found.add(cell);
      for (const t of sumsOf.get(cell) ?? []) if (--open[t]! === 1) queue.push(t);
    }
    return null;
  };
}

/**
 * The cell of a sum to withhold next so that it holds two unknowns: a shown one the caller may withhold (`free`), the
 * lowest `cost`, then a non-empty one before a 0 (withholding a 0 hides nobody but closes the sum), then the smallest,
 * then the first. Null when there is none (the sum gives its cell away whatever is withheld).
 */
export function partnerIn(cells: readonly number[], counts: readonly number[], shown: (i: number) => boolean, free: (i: number) => boolean, cost: (i: number) => number): number | null {
  const candidates = [...new Set(cells)].filter((i) => shown(i) && free(i));
  if (candidates.length === 0) return null;
  const empty = (i: number) => (counts[i]! > 0 ? 0 : 1);
  return candidates.reduce((best, i) => ((cost(i) - cost(best) || empty(i) - empty(best) || counts[i]! - counts[best]! || i - best) < 0 ? i : best));
}

/** A sum with its signs: Σ coefficient × cell is known (0, or a published total's cell among the terms). */
export type SignedSum = readonly (readonly [cell: number, coefficient: number])[];

const EPSILON = 1e-9;

/**
 * The reader who combines sums, not only one at a time: a withheld cell is given away when some signed combination of
 * the sums holds it as its only unknown — (out of new) + (out of active) − (into active) … leaves one flow though each
 * sum holds two. The sums are kept in reduced row echelon form over the unknown cells (withheld, and `unpublished` ones),
 * each row carrying the shown cells along (the combination's known part); a row with one unknown left gives that cell.
 * Returns every withheld cell so given, lowest first, each with the shown cells of its combination (a coefficient not 0
 * in it) that a reader could not work out if withheld: withholding any one of them leaves the cell undetermined, as every
 * combination that isolates it is this one plus sums over shown cells only (those that hold such a cell make it one a
 * reader works out: `worked`, apart — withholding one of those alone changes nothing, it is worked out again). When none
 * of `cells` can be withheld, only a set of cells hides the cell (hiding-set.ts).
 *
 * The reader keeps its rows between calls and follows the cells that became withheld or shown since the last one (a
 * shown cell withheld: a row that held no unknown and holds it takes it as pivot; a withheld cell shown: its row takes
 * another pivot), so a caller that withholds a partner at a time does not pay for a whole elimination each time.
 *
 * Example: withheld [true, true, false, false], sums [[0, 1], [1, −1], [2, −1]] and [[0, 1], [1, 1], [3, −1]]
 * (x0 − x1 = c2, x0 + x1 = c3: two unknowns in each) → [{ cell: 0, cells: [2, 3], worked: [] }, { cell: 1, cells: [2, 3],
 * worked: [] }].
 */
export function combiningReader(sums: readonly SignedSum[], unpublished: ReadonlySet<number> = new Set()): (withheld: readonly boolean[]) => { readonly cell: number; readonly cells: readonly number[]; readonly worked: readonly number[] }[] {
  const rows = sums.map((sum) => {
    const row = new Map<number, number>();
    for (const [cell, a] of sum) add(row, cell, a);
    return row;
  });
  const pivotOf = new Array<number>(rows.length).fill(-1);
  const rowOf = new Map<number, number>();
  const unknown = new Set<number>();
  // row r takes cell as its pivot: scaled to 1 there, and the cell taken out of every other row
  const pivotOn = (r: number, cell: number) => {
    const row = rows[r]!;
    const scale = row.get(cell)!;
    for (const [i, a] of row) row.set(i, a / scale);
    rows.forEach((other, o) => {
      if (o !== r && other.has(cell)) subtract(other, row, other.get(cell)!);
    });
    pivotOf[r] = cell;
    rowOf.set(cell, r);
  };
  // the unknown cell of a row with the largest coefficient (the lowest cell of a tie), or −1
  const largest = (row: ReadonlyMap<number, number>) => {
    let pivot = -1;
    let size = 0;
    for (const [cell, a] of row) if (unknown.has(cell) && (Math.abs(a) > size + EPSILON || (Math.abs(a) > size - EPSILON && cell < pivot))) [pivot, size] = [cell, Math.abs(a)];
    return pivot;
  };
  const becomeUnknown = (cell: number) => {
    unknown.add(cell);
    // the pivot rows hold it as a free cell; a row without a pivot that holds it takes it
    const r = rows.findIndex((row, i) => pivotOf[i] === -1 && row.has(cell));
    if (r >= 0) pivotOn(r, cell);
  };
  const becomeKnown = (cell: number) => {
    unknown.delete(cell);
    const r = rowOf.get(cell);
    if (r === undefined) return;
    rowOf.delete(cell);
    pivotOf[r] = -1;
    const next = largest(rows[r]!);
    if (next >= 0) pivotOn(r, next);
  };
  for (const cell of unpublished) becomeUnknown(cell);
  return (withheld) => {
    const now = new Set<number>(unpublished);
    withheld.forEach((w, i) => w && now.add(i));
    for (const cell of [...unknown]) if (!now.has(cell)) becomeKnown(cell);
    for (const cell of now) if (!unknown.has(cell)) becomeUnknown(cell);
    // a shown cell of a row with no unknown (a combination of the sums over shown cells only) is one a reader works out
    // when it is withheld: no partner
    const worksOut = new Set<number>();
    rows.forEach((row, r) => pivotOf[r] === -1 && row.forEach((_, cell) => worksOut.add(cell)));
    const found: { cell: number; cells: number[]; worked: number[] }[] = [];
    rows.forEach((row, r) => {
      const pivot = pivotOf[r]!;
      if (pivot < 0 || unpublished.has(pivot)) return;
      for (const cell of row.keys()) if (cell !== pivot && unknown.has(cell)) return;
      const shown = [...row.keys()].filter((cell) => cell !== pivot).sort((x, y) => x - y);
      found.push({ cell: pivot, cells: shown.filter((cell) => !worksOut.has(cell)), worked: shown.filter((cell) => worksOut.has(cell)) });
    });
    return found.sort((x, y) => x.cell - y.cell);
  };
}

function add(row: Map<number, number>, cell: number, a: number): void {
  const v = (row.get(cell) ?? 0) + a;
  if (Math.abs(v) <= EPSILON) row.delete(cell);
  else row.set(cell, v);
}

/** row −= factor × pivot (a coefficient within EPSILON of 0 leaves the row: the rows stay sparse). */
function subtract(row: Map<number, number>, pivot: ReadonlyMap<number, number>, factor: number): void {
  if (Math.abs(factor) <= EPSILON) return;
  for (const [cell, p] of pivot) add(row, cell, -factor * p);
}
