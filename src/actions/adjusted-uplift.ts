/**
 * The uplift adjusted for the pre-period (CUPED: `math/cuped.ts`) beside campaign evaluate's estimates: per member of
 * the audience its purchases, revenue and margin in the response window (Y) and in as many days before the send date
 * (X, the balance check's pre-period), from one query; θ pooled over both groups, the adjusted uplift with its
 * bootstrap interval, a permutation p-value and the variance reduction. Secondary: the verdict stays the unadjusted
 * estimate's (`upliftVerdict`); where the two disagree a warning says so.
 */
import { addDays } from '../core/calendar-days.js';
import type { Warehouse } from '../engine/warehouse.js';
import { createRandom } from '../math/random.js';
import { cupedUplifts, type CovariateGroup, type CupedUplift } from '../math/cuped.js';
import { MEAN_UPLIFT_RESAMPLING, type UpliftEstimate } from './estimate-uplift.js';
import { pEquals } from './format-p-value.js';
import { formatSignedWithInterval } from './format-signed.js';
import { responseMarginSql, responsePurchasesSql } from './response-window.js';
import { upliftVerdict } from './uplift-verdict.js';

type Group = 'treatment' | 'control';

/** One outcome adjusted for the same outcome before the send date. */
export interface AdjustedUplift extends CupedUplift {
  /** what X was: the same outcome in the N days before the send date */
  readonly covariate: string;
}

/** `adjusted` of a campaign evaluation (absent in evaluations stored before it was measured). */
export interface AdjustedUplifts {
  readonly method: string;
  /** the pre-period, both days included: `preDays` days before the send date (the balance check's) */
  readonly preDays: number;
  readonly preFrom: string;
  readonly preTo: string;
  readonly purchases: AdjustedUplift;
  /** null without order values, as the unadjusted ones */
  readonly revenue: AdjustedUplift | null;
  readonly margin: AdjustedUplift | null;
}

export const ADJUSTED_METHOD = `CUPED (Deng, Xu, Kohavi & Walker 2013; asymptotically equivalent to the OLS regression adjustment without interaction of Lin 2013; θ pooled over all members, around the grand means, so that it does not depend on the labels), secondary to the estimates above: per member the outcome Y in the window and the same outcome X in as many days before the send date; θ = Σ(X − X̄)(Y − Ȳ) / Σ(X − X̄)² pooled over both groups; adjusted uplift (Ȳ_t − Ȳ_c) − θ(X̄_t − X̄_c); p-value by a permutation test of Y − θX (${MEAN_UPLIFT_RESAMPLING.permutations.toLocaleString('en-US')} seeded relabellings; θ does not depend on the labels); 95% interval from the percentiles of a seeded two-part bootstrap of each group's members (${MEAN_UPLIFT_RESAMPLING.draws.toLocaleString('en-US')} draws: the share of members with a purchase from its Jeffreys posterior, their moments by the Bayesian bootstrap, θ estimated again in each draw); variance reduction 1 − Var(adjusted) / Var(unadjusted) over the same draws (≈ ρ²)`;

/** Per group: the window's outcomes of the members active in it (`responseValues`' shape) and both periods' of those active in either. */
export interface MemberOutcomes {
  readonly window: Record<Group, Float64Array[]>;
  /** x: purchases, revenue, margin before the send date; y: in the window — of the members with any of them nonzero */
  readonly periods: Record<Group, { readonly x: Float64Array[]; readonly y: Float64Array[] }>;
}

/**
 * Purchases, revenue and margin per member of audience `name` (an SQL literal) in the window [start, end) and in the
 * pre-period [preStart, send) (SQL timestamps), from one scan of [preStart, end): the members with a nonzero one, per
 * group. `window` holds those active in the window, with its three outcomes: what `responseValues` returns.
 */
