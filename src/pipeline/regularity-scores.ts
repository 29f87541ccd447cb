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
 *   next_order_p50/p90    = asOf + the 50% / 90% quantile of the time to the next purchase
 *
 * where D is a model's discounted expected purchases over the value step's
 * CLV schedule (valueClvSchedule). M's CLV is D_M × spend per purchase
 * (Gamma-Gamma) × margin, so this is exactly D_W × the same spend × margin —
 * the winner's own discounted purchases priced as the value step priced M's,
 * with no second spend fit. Where D_M is 0 (M expects nothing, its CLV is 0
 * and the spend cannot be read off it) the CLV is NULL, not a guess. The
 * interval columns (M's parameter uncertainty) become NULL. The next-order
 * dates are MBG/CNBD-k's 50% and 90% quantiles of the time to the next
 * purchase (predictMbgCnbdTimeToNextPurchase), NULL where it may never come
 * (as the value step writes M's, next-order-days.ts).
 */
import { DAYS_PER_UNIT, type TimeUnit } from '../core/time-unit.js';
import type { Warehouse } from '../engine/warehouse.js';
import type { PurchaseGrain } from '../features/customer-summary.js';
import { predictClvAll, type ClvScheduleOptions } from '../models/clv.js';
import { compressRfm, expandTupleValues } from '../models/compress-rfm.js';
import type { PurchaseModelName } from '../models/btyd/purchase-models.js';
import type { MbgCnbdParams } from '../models/mbgcnbd/mbgcnbd.js';
import { predictMbgCnbdConditionalPurchases, predictMbgCnbdProbabilityAlive, predictMbgCnbdTimeToNextPurchase } from '../models/mbgcnbd/predict-mbgcnbd.js';
import { nextOrderDays } from '../models/value/next-order-days.js';
import type { RfmData } from '../models/model-types.js';
import { getPurchaseModel } from '../models/model-registry.js';
import { fitRegularity } from './honest-tournament.js';
import { SCORE_HORIZON_DAYS } from './learned-scores.js';
import { queryLearnedSnapshot } from './learned-snapshot.js';
import { rewriteCustomerScores, type RewrittenScoresCard } from './rewrite-customer-scores.js';

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
  readonly purchaseParams: Record<string, number>;
  /** the value step's CLV schedule (valueClvSchedule) */
  readonly clvSchedule: ClvScheduleOptions;
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
}

const sum = (values: Float64Array) => values.reduce((s, v) => s + v, 0);

/**
 * Rewrite customer_scores' P(alive), purchase, CLV and next-order columns with MBG/CNBD-k refitted at asOf (see the file header).
 *
 * Example: on the regular-buyer shop (BG/NBD as M, the tournament's k = 12) → `{ model: 'mbgcnbd', label: 'MBG/CNBD-12', k: 12, horizonDays: 90, expectedPurchases: 4486.7, btydExpectedPurchases: 4443.3, … }`
 */
export async function writeRegularityScores(warehouse: Warehouse, options: RegularityScoresOptions): Promise<RegularityScoresCard> {
  const unitDays = DAYS_PER_UNIT[options.timeUnit];
  const score = await queryLearnedSnapshot(warehouse, { asOf: options.asOf, timeUnit: options.timeUnit, grain: options.grain });
  const { k, fitted } = fitRegularity(score, options.k);
  const params = fitted.params;
  // the unique (x, t_x, T) once: every column below is predicted on them and expanded to the customers
  const { tuples: unique, tupleOf } = compressRfm(score.rfm);
  const perCustomer = (predict: (tuples: RfmData) => Float64Array) => expandTupleValues(predict(unique), tupleOf);
  const expectedOn = (t: number, tuples: RfmData) => Float64Array.from(tuples.frequency, (x, i) => predictMbgCnbdConditionalPurchases(k, params, t, x, tuples.recency[i]!, tuples.T[i]!));
  const expectedIn = (days: number) => perCustomer((tuples) => expectedOn(days / unitDays, tuples));
  const pAlive = perCustomer((tuples) => Float64Array.from(tuples.frequency, (x, i) => predictMbgCnbdProbabilityAlive(k, params, x, tuples.recency[i]!, tuples.T[i]!)));
  const [e30, e90, e365] = SCORE_HORIZON_DAYS.map(expectedIn);
  const m = getPurchaseModel(options.purchaseModel);
  const discounted = (expected: (t: number, tuples: RfmData) => Float64Array) => perCustomer((tuples) => predictClvAll({ ...options.clvSchedule, expectedPurchasesAll: (t) => expected(t, tuples), spendPerPurchase: 1 }));
  const discountedW = discounted(expectedOn);
  const discountedM = discounted((t, tuples) => m.conditionalPurchasesAll(options.purchaseParams, t, tuples));
  const clvFactor = discountedW.map((w, i) => (discountedM[i]! > 0 ? w / discountedM[i]! : NaN));
  const nextOrder = (q: number) => nextOrderDays(perCustomer((tuples) => Float64Array.from(tuples.frequency, (x, i) => predictMbgCnbdTimeToNextPurchase(k, params, q, x, tuples.recency[i]!, tuples.T[i]!))), unitDays);
  await warehouse.execute('CREATE OR REPLACE TEMP TABLE regularity_customer_scores (customer_id VARCHAR, p_alive DOUBLE, e30 DOUBLE, e90 DOUBLE, e365 DOUBLE, clv_factor DOUBLE, next_p50_days DOUBLE, next_p90_days DOUBLE)');
  await warehouse.append('regularity_customer_scores', {
    customer_id: score.customerIds as string[],
    p_alive: pAlive,
    e30: e30!,
    e90: e90!,
    e365: e365!,
    clv_factor: Array.from(clvFactor, (v) => (Number.isNaN(v) ? null : v)),
    next_p50_days: nextOrder(0.5),
    next_p90_days: nextOrder(0.9),
  });
  const d = warehouse.dialect;
  const asOfTs = d.timestamp(`${options.asOf}T00:00:00`);
  const date = (days: string) => d.dayOf(d.addDays(asOfTs, `ceil(${days})`));
  const winner = (column: string, ours: string) => `CASE WHEN l.customer_id IS NULL THEN c.${column} ELSE ${ours} END`;
  const totals = await rewriteCustomerScores(warehouse, 'regularity_customer_scores', {
    p_alive: winner('p_alive', 'l.p_alive'),
    expected_purchases_30d: winner('expected_purchases_30d', 'l.e30'),
    expected_purchases_90d: winner('expected_purchases_90d', 'l.e90'),
    expected_purchases_365d: winner('expected_purchases_365d', 'l.e365'),
    predicted_clv_12m: winner('predicted_clv_12m', 'c.predicted_clv_12m * l.clv_factor'),
    predicted_clv_12m_low: 'CASE WHEN l.customer_id IS NULL THEN c.predicted_clv_12m_low END',
    predicted_clv_12m_high: 'CASE WHEN l.customer_id IS NULL THEN c.predicted_clv_12m_high END',
    next_order_p50: winner('next_order_p50', date('l.next_p50_days')),
    next_order_p90: winner('next_order_p90', date('l.next_p90_days')),
  });
  const label = `MBG/CNBD-${k}`;
  return {
    model: 'mbgcnbd',
    label,
    k,
    params,
    fittedAsOf: options.asOf,
    horizonDays: options.horizonDays,
    customers: score.customerIds.length,
    expectedPurchases: sum(expectedIn(options.horizonDays)),
    btydExpectedPurchases: sum(perCustomer((tuples) => m.conditionalPurchasesAll(options.purchaseParams, options.horizonDays / unitDays, tuples))),
    totalPredictedClv: totals.rewritten,
    btydTotalPredictedClv: totals.btyd,
    note: `customer_scores carry MBG/CNBD-k's predictions (k = ${k}, the tournament's choice on the calibration window; refitted on every purchase up to ${options.asOf}): P(alive), expected purchases in the next 30/90/365 days, and the CLV as its discounted purchases × ${m.label}'s spend per purchase and margin; and the next-order dates (50% and 90% quantiles of the time to the next purchase); the CLV intervals are left empty (they described ${m.label}'s parameter uncertainty)`,
  };
}
