/**
 * When the honest tournament (honest-tournament.ts) picks MBG/CNBD-k, that
 * model scores the customers: `customer_scores` carries its P(alive),
 * expected purchases, predicted CLV and next-order dates instead of the value
 * step's model M's.
 *
 * The winner is refitted as the tournament validated it, moved to the as-of
 * date: (r, α, a, b) fitted on every customer's (x, t_x, T, litt) as of asOf
 * (customers with T > 0, as in the tournament), with the k the tournament
 * chose on the calibration window (k is not searched again). Then, per unique
 * (x, t_x, T) (litt does not enter the predictions):
 *
 *   p_alive               = P(alive | x, t_x, T)                  (predict-mbgcnbd.ts)
 *   expected_purchases_Nd = E[X(N days) | x, t_x, T], N = 30, 90, 365
 *   predicted_clv_12m     = M's CLV × D_W / D_M
 *   predicted_clv_horizon = the same on the --horizon-months schedule (when not 12)
 *   next_order_p50/p90    = asOf + the 50% / 90% quantile of the time to the next purchase
 *
 * where D is a model's discounted expected purchases over the value step's
 * CLV schedule (valueClvSchedule). M's CLV is D_M × spend per purchase
 * (Gamma-Gamma) × margin, so this is exactly D_W × the same spend × margin —
 * the winner's own discounted purchases priced as the value step priced M's,
 * with no second spend fit. Where D_M is 0 (M expects nothing, its CLV is 0
 * and the spend cannot be read off it) the CLV is NULL, not a guess. The
 * interval columns are MBG/CNBD-k's own (winnerClvIntervals): as the value step draws M's, (r, α, a, b) drawn from
 * the refit's covariance at k (log scale) with the Gamma-Gamma fit's, the same seed, level and margin, 20 draws (the
 * value step's floor: MBGCNBD_INTERVAL_EVALUATION_BUDGET); none where the refit sits on a boundary (a → 0: no dropout) or has no finite 95% intervals — then the
 * card's `intervalsSkipped` says why (a run warning). The next-order
 * dates are MBG/CNBD-k's 50% and 90% quantiles of the time to the next
 * purchase (predictMbgCnbdTimeToNextPurchase, to NEXT_ORDER_TOLERANCE_DAYS), NULL where it may never come
 * (as the value step writes M's, next-order-days.ts).
 *
 * Nothing is written unless the refit's estimates are finite and every
 * predicted column is a number in its range (P(alive) in [0, 1], purchases
 * and discounted purchases finite and ≥ 0, quantiles ≥ 0 or Infinity) on
 * every unique tuple: otherwise customer_scores keep M's scores and the
 * result says why (`kept`: a run.json warning and a report sentence). A
 * refit that did not converge but passes these checks is written, with
 * `refitWarning` (a run.json warning, and in the note the report shows) —
 * as the value step writes a non-converged final fit with a warning; very
 * regular buyers with no dropout (a → 0, a boundary) end there.
 */
import { DAYS_PER_UNIT, type TimeUnit } from '../core/time-unit.js';
import type { Warehouse } from '../engine/warehouse.js';
import type { PurchaseGrain } from '../features/customer-summary.js';
import { describeBoundary, reachedOptimum } from '../models/fit-boundary.js';
import { predictClvAll, type ClvScheduleOptions } from '../models/clv.js';
import { compressRfm, expandTupleValues } from '../models/compress-rfm.js';
import type { PurchaseFit, PurchaseModelName } from '../models/btyd/purchase-models.js';
import type { MbgCnbdFit, MbgCnbdParams } from '../models/mbgcnbd/mbgcnbd.js';
import { predictMbgCnbdConditionalPurchases, predictMbgCnbdProbabilityAlive, predictMbgCnbdTimeToNextPurchase } from '../models/mbgcnbd/predict-mbgcnbd.js';
import { nextOrderDays } from '../models/value/next-order-days.js';
import type { RfmData } from '../models/model-types.js';
import { getPurchaseModel } from '../models/model-registry.js';
import { nextOrderDateSql } from './customer-scores-sql.js';
import type { FittedModel } from '../models/model-types.js';
import { computeClvIntervals, type ClvIntervalsComputed } from './value-clv-columns.js';
import { CLV_INTERVAL_SEED, toRfm, valueSpendFit } from './value-step.js';
import { fitRegularity } from './honest-tournament.js';
import { SCORE_HORIZON_DAYS } from './learned-scores.js';
import { snapshotReader, type LearnedSnapshot, type SnapshotReader } from './learned-snapshot.js';
import { horizonTotalOf, rewriteCustomerScores, type RewrittenScoresCard } from './rewrite-customer-scores.js';

