import type { Suppression } from './suppress-linked-cells.js';
import { DEFAULT_MIN_GROUP_SIZE, suppressSmallGroups } from './suppress-small-groups.js';

export interface SeriesToSuppress {
  /** customers in each group (bucket, segment, cell) */
  readonly counts: readonly number[];
  /** per-group numbers computed from those customers' own data (means, sums, shares), same length as `counts` */
  readonly measures?: Readonly<Record<string, readonly (number | null)[]>>;
}

export interface SuppressSeriesOptions {
  /** k: smallest group shown (default 5, `--min-group-size`) */
  readonly minGroupSize?: number;
  /**
   * the total over the groups is published or derivable (a headline count, a
   * histogram whose sum is the customer count): then the suppressed groups are
   * made at least two and at least k people together (complementary
   * suppression); default true
   */
  readonly totalPublished?: boolean;
}

export interface SuppressedSeries {
  /** counts with suppressed groups as null */
  readonly counts: (number | null)[];
  readonly measures: Record<string, (number | null)[]>;
  /** per group: why it was suppressed, or null */
  readonly suppression: Suppression[];
  readonly k: number;
}

/**
 * Small-group suppression for the parallel-array aggregates of run.json and
 * the report (a histogram's `actual`, a conditional expectation's
 * `customers` + `actual`, segment sizes with their means): no number may
 * describe fewer than k customers. A thin wrapper over `suppressSmallGroups`
 * for tables stored as columns.
 *
 * Model outputs that hold no customer's data (a histogram's `expected`,
 * fitted parameters) are not measures: leave them out.
 *
 * Example: `suppressSeries({ counts: [1411, 439, 214, 100, 62, 38, 3, 2], measures: { actual: [0.2, 0.5, 0.9, 1.3, 1.8, 2.1, 4.0, 6.5] } }, { minGroupSize: 5 })`
 * → counts `[1411, 439, 214, 100, 62, 38, null, null]`, actual `[…, 2.1, null, null]`
 */
export function suppressSeries(series: SeriesToSuppress, options: SuppressSeriesOptions = {}): SuppressedSeries {
  const measures = series.measures ?? {};
  for (const [name, values] of Object.entries(measures)) {
    if (values.length !== series.counts.length) throw new Error(`suppressSeries: measure ${name} has ${values.length} values for ${series.counts.length} groups`);
  }
  const rows = series.counts.map((count, i) => ({ count, ...Object.fromEntries(Object.entries(measures).map(([name, values]) => [name, values[i] ?? null])) }) as Record<string, number | null>);
  const result = suppressSmallGroups(rows, {
    countColumn: 'count',
    measureColumns: Object.keys(measures),
    k: options.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE,
    totalPublished: options.totalPublished ?? true,
  });
  return {
    counts: result.rows.map((row) => row.count as number | null),
    measures: Object.fromEntries(Object.keys(measures).map((name) => [name, result.rows.map((row) => row[name] as number | null)])),
    suppression: result.rows.map((row) => row.suppression),
    k: result.k,
  };
}
