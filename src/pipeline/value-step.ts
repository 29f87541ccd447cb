/**
 * The value step of `analyze`: choose the purchase model on a
 * calibration/holdout split, refit it on all data, fit Gamma-Gamma spend,
 * score every unique (x, t_x, T) tuple, join the scores back to customers in
 * SQL, and return the model card for run.json.
 */
import { addDays, daysBetween } from '../core/calendar-days.js';
import { UserError } from '../core/errors/user-error.js';
import { DAYS_PER_UNIT, type TimeUnit } from '../core/time-unit.js';
import type { Warehouse } from '../engine/warehouse.js';
import { buildCompressedSummarySql, buildCustomerSummarySql, type PurchaseGrain } from '../features/customer-summary.js';
import { createClvSchedule, predictClvAll, predictClvIntervals } from '../models/clv.js';
import { compressRfm, withPositiveAge } from '../models/compress-rfm.js';
import type { FittedModel, RfmData } from '../models/model-types.js';
import {
  computeCalibrationHistogram,
  computeConditionalExpectation,
  computeExpectedTracking,
  computeFrequencyRecencyMatrix,
  runModelTournament,
  type CalibrationHistogram,
  type ConditionalExpectation,
  type FrequencyRecencyMatrix,
  type ModelEvaluation,
} from '../models/model-tournament.js';
import { PURCHASE_MODELS, type PurchaseModelName } from '../models/btyd/purchase-models.js';
import { fitGammaGamma, predictGammaGammaPopulationMean, type GammaGammaParams, type SpendData } from '../models/spend/gamma-gamma.js';

export interface ValueOptions {
  readonly asOf: string;
  readonly timeUnit: TimeUnit;
  readonly grain: PurchaseGrain;
  /** length of the holdout window used to choose the model (default: a third of the data's span, 28..365 days) */
  readonly holdoutDays?: number;
  /** purchase models to compare (default all) */
  readonly models?: readonly PurchaseModelName[];
  /** use this model instead of the tournament's choice */
  readonly model?: PurchaseModelName;
  readonly horizonMonths?: number;
  readonly discountRatePerYear?: number;
  /** share of spend kept as margin (default 1: revenue CLV) */
  readonly margin?: number;
  readonly seed?: number;
}

/** One model's line in the card. */
export interface ModelCardEntry {
  readonly model: PurchaseModelName;
  readonly label: string;
  readonly citation: string;
  readonly params: Record<string, number>;
  readonly stdErrors: Record<string, number>;
  readonly intervals95: Record<string, readonly [number, number]>;
  readonly logLikelihood: number;
  readonly aic: number;
  readonly bic: number;
  readonly fit: FittedModel['fit'];
  readonly holdout: ModelEvaluation['holdout'];
  readonly chosen: boolean;
}

export interface ValueModelCard {
  readonly timeUnit: TimeUnit;
  readonly calibrationEnd: string;
  readonly holdoutEnd: string;
  readonly holdoutDuration: number;
  readonly calibrationCustomers: number;
  readonly calibrationTuples: number;
  readonly chosen: PurchaseModelName;
  readonly reason: string;
  readonly comparison: readonly ModelCardEntry[];
  readonly diagnostics: {
    readonly calibrationHistogram: CalibrationHistogram;
    readonly conditionalExpectation: ConditionalExpectation;
    readonly tracking: {
      readonly periodLabels: readonly string[];
      readonly periodEnds: readonly number[];
      readonly actualIncremental: readonly number[];
      readonly expectedIncremental: readonly number[];
      readonly actualCumulative: readonly number[];
      readonly expectedCumulative: readonly number[];
      readonly calibrationEndIndex: number;
    };
    readonly frequencyRecency: FrequencyRecencyMatrix;
  };
  /** the chosen model refitted on all data up to the as-of date: these params produce the scores */
  readonly final: {
    readonly model: PurchaseModelName;
    readonly params: Record<string, number>;
    readonly intervals95: Record<string, readonly [number, number]>;
    readonly logLikelihood: number;
    readonly fit: FittedModel['fit'];
    readonly customers: number;
    readonly tuples: number;
  };
  readonly spend: {
    readonly model: 'gammagamma';
    readonly params: GammaGammaParams | null;
    readonly intervals95: Record<string, readonly [number, number]> | null;
    readonly fit: FittedModel['fit'] | null;
    readonly repeatBuyers: number;
    readonly populationMeanSpend: number;
    readonly note: string;
  };
  readonly clv: {
    readonly horizonMonths: number;
    readonly discountRatePerYear: number;
    readonly margin: number;
    readonly intervalDraws: number;
    readonly intervalLevel: number;
    readonly totalPredicted: number;
  };
}

