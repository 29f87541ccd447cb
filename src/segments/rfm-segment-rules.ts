/**
 * The score → segment map of RFM segmentation: a table of rules on the
 * recency score R and the combined frequency-monetary score FM, each score
 * 1–5 (5 best). FM = ⌊(F + M) / 2⌋, the mean of F and M rounded down, so a
 * one-time buyer (F = 1) reaches at most FM 3 and FM 5 needs F = M = 5.
 *
 * The default map on the R × FM grid (rows R, columns FM):
 *
 * | R \ FM | 1 | 2 | 3 | 4 | 5 |
 * | --- | --- | --- | --- | --- | --- |
 * | 5 | New | Potential loyalist | Potential loyalist | Champions | Champions |
 * | 4 | Promising | Potential loyalist | Potential loyalist | Loyal | Loyal |
 * | 3 | About to sleep | About to sleep | Need attention | Loyal | Loyal |
 * | 2 | Hibernating | Hibernating | At risk | At risk | Can't lose them |
 * | 1 | Lost | Lost | At risk | At risk | Can't lose them |
 *
 * The rules do not overlap and cover every cell, so every (R, F, M) of the
 * 125 maps to exactly one segment; `checkRfmSegmentRules` proves that for
 * any map (a custom map must pass it too).
 */
import { UserError } from '../core/errors/user-error.js';

/** A closed range of scores, [lowest, highest], within 1–5. */
export type ScoreRange = readonly [number, number];

/** One rule: customers whose R and FM scores fall in both ranges belong to `segment`. */
export interface RfmSegmentRule {
  readonly segment: string;
  readonly r: ScoreRange;
  readonly fm: ScoreRange;
  /** who is in it, in words */
  readonly description: string;
  /** what to do with them */
  readonly action: string;
}

/** The eleven named segments in display order (best first). */
export const RFM_SEGMENT_NAMES = [
  'Champions',
  'Loyal',
  'Potential loyalist',
  'New',
  'Promising',
  'Need attention',
  'About to sleep',
  'At risk',
  "Can't lose them",
  'Hibernating',
  'Lost',
] as const;

export const DEFAULT_RFM_SEGMENT_RULES: readonly RfmSegmentRule[] = [
  { segment: 'Champions', r: [5, 5], fm: [4, 5], description: 'bought most recently, buy often and spend the most', action: 'reward them; early access, ask for reviews and referrals' },
  { segment: 'Loyal', r: [3, 4], fm: [4, 5], description: 'buy often and spend well, a little less recently than champions', action: 'upsell higher-value products; loyalty programme' },
  { segment: 'Potential loyalist', r: [4, 5], fm: [2, 3], description: 'recent customers with average frequency and spend', action: 'membership or loyalty offer; recommend related products' },
  { segment: 'New', r: [5, 5], fm: [1, 1], description: 'bought very recently, once or rarely, little so far', action: 'onboarding; make the second purchase easy' },
  { segment: 'Promising', r: [4, 4], fm: [1, 1], description: 'bought fairly recently (recency score 4), with the fewest purchases and the lowest spend relative to the other customers (FM score 1), however long they have been customers', action: 'build awareness; free trials or small incentives' },
  { segment: 'Need attention', r: [3, 3], fm: [3, 3], description: 'average recency, frequency and spend; may be slipping', action: 'limited-time offers based on their history' },
  { segment: 'About to sleep', r: [3, 3], fm: [1, 2], description: 'below-average recency and frequency; will lapse without a nudge', action: 'share popular products; reconnect with a discount' },
  { segment: 'At risk', r: [1, 2], fm: [3, 4], description: 'spent and bought often, but long ago', action: 'personal win-back messages; renewals and useful offers' },
  { segment: "Can't lose them", r: [1, 2], fm: [5, 5], description: 'were among the best customers but have not bought for a long time', action: 'win them back with new products; talk to them; do not lose them to a competitor' },
  { segment: 'Hibernating', r: [2, 2], fm: [1, 2], description: 'last bought long ago, few orders and low spend', action: 'relevant offers and reminders; do not over-invest' },
  { segment: 'Lost', r: [1, 1], fm: [1, 2], description: 'lowest recency, frequency and spend', action: 'revive interest with a campaign, otherwise ignore' },
];

/** FM score: the mean of F and M rounded down. */
export function fmScore(f: number, m: number): number {
  return Math.floor((f + m) / 2);
}

function inRange(value: number, range: ScoreRange): boolean {
  return value >= range[0] && value <= range[1];
}

/** The rules that match one (R, F, M) combination (a valid map returns exactly one). */
export function matchRfmSegmentRules(rules: readonly RfmSegmentRule[], r: number, f: number, m: number): RfmSegmentRule[] {
  const fm = fmScore(f, m);
  return rules.filter((rule) => inRange(r, rule.r) && inRange(fm, rule.fm));
}

/** The segment of one (R, F, M) combination; throws when the map does not give exactly one. */
export function segmentOfScores(r: number, f: number, m: number, rules: readonly RfmSegmentRule[] = DEFAULT_RFM_SEGMENT_RULES): string {
  const matches = matchRfmSegmentRules(rules, r, f, m);
  if (matches.length !== 1) throw new UserError(`RFM (${r}, ${f}, ${m}) matches ${matches.length} segment rules`, 'every (R, F, M) must match exactly one rule: check the segment map');
  return matches[0]!.segment;
}

/**
 * Check a segment map: every range within 1–5 and ordered, segment names
 * unique and non-empty, and every one of the 125 (R, F, M) combinations
 * matched by exactly one rule. Throws a UserError naming the first fault.
 */
export function checkRfmSegmentRules(rules: readonly RfmSegmentRule[]): void {
  if (rules.length === 0) throw new UserError('the RFM segment map has no rules', 'give at least one rule, or use the default map');
  const names = new Set<string>();
  for (const rule of rules) {
    if (!rule.segment || rule.segment.trim() === '') throw new UserError('an RFM segment rule has no segment name', 'name every segment');
    if (names.has(rule.segment)) throw new UserError(`RFM segment ${rule.segment} has more than one rule`, 'give each segment one rule (one R range and one FM range)');
    names.add(rule.segment);
    for (const [label, range] of [['R', rule.r], ['FM', rule.fm]] as const) {
      const [lo, hi] = range;
      if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi > 5 || lo > hi) {
        throw new UserError(`segment ${rule.segment}: ${label} range [${lo}, ${hi}] is not within 1–5`, 'write ranges as [lowest, highest] whole scores from 1 to 5');
      }
    }
  }
  for (let r = 1; r <= 5; r++) {
    for (let f = 1; f <= 5; f++) {
      for (let m = 1; m <= 5; m++) {
        const matches = matchRfmSegmentRules(rules, r, f, m);
        if (matches.length !== 1) {
          throw new UserError(
            `RFM (${r}, ${f}, ${m}) (FM ${fmScore(f, m)}) matches ${matches.length === 0 ? 'no segment' : matches.map((x) => x.segment).join(' and ')}`,
            'every (R, FM) cell of the 5 × 5 grid must belong to exactly one rule',
          );
        }
      }
    }
  }
}
