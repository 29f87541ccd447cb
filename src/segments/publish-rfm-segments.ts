import type { RfmScoreBand, RfmSegmentation, RfmSegmentSummary } from './assign-rfm-segments.js';
import type { Suppression } from '../privacy/disclosure/suppress-linked-cells.js';
import { suppressLinkedCells } from '../privacy/disclosure/suppress-linked-cells.js';
import { withheldMark } from '../privacy/disclosure/below-k.js';
import { suppressRows, type PublishedRow, type SuppressionTally } from '../privacy/disclosure/suppress-rows.js';
import { withholdExtremes } from '../privacy/disclosure/withhold-extremes.js';

type Range = readonly [number | null, number | null] | null;

/** Measures of an RFM segment withheld with its size. */
export const RFM_SEGMENT_MEASURES = ['share', 'revenue', 'revenueShare', 'historicValue', 'predictedValue', 'predictedValueShare', 'meanRecencyDays', 'meanFrequency', 'meanMonetary'] as const;

export type PublishedRfmSegment = PublishedRow<RfmSegmentSummary, 'customers' | (typeof RFM_SEGMENT_MEASURES)[number]>;

/** A score band as published: each dimension's count and value range withheld on its own; the lowest and highest value of all customers are withheld (each is one customer's own value). */
export interface PublishedRfmScoreBand {
  readonly score: number;
  readonly recencyDays: Range;
  readonly frequency: Range;
  readonly monetary: Range;
  readonly customersR: number | null;
  readonly customersF: number | null;
  readonly customersM: number | null;
  readonly suppression: { readonly recency: Suppression; readonly frequency: Suppression; readonly monetary: Suppression };
}

export type PublishedRfmSegmentation = Omit<RfmSegmentation, 'segments' | 'scoreBands' | 'grid'> & {
  readonly segments: readonly PublishedRfmSegment[];
  readonly scoreBands: readonly PublishedRfmScoreBand[];
  /** customers per cell grid[R − 1][FM − 1], null where withheld */
  readonly grid: readonly (readonly (number | null)[])[];
  /** why each grid cell is null, or null */
  readonly gridSuppression: readonly (readonly Suppression[])[];
};

/**
 * Suppress RFM segmentation: segments (size and every per-segment number;
 * complementary since `customers` is the total), score bands (per
 * dimension R, F and M: count and value range), and the R × FM grid. The
 * grid's cells are linked to three published sums: its rows are the R
 * bands, and every segment is a block of cells (`rules`), so a cell is
 * withheld when its segment or R band is, and complementary cells are
 * chosen until no row or shown segment reveals a withheld cell by
 * subtraction (`suppressLinkedCells`).
 */
export function publishRfmSegments(rfm: RfmSegmentation, minGroupSize: number, tally?: SuppressionTally): PublishedRfmSegmentation {
  const segments = suppressRows(rfm.segments, { count: 'customers', measures: RFM_SEGMENT_MEASURES, minGroupSize, ...(tally ? { tally: { tally, table: 'segments.rfm.segments' } } : {}) });

  const dimension = (count: 'customersR' | 'customersF' | 'customersM', range: 'recencyDays' | 'frequency' | 'monetary') => {
    const rows = suppressRows(rfm.scoreBands, { count, measures: [range], minGroupSize, ...(tally ? { tally: { tally, table: 'segments.rfm.scoreBands' } } : {}) });
    const ranges = withholdExtremes(
      rows.map((row, i) => (row.suppression === null ? rfm.scoreBands[i]![range] : null)),
      rfm.scoreBands.map((band) => band[range]),
    );
    return { counts: rows.map((r) => r[count] as number | null), ranges, marks: rows.map((r) => r.suppression) };
  };
  const r = dimension('customersR', 'recencyDays');
  const f = dimension('customersF', 'frequency');
  const m = dimension('customersM', 'monetary');
  const scoreBands: PublishedRfmScoreBand[] = rfm.scoreBands.map((band: RfmScoreBand, i) => ({
    score: band.score,
    recencyDays: r.ranges[i]!,
    frequency: f.ranges[i]!,
    monetary: m.ranges[i]!,
    customersR: r.counts[i]!,
    customersF: f.counts[i]!,
    customersM: m.counts[i]!,
    suppression: { recency: r.marks[i]!, frequency: f.marks[i]!, monetary: m.marks[i]! },
  }));

  // grid[R − 1][FM − 1], flattened: cell = 5 (R − 1) + (FM − 1)
  const columns = rfm.grid[0]?.length ?? 0;
  const cells = rfm.grid.flat();
  const segmentOf = cells.map((_, cell) => {
    const score = { r: Math.floor(cell / columns) + 1, fm: (cell % columns) + 1 };
    return rfm.segments.findIndex((s) => {
      const rule = rfm.rules.find((x) => x.segment === s.name);
      return rule !== undefined && score.r >= rule.r[0] && score.r <= rule.r[1] && score.fm >= rule.fm[0] && score.fm <= rule.fm[1];
    });
  });
  const preset: Suppression[] = cells.map((count, cell) => {
    const segment = segmentOf[cell]!;
    const band = Math.floor(cell / columns);
    return (segment >= 0 && segments[segment]!.suppression !== null) || r.marks[band] !== null ? withheldMark(count, minGroupSize) : null;
  });
  const rows = rfm.grid.map((_, band) => Array.from({ length: columns }, (_, j) => band * columns + j));
  const blocks = rfm.segments.map((_, s) => cells.map((_, cell) => cell).filter((cell) => segmentOf[cell] === s));
  const marks = suppressLinkedCells(cells, { minGroupSize, preset, partitions: [cells.map((_, i) => i), ...rows, ...blocks] });
  tally?.groups('segments.rfm.grid', marks);
  return {
    ...rfm,
    segments,
    scoreBands,
    grid: rows.map((row) => row.map((cell) => (marks[cell] === null ? cells[cell]! : null))),
    gridSuppression: rows.map((row) => row.map((cell) => marks[cell]!)),
  };
}
