import { createRandom } from '../math/random.js';
import { regularizedIncompleteBeta } from '../math/special-functions.js';
import { fisherExactTwoSided, moverRatioInterval, newcombeInterval } from '../math/two-proportions.js';
import { percentileInterval, permutationTest, twoPartBootstrap, type ActiveCustomers } from '../math/zero-heavy-means.js';

/** One group's outcome per customer: size, mean and sample variance. */
export interface GroupMoments {
  readonly n: number;
  readonly mean: number;
  /** sample variance (n − 1 in the denominator); 0 for n < 2 */
  readonly variance: number;
}

/**
 * The moments of a group of `n` customers from the outcomes of its active ones, `sorted` ascending (the other
 * n − length are 0): the sums are taken in that order, so the same outcomes give the same bits whatever order the
 * engine returned them in.
 *
 * Example: `groupMoments(4, Float64Array.of(1, 3))` → `{ n: 4, mean: 1, variance: 2 }` (squares 0 + 4, and 1 for each of the two zeros)
 */
export function groupMoments(n: number, sorted: Float64Array): GroupMoments {
  const mean = n > 0 ? sorted.reduce((a, b) => a + b, 0) / n : 0;
  let squares = 0;
  for (const v of sorted) squares += (v - mean) ** 2;
  return { n, mean, variance: n > 1 ? (squares + (n - sorted.length) * mean * mean) / (n - 1) : 0 };
}

/**
 * The test behind an estimate's p-value (and the family of its intervals):
 * `fisher-exact` (a share: Fisher's exact test, Newcombe and MOVER-R Wilson
 * intervals), `permutation` (a mean with many zeros: permutation test,
 * two-part bootstrap intervals), `welch` (Welch's t and the delta method).
 */
export type UpliftTest = 'fisher-exact' | 'permutation' | 'welch';

/** Treatment against control on one outcome per customer. */
export interface UpliftEstimate {
  /** mean per customer in each group */
  readonly treatment: number;
  readonly control: number;
  /** treatment − control, per customer, with its 95% interval (see `test`) */
  readonly absoluteUplift: number;
  readonly absoluteUpliftInterval: readonly [number, number];
  /** treatment ÷ control − 1 (0.25 = +25%), with its 95% interval; null when the control mean is not positive */
  readonly relativeUplift: number | null;
  readonly relativeUpliftInterval: readonly [number, number] | null;
  /** two-sided p-value of equal means (shares) by `test` */
  readonly pValue: number;
  /** which test gave `pValue` and which intervals go with it (absent in evaluations stored before it was said: Welch) */
  readonly test?: UpliftTest;
  /** absoluteUplift × treated customers: the incremental total, with its interval */
  readonly incremental: number;
  readonly incrementalInterval: readonly [number, number];
  /** why the relative uplift is missing, or how it was computed when the log scale did not apply */
  readonly note?: string;
}

/** Two-sided P(|T| > t) for Student's t with `df` degrees of freedom: I_{df/(df+t²)}(df/2, 1/2). */
export function studentTTwoSided(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0;
  if (!(df > 0)) return Number.NaN;
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5, (t * t) / (df + t * t));
}

