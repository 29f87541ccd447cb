import { UserError } from '../../core/errors/user-error.js';

/** Why a row was suppressed: its own size (`small-group`) or to protect another row (`complementary`). */
export type Suppression = 'small-group' | 'complementary' | null;

export interface LinkedCellsOptions {
  /** k: smallest group shown (default 5 is the caller's: pass `minGroupSize`) */
  readonly minGroupSize: number;
  /**
   * sets of cells (indices into `counts`) whose sum readers know: a margin,
   * a total, a number published in another table. Within each, the
   * suppressed cells are made at least two and at least k people together.
   */
  readonly partitions?: readonly (readonly number[])[];
  /** cells suppressed already, for a reason outside this table (a suppressed margin they belong to): `complementary` */
  readonly preset?: readonly Suppression[];
}

/**
 * Small-group suppression for cells that are linked by several published
 * sums (a cross-table with row and column margins, flows whose margins are
 * counts of another table, groups mirrored in a second table). Same rules as
 * `suppressSmallGroups`, applied to every partition until nothing changes:
 *
 * 1. **Primary**: a cell whose count is below k (or not a number) is
 *    `small-group`; 0 describes nobody and is shown.
 * 2. **Complementary**: in every partition that holds a suppressed cell,
 *    the suppressed cells must be at least two and cover at least k people;
 *    while not, the smallest shown non-empty cell of the partition (first
 *    in index order on ties) is suppressed too. Suppressing a cell for one
 *    partition can call for more in another: the loop runs to a fixed point
 *    (it ends: cells are only ever added).
 *
 * A heuristic, like every practical complementary suppression: it closes
 * "margin − shown cells" in each partition, not every combination of
 * several margins. Returns one mark per cell.
 *
 * Example: a 2×2 table [[2, 10], [8, 9]] with row and column sums published,
 * k = 5 → [[small-group, complementary], [complementary, complementary]].
 */
export function suppressLinkedCells(counts: readonly (number | null)[], options: LinkedCellsOptions): Suppression[] {
  const k = options.minGroupSize;
  if (!Number.isInteger(k) || k < 2) throw new UserError(`minimum group size k = ${k} is invalid`, 'use a whole number of at least 2 (default 5)');
  const size = counts.map((c) => (typeof c === 'number' && Number.isFinite(c) && c >= 0 ? c : null));
  const marks: Suppression[] = size.map((c, i) => options.preset?.[i] ?? (c === null || (c > 0 && c < k) ? 'small-group' : null));
  const partitions = options.partitions ?? [];
  let changed = true;
  while (changed) {
    changed = false;
    for (const cells of partitions) {
      const suppressed = cells.filter((i) => marks[i] !== null);
      if (suppressed.length === 0) continue;
      let covered = suppressed.reduce((sum, i) => sum + (size[i] ?? 0), 0);
      let count = suppressed.length;
      if (count >= 2 && covered >= k) continue;
      const candidates = cells.filter((i) => marks[i] === null && (size[i] ?? 0) > 0).sort((a, b) => size[a]! - size[b]! || a - b);
      for (const i of candidates) {
        if (count >= 2 && covered >= k) break;
        marks[i] = 'complementary';
        covered += size[i]!;
        count++;
        changed = true;
      }
    }
  }
  return marks;
}
