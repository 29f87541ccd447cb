/**
 * Lifecycle stages, their thresholds and their definitions in words.
 *
 * As of a day t, from a customer's purchase occasions on or before t (the
 * first rule that applies wins):
 *
 * 1. **prospect** — listed in the `customers` table (signed up on or before
 *    t, or signup unknown) with no purchase yet.
 * 2. **new** — first purchase less than `newDays` days before t.
 * 3. **reactivated** — a purchase less than `reactivatedDays` before t came
 *    after a lapse (the comeback), whether or not they bought again since. A
 *    lapse: the gap before that purchase was longer than `atRiskRatio` × the
 *    customer's expected gap from the purchases before it (so they had
 *    reached dormant or worse) and longer than `lapseMinDays` days, or longer
 *    than `churnedAfterDays`.
 * 4. by cadence — r = days since last purchase ÷ expected gap:
 *    **active** r ≤ `activeRatio`; **at_risk** r ≤ `atRiskRatio`, or
 *    beyond with no more than `lapseMinDays` days since the last purchase;
 *    **dormant** r ≤ `dormantRatio`; **churned** beyond, or more than
 *    `churnedAfterDays` days since the last purchase. With P(alive) from the
 *    value model (same as-of date), the stage is the more severe of the
 *    cadence stage and the P(alive) stage (≥ `pAliveAtRiskBelow` active,
 *    ≥ `pAliveDormantBelow` at_risk, ≥ `pAliveChurnedBelow` dormant, else
 *    churned); P(alive) never makes a customer look better than cadence.
 *
 * The default ratios double: a customer is active until their usual gap
 * has passed, at risk when overdue up to 2×, dormant up to 4×, then churned.
 * On the demo data (UCI Online Retail, stages as of 2011-06-09, 2011-08-09
 * and 2011-09-09 with three-month holdouts) the holdout repurchase rate falls
 * from active to at_risk to dormant to churned at every date (test/lifecycle).
 *
 * `lapseMinDays` (30): a lapse — and the lapsed stages, dormant and churned
 * by cadence — is a break in the relationship, not a few days more than a
 * frequent buyer's usual gap (a daily buyer silent for 5 days is at risk, not
 * churned). Without it a daily buyer
 * (expected gap ≈ 1.2 days) lapsed at any gap over 2.5 days: on the synthetic
 * daily shop (`synth --shape daily`, 50 customers) 31 daily buyers with 250+
 * purchases, one on the as-of day, were staged reactivated, their ordinary
 * gaps reaching 3–11 days; the reactivation plays then targeted them. Thirty
 * days — a month without a purchase — is the shortest silence called a
 * break; it binds only on customers whose usual gap is under 15 days
 * (2 × 15 = 30), so a monthly or slower buyer lapses as before, and a weekly
 * buyer lapses after a month away (4 missed weeks), not after 15 days.
 * 0 turns the floor off (the rule before it).
 *
 * Expected gap: the customer's mean inter-purchase gap shrunk towards the
 * population's, (last − first + `priorGaps` · g₀) / (occasions − 1 +
 * `priorGaps`), so one early burst of purchases does not make a customer
 * look lapsed within days, and a one-time buyer (no gap yet) gets g₀.
 * g₀ = `populationGapDays`, by default the median mean gap of the repeat
 * customers as of t (at least `minPopulationGapDays`).
 */
import { UserError } from '../core/errors/user-error.js';
import { plural } from '../core/plural.js';

