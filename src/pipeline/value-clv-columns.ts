/**
 * The value step's per-tuple and per-customer CLV inputs, for the 12-month
 * CLV (customer_scores' predicted_clv_12m, which tiers, segments, audiences,
 * campaigns, playbooks, the API and the report read) and, when analyze's
 * --horizon-months asks for another length h, the same model's CLV over h
 * months (predicted_clv_horizon, written to customers.csv as
 * predicted_clv_<h>m): the same fits, spend per purchase, margin, discount
 * rate, quarter-end grid and seed, only the schedule's horizon differs.
 *
 * Writes the temp tables `clv_tuple_scores` (per unique (x, t_x, T)) and
 * `clv_intervals` (per customer) that buildCustomerScoresSql joins.
 */
import { DAYS_PER_UNIT, type TimeUnit } from '../core/time-unit.js';
import type { Warehouse } from '../engine/warehouse.js';
import { compressRfm } from '../models/compress-rfm.js';
import { predictClvAll, type ClvScheduleOptions } from '../models/clv.js';
import type { FittedModel, RfmData } from '../models/model-types.js';
import type { PurchaseModel } from '../models/btyd/purchase-models.js';
import type { GammaGammaParams } from '../models/gamma-gamma/gamma-gamma.js';
import { scorePurchaseTuples } from '../models/value/score-purchase-tuples.js';
import { nextOrderDays } from '../models/value/next-order-days.js';
import { predictCustomerClvIntervals } from '../models/value/predict-customer-clv-intervals.js';
import { UserError } from '../core/errors/user-error.js';

/** The months of customer_scores' predicted_clv_12m: always 12, whatever horizon the run asked for. */
export const CLV_CONTRACT_MONTHS = 12;

/**
 * The CLV schedule of a horizon in months: cash flows discounted at quarter ends — the same grid for the point
 * estimate, its interval and a tournament winner that rescores the customers.
 *
 * Example: `valueClvSchedule(12, 0.1, 'week')` → `{ horizon: 52.18, timeUnit: 'week', discountRatePerYear: 0.1, step: 13.04 }`
 */
export function valueClvSchedule(horizonMonths: number, discountRatePerYear: number, timeUnit: TimeUnit): ClvScheduleOptions {
  const unitDays = DAYS_PER_UNIT[timeUnit];
  return { horizon: (horizonMonths * 365.25) / 12 / unitDays, timeUnit, discountRatePerYear, step: (3 * 365.25) / 12 / unitDays };
}

/** The requested horizon's schedule when it is not the 12 months of predicted_clv_12m, else null (nothing more to compute). */
export function requestedHorizonSchedule(horizonMonths: number, discountRatePerYear: number, timeUnit: TimeUnit): ClvScheduleOptions | null {
  // it names customers.csv's predicted_clv_<h>m: a whole number of months
  if (!Number.isInteger(horizonMonths) || horizonMonths < 1) throw new UserError(`horizonMonths ${horizonMonths} is not a whole number of months ≥ 1`, 'e.g. horizonMonths: 12');
  return horizonMonths === CLV_CONTRACT_MONTHS ? null : valueClvSchedule(horizonMonths, discountRatePerYear, timeUnit);
}

/** The per-tuple scores buildCustomerScoresSql joins (also made by the ClickHouse bench, which scores tuples of its own). */
export const CLV_TUPLE_SCORES_TABLE =
  'CREATE OR REPLACE TEMP TABLE clv_tuple_scores (frequency DOUBLE, recency DOUBLE, T DOUBLE, p_alive DOUBLE, e30 DOUBLE, e90 DOUBLE, e365 DOUBLE, discounted_purchases DOUBLE, discounted_purchases_h DOUBLE, next_p50_days DOUBLE, next_p90_days DOUBLE)';

/**
 * Score every unique tuple with the chosen model and write `clv_tuple_scores`: P(alive), 30/90/365-day purchases, the
 * discounted purchases over 12 months and (`horizon`) over the requested horizon (NULL without one), next-order days.
 */
export async function writeClvTupleScores(
  warehouse: Warehouse,
  options: { readonly model: PurchaseModel; readonly fit: FittedModel; readonly tuples: RfmData; readonly unitDays: number; readonly schedule: ClvScheduleOptions; readonly horizon: ClvScheduleOptions | null },
): Promise<void> {
  const { model, fit, tuples, unitDays } = options;
  const scores = scorePurchaseTuples(model, fit, tuples, { unitDays, schedule: options.schedule });
  const horizon = options.horizon ? predictClvAll({ ...options.horizon, expectedPurchasesAtAll: (times) => model.conditionalPurchasesAtAll(fit, times, tuples), spendPerPurchase: 1 }) : null;
  await warehouse.execute(CLV_TUPLE_SCORES_TABLE);
  await warehouse.append('clv_tuple_scores', {
    frequency: tuples.frequency,
    recency: tuples.recency,
    T: tuples.T,
    p_alive: scores.pAlive,
    e30: scores.expectedPurchases30d,
    e90: scores.expectedPurchases90d,
    e365: scores.expectedPurchases365d,
    discounted_purchases: scores.discountedPurchases,
    discounted_purchases_h: horizon ?? Array.from(tuples.frequency, () => null),
    next_p50_days: nextOrderDays(scores.nextOrderP50, unitDays),
    next_p90_days: nextOrderDays(scores.nextOrderP90, unitDays),
  });
}