export interface RegularityScoresOptions {
  readonly asOf: string;
  readonly timeUnit: TimeUnit;
  readonly grain: PurchaseGrain;
  /** the k the tournament chose on the calibration window (its MBG/CNBD-k candidate's `k`) */
  readonly k: number;
  /** the length the tournament validated on (its holdout): the card's totals are over the next `horizonDays` */
  readonly horizonDays: number;
  /** the value step's model and its final fit at asOf (customer_scores came from it) */
  readonly purchaseModel: PurchaseModelName;
  readonly purchaseFit: PurchaseFit;
  /** the value step's CLV schedule of predicted_clv_12m (valueClvSchedule(12, …)) */
  readonly clvSchedule: ClvScheduleOptions;
  /** the schedule of predicted_clv_horizon, the run's --horizon-months when not 12 (requestedHorizonSchedule); absent: none */
  readonly horizonClvSchedule?: ClvScheduleOptions | null;
  /** the value step's CLV settings the intervals are drawn with (its card's `clv`); absent: no intervals (NULL) */
  readonly intervals?: { readonly margin: number; readonly level: number; readonly seed?: number };
  /** the refit at asOf with the given k (default fitRegularity; tests pass a broken one) */
  readonly refit?: (snapshot: LearnedSnapshot, k: number) => MbgCnbdFit;
  /** the run's snapshots (learned-snapshot.ts; default: this call's own) */
  readonly snapshots?: SnapshotReader;
}

/** What the MBG/CNBD-k scores were made of (run.json `learned.scores`). */
export interface RegularityScoresCard extends RewrittenScoresCard {
  readonly model: 'mbgcnbd';
  /** MBG/CNBD-<k> */
  readonly label: string;
  readonly k: number;
  /** (r, α, a, b) at k, fitted on the data as of `fittedAsOf` */
  readonly params: MbgCnbdParams;
  readonly fittedAsOf: string;
  /** the window of `expectedPurchases` (Σ E[X(horizonDays)]) */
  readonly horizonDays: number;
  /** parameter draws behind the CLV intervals; 0 when there are none (`intervalsSkipped` says why, when there is a CLV) */
  readonly intervalDraws: number;
  /** why the CLV intervals are empty: the refit on a boundary or without finite 95% intervals — a run warning */
  readonly intervalsSkipped?: string;
  /** the refit did not converge (its estimates and every prediction are finite and in range, so its scores were written): the optimiser's message — a run.json warning */
  readonly refitWarning?: string;
}

/** A winner whose refit failed: customer_scores keep the value step's model M's scores (run.json warning, report sentence). */
export interface RegularityScoresKept {
  readonly model: 'mbgcnbd';
  readonly label: string;
  readonly k: number;
  /** one sentence: that M's scores stay, and why */
  readonly kept: string;
}

const sum = (values: Float64Array) => values.reduce((s, v) => s + v, 0);

/**
 * The next-order quantiles are bisected to this many days (in the model's time unit: /7 for weeks), not to machine
 * precision: each is within half of it of the exact quantile, so a date (days rounded up) moves by a day only where
 * the exact quantile sits that close to a day's boundary (bench: `npm run bench -- --only next-order`).
 */
export const NEXT_ORDER_TOLERANCE_DAYS = 0.001;

/** Why a refit cannot score the customers (estimates not finite), or null. */
export function refitProblem(fitted: MbgCnbdFit['fitted']): string | null {
  const bad = Object.entries(fitted.params).filter(([, v]) => !Number.isFinite(v));
  return bad.length > 0 ? `its estimates are not finite (${bad.map(([name, v]) => `${name} = ${v}`).join(', ')})` : null;
}

/** The first predicted column with values outside its range (NaN, ±Infinity where not allowed, negative, P(alive) > 1), or null. */
export function predictionProblem(columns: Readonly<Record<string, { values: Float64Array; infinite?: boolean; max?: number }>>): string | null {
  for (const [name, { values, infinite, max = Infinity }] of Object.entries(columns)) {
    let bad = 0;
    for (const v of values) if (!(v >= 0 && v <= max && (infinite || Number.isFinite(v)))) bad++;
    if (bad > 0) return `its ${name} is not a valid number for ${bad.toLocaleString('en-US')} of ${values.length.toLocaleString('en-US')} unique (x, t_x, T)`;
  }
  return null;
}

