/**
 * Building blocks of the suppression of run.json's aggregates
 * (`publishRunSummary`): rows of a table with their count and measures
 * nulled, the types of the published copies, sub-counts inside a shown
 * group, and the tally of what was withheld.
 */
import { suppressLinkedCells, type Suppression } from './suppress-linked-cells.js';
import { suppressSmallGroups } from './suppress-small-groups.js';
import { belowK } from './below-k.js';

/** A withheld value: null, or for an array of numbers the same array with nulls (its length kept). */
export type WithheldValue<V> = V extends readonly (number | null)[] ? WithheldNumbers : V | null;

/** `T` with the fields `K` allowed to be withheld (null). */
export type Withheld<T, K extends keyof T> = { readonly [P in keyof T]: P extends K ? WithheldValue<T[P]> : T[P] };

/** A row of a published aggregate: fields `K` may be null, and `suppression` says why (null: shown). */
export type PublishedRow<T, K extends keyof T> = Withheld<T, K> & { readonly suppression: Suppression };

/** An array of numbers with every entry allowed to be null. */
export type WithheldNumbers = readonly (number | null)[];

/** Numeric fields of `T` (for the measure lists of `suppressRows`). */
export type NumberKeys<T> = { [P in keyof T]-?: T[P] extends number | null | undefined ? P : never }[keyof T];

/**
 * What suppression withheld from one output, the note in run.json's
 * `privacy.suppressed`: groups (rows, cells, bins) withheld for being
 * smaller than k (`smallGroups`) or only so that a published total cannot
 * reveal a small one (`complementary`); single numbers inside a shown group
 * that describe fewer than k customers (`values`: a month's active
 * customers, a stage's repurchasers); rules and patterns left out
 * (`rulesWithheld`); and everything withheld per table (run.json path).
 */
export interface SuppressionSummary {
  readonly minGroupSize: number;
  readonly smallGroups: number;
  readonly complementary: number;
  readonly values: number;
  readonly rulesWithheld: number;
  readonly tables: Readonly<Record<string, number>>;
}

/** Counts what the suppression functions withhold, for `SuppressionSummary`. */
export class SuppressionTally {
  #smallGroups = 0;
  #complementary = 0;
  #values = 0;
  #rules = 0;
  readonly #tables = new Map<string, number>();

  constructor(readonly minGroupSize: number) {}

  #add(table: string, n: number): void {
    if (n > 0) this.#tables.set(table, (this.#tables.get(table) ?? 0) + n);
  }

  /** groups of `table` withheld, by their marks */
  groups(table: string, marks: readonly Suppression[]): void {
    const small = marks.filter((m) => m === 'small-group').length;
    const complementary = marks.filter((m) => m === 'complementary').length;
    this.#smallGroups += small;
    this.#complementary += complementary;
    this.#add(table, small + complementary);
  }

  /** single values of `table` withheld inside shown groups */
  values(table: string, n: number): void {
    this.#values += n;
    this.#add(table, n);
  }

  /** rules of `table` left out */
  rules(table: string, n: number): void {
    this.#rules += n;
    this.#add(table, n);
  }

  summary(): SuppressionSummary {
    return {
      minGroupSize: this.minGroupSize,
      smallGroups: this.#smallGroups,
      complementary: this.#complementary,
      values: this.#values,
      rulesWithheld: this.#rules,
      tables: Object.fromEntries([...this.#tables].sort((a, b) => a[0].localeCompare(b[0]))),
    };
  }
}

export interface SuppressRowsOptions<R, C extends NumberKeys<R>, K extends keyof R> {
  /** the field with the customers of the group */
  readonly count: C;
  /** fields computed from the group's customers, nulled with the count */
  readonly measures: readonly K[];
  readonly minGroupSize: number;
  /** the total over the rows is published or derivable (default true): complementary suppression */
  readonly totalPublished?: boolean;
  /** rows to suppress whatever their size (the same groups suppressed in a mirror table), marked `complementary` */
  readonly preset?: readonly Suppression[];
  /** per row, what withholding it costs (`suppressLinkedCells`' `cost`): a row whose count another table shows costs more */
  readonly cost?: readonly number[];
  /** rows whose count readers know otherwise (`suppressLinkedCells`' `known`): shown, never a partner */
  readonly known?: readonly boolean[];
  /** where to count what was withheld, and under which name */
  readonly tally?: { readonly tally: SuppressionTally; readonly table: string };
}

/**
 * Suppress the rows of one table: `suppressSmallGroups` with one partition
 * (the whole table, when its total is published), or with `preset`, `cost` or `known` rows the
 * same rules over `suppressLinkedCells`. Suppressed rows get null count and
 * measures (an array measure keeps its length, all null); every row gets
 * `suppression`.
 *
 * Example: rows with customers [2, 40, 9], k = 5, total published →
 * customers [null, 40, null], suppression ['small-group', null, 'complementary'].
 */
export function suppressRows<R extends object, C extends NumberKeys<R>, K extends keyof R = never>(rows: readonly R[], options: SuppressRowsOptions<R, C, K>): PublishedRow<R, C | K>[] {
  const countOf = (row: R) => (row as Record<string, unknown>)[options.count as string] as number | null;
  const { preset, cost, known } = options;
  const marks: Suppression[] = preset || cost || known
    ? suppressLinkedCells(rows.map(countOf), { minGroupSize: options.minGroupSize, ...(preset ? { preset } : {}), ...(cost ? { cost } : {}), ...(known ? { known } : {}), partitions: options.totalPublished === false ? [] : [rows.map((_, i) => i)] })
    : suppressSmallGroups(
        rows.map((row) => ({ count: countOf(row) })),
        { countColumn: 'count', measureColumns: [], k: options.minGroupSize, totalPublished: options.totalPublished ?? true },
      ).rows.map((row) => row.suppression);
  options.tally?.tally.groups(options.tally.table, marks);
  return rows.map((row, i) => {
    const mark = marks[i]!;
    if (mark === null) return { ...row, suppression: null } as PublishedRow<R, C | K>;
    const copy: Record<string, unknown> = { ...row, suppression: mark };
    copy[options.count as string] = null;
    for (const field of options.measures) copy[field as string] = Array.isArray(copy[field as string]) ? (copy[field as string] as unknown[]).map(() => null) : null;
    return copy as PublishedRow<R, C | K>;
  });
}

/**
 * True when `part` of a group of `whole` customers describes fewer than k
 * people: the part itself (1…k−1), or the rest of the group (also 1…k−1) —
 * "all but 2 of the 40 bought again" singles out those 2 as much as "2 bought".
 *
 * Example: `isSmallPart(3, 40, 5)` → true, `isSmallPart(38, 40, 5)` → true, `isSmallPart(20, 40, 5)` → false.
 */
export function isSmallPart(part: number | null | undefined, whole: number | null | undefined, k: number): boolean {
  if (typeof part !== 'number' || !Number.isFinite(part)) return false;
  if (belowK(part, k)) return true;
  return typeof whole === 'number' && Number.isFinite(whole) && belowK(whole - part, k);
}

/** The people behind a share of a group: round(share × size), or null when unknown. */
export function impliedCount(share: number | null | undefined, size: number | null | undefined): number | null {
  if (typeof share !== 'number' || typeof size !== 'number' || !Number.isFinite(share) || !Number.isFinite(size)) return null;
  return Math.round(share * size);
}