/**
 * Wall-clock budget of one model fit in a run: a model the data cannot
 * identify (its likelihood climbing towards infinite parameters) stops, is
 * reported as not converged and cannot win the tournament, instead of holding
 * the run for minutes. Identifiable fits take well under a second.
 */
export const FIT_TIME_BUDGET_MS = 20_000;

function toRfm(columns: Record<string, Float64Array | readonly unknown[]>): RfmData {
  const frequency = columns.frequency as Float64Array;
  return { frequency, recency: columns.recency as Float64Array, T: columns.T as Float64Array, weight: (columns.weight as Float64Array | undefined) ?? new Float64Array(frequency.length).fill(1) };
}

function cardEntry(evaluation: ModelEvaluation, chosen: PurchaseModelName): ModelCardEntry {
  const f = evaluation.fitted;
  return {
    model: evaluation.model,
    label: evaluation.label,
    citation: evaluation.citation,
    params: f.params,
    stdErrors: f.stdErrors,
    intervals95: f.intervals95 as Record<string, readonly [number, number]>,
    logLikelihood: f.logLikelihood,
    aic: f.aic,
    bic: f.bic,
    fit: f.fit,
    holdout: evaluation.holdout,
    chosen: evaluation.model === chosen,
  };
}

/** Expected spend per purchase: Gamma-Gamma posterior mean, SQL over the summary columns of `alias` (population mean for x = 0). */
function spendSql(params: GammaGammaParams | null, fallbackMean: number, alias: string): string {
  const x = `${alias}.frequency`;
  const m = `${alias}.monetary_value`;
  if (!params) return `CASE WHEN ${x} > 0 AND ${m} > 0 THEN ${m} ELSE ${fallbackMean} END`;
  const { p, q, gamma } = params;
  const population = predictGammaGammaPopulationMean(params);
  const base = Number.isFinite(population) ? population : fallbackMean;
  return `CASE WHEN ${x} > 0 AND ${m} > 0 AND ${p} * ${x} + ${q} - 1 > 0 THEN ${p} * (${gamma} + ${x} * ${m}) / (${p} * ${x} + ${q} - 1) ELSE ${base} END`;
}

function fitSpend(frequency: Float64Array, monetary: Float64Array): { fitted: FittedModel<GammaGammaParams> | null; repeatBuyers: number; note: string } {
  const keep: number[] = [];
  for (let i = 0; i < frequency.length; i++) if (frequency[i]! > 0 && monetary[i]! > 0) keep.push(i);
  if (keep.length < 20) return { fitted: null, repeatBuyers: keep.length, note: `only ${keep.length} repeat buyers with positive spend: spend per purchase is the customer's own mean (no Gamma-Gamma fit)` };
  const data: SpendData = {
    frequency: Float64Array.from(keep, (i) => frequency[i]!),
    monetary: Float64Array.from(keep, (i) => monetary[i]!),
    weight: new Float64Array(keep.length).fill(1),
  };
  const fitted = fitGammaGamma(data);
  return {
    fitted,
    repeatBuyers: keep.length,
    note: 'Gamma-Gamma fitted on repeat buyers (frequency > 0, mean repeat spend > 0); customers without repeat purchases get the population mean spend; it assumes spend is independent of purchase frequency',
  };
}

