import { describe, expect, it } from 'vitest';
import { DEFAULT_RFM_SEGMENT_RULES, checkRfmSegmentRules, matchRfmSegmentRules, segmentOfScores } from '../../src/segments/rfm-segment-rules.js';

describe('the RFM score → segment map', () => {
  it('maps every one of the 125 (R, F, M) combinations to exactly one of the 11 named segments', () => {
    const seen = new Set<string>();
    for (let r = 1; r <= 5; r++) {
      for (let f = 1; f <= 5; f++) {
        for (let m = 1; m <= 5; m++) {
          expect(matchRfmSegmentRules(DEFAULT_RFM_SEGMENT_RULES, r, f, m), `(${r}, ${f}, ${m})`).toHaveLength(1);
          seen.add(segmentOfScores(r, f, m));
        }
      }
    }
    expect([...seen].sort()).toEqual(
      ['About to sleep', 'At risk', "Can't lose them", 'Champions', 'Hibernating', 'Lost', 'Loyal', 'Need attention', 'New', 'Potential loyalist', 'Promising'].sort(),
    );
    expect(() => checkRfmSegmentRules(DEFAULT_RFM_SEGMENT_RULES)).not.toThrow();
  });

  it('puts the textbook cases where a marketer expects them', () => {
    expect(segmentOfScores(5, 5, 5)).toBe('Champions');
    expect(segmentOfScores(1, 1, 1)).toBe('Lost');
    expect(segmentOfScores(1, 5, 5)).toBe("Can't lose them");
    expect(segmentOfScores(5, 1, 1)).toBe('New');
  });

  it('rejects a map with a gap or an overlap', () => {
    expect(() => checkRfmSegmentRules(DEFAULT_RFM_SEGMENT_RULES.slice(1))).toThrow();
    expect(() => checkRfmSegmentRules([...DEFAULT_RFM_SEGMENT_RULES, DEFAULT_RFM_SEGMENT_RULES[0]!])).toThrow();
  });
});
