import { UserError } from '../../core/errors/user-error.js';
import { suppressLinkedCells, type Suppression } from './suppress-linked-cells.js';

/** Default minimum group size shown in aggregates. */
export const DEFAULT_MIN_GROUP_SIZE = 5;

export interface SuppressOptions<R> {
  /** column with the number of people (customers) in the group */
  readonly countColumn: string;
  /** columns nulled in a suppressed row (the count column is nulled too, see `suppressCount`) */
  readonly measureColumns: readonly string[];
  /** minimum group size k; integer ≥ 2, default 5 */
  readonly k?: number;
  /** marks rows that are totals of the other rows in their partition */
  readonly isTotal?: (row: R) => boolean;
  /** columns whose values identify a partition: groups sharing a total row; default: the whole table is one partition */
  readonly partitionBy?: readonly string[];
  /**
   * the partition totals are known to readers even when no total row is in
   * the table (printed elsewhere, or derivable); default: true when a total
   * row is present in the partition
   */
  readonly totalPublished?: boolean;
  /** null the count of suppressed rows as well; default true */
  readonly suppressCount?: boolean;
}

export type SuppressedRow<R> = R & { readonly suppressed: boolean; readonly suppression: Suppression };

export interface SuppressResult<R> {
  readonly rows: SuppressedRow<R>[];
  readonly k: number;
  /** rows suppressed for being smaller than k (including totals) */
  readonly primary: number;
  /** rows suppressed only so that a total cannot reveal a small group */
  readonly complementary: number;
}

/**
 * Small-group suppression for aggregate tables, so no published number
 * describes fewer than k people. Rules, per partition:
 *
 * 1. **Primary**: a group (or total) row whose count is below k — or not a
 *    number — is suppressed: its measures and count become null, `suppressed`
 *    true. A count of 0 is shown: it describes nobody.
 * 2. **Complementary**: when the partition's total is published (a total row,
 *    or `totalPublished`), `total − shown groups` equals the sum of the
 *    suppressed groups. So suppressed groups must be at least two and cover
 *    at least k people together: while they are not, the smallest remaining
 *    non-empty group (first in input order on ties) is suppressed too.
 *
 * Not covered: cross-tabulations with margins in more than one dimension, and
 * differencing between separately published tables — publish those from the
 * same suppressed rows.
 *
 * Example: groups A=2, B=40, C=9 with a total 51 and k=5 → A small-group, C complementary (A+C=11 ≥ 5), B and the total shown.
 */
export function suppressSmallGroups<R extends Record<string, unknown>>(rows: readonly R[], options: SuppressOptions<R>): SuppressResult<R> {
  const k = options.k ?? DEFAULT_MIN_GROUP_SIZE;
  if (!Number.isInteger(k) || k < 2) throw new UserError(`minimum group size k = ${k} is invalid`, 'use a whole number of at least 2 (default 5)');
  if (rows.length > 0 && !(options.countColumn in rows[0])) {
    throw new UserError(`count column ${options.countColumn} is not in the rows`, `columns: ${Object.keys(rows[0]).join(', ')}`);
  }
  const counts = rows.map((row) => countOf(row[options.countColumn]));
  const isTotal = rows.map((row) => options.isTotal?.(row) ?? false);
  const partitions = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const key = JSON.stringify((options.partitionBy ?? []).map((c) => String(row[c] ?? null)));
    let members = partitions.get(key);
    if (!members) partitions.set(key, (members = []));
    members.push(i);
  });
  // The groups of each partition whose total is known are linked by that total; totals themselves only get the primary rule.
  const linked = [...partitions.values()].filter((members) => options.totalPublished ?? members.some((i) => isTotal[i])).map((members) => members.filter((i) => !isTotal[i]));
  const marks = suppressLinkedCells(counts, { minGroupSize: k, partitions: linked });

  const suppressCount = options.suppressCount ?? true;
  let primary = 0;
  let complementary = 0;
  const out = rows.map((row, i): SuppressedRow<R> => {
    const mark = marks[i];
    if (mark === null) return { ...row, suppressed: false, suppression: null };
    if (mark === 'small-group') primary++;
    else complementary++;
    const copy: Record<string, unknown> = { ...row, suppressed: true, suppression: mark };
    for (const column of options.measureColumns) copy[column] = null;
    if (suppressCount) copy[options.countColumn] = null;
    return copy as SuppressedRow<R>;
  });
  return { rows: out, k, primary, complementary };
}

function countOf(value: unknown): number | null {
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : NaN;
  return Number.isFinite(n) && n >= 0 ? n : null;
}
