import { describe, expect, it } from 'vitest';
import { publishRfmSegments } from '../../src/segments/publish-rfm-segments.js';
import type { RfmSegmentation, RfmSegmentSummary } from '../../src/segments/assign-rfm-segments.js';
import { DEFAULT_RFM_SEGMENT_RULES } from '../../src/segments/rfm-segment-rules.js';

const S = 'small-group';
const C = 'complementary';

describe('publishRfmSegments', () => {
  // R × FM grid (rows R = 1…5); one small cell: R 1, FM 3 (3 customers, in “At risk”)
  const grid = [
    [50, 40, 3, 20, 10],
    [30, 30, 25, 25, 10],
    [20, 20, 20, 20, 20],
    [20, 20, 20, 20, 20],
    [20, 20, 20, 20, 20],
  ];
  const segment = (name: string, customers: number): RfmSegmentSummary => ({
    name,
    description: '',
    action: '',
    customers,
    share: customers / 600,
    revenue: 100 * customers,
    revenueShare: customers / 600,
    historicValue: 100 * customers,
    predictedValue: null,
    predictedValueShare: null,
    meanRecencyDays: 10,
    meanFrequency: 2,
    meanMonetary: 100,
  });
  const inRule = (rule: (typeof DEFAULT_RFM_SEGMENT_RULES)[number], r: number, fm: number) => r >= rule.r[0] && r <= rule.r[1] && fm >= rule.fm[0] && fm <= rule.fm[1];
  const rfm: RfmSegmentation = {
    asOf: '2024-01-01',
    table: 'customer_rfm',
    method: '',
    monetary: 'total',
    sameForAll: [],
    customers: 600,
    revenue: 60000,
    predictedValue: null,
    segments: DEFAULT_RFM_SEGMENT_RULES.map((rule) => segment(rule.segment, grid.flatMap((row, r) => row.filter((_, fm) => inRule(rule, r + 1, fm + 1))).reduce((a, b) => a + b, 0))),
    scoreBands: [1, 2, 3, 4, 5].map((score) => ({
      score,
      recencyDays: [score * 10, score * 10 + 9] as const,
      frequency: [score, score] as const,
      monetary: [score * 100, score * 100 + 99] as const,
      customersR: grid[score - 1]!.reduce((a, b) => a + b, 0),
      customersF: score === 5 ? 3 : 120,
      customersM: 120,
    })),
    grid,
    rules: DEFAULT_RFM_SEGMENT_RULES,
  };

  it('withholds the small cell and, to a fixed point, partners in its R row and in every segment that holds a withheld cell', () => {
    const out = publishRfmSegments(rfm, 5);
    // the whole grid takes R1 FM4 (20): it lies in the small cell's row and segment (“At risk”, R1–2 × FM3–4), so it
    // closes all three sums at once. The smallest cell, R1 FM5 (10), would open “Can't lose them” (R1–2 × FM5), whose
    // partner R2 FM5 would open row R2 in turn (5 cells withheld instead of 2)
    expect(out.gridSuppression[0]).toEqual([null, null, S, C, null]);
    expect(out.gridSuppression.slice(1).flat().every((m) => m === null)).toBe(true);
    expect(out.grid[0]).toEqual([50, 40, null, null, 10]);
    expect(out.grid.slice(1)).toEqual(grid.slice(1));
    // no segment is small: all shown
    expect(out.segments.every((s) => s.suppression === null)).toBe(true);
    expect(out.segments.find((s) => s.name === 'At risk')!.customers).toBe(3 + 20 + 25 + 25);
  });

  it('score bands: the F band of 3 customers and a partner are withheld; the lowest and highest values of everyone are withheld', () => {
    const out = publishRfmSegments(rfm, 5);
    // the partner: the smallest other band, the first of the equal ones
    expect(out.scoreBands.map((b) => b.customersF)).toEqual([null, 120, 120, 120, null]);
    expect(out.scoreBands.map((b) => b.suppression.frequency)).toEqual([C, null, null, null, S]);
    expect(out.scoreBands.map((b) => b.frequency)).toEqual([null, [2, 2], [3, 3], [4, 4], null]);
    expect(out.scoreBands.map((b) => b.recencyDays)).toEqual([[null, 19], [20, 29], [30, 39], [40, 49], [50, null]]);
    expect(out.scoreBands.map((b) => b.customersR)).toEqual([123, 120, 100, 100, 100]);
  });
});