export interface ModelSelectionOptions {
  /** last day of the calibration window, YYYY-MM-DD */
  readonly calibrationEnd: string;
  /** last day of the holdout window */
  readonly holdoutEnd: string;
  readonly timeUnit: TimeUnit;
  readonly grain: PurchaseGrain;
  readonly models?: readonly PurchaseModelName[];
  /** use this model instead of the tournament's choice */
  readonly model?: PurchaseModelName;
}

/** The model-choice half of the card: the tournament on a calibration/holdout split and the chosen model's diagnostics. */
export type ModelSelection = Omit<ValueModelCard, 'final' | 'spend' | 'clv'>;

/**
 * Choose the purchase model: fit every candidate on the calibration window
 * (Gamma-Gamma too, to rank by value), predict the holdout, pick by holdout
 * error, and compute the chosen model's diagnostic plots' data.
 */
export async function selectValueModel(warehouse: Warehouse, options: ModelSelectionOptions): Promise<ModelSelection> {
  const d = warehouse.dialect;
  const unitDays = DAYS_PER_UNIT[options.timeUnit];
  if (!(daysBetween(options.calibrationEnd, options.holdoutEnd) > 0)) {
    throw new UserError(`the holdout end ${options.holdoutEnd} is not after the calibration end ${options.calibrationEnd}`, 'the holdout window starts the day after the calibration end');
  }
  // 1. calibration / holdout split
  const { calibrationEnd } = options;
  const holdoutDays = daysBetween(calibrationEnd, options.holdoutEnd);
  const [span] = await warehouse.query(`SELECT ${d.daysBetween('min(ts)', d.timestamp(`${calibrationEnd}T00:00:00`))} AS days FROM transactions WHERE NOT is_return`);
  const calibrationDays = Number(span!.days);
  const split = await warehouse.queryColumns(
    `SELECT frequency, recency, T, monetary_value, frequency_holdout, frequency_holdout * monetary_value_holdout AS holdout_spend FROM (${buildCustomerSummarySql(d, {
      asOf: calibrationEnd,
      holdoutEnd: options.holdoutEnd,
      timeUnit: options.timeUnit,
      grain: options.grain,
    })}) s ORDER BY frequency, recency, T, monetary_value, frequency_holdout, holdout_spend`, // by value, not id: tokens differ per key, and the sums must not
  );
  const calibration = toRfm(split.columns);
  const holdoutDuration = holdoutDays / unitDays;
  const calibrationSpend = fitSpend(calibration.frequency, split.columns.monetary_value as Float64Array);
  const spendPerPurchase = new Float64Array(calibration.frequency.length);
  {
    const sp = calibrationSpend.fitted?.params;
    const monetary = split.columns.monetary_value as Float64Array;
    for (let i = 0; i < spendPerPurchase.length; i++) {
      const x = calibration.frequency[i]!;
      spendPerPurchase[i] = sp && x > 0 ? (sp.p * (sp.gamma + x * monetary[i]!)) / (sp.p * x + sp.q - 1) : sp ? (sp.p * sp.gamma) / (sp.q - 1) : monetary[i]!;
    }
  }

  // 2. tournament on the calibration window
  const tournament = runModelTournament({
    fitOptions: { timeBudgetMs: FIT_TIME_BUDGET_MS },
    calibration,
    holdoutPurchases: split.columns.frequency_holdout as Float64Array,
    holdoutDuration,
    holdoutSpend: split.columns.holdout_spend as Float64Array,
    spendPerPurchase,
    ...(options.models ? { models: options.models } : {}),
  });
  const chosenName = options.model ?? tournament.chosen;
  const chosenModel = PURCHASE_MODELS[chosenName];
  const chosenEvaluation = tournament.evaluations.find((e) => e.model === chosenName)!;
  const calibrationParams = chosenEvaluation.fitted.params;

  // 3. diagnostics of the chosen model on the calibration fit
  const periodDays = options.timeUnit === 'month' ? unitDays : 7;
  const firstIndex = -Math.ceil(calibrationDays / periodDays);
  const lastIndex = Math.ceil(holdoutDays / periodDays);
  const indices = Array.from({ length: lastIndex - firstIndex + 1 }, (_, k) => firstIndex + k);
  const periodEnds = indices.map((k) => Math.min(k * periodDays, holdoutDays) / unitDays);
  const expected = computeExpectedTracking(chosenModel, calibrationParams, compressRfm(calibration).tuples, periodEnds);
  const actualRows = await warehouse.query(`
    WITH occasions AS (
      SELECT customer_id, ${d.dayOf('ts')} AS day FROM transactions WHERE NOT is_return AND ts < ${d.timestamp(`${addDays(options.holdoutEnd, 1)}T00:00:00`)}
      GROUP BY customer_id, ${d.dayOf('ts')}
    ),
    firsts AS (SELECT customer_id, min(day) AS first_day FROM occasions GROUP BY customer_id HAVING min(day) <= ${d.timestamp(`${calibrationEnd}T00:00:00`)})
    SELECT CAST(ceil(${d.daysBetween(d.timestamp(`${calibrationEnd}T00:00:00`), 'o.day')} / ${periodDays}) AS BIGINT) AS period, count(*) AS n
    FROM occasions o JOIN firsts f ON f.customer_id = o.customer_id
    WHERE o.day > f.first_day
    GROUP BY 1 ORDER BY 1`);
  const actualByPeriod = new Map(actualRows.map((r) => [Number(r.period), Number(r.n)]));
  const actualIncremental = indices.map((k) => actualByPeriod.get(k) ?? 0);
  const actualCumulative: number[] = [];
  actualIncremental.reduce((sum, v) => (actualCumulative.push(sum + v), sum + v), 0);
  // (a loop, not Math.max(...array): spreading 100k+ values overflows the call stack)
  const maxFrequency = Math.min(30, calibration.frequency.reduce((m, v) => Math.max(m, v), 0));
  const maxT = calibration.T.reduce((m, v) => Math.max(m, v), 0);

  return {
    timeUnit: options.timeUnit,
    calibrationEnd,
    holdoutEnd: options.holdoutEnd,
    holdoutDuration,
    calibrationCustomers: tournament.customers,
    calibrationTuples: tournament.tuples,
    chosen: chosenName,
    reason: options.model ? `${chosenModel.label} chosen by the user (--model); the tournament preferred ${PURCHASE_MODELS[tournament.chosen].label}` : tournament.reason,
    comparison: tournament.evaluations.map((e) => cardEntry(e, chosenName)),
    diagnostics: {
      calibrationHistogram: computeCalibrationHistogram(chosenModel, calibrationParams, calibration),
      conditionalExpectation: computeConditionalExpectation(chosenModel, calibrationParams, calibration, split.columns.frequency_holdout as Float64Array, holdoutDuration),
      tracking: {
        periodLabels: indices.map((k) => addDays(calibrationEnd, Math.round(Math.min(k * periodDays, holdoutDays)))),
        periodEnds,
        actualIncremental,
        expectedIncremental: expected.expectedIncremental,
        actualCumulative,
        expectedCumulative: expected.expectedCumulative,
        calibrationEndIndex: indices.indexOf(0),
      },
      frequencyRecency: computeFrequencyRecencyMatrix(chosenModel, calibrationParams, maxT, maxFrequency, holdoutDuration),
    },
  };
}

