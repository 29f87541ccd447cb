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