export async function memberOutcomes(warehouse: Warehouse, name: string, window: { readonly preStart: string; readonly send: string; readonly start: string; readonly end: string }, margin: number): Promise<MemberOutcomes> {
  const d = warehouse.dialect;
  const inWindow = `ts >= ${window.start}`;
  const inPre = `ts < ${window.send}`;
  const rows = await warehouse.queryColumns(`WITH r AS (
      SELECT customer_id,
        ${responsePurchasesSql(d, inWindow)} AS purchases,
        ${d.orderFreeSum(`CASE WHEN ${inWindow} THEN amount END`)} AS revenue,
        ${responseMarginSql(d, margin, inWindow)} AS margin,
        ${responsePurchasesSql(d, inPre)} AS pre_purchases,
        ${d.orderFreeSum(`CASE WHEN ${inPre} THEN amount END`)} AS pre_revenue,
        ${responseMarginSql(d, margin, inPre)} AS pre_margin
      FROM transactions WHERE ts >= ${window.preStart} AND ts < ${window.end} AND customer_id IN (SELECT customer_id FROM audience_members WHERE audience = ${name})
      GROUP BY customer_id)
    SELECT a.group_name AS group_name,
      CAST(coalesce(r.purchases, 0) AS DOUBLE) AS p, CAST(coalesce(r.revenue, 0) AS DOUBLE) AS rev, CAST(coalesce(r.margin, 0) AS DOUBLE) AS mar,
      CAST(coalesce(r.pre_purchases, 0) AS DOUBLE) AS pre_p, CAST(coalesce(r.pre_revenue, 0) AS DOUBLE) AS pre_rev, CAST(coalesce(r.pre_margin, 0) AS DOUBLE) AS pre_mar
    FROM audience_members a JOIN r ON r.customer_id = a.customer_id WHERE a.audience = ${name}`);
  const groups = rows.columns.group_name as readonly unknown[];
  const y = ['p', 'rev', 'mar'].map((c) => rows.columns[c] as Float64Array);
  const x = ['pre_p', 'pre_rev', 'pre_mar'].map((c) => rows.columns[c] as Float64Array);
  const pick = (g: Group, keep: (i: number) => boolean) => {
    const at: number[] = [];
    for (let i = 0; i < rows.rowCount; i++) if (groups[i] === g && keep(i)) at.push(i);
    return (columns: Float64Array[]) => columns.map((c) => Float64Array.from(at, (i) => c[i]!));
  };
  const activeIn = (columns: Float64Array[]) => (i: number) => columns.some((c) => c[i] !== 0);
  const windowOf = (g: Group) => pick(g, activeIn(y))(y);
  const periodsOf = (g: Group) => {
    const of = pick(g, (i) => activeIn(y)(i) || activeIn(x)(i));
    return { x: of(x), y: of(y) };
  };
  return { window: { treatment: windowOf('treatment'), control: windowOf('control') }, periods: { treatment: periodsOf('treatment'), control: periodsOf('control') } };
}

/** The SQL timestamps of `memberOutcomes`' pre-period: `preDays` days before the send date, to it. */
export function prePeriod(d: Warehouse['dialect'], sendDate: string, preDays: number): { preStart: string; send: string } {
  return { preStart: d.timestamp(`${addDays(sendDate, -preDays)}T00:00:00`), send: d.timestamp(`${sendDate}T00:00:00`) };
}

const OUTCOME_WORDS = ['purchases', 'net revenue', 'margin'] as const;

/**
 * The adjusted uplifts of purchases and, with order values, revenue and margin (`cupedUplifts`, seeded from
 * `MEAN_UPLIFT_RESAMPLING`'s seed + 2 and + 3), from `memberOutcomes`' periods and the group sizes.
 */