export const LIFECYCLE_STAGES = ['prospect', 'new', 'active', 'reactivated', 'at_risk', 'dormant', 'churned'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** Stage codes in the typed arrays: the index in LIFECYCLE_STAGES; NOT_A_CUSTOMER before a customer exists. */
export const NOT_A_CUSTOMER = -1;
export const STAGE_CODE: Readonly<Record<LifecycleStage, number>> = Object.fromEntries(LIFECYCLE_STAGES.map((s, i) => [s, i])) as Record<LifecycleStage, number>;

export interface LifecycleThresholds {
  readonly newDays: number;
  readonly reactivatedDays: number;
  readonly activeRatio: number;
  readonly atRiskRatio: number;
  readonly dormantRatio: number;
  readonly churnedAfterDays: number;
  /** a gap of this many days or fewer is never a lapse, whatever the customer's usual gap (0: no floor) */
  readonly lapseMinDays: number;
  readonly priorGaps: number;
  /** g₀; null: the median mean gap of repeat customers as of the date */
  readonly populationGapDays: number | null;
  readonly minPopulationGapDays: number;
  readonly pAliveAtRiskBelow: number;
  readonly pAliveDormantBelow: number;
  readonly pAliveChurnedBelow: number;
}

export const DEFAULT_LIFECYCLE_THRESHOLDS: LifecycleThresholds = {
  newDays: 60,
  reactivatedDays: 60,
  activeRatio: 1,
  atRiskRatio: 2,
  dormantRatio: 4,
  churnedAfterDays: 365,
  lapseMinDays: 30,
  priorGaps: 1,
  populationGapDays: null,
  minPopulationGapDays: 7,
  pAliveAtRiskBelow: 0.5,
  pAliveDormantBelow: 0.3,
  pAliveChurnedBelow: 0.1,
};

/** Defaults overridden by `overrides`, checked. */
export function resolveLifecycleThresholds(overrides: Partial<LifecycleThresholds> = {}): LifecycleThresholds {
  const t: LifecycleThresholds = { ...DEFAULT_LIFECYCLE_THRESHOLDS, ...overrides };
  const positive = ['newDays', 'reactivatedDays', 'activeRatio', 'atRiskRatio', 'dormantRatio', 'churnedAfterDays', 'minPopulationGapDays'] as const;
  for (const key of positive) {
    if (!(t[key] > 0) || !Number.isFinite(t[key])) throw new UserError(`lifecycle threshold ${key} = ${t[key]} is not a positive number`, `e.g. ${key} ${DEFAULT_LIFECYCLE_THRESHOLDS[key]}`);
  }
  if (!(t.lapseMinDays >= 0) || !Number.isFinite(t.lapseMinDays)) throw new UserError(`lifecycle threshold lapseMinDays = ${t.lapseMinDays} is not a number of days ≥ 0`, 'use 0 for no floor, 30 by default');
  if (!(t.priorGaps >= 0)) throw new UserError(`lifecycle threshold priorGaps = ${t.priorGaps} is negative`, 'use 0 for no shrinkage, 1 by default');
  if (!(t.activeRatio < t.atRiskRatio && t.atRiskRatio < t.dormantRatio)) {
    throw new UserError(`lifecycle ratios must increase: active ${t.activeRatio} < at risk ${t.atRiskRatio} < dormant ${t.dormantRatio}`, 'e.g. 1, 2, 4');
  }
  if (t.populationGapDays !== null && !(t.populationGapDays > 0)) throw new UserError(`populationGapDays = ${t.populationGapDays} is not positive`, 'leave it unset to use the median gap of repeat customers');
  if (!(t.pAliveAtRiskBelow >= t.pAliveDormantBelow && t.pAliveDormantBelow >= t.pAliveChurnedBelow && t.pAliveChurnedBelow >= 0 && t.pAliveAtRiskBelow <= 1)) {
    throw new UserError('P(alive) thresholds must satisfy 1 ≥ at risk ≥ dormant ≥ churned ≥ 0', 'e.g. 0.5, 0.3, 0.1');
  }
  return t;
}

/** Each stage's definition in words, with the numbers of `t` (g₀ given when known). */
export function describeLifecycleStages(t: LifecycleThresholds, populationGapDays?: number): Record<LifecycleStage, string> {
  const floor = t.lapseMinDays > 0;
  const g0 = populationGapDays !== undefined ? plural(Math.round(populationGapDays * 10) / 10, 'day') : 'the median gap of repeat customers';
  return {
    prospect: 'known customer (customers table) with no purchase yet',
    new: `first purchase within the last ${plural(t.newDays, 'day')}`,
    active: `bought within ${t.activeRatio} × their usual gap between purchases (one-time buyers: ${g0})`,
    reactivated: `came back after a lapse (a gap over ${t.atRiskRatio} × their usual gap${floor ? ` and over ${plural(t.lapseMinDays, 'day')}` : ''}) within the last ${plural(t.reactivatedDays, 'day')}`,
    at_risk: `${t.activeRatio}–${t.atRiskRatio} × their usual gap since the last purchase${floor ? ` (or more, within ${plural(t.lapseMinDays, 'day')})` : ''}`,
    dormant: `${t.atRiskRatio}–${t.dormantRatio} × their usual gap${floor ? ` and over ${plural(t.lapseMinDays, 'day')}` : ''} since the last purchase`,
    churned: `more than ${t.dormantRatio} × their usual gap${floor ? ` and ${plural(t.lapseMinDays, 'day')}` : ''}, or over ${plural(t.churnedAfterDays, 'day')}, since the last purchase`,
  };
}
