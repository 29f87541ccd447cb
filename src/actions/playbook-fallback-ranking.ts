import type { ColumnarResult } from '../engine/warehouse.js';
import type { Play } from './playbook.js';

/** What ranks a budget's candidates when no uplift model is used, how (for the note), and each candidate's gain. */
export interface FallbackRanking {
  readonly basis: 'value × P(alive)' | 'expected purchases × P(alive)';
  readonly how: string;
  readonly gain: (i: number) => number;
}

/**
 * The budget's ranking without an uplift model, over `candidates` (columns play, value = predicted_clv_12m, purchases =
 * expected_purchases_365d): value × P(alive) — lift × predicted CLV × margin — when any candidate has a predicted CLV
 * (one without counts as 0); otherwise (no order values, or the value models did not run) lift × expected purchases
 * over 12 months, both already weighted by P(alive). A candidate with neither counts as 0, and `how` says when none has
 * either: the budget then takes customers in token order.
 *
 * Example: on a frequency-only warehouse → `{ basis: 'expected purchases × P(alive)', how: 'expected purchases over 12 months, …', gain }`
 */
export function fallbackRanking(candidates: ColumnarResult, lifts: ReadonlyMap<string, { lift: number }>, plays: ReadonlyMap<string, Play>): FallbackRanking {
  const playOf = candidates.columns.play as string[];
  const values = candidates.columns.value as Float64Array;
  const purchases = candidates.columns.purchases as Float64Array;
  const known = (xs: Float64Array) => xs.some((x) => Number.isFinite(x));
  const or0 = (x: number) => (Number.isFinite(x) ? x : 0);
  const lift = (i: number) => lifts.get(playOf[i]!)!.lift;
  if (known(values) || !known(purchases)) {
    const none = !known(values) && playOf.length > 0 ? '; no candidate has a predicted CLV or expected purchases (no scores): customers are taken in token order' : '';
    return { basis: 'value × P(alive)', how: `predicted CLV × the play’s lift${none}`, gain: (i) => lift(i) * or0(values[i]!) * plays.get(playOf[i]!)!.expectedMargin };
  }
  return {
    basis: 'expected purchases × P(alive)',
    how: 'expected purchases over 12 months, already weighted by P(alive), × the play’s lift: the data has no order values, so no predicted CLV',
    gain: (i) => lift(i) * or0(purchases[i]!),
  };
}