export function adjustedUplifts(periods: MemberOutcomes['periods'], groups: Readonly<Record<Group, number>>, orderValues: boolean, sendDate: string, preDays: number): AdjustedUplifts {
  const outcomes = orderValues ? 3 : 1;
  const group = (g: Group): CovariateGroup => ({ n: groups[g], x: periods[g].x.slice(0, outcomes), y: periods[g].y.slice(0, outcomes) });
  const { permutations, draws, seed } = MEAN_UPLIFT_RESAMPLING;
  const measured = cupedUplifts(group('treatment'), group('control'), { permutations, draws, permutationRandom: createRandom(seed + 2), bootstrapRandom: createRandom(seed + 3) });
  const days = `${preDays} day${preDays === 1 ? '' : 's'}`;
  const [purchases, revenue = null, margin = null] = measured.map((u, o): AdjustedUplift => ({ ...u, covariate: `${OUTCOME_WORDS[o]} in the ${days} before the send date` }));
  return { method: ADJUSTED_METHOD, preDays, preFrom: addDays(sendDate, -preDays), preTo: addDays(sendDate, -1), purchases: purchases!, revenue, margin };
}

/** The adjusted uplift as the verdict reads it: its interval and its permutation test. */
export function adjustedVerdict(a: AdjustedUplift): ReturnType<typeof upliftVerdict> {
  return upliftVerdict({ absoluteUpliftInterval: a.absoluteUpliftInterval, relativeUpliftInterval: null, pValue: a.pValue, test: 'permutation' });
}

/**
 * One warning where the adjusted uplift and the verdict (on the unadjusted estimate) disagree — an effect the adjusted
 * interval and test do not show, or one only they show — naming each outcome, and the balance check's imbalance when
 * it found one (`imbalance`: some covariate beyond chance, the balance warning; or only above 0.1 within chance, the
 * balance line's note); null where they agree.
 *
 * Example: → `adjusted for the same outcome in the 30 days before the send date (CUPED), revenue per customer is not shown to have changed (+0.8 [−0.4, +2.1], p = 0.21) though the unadjusted estimate reads raised (p = 0.014); treatment and control differed before the send date (see the balance warning), so part of the unadjusted uplift may be that difference — the verdict stays the unadjusted estimate's`
 */
export function adjustmentWarning(adjusted: AdjustedUplifts, estimates: { readonly purchases: UpliftEstimate; readonly revenue: UpliftEstimate | null; readonly margin: UpliftEstimate | null }, imbalance: 'beyond chance' | 'within chance' | null): string | null {
  const words = { purchases: 'purchases per customer', revenue: 'revenue per customer', margin: 'margin per customer' } as const;
  // the imbalance explains an unadjusted effect the adjustment does not show, not the other way round
  let unadjustedEffect = false;
  const items = (['purchases', 'revenue', 'margin'] as const).flatMap((k) => {
    const [a, u] = [adjusted[k], estimates[k]];
    if (!a || !u) return [];
    const [before, after] = [upliftVerdict(u), adjustedVerdict(a)];
    if (before === after) return [];
    if (before !== 'not shown') unadjustedEffect = true;
    const figure = `${formatSignedWithInterval(a.absoluteUplift, a.absoluteUpliftInterval, 3)}, ${pEquals(a.pValue)}`;
    const unadjusted = before === 'not shown' ? 'does not show an effect' : `reads ${before}`;
    return [`${words[k]} ${after === 'not shown' ? 'is not shown to have changed' : `reads ${after}`} (${figure}) though the unadjusted estimate ${unadjusted} (${pEquals(u.pValue)})`];
  });
  if (items.length === 0) return null;
  const differed = imbalance === 'beyond chance' ? 'beyond chance (see the balance warning)' : `(|SMD| above 0.1, within chance at these group sizes: see the balance line)`;
  const why = imbalance !== null && unadjustedEffect ? `; treatment and control differed before the send date ${differed}, so part of the unadjusted uplift may be that difference` : '';
  return `adjusted for the same outcome in the ${adjusted.preDays} day${adjusted.preDays === 1 ? '' : 's'} before the send date (CUPED), ${items.join('; ')}${why} — the verdict stays the unadjusted estimate's, the adjusted one is a check beside it`;
}