export interface ClvIntervalsWritten {
  /** parameter draws behind the 12-month interval; 0 when there is none */
  readonly draws: number;
  readonly skipped: string | null;
}

/**
 * Per-customer CLV intervals from parameter uncertainty (`predictCustomerClvIntervals`), written to `clv_intervals`
 * (customer_id, low, high, low_h, high_h): over 12 months and, with `horizon`, over the requested horizon — the same
 * fits, seed and number of draws, so the same parameter draws. The second interval costs about as much again as the
 * first for h ≤ 12 (each draw recomputes P(alive) per tuple; 20,000 simulated customers, 10,576 tuples, Pareto/NBD,
 * 20 draws: 0.65–0.75 s for 12 months, 0.5 s more for 6, 0.6–0.9 s more for 24). The horizon's columns are NULL without one.
 */
export async function writeClvIntervals(warehouse: Warehouse, options: ClvIntervalsOptions): Promise<ClvIntervalsWritten> {
  const computed = await computeClvIntervals(warehouse, options);
  await warehouse.execute('CREATE OR REPLACE TEMP TABLE clv_intervals (customer_id VARCHAR, low DOUBLE, high DOUBLE, low_h DOUBLE, high_h DOUBLE)');
  if (computed.low) await warehouse.append('clv_intervals', { customer_id: computed.customerIds, low: computed.low, high: computed.high!, low_h: computed.lowH, high_h: computed.highH });
  return { draws: computed.draws, skipped: computed.skipped };
}

/** The per-customer intervals writeClvIntervals writes (customer_summary's customers, by id), in memory: an MBG/CNBD-k winner's join its scores (regularity-scores.ts). */
export interface ClvIntervalsComputed extends ClvIntervalsWritten {
  readonly customerIds: readonly string[];
  /** null: none drawn (`skipped` says why) */
  readonly low: Float64Array | null;
  readonly high: Float64Array | null;
  /** the requested horizon's, null per customer without one */
  readonly lowH: Float64Array | readonly null[];
  readonly highH: Float64Array | readonly null[];
}

export interface ClvIntervalsOptions {
    readonly model: Pick<PurchaseModel, 'conditionalPurchasesAtAll'>;
    readonly purchaseFit: FittedModel;
    readonly spendFit: FittedModel<GammaGammaParams> | null;
    readonly fallbackMean: number;
    readonly schedule: ClvScheduleOptions;
    readonly horizon: ClvScheduleOptions | null;
    readonly margin: number;
    readonly seed: number;
    readonly level: number;
    readonly toRfm: (columns: Record<string, Float64Array | readonly unknown[]>) => RfmData;
    /** most model evaluations (predictCustomerClvIntervals' default, 8e5, sized for the BTYD models' closed forms) */
    readonly evaluationBudget?: number;
    /** most model evaluations at all (predictCustomerClvIntervals' `evaluationLimit`) */
    readonly evaluationLimit?: number;
    /** fewest draws (predictCustomerClvIntervals' `minDraws`, default MIN_CLV_INTERVAL_DRAWS) */
    readonly minDraws?: number;
}

export async function computeClvIntervals(warehouse: Warehouse, options: ClvIntervalsOptions): Promise<ClvIntervalsComputed> {
  const perCustomer = await warehouse.queryColumns(`SELECT s.customer_id, s.frequency, s.recency, s.T, s.monetary_value, s.monetary_frequency FROM customer_summary s ORDER BY s.customer_id`);
  const { tuples, tupleOf } = compressRfm(options.toRfm(perCustomer.columns));
  const over = (schedule: ClvScheduleOptions, draws?: number) =>
    predictCustomerClvIntervals({
      model: options.model,
      purchaseFit: options.purchaseFit,
      spendFit: options.spendFit,
      tuples,
      tupleOf,
      frequency: perCustomer.columns.monetary_frequency as Float64Array,
      monetary: perCustomer.columns.monetary_value as Float64Array,
      fallbackMean: options.fallbackMean,
      schedule,
      margin: options.margin,
      seed: options.seed,
      level: options.level,
      ...(options.evaluationBudget !== undefined ? { evaluationBudget: options.evaluationBudget } : {}),
      ...(options.evaluationLimit !== undefined ? { evaluationLimit: options.evaluationLimit } : {}),
      ...(options.minDraws !== undefined ? { minDraws: options.minDraws } : {}),
      ...(draws !== undefined ? { draws } : {}),
    });
  const twelve = over(options.schedule);
  // the 12-month interval's draws: the same parameter draws, whatever the budget would give a shorter or longer schedule
  const horizon = options.horizon && twelve.lower ? over(options.horizon, twelve.draws) : null;
  const customerIds = perCustomer.columns.customer_id as readonly string[];
  const none = () => Array.from(customerIds, () => null);
  return { customerIds, low: twelve.lower, high: twelve.upper, lowH: horizon?.lower ?? none(), highH: horizon?.upper ?? none(), draws: twelve.draws, skipped: twelve.skipped };
}