/** The t with two-sided tail probability `alpha` (bisection on `studentTTwoSided`; df = ∞ gives the normal quantile). */
export function studentTQuantile(alpha: number, df: number): number {
  const effective = Number.isFinite(df) ? df : 1e7;
  let low = 0;
  let high = 1e3;
  for (let i = 0; i < 100; i++) {
    const mid = (low + high) / 2;
    if (studentTTwoSided(mid, effective) > alpha) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * Treatment against control on one per-customer outcome without many zeros
 * (the change of predicted CLV), from each group's size, mean and variance —
 * not for shares or outcomes that are 0 for most customers, where a group
 * without a nonzero value has variance 0 and Welch takes its mean as known
 * exactly (`estimateShareUplift`, `estimateMeanUplifts`):
 *
 * - absolute uplift Δ = m_T − m_C, standard error √(v_T/n_T + v_C/n_C),
 *   Welch–Satterthwaite degrees of freedom, 95% interval Δ ± t·se, and the
 *   two-sided Welch p-value;
 * - relative uplift R = m_T/m_C − 1 with the delta method on log(m_T/m_C):
 *   se² = v_T/(n_T m_T²) + v_C/(n_C m_C²), interval exp(log ratio ± t·se) − 1
 *   (asymmetric, never below −100%). When m_T = 0 the linear delta method
 *   is used instead; when m_C ≤ 0 there is no relative uplift (null, with a note).
 *
 * Coverage is checked by simulation in test/actions/estimate-uplift.test.ts.
 *
 * Example: `estimateUplift({ n: 800, mean: 0.65, variance: 0.66 }, { n: 200, mean: 0.5, variance: 0.5 })` →
 * `{ relativeUplift: 0.3, relativeUpliftInterval: [0.05, 0.6…], pValue: 0.01…, test: 'welch', … }`
 */
export function estimateUplift(treatment: GroupMoments, control: GroupMoments, level = 0.95): UpliftEstimate {
  const vt = treatment.n > 1 ? treatment.variance / treatment.n : 0;
  const vc = control.n > 1 ? control.variance / control.n : 0;
  const diff = treatment.mean - control.mean;
  const se = Math.sqrt(vt + vc);
  const df = se > 0 ? (vt + vc) ** 2 / ((treatment.n > 1 ? vt ** 2 / (treatment.n - 1) : 0) + (control.n > 1 ? vc ** 2 / (control.n - 1) : 0)) : Number.POSITIVE_INFINITY;
  const q = studentTQuantile(1 - level, df);
  const pValue = se > 0 ? studentTTwoSided(diff / se, df) : diff === 0 ? 1 : 0;
  const absolute: [number, number] = [diff - q * se, diff + q * se];
  let relativeUplift: number | null = null;
  let relativeUpliftInterval: [number, number] | null = null;
  let note: string | undefined;
  if (!(control.mean > 0)) {
    note = NO_CONTROL_MEAN;
  } else if (treatment.mean > 0) {
    const logRatio = Math.log(treatment.mean / control.mean);
    const seLog = Math.sqrt(vt / treatment.mean ** 2 + vc / control.mean ** 2);
    relativeUplift = Math.exp(logRatio) - 1;
    relativeUpliftInterval = [Math.exp(logRatio - q * seLog) - 1, Math.exp(logRatio + q * seLog) - 1];
  } else {
    // m_T = 0 (or negative): the log does not exist; the linear delta method for m_T/m_C
    const ratio = treatment.mean / control.mean;
    const seRatio = Math.sqrt(vt / control.mean ** 2 + (ratio ** 2 * vc) / control.mean ** 2);
    relativeUplift = ratio - 1;
    relativeUpliftInterval = [ratio - 1 - q * seRatio, ratio - 1 + q * seRatio];
    note = 'the treatment group’s mean is not positive: the relative interval uses the linear delta method';
  }
  return {
    treatment: treatment.mean,
    control: control.mean,
    absoluteUplift: diff,
    absoluteUpliftInterval: absolute,
    relativeUplift,
    relativeUpliftInterval,
    pValue,
    test: 'welch',
    incremental: diff * treatment.n,
    incrementalInterval: [absolute[0] * treatment.n, absolute[1] * treatment.n],
    ...(note ? { note } : {}),
  };
}

const NO_CONTROL_MEAN = 'the control group’s mean is 0 (or negative): a relative uplift is not defined; read the absolute uplift';

/** One group of a share: its size and how many of it count (bought, responded). */
export interface GroupCount {
  readonly n: number;
  readonly count: number;
}

/**
 * Treatment against control on a share (buyers, responders): Fisher's exact
 * test (two-sided, as R's `fisher.test`), Newcombe's hybrid score interval for
 * the difference and the MOVER-R Wilson interval for the ratio
 * (`math/two-proportions.ts`). All three hold at small counts and when a
 * group has none: 15 of 259 treated against 0 of 29 control buyers is
 * p = 0.378, difference [−0.061, +0.093], where Welch said p = 9e-5.
 *
 * Example: `estimateShareUplift({ n: 34, count: 7 }, { n: 34, count: 1 })` →
 * `{ absoluteUplift: 0.176, absoluteUpliftInterval: [0.019, 0.340], relativeUplift: 6, relativeUpliftInterval: [0.154, 40.98], pValue: 0.054, test: 'fisher-exact', … }`
 */
export function estimateShareUplift(treatment: GroupCount, control: GroupCount): UpliftEstimate {
  const pT = treatment.n > 0 ? treatment.count / treatment.n : 0;
  const pC = control.n > 0 ? control.count / control.n : 0;
  const diff = pT - pC;
  const absolute = newcombeInterval(treatment.count, treatment.n, control.count, control.n);
  const ratio = moverRatioInterval(treatment.count, treatment.n, control.count, control.n);
  let note: string | undefined;
  if (ratio === null) note = NO_CONTROL_MEAN;
  else if (ratio[1] === null) note = 'the ratio’s interval has no upper limit at these counts: read the absolute uplift';
  return {
    treatment: pT,
    control: pC,
    absoluteUplift: diff,
    absoluteUpliftInterval: absolute,
    relativeUplift: ratio === null ? null : pT / pC - 1,
    relativeUpliftInterval: ratio === null || ratio[1] === null ? null : [ratio[0] - 1, ratio[1] - 1],
    pValue: fisherExactTwoSided(treatment.count, treatment.n, control.count, control.n),
    test: 'fisher-exact',
    incremental: diff * treatment.n,
    incrementalInterval: [absolute[0] * treatment.n, absolute[1] * treatment.n],
    ...(note ? { note } : {}),
  };
}

/** Relabellings of the permutation test and draws of the bootstrap behind `estimateMeanUplifts`, and their seed. */
export const MEAN_UPLIFT_RESAMPLING = { permutations: 9_999, draws: 4_000, seed: 1 } as const;

/**
 * Treatment against control on outcomes that are 0 for most customers
 * (purchases, revenue, margin per customer), one estimate per outcome, from
 * each group's size and its active customers' values (`ActiveCustomers`,
 * `math/zero-heavy-means.ts`):
 *
 * - p-value: the two-sided permutation test of equal means
 *   (`MEAN_UPLIFT_RESAMPLING.permutations` seeded relabellings);
 * - intervals: percentiles of the seeded two-part bootstrap
 *   (`MEAN_UPLIFT_RESAMPLING.draws` draws: each group's share of active
 *   customers from its Jeffreys posterior — Beta(1, n) for a group without
 *   one —, their mean by the Bayesian
 *   bootstrap) — of m_T − m_C for the absolute uplift and of m_T/m_C − 1 for
 *   the relative one, so both hold 0 or neither does. Where the control's
 *   mean is positive but some draws of it are not (margins below 0), the
 *   relative interval is Welch's delta method, and `note` says so.
 *
 * A group without a buyer is not taken as certain (Welch's t took its mean as
 * known exactly): its share keeps the Clopper–Pearson width. The same data give the
 * same figures (seeded; rows in any order).
 *
 * Example: `estimateMeanUplifts({ n: 259, values: [purchases, revenue] }, { n: 29, values: [[], []] })` →
 * `[{ pValue: 0.35, absoluteUpliftInterval: [−0.03, 0.11], test: 'permutation', … }, …]`
 */
export function estimateMeanUplifts(treatment: ActiveCustomers, control: ActiveCustomers, level = 0.95): UpliftEstimate[] {
  const { permutations, seed } = MEAN_UPLIFT_RESAMPLING;
  const pValues = permutationTest(treatment, control, createRandom(seed), permutations);
  const tail = (1 - level) / 2;
  return bootstrapMeanUplifts(treatment, control, level).map(({ t, c, mT, mC, diff, bootT, bootC, absolute }, o): UpliftEstimate => {
    let relativeUplift: number | null = null;
    let relativeUpliftInterval: [number, number] | null = null;
    let note: string | undefined;
    if (!(mC > 0)) note = NO_CONTROL_MEAN;
    else {
      relativeUplift = mT / mC - 1;
      if (bootC.every((x) => x > 0)) {
        const ratios = bootT.map((x, i) => x / bootC[i]! - 1);
        relativeUpliftInterval = percentileInterval(ratios, tail);
      } else {
        // a control mean that could be ≤ 0 (margins below 0): no ratio draws; Welch's delta method from the moments
        relativeUpliftInterval = estimateUplift(groupMoments(treatment.n, t), groupMoments(control.n, c), level).relativeUpliftInterval as [number, number] | null;
        note = 'the control group’s mean could be 0 or below (margins below 0): the relative interval is Welch’s delta method';
      }
    }
    return {
      treatment: mT,
      control: mC,
      absoluteUplift: diff,
      absoluteUpliftInterval: absolute,
      relativeUplift,
      relativeUpliftInterval,
      pValue: pValues[o]!,
      test: 'permutation',
      incremental: diff * treatment.n,
      incrementalInterval: [absolute[0] * treatment.n, absolute[1] * treatment.n],
      ...(note ? { note } : {}),
    };
  });
}

/**
 * The absolute uplift of each outcome, and the treated group's incremental total, with the intervals of
 * `estimateMeanUplifts` — its seeded two-part bootstrap alone, the same draws to the bit — without the permutation test,
 * for figures that show no p-value (a campaign's incremental margin by channel).
 */
export function meanUpliftIntervals(treatment: ActiveCustomers, control: ActiveCustomers, level = 0.95): Pick<UpliftEstimate, 'absoluteUplift' | 'absoluteUpliftInterval' | 'incremental' | 'incrementalInterval'>[] {
  return bootstrapMeanUplifts(treatment, control, level).map(({ diff, absolute }) => ({
    absoluteUplift: diff,
    absoluteUpliftInterval: absolute,
    incremental: diff * treatment.n,
    incrementalInterval: [absolute[0] * treatment.n, absolute[1] * treatment.n],
  }));
}

/** Per outcome: each group's sorted active values and mean, the difference, the bootstrap's draws of both means and the difference's percentile interval (`MEAN_UPLIFT_RESAMPLING`'s draws, seed + 1). */
function bootstrapMeanUplifts(treatment: ActiveCustomers, control: ActiveCustomers, level: number) {
  const { draws, seed } = MEAN_UPLIFT_RESAMPLING;
  const boot = twoPartBootstrap(treatment, control, createRandom(seed + 1), draws);
  const tail = (1 - level) / 2;
  return treatment.values.map((_, o) => {
    const t = Float64Array.from(treatment.values[o]!).sort();
    const c = Float64Array.from(control.values[o]!).sort();
    const mT = treatment.n > 0 ? t.reduce((a, b) => a + b, 0) / treatment.n : 0;
    const mC = control.n > 0 ? c.reduce((a, b) => a + b, 0) / control.n : 0;
    const bootT = boot.treatment[o]!;
    const bootC = boot.control[o]!;
    const absolute = percentileInterval(bootT.map((x, i) => x - bootC[i]!), tail);
    return { t, c, mT, mC, diff: mT - mC, bootT, bootC, absolute };
  });
}