/**
 * The draw budget of MBG/CNBD-k's intervals, in model evaluations: one of its evaluations (a series over phases and
 * purchases) costs ~40 µs where a BTYD closed form costs ~1 µs, so the value step's 8e5 would take ~35 s on a
 * 3,000-customer shop (200 draws: 14 s more on 600 customers). 2e4 gives the floor of 20 draws — what the value step
 * draws on any shop of more than ~10,000 unique (x, t_x, T) — at about the cost of the winner's point scores.
 */
export const MBGCNBD_INTERVAL_EVALUATION_BUDGET = 2e4;

/**
 * The fewest draws of MBG/CNBD-k's intervals: 20, below the BTYD models' MIN_CLV_INTERVAL_DRAWS (100) for the cost of
 * its series — its intervals' ends are the 1st–2nd draw from each end, and the run states the number of draws.
 */
export const MBGCNBD_MIN_INTERVAL_DRAWS = 20;

/**
 * The most evaluations MBG/CNBD-k's intervals may take (20 draws × distinct histories × schedule steps): ~3–10 s at
 * 17–50 µs an evaluation. Past it — a shop of a few thousand distinct purchase histories — there are no intervals and
 * the run says why: 20 draws cost 20 times the point scores, minutes on a large shop.
 */
export const MBGCNBD_INTERVAL_EVALUATION_LIMIT = 2e5;

/**
 * MBG/CNBD-k's CLV intervals per customer, computed as the value step computes M's (computeClvIntervals): the same
 * Gamma-Gamma fit and fallback spend (valueSpendFit), schedules, margin, seed and draw budget, with (r, α, a, b) drawn
 * from the refit at k. Null without order values (no CLV at all).
 */
async function winnerClvIntervals(warehouse: Warehouse, k: number, fitted: FittedModel<MbgCnbdParams>, options: RegularityScoresOptions, settings: NonNullable<RegularityScoresOptions['intervals']>): Promise<ClvIntervalsComputed | null> {
  const { spend, fallbackMean } = await valueSpendFit(warehouse);
  if (!spend) return null;
  const model = {
    conditionalPurchasesAtAll: (fit: { readonly params: Record<string, number> }, times: ArrayLike<number>, tuples: RfmData) =>
      Array.from(times, (t) => Float64Array.from(tuples.frequency, (x, i) => predictMbgCnbdConditionalPurchases(k, fit.params as MbgCnbdParams, t, x, tuples.recency[i]!, tuples.T[i]!))),
  };
  return computeClvIntervals(warehouse, { model, purchaseFit: fitted, spendFit: spend.fitted, fallbackMean, schedule: options.clvSchedule, horizon: options.horizonClvSchedule ?? null, margin: settings.margin, seed: settings.seed ?? CLV_INTERVAL_SEED, level: settings.level, toRfm, evaluationBudget: MBGCNBD_INTERVAL_EVALUATION_BUDGET, evaluationLimit: MBGCNBD_INTERVAL_EVALUATION_LIMIT, minDraws: MBGCNBD_MIN_INTERVAL_DRAWS });
}

/**
 * Rewrite customer_scores' P(alive), purchase, CLV and next-order columns with MBG/CNBD-k refitted at asOf (see the file header).
 *
 * Example: on the regular-buyer shop (BG/NBD as M, the tournament's k = 48) → `{ model: 'mbgcnbd', label: 'MBG/CNBD-48', k: 48, horizonDays: 90, expectedPurchases: 4500.4, btydExpectedPurchases: 4443.3, … }`
 */