/**
 * Run the value step. Writes table `customer_scores` (one row per customer of
 * `customer_summary`) and returns the model card.
 */
export async function runValueStep(warehouse: Warehouse, options: ValueOptions): Promise<ValueModelCard> {
  const d = warehouse.dialect;
  const unitDays = DAYS_PER_UNIT[options.timeUnit];
  const horizonMonths = options.horizonMonths ?? 12;
  const discountRatePerYear = options.discountRatePerYear ?? 0.1;
  const margin = options.margin ?? 1;

  const [span] = await warehouse.query(`SELECT ${d.daysBetween('min(ts)', d.timestamp(`${options.asOf}T00:00:00`))} AS days FROM transactions WHERE NOT is_return`);
  const spanDays = Number(span!.days);
  const holdoutDays = options.holdoutDays ?? Math.max(28, Math.min(365, Math.round(spanDays / 3)));
  const selection = await selectValueModel(warehouse, {
    calibrationEnd: addDays(options.asOf, -holdoutDays),
    holdoutEnd: options.asOf,
    timeUnit: options.timeUnit,
    grain: options.grain,
    ...(options.models ? { models: options.models } : {}),
    ...(options.model ? { model: options.model } : {}),
  });
  const chosenName = selection.chosen;
  const chosenModel = PURCHASE_MODELS[chosenName];

  // 4. refit the chosen model and the spend model on all data
  const fullSummarySql = buildCustomerSummarySql(d, { asOf: options.asOf, timeUnit: options.timeUnit, grain: options.grain });
  const tuplesResult = await warehouse.queryColumns(buildCompressedSummarySql(fullSummarySql));
  const tuples = toRfm(tuplesResult.columns);
  const final = chosenModel.fit(withPositiveAge(tuples), { timeBudgetMs: FIT_TIME_BUDGET_MS });
  const full = await warehouse.queryColumns('SELECT frequency, monetary_value FROM customer_summary ORDER BY frequency, monetary_value');
  const spend = fitSpend(full.columns.frequency as Float64Array, full.columns.monetary_value as Float64Array);
  const [meanRow] = await warehouse.query('SELECT avg(monetary_value) FILTER (WHERE frequency > 0 AND monetary_value > 0) AS m, avg(total_spend / (frequency + 1)) AS all_mean FROM customer_summary');
  const fallbackMean = Number(meanRow!.m ?? meanRow!.all_mean ?? 0);
  const spendParams = spend.fitted?.params ?? null;

  // 5. scores per unique tuple, joined back to customers in SQL
  const horizon = (horizonMonths * 365.25) / 12 / unitDays;
  // Cash flows discounted at quarter ends: the same grid for the point estimate and its interval.
  const schedule = { horizon, timeUnit: options.timeUnit, discountRatePerYear, step: (3 * 365.25) / 12 / unitDays } as const;
  const expectedIn = (days: number) => chosenModel.conditionalPurchasesAll(final.params, days / unitDays, tuples);
  const discountedPurchases = predictClvAll({ ...schedule, expectedPurchasesAll: (t) => chosenModel.conditionalPurchasesAll(final.params, t, tuples), spendPerPurchase: 1 });
  const nextP50 = chosenModel.timeToNextPurchaseAll(final.params, 0.5, tuples);
  const nextP90 = chosenModel.timeToNextPurchaseAll(final.params, 0.9, tuples);
  const finite = (values: Float64Array) => Array.from(values, (v) => (Number.isFinite(v) ? v * unitDays : null));
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE clv_tuple_scores (frequency DOUBLE, recency DOUBLE, T DOUBLE, p_alive DOUBLE, e30 DOUBLE, e90 DOUBLE, e365 DOUBLE, discounted_purchases DOUBLE, next_p50_days DOUBLE, next_p90_days DOUBLE)`);
  await warehouse.append('clv_tuple_scores', {
    frequency: tuples.frequency,
    recency: tuples.recency,
    T: tuples.T,
    p_alive: chosenModel.probabilityAliveAll(final.params, tuples),
    e30: expectedIn(30),
    e90: expectedIn(90),
    e365: expectedIn(365),
    discounted_purchases: discountedPurchases,
    next_p50_days: finite(nextP50),
    next_p90_days: finite(nextP90),
  });

  // 6. CLV intervals from parameter uncertainty (purchase and spend models), per customer
  const perCustomer = await warehouse.queryColumns(`SELECT s.customer_id, s.frequency, s.recency, s.T, s.monetary_value FROM customer_summary s ORDER BY s.customer_id`);
  const customerRfm = toRfm(perCustomer.columns);
  const { tuples: scoreTuples, tupleOf } = compressRfm(customerRfm);
  const steps = createClvSchedule(schedule).times.length;
  // Parameter draws: as many as a budget of model evaluations allows (deterministic, so runs repeat exactly).
  const draws = Math.max(20, Math.min(200, Math.floor(8e5 / Math.max(1, scoreTuples.frequency.length * steps))));
  const monetary = perCustomer.columns.monetary_value as Float64Array;
  const intervalLevel = 0.9;
  const intervals = predictClvIntervals({
    draws,
    seed: options.seed ?? 20_261_123,
    level: intervalLevel,
    evaluate: (sample) => {
      const p = sample(final);
      const dep = predictClvAll({ ...schedule, expectedPurchasesAll: (t) => chosenModel.conditionalPurchasesAll(p, t, scoreTuples), spendPerPurchase: 1 });
      const sp = spend.fitted ? sample(spend.fitted) : null;
      const out = new Float64Array(tupleOf.length);
      for (let i = 0; i < out.length; i++) {
        const x = customerRfm.frequency[i]!;
        const perPurchase = sp ? (x > 0 && monetary[i]! > 0 ? (sp.p * (sp.gamma + x * monetary[i]!)) / (sp.p * x + sp.q - 1) : (sp.p * sp.gamma) / (sp.q - 1)) : x > 0 ? monetary[i]! : fallbackMean;
        out[i] = dep[tupleOf[i]!]! * perPurchase * margin;
      }
      return out;
    },
  });
  await warehouse.execute('CREATE OR REPLACE TEMP TABLE clv_intervals (customer_id VARCHAR, low DOUBLE, high DOUBLE)');
  await warehouse.append('clv_intervals', { customer_id: perCustomer.columns.customer_id as readonly string[], low: intervals.lower, high: intervals.upper });
  const asOfTs = d.timestamp(`${options.asOf}T00:00:00`);
  await warehouse.execute(`
    CREATE OR REPLACE TABLE customer_scores AS
    SELECT s.customer_id,
      t.p_alive,
      t.e30 AS expected_purchases_30d,
      t.e90 AS expected_purchases_90d,
      t.e365 AS expected_purchases_365d,
      t.discounted_purchases * (${spendSql(spendParams, fallbackMean, 's')}) * ${margin} AS predicted_clv_12m,
      i.low AS predicted_clv_12m_low,
      i.high AS predicted_clv_12m_high,
      CAST(${d.addDays(asOfTs, 'ceil(t.next_p50_days)')} AS DATE) AS next_order_p50,
      CAST(${d.addDays(asOfTs, 'ceil(t.next_p90_days)')} AS DATE) AS next_order_p90
    FROM customer_summary s
    JOIN clv_tuple_scores t ON t.frequency = s.frequency AND t.recency = s.recency AND t.T = s.T
    LEFT JOIN clv_intervals i ON i.customer_id = s.customer_id`);
  const [total] = await warehouse.query('SELECT count(*) AS n, sum(predicted_clv_12m) AS clv FROM customer_scores');
  const [summaryCount] = await warehouse.query('SELECT count(*) AS n FROM customer_summary');
  if (Number(total!.n) !== Number(summaryCount!.n)) throw new Error(`scores for ${total!.n} of ${summaryCount!.n} customers: the tuple join lost rows`);

  return {
    ...selection,
    final: {
      model: chosenName,
      params: final.params,
      intervals95: final.intervals95 as Record<string, readonly [number, number]>,
      logLikelihood: final.logLikelihood,
      fit: final.fit,
      customers: Number(summaryCount!.n),
      tuples: tuples.frequency.length,
    },
    spend: {
      model: 'gammagamma',
      params: spendParams,
      intervals95: (spend.fitted?.intervals95 as Record<string, readonly [number, number]> | undefined) ?? null,
      fit: spend.fitted?.fit ?? null,
      repeatBuyers: spend.repeatBuyers,
      populationMeanSpend: spendParams ? predictGammaGammaPopulationMean(spendParams) : fallbackMean,
      note: spend.note,
    },
    clv: { horizonMonths, discountRatePerYear, margin, intervalDraws: draws, intervalLevel, totalPredicted: Number(total!.clv) },
  };
}
