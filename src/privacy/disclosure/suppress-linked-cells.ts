import { UserError } from '../../core/errors/user-error.js';
import { belowK } from './below-k.js';

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
  /**
   * cells suppressed already, for a reason outside this table (a suppressed margin they belong to): `complementary`; a
   * count below k is `small-group` whatever its preset
   */
  readonly preset?: readonly Suppression[];
  /**
   * per cell, how much withholding it costs the reader (default 0 for all): a
   * complementary partner of higher cost is taken only after every cheaper
   * candidate of the partition. E.g. the current period's cells, or counts
   * published again elsewhere, cost more than older months'.
   */
  readonly cost?: readonly number[];
  /**
   * cells whose count readers know whatever this table shows (the difference of two published totals: the prospects
   * are all customers less those acquired): shown — withholding them would hide nothing — and never a partner, since a
   * sum's withheld cells are that sum less the shown cells and these
   */
  readonly known?: readonly boolean[];
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
 *    while not, the cheapest shown non-empty cell of the partition is
 *    suppressed too: first one that opens no partition it could not be
 *    closed in (a partition whose other cells are withheld or 0: its sum
 *    would give the cell away); then one whose every fellow candidate in a partition it opens
 *    would itself open such a partition (one step of look-ahead); then the lowest `cost`; then the one that opens the fewest
 *    other partitions (a partition holding no suppressed cell yet would need
 *    a partner of its own: a cell whose other partitions are suppressed
 *    already asks nothing more of them); then the smallest; then the first
 *    in index order. Suppressing a cell for one partition can call for more
 *    in another: the loop runs to a fixed point (it ends: cells are only
 *    ever added).
 * 3. **Known**: a `known` cell (its count follows from published totals) is
 *    shown whatever its size, and is never a partner.
 *
 * A heuristic, like every practical complementary suppression: it closes
 * "margin − shown cells" in each partition, not every combination of
 * several margins. Returns one mark per cell.
 *
 * Example: a 2×2 table [[2, 10], [8, 9]] with row and column sums published,
 * k = 5 → [[small-group, complementary], [complementary, complementary]].
 * Cell costs as in tau-argus / sdcTable, where the cheapest complementary
 * pattern is sought; here greedily, one partition at a time.
 */
export function suppressLinkedCells(counts: readonly (number | null)[], options: LinkedCellsOptions): Suppression[] {
  const k = options.minGroupSize;
  if (!Number.isInteger(k) || k < 2) throw new UserError(`minimum group size k = ${k} is invalid`, 'use a whole number of at least 2 (default 5)');
  const size = counts.map((c) => (typeof c === 'number' && Number.isFinite(c) && c >= 0 ? c : null));
  const known = (i: number) => options.known?.[i] === true;
  // a count below k is withheld for its own size, whatever else withholds it: `small-group`, never `complementary` — a
  // caller reads the mark to tell a count that must stay unknown from a partner that may be shown again
  const marks: Suppression[] = size.map((c, i) => (known(i) ? null : c === null || belowK(c, k) ? 'small-group' : options.preset?.[i] ?? null));
  const partitions = options.partitions ?? [];
  const cost = counts.map((_, i) => options.cost?.[i] ?? 0);
  if (cost.some((c) => !Number.isFinite(c))) throw new UserError('a complementary cell cost is not a finite number', 'give every cell a number (default 0)');
  // the partitions each cell belongs to, and how many of them would hold their first suppressed cell if it were taken
  const memberOf: number[][] = counts.map(() => []);
  partitions.forEach((cells, p) => new Set(cells).forEach((i) => memberOf[i]?.push(p)));
  const held = partitions.map((cells) => cells.filter((i) => marks[i] !== null).length);
  const opens = (i: number) => memberOf[i]!.filter((p) => held[p] === 0).length;
  // partitions the cell would open that no other shown non-empty cell could close: withheld alone there, the
  // partition's published sum would give it away (and through it the cells it was to protect)
  const open = (j: number) => marks[j] === null && !known(j) && (size[j] ?? 0) > 0;
  const stuck = (i: number) => memberOf[i]!.filter((p) => held[p] === 0 && !partitions[p]!.some((j) => j !== i && open(j))).length;
  // one step further: partitions the cell would open whose every other candidate would itself open one that nothing
  // could close (a chain of forced partners ending in a sum that gives a cell away)
  const stuckNext = (i: number) => {
    marks[i] = 'complementary';
    for (const p of memberOf[i]!) held[p]!++;
    const opened = memberOf[i]!.filter((p) => held[p] === 1);
    const n = opened.filter((p) => { const others = partitions[p]!.filter((j) => j !== i && open(j)); return others.length > 0 && others.every((j) => stuck(j) > 0); }).length;
    for (const p of memberOf[i]!) held[p]!--;
    marks[i] = null;
    return n;
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (const cells of partitions) {
      const suppressed = cells.filter((i) => marks[i] !== null);
      if (suppressed.length === 0) continue;
      let covered = suppressed.reduce((sum, i) => sum + (size[i] ?? 0), 0);
      let count = suppressed.length;
      if (count >= 2 && covered >= k) continue;
      // one at a time: taking a cell can open or close another candidate's partitions
      while (count < 2 || covered < k) {
        const candidates = cells.filter(open);
        if (candidates.length === 0) break;
        const ranked = candidates.map((i) => ({ i, stuck: stuck(i), next: stuckNext(i), cost: cost[i]!, opens: opens(i) }));
        const { i } = ranked.reduce((best, c) => (c.stuck - best.stuck || c.next - best.next || c.cost - best.cost || c.opens - best.opens || size[c.i]! - size[best.i]! || c.i - best.i) < 0 ? c : best);
        marks[i] = 'complementary';
        for (const p of memberOf[i]!) held[p]!++;
        covered += size[i]!;
        count++;
        changed = true;
      }
    }
  }
  return marks;
}