export async function writeRegularityScores(warehouse: Warehouse, options: RegularityScoresOptions): Promise<RegularityScoresCard | RegularityScoresKept> {
  const unitDays = DAYS_PER_UNIT[options.timeUnit];
  const score = await (options.snapshots ?? snapshotReader(warehouse)).read({ asOf: options.asOf, timeUnit: options.timeUnit, grain: options.grain });
  const { k, fitted } = (options.refit ?? fitRegularity)(score, options.k);
  const params = fitted.params;
  const label = `MBG/CNBD-${k}`;
  const m = getPurchaseModel(options.purchaseModel);
  const keep = (problem: string): RegularityScoresKept => ({ model: 'mbgcnbd', label, k, kept: `customer_scores keep ${m.label}'s scores (the value model's): the tournament chose ${label}, but refitted on every purchase up to ${options.asOf} ${problem}` });
  const fitProblem = refitProblem(fitted);
  if (fitProblem) return keep(fitProblem);
  // the unique (x, t_x, T) once: every column below is predicted on them, checked, and expanded to the customers
  const { tuples: unique, tupleOf } = compressRfm(score.rfm);
  const onTuples = (predict: (x: number, recency: number, T: number) => number) => Float64Array.from(unique.frequency, (x, i) => predict(x, unique.recency[i]!, unique.T[i]!));
  const expectedOn = (t: number, tuples: RfmData) => Float64Array.from(tuples.frequency, (x, i) => predictMbgCnbdConditionalPurchases(k, params, t, x, tuples.recency[i]!, tuples.T[i]!));
  const pAliveU = onTuples((x, tx, T) => predictMbgCnbdProbabilityAlive(k, params, x, tx, T));
  const byDays = new Map<number, Float64Array>();
  const expectedInDays = (days: number) => byDays.get(days) ?? byDays.set(days, expectedOn(days / unitDays, unique)).get(days)!;
  const [e30U, e90U, e365U, eHorizonU] = [...SCORE_HORIZON_DAYS, options.horizonDays].map(expectedInDays);
  const discounted = (expected: (t: number, tuples: RfmData) => Float64Array, schedule = options.clvSchedule) => predictClvAll({ ...schedule, expectedPurchasesAll: (t) => expected(t, unique), spendPerPurchase: 1 });
  const discountedWU = discounted(expectedOn);
  const horizonSchedule = options.horizonClvSchedule ?? null;
  const discountedWHU = horizonSchedule ? discounted(expectedOn, horizonSchedule) : null;
  const [p50U, p90U] = [0.5, 0.9].map((q) => onTuples((x, tx, T) => predictMbgCnbdTimeToNextPurchase(k, params, q, x, tx, T, NEXT_ORDER_TOLERANCE_DAYS / unitDays)));
  const columnProblem = predictionProblem({
    p_alive: { values: pAliveU, max: 1 },
    expected_purchases_30d: { values: e30U! },
    expected_purchases_90d: { values: e90U! },
    expected_purchases_365d: { values: e365U! },
    [`expected purchases in ${options.horizonDays} days`]: { values: eHorizonU! },
    'discounted expected purchases (CLV)': { values: discountedWU },
    ...(discountedWHU ? { 'discounted expected purchases (CLV over --horizon-months)': { values: discountedWHU } } : {}),
    'next-order 50% quantile': { values: p50U!, infinite: true },
    'next-order 90% quantile': { values: p90U!, infinite: true },
  });
  if (columnProblem) return keep(columnProblem);
  const perCustomer = (values: Float64Array) => expandTupleValues(values, tupleOf);
  const [pAlive, e30, e90, e365] = [pAliveU, e30U, e90U, e365U].map((v) => perCustomer(v!));
  const discountedW = perCustomer(discountedWU);
  const discountedM = perCustomer(discounted((t, tuples) => m.conditionalPurchasesAll(options.purchaseFit, t, tuples)));
  const clvFactor = discountedW.map((w, i) => (discountedM[i]! > 0 ? w / discountedM[i]! : NaN));
  const factorOver = (schedule: ClvScheduleOptions, w: Float64Array) => {
    const byM = perCustomer(discounted((t, tuples) => m.conditionalPurchasesAll(options.purchaseFit, t, tuples), schedule));
    return Array.from(perCustomer(w), (v, i) => (byM[i]! > 0 ? v / byM[i]! : null));
  };
  const clvFactorH = horizonSchedule && discountedWHU ? factorOver(horizonSchedule, discountedWHU) : Array.from(score.customerIds, () => null);
  const nextOrder = (quantiles: Float64Array) => nextOrderDays(perCustomer(quantiles), unitDays);
  const intervals = options.intervals ? await winnerClvIntervals(warehouse, k, fitted, options, options.intervals) : null;
  // why there are no intervals, said once: run.json's intervalsSkipped with its prefix, the note without
  const noIntervals = intervals?.skipped ? `${label}, the honest tournament's choice, scores the customers, and ${intervals.skipped.replace(/^no intervals: /, '')}` : undefined;
  const intervalsSkipped = noIntervals && `no intervals: ${noIntervals}`;
  // each customer's interval beside the winner's scores, in the snapshot's order (NULL where none was drawn)
  const rowOf = new Map(intervals?.customerIds.map((id, i) => [id, i]));
  const perScore = (values: ArrayLike<number | null> | null | undefined) => Array.from(score.customerIds, (id) => (values && rowOf.has(id) ? (values[rowOf.get(id)!] ?? null) : null));
  await warehouse.execute('CREATE OR REPLACE TEMP TABLE regularity_customer_scores (customer_id VARCHAR, p_alive DOUBLE, e30 DOUBLE, e90 DOUBLE, e365 DOUBLE, clv_factor DOUBLE, clv_factor_h DOUBLE, next_p50_days DOUBLE, next_p90_days DOUBLE, clv_low DOUBLE, clv_high DOUBLE, clv_low_h DOUBLE, clv_high_h DOUBLE)');
  await warehouse.append('regularity_customer_scores', {
    customer_id: score.customerIds as string[],
    p_alive: pAlive,
    e30: e30!,
    e90: e90!,
    e365: e365!,
    clv_factor: Array.from(clvFactor, (v) => (Number.isNaN(v) ? null : v)),
    clv_factor_h: clvFactorH,
    next_p50_days: nextOrder(p50U!),
    next_p90_days: nextOrder(p90U!),
    clv_low: perScore(intervals?.low),
    clv_high: perScore(intervals?.high),
    clv_low_h: perScore(intervals?.lowH),
    clv_high_h: perScore(intervals?.highH),
  });
  // the interval where the point estimate is (NULL where D_M = 0, as predicted_clv_12m)
  const interval = (column: string, factor: string, ours: string) => (intervals ? `CASE WHEN l.customer_id IS NULL THEN c.${column} WHEN ${factor} IS NOT NULL THEN ${ours} END` : `CASE WHEN l.customer_id IS NULL THEN c.${column} END`);
  const d = warehouse.dialect;
  const date = (days: string) => nextOrderDateSql(d, options.asOf, days);
  const winner = (column: string, ours: string) => `CASE WHEN l.customer_id IS NULL THEN c.${column} ELSE ${ours} END`;
  const totals = await rewriteCustomerScores(warehouse, 'regularity_customer_scores', {
    p_alive: winner('p_alive', 'l.p_alive'),
    expected_purchases_30d: winner('expected_purchases_30d', 'l.e30'),
    expected_purchases_90d: winner('expected_purchases_90d', 'l.e90'),
    expected_purchases_365d: winner('expected_purchases_365d', 'l.e365'),
    predicted_clv_12m: winner('predicted_clv_12m', 'c.predicted_clv_12m * l.clv_factor'),
    predicted_clv_12m_low: interval('predicted_clv_12m_low', 'l.clv_factor', 'l.clv_low'),
    predicted_clv_12m_high: interval('predicted_clv_12m_high', 'l.clv_factor', 'l.clv_high'),
    predicted_clv_horizon: winner('predicted_clv_horizon', 'c.predicted_clv_horizon * l.clv_factor_h'),
    predicted_clv_horizon_low: interval('predicted_clv_horizon_low', 'l.clv_factor_h', 'l.clv_low_h'),
    predicted_clv_horizon_high: interval('predicted_clv_horizon_high', 'l.clv_factor_h', 'l.clv_high_h'),
    next_order_p50: winner('next_order_p50', date('l.next_p50_days')),
    next_order_p90: winner('next_order_p90', date('l.next_p90_days')),
  });
  const refitWarning = reachedOptimum(fitted.fit) ? undefined : `${label} refitted on every purchase up to ${options.asOf} did not converge (${fitted.fit.message}); its estimates and predictions are finite, so its scores were written: treat them with care`;
  return {
    model: 'mbgcnbd',
    label,
    k,
    params,
    ...(refitWarning ? { refitWarning } : {}),
    intervalDraws: intervals?.draws ?? 0,
    ...(intervalsSkipped ? { intervalsSkipped } : {}),
    fittedAsOf: options.asOf,
    horizonDays: options.horizonDays,
    customers: score.customerIds.length,
    expectedPurchases: sum(perCustomer(eHorizonU!)),
    btydExpectedPurchases: sum(perCustomer(m.conditionalPurchasesAll(options.purchaseFit, options.horizonDays / unitDays, unique))),
    totalPredictedClv: totals.rewritten,
    btydTotalPredictedClv: totals.btyd,
    ...horizonTotalOf(totals),
    note: `customer_scores carry MBG/CNBD-k's predictions (k = ${k}, the tournament's choice on the calibration window; refitted on every purchase up to ${options.asOf}): P(alive), expected purchases in the next 30/90/365 days, and the CLV as its discounted purchases × ${m.label}'s spend per purchase and margin; and the next-order dates (50% and 90% quantiles of the time to the next purchase); ${intervals && !intervals.skipped ? `the CLV intervals from ${intervals.draws} draws of its parameters (and the spend model's)` : `the CLV intervals are left empty${noIntervals ? ` (${noIntervals})` : ''}`}${fitted.fit.boundary && !refitWarning ? `; the refit sits on a boundary: ${describeBoundary(fitted.fit)}` : ''}${refitWarning ? `; ${refitWarning}` : ''}`,
  };
}
