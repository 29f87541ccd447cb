/**
 * One verdict on an uplift, and one sentence where its interval and its test disagree. The interval (a bootstrap's
 * percentiles, Newcombe's score interval) and the p-value (a permutation test, Fisher's exact test) are different
 * procedures and can fall on opposite sides of 0 — the interval is approximate where a group has few buyers, the
 * tests' false-positive rate is exact —, so an effect is counted only where both say so: the whole 95% interval on one
 * side of 0 and p < 0.05. Campaign evaluate, compare, the report and the dashboard count and word it the same way.
 * No imports but the p-value's format: the dashboard bundles it.
 */
import { pEquals } from './format-p-value.js';

/** What the verdict reads of an uplift (`UpliftEstimate`, or `PublishedUplift` of run.json, which may lack the absolute interval). */
export interface IntervalAndTest {
  readonly absoluteUpliftInterval?: readonly [number, number];
  readonly relativeUpliftInterval: readonly [number, number] | null;
  readonly pValue: number;
  readonly test?: 'fisher-exact' | 'permutation' | 'welch';
  /** the groups' means: the side of a Welch-era uplift recorded without any interval (`side`) */
  readonly treatment?: number;
  readonly control?: number;
}

/** `raised` / `lowered`: interval and test agree on an effect; `not shown` otherwise. */
export type UpliftVerdict = 'raised' | 'lowered' | 'not shown';

/** The level of the 95% intervals' test. */
const ALPHA = 0.05;

const TESTS = { permutation: ['the permutation test', 'means', 'the bootstrap interval'], 'fisher-exact': ['Fisher’s exact test', 'shares', 'Newcombe’s interval'], welch: ['Welch’s t-test', 'means', 'the delta-method interval'] } as const;

/**
 * +1 where every interval given lies above 0, −1 where every one lies below, 0 otherwise; null where the record gives
 * no interval and none follows from it. A run.json written before the absolute uplift was published (2acce8a7) gives
 * none where the control mean is 0 (no relative uplift): for Welch's t (no test named: evaluations before a3f33b2)
 * the interval Δ ± t·se and the p-value come from one t, se and df, so the interval excludes 0 exactly where p < 0.05,
 * on the side of treatment − control; for an exact test's figures the interval is unknown.
 */
function side(u: IntervalAndTest): -1 | 0 | 1 | null {
  const intervals = [u.absoluteUpliftInterval, u.relativeUpliftInterval].filter((i): i is readonly [number, number] => i !== undefined && i !== null);
  if (intervals.length === 0) {
    if ((u.test ?? 'welch') !== 'welch' || u.treatment === undefined || u.control === undefined) return null;
    return u.pValue < ALPHA ? (u.treatment > u.control ? 1 : u.treatment < u.control ? -1 : 0) : 0;
  }
  if (intervals.every(([low]) => low > 0)) return 1;
  if (intervals.every(([, high]) => high < 0)) return -1;
  return 0;
}

/**
 * `raised` where the whole interval is above 0 and p < 0.05, `lowered` where below, else `not shown` (and where the
 * record gives no interval and none follows from it: `side`).
 *
 * Example: `upliftVerdict({ absoluteUpliftInterval: [0.002, 0.024], relativeUpliftInterval: null, pValue: 0.134 })` → `'not shown'`
 */
export function upliftVerdict(u: IntervalAndTest): UpliftVerdict {
  const s = side(u);
  return s === null || s === 0 || !(u.pValue < ALPHA) ? 'not shown' : s > 0 ? 'raised' : 'lowered';
}

/**
 * The sentence to print beside an uplift whose interval and test disagree (one excludes 0, the other does not); null
 * where they agree.
 *
 * Example: `intervalTestNote({ absoluteUpliftInterval: [-0.085, -0.005], relativeUpliftInterval: [-0.944, -0.059], pValue: 0.073, test: 'permutation' })`
 * → `'its 95% interval excludes 0 but the permutation test does not reject equal means (p = 0.073): not counted as an effect (…)'`
 */
export function intervalTestNote(u: IntervalAndTest): string | null {
  const s = side(u);
  const rejects = u.pValue < ALPHA;
  const [test, what, interval] = TESTS[u.test ?? 'welch'];
  if (s === null) {
    return rejects
      ? `${test} rejects equal ${what} (${pEquals(u.pValue)}) but this record gives no 95% interval (a run.json written before the absolute uplift was published, and with a control mean of 0 there is no relative one): not counted as an effect; analyze again to read it with its interval`
      : null;
  }
  const excludes = s !== 0;
  if (excludes === rejects) return null;
  return excludes
    ? `its 95% interval excludes 0 but ${test} does not reject equal ${what} (${pEquals(u.pValue)}): not counted as an effect (${interval} is approximate where a group has few buyers; the test’s false-positive rate is exact)`
    : `${test} rejects equal ${what} (${pEquals(u.pValue)}) but its 95% interval includes 0: not counted as an effect until both agree`;
}

/** A campaign's uplifts as compare, the report and the dashboard read them (`CampaignKpi`). */
interface CampaignUplifts {
  readonly audience: string;
  readonly purchases: IntervalAndTest;
  readonly buyers?: IntervalAndTest;
  readonly revenue: IntervalAndTest | null;
}

/**
 * `intervalTestNote` of a campaign's purchases, buyers and revenue uplifts, each as `audience measure: sentence`;
 * empty where every interval agrees with its test.
 *
 * Example: `campaignIntervalTestNotes({ audience: 'fall', purchases: { …, pValue: 0.073 }, revenue: null })` → `['fall purchases: its 95% interval excludes 0 but …']`
 */
export function campaignIntervalTestNotes(c: CampaignUplifts, measures: readonly ('purchases' | 'buyers' | 'revenue')[] = ['purchases', 'buyers', 'revenue']): string[] {
  return measures.flatMap((m) => {
    const u = c[m];
    const note = u ? intervalTestNote(u) : null;
    return note ? [`${c.audience} ${m}: ${note}`] : [];
  });
}
