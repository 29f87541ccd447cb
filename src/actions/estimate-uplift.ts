import { regularizedIncompleteBeta } from '../math/special-functions.js';

/** One group's outcome per customer: size, mean and sample variance. */
export interface GroupMoments {
  readonly n: number;
  readonly mean: number;
  /** sample variance (n − 1 in the denominator); 0 for n < 2 */
  readonly variance: number;
}

/** Treatment against control on one outcome per customer. */
export interface UpliftEstimate {
  /** mean per customer in each group */
  readonly treatment: number;
  readonly control: number;
  /** treatment − control, per customer, with its 95% Welch interval */
  readonly absoluteUplift: number;
  readonly absoluteUpliftInterval: readonly [number, number];
  /** treatment ÷ control − 1 (0.25 = +25%), with its 95% interval (delta method on the log ratio); null when the control mean is not positive */
  readonly relativeUplift: number | null;
  readonly relativeUpliftInterval: readonly [number, number] | null;
  /** two-sided Welch t-test of equal means */
  readonly pValue: number;
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
 * Treatment against control on one per-customer outcome (purchases, buyer
 * 0/1, revenue, margin) from each group's size, mean and variance:
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
 * `{ relativeUplift: 0.3, relativeUpliftInterval: [0.05, 0.6…], pValue: 0.01…, … }`
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
    note = 'the control group’s mean is 0 (or negative): a relative uplift is not defined; read the absolute uplift';
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
    incremental: diff * treatment.n,
    incrementalInterval: [absolute[0] * treatment.n, absolute[1] * treatment.n],
    ...(note ? { note } : {}),
  };
}
