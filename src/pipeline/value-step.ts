/**
 * The value step of `analyze`: choose the purchase model on a
 * calibration/holdout split, refit it on all data, fit Gamma-Gamma spend,
 * score every unique (x, t_x, T) tuple, join the scores back to customers in
 * SQL, and return the model card for run.json. The computing is done by pure
 * functions in models/ (tournament, `scorePurchaseTuples`,
 * `predictSpendPerPurchaseAll`, `predictCustomerClvIntervals`, diagnostics);
 * this file reads, calls them, appends and joins.
 *
 * Card additions (existing fields unchanged):
 * - `spend` is absent when the data hold no order values (ids and dates only);
 *   `spendSkipped` then says why in one line, and customer_scores has no CLV
 *   columns (predicted_clv_12m, _low, _high): absent, not zero.
 * - `clv.totalPredicted` sums predicted_clv_12m, always over 12 months
 *   (`totalPredictedMonths`); a --horizon-months other than 12 adds
 *   `clv.horizonTotalPredicted` over it (value-clv-columns.ts). `clv.skipped`
 *   repeats the reason and `clv.totalPredicted` is NaN (null in JSON).
 * - `clv.intervalsSkipped`: why there are no CLV intervals (a fit on a
 *   boundary of its parameter space; or, set by the learned stage, an honest
 *   tournament winner that rewrote the scores); the interval columns are then
 *   NULL and `clv.intervalDraws` is 0.
 * - `final.fit.boundary` / `comparison[].fit.boundary`: see models/fit-boundary.ts.
 */
import { addDays, daysBetween } from '../core/calendar-days.js';
import { UserError } from '../core/errors/user-error.js';
import { DAYS_PER_UNIT, DAYS_PER_YEAR, type TimeUnit } from '../core/time-unit.js';
import type { Warehouse } from '../engine/warehouse.js';
import { buildCompressedSummarySql, buildCustomerSummarySql, type PurchaseGrain } from '../features/customer-summary.js';
import { compressRfm, withPositiveAge } from '../models/compress-rfm.js';
import { compareAliveByModel, type AliveByModel } from './alive-by-model.js';
import type { FittedModel, RfmData } from '../models/model-types.js';
import { runModelTournament, type ModelEvaluation } from '../models/model-tournament.js';
import { computeCalibrationHistogram, type CalibrationHistogram } from '../models/diagnostics/calibration-histogram.js';
import { computeConditionalExpectation, type ConditionalExpectation } from '../models/diagnostics/conditional-expectation.js';
import { computeExpectedTracking } from '../models/diagnostics/expected-tracking.js';
import type { TrackingAge } from '../core/tracking-age.js';
import { computeFrequencyRecencyMatrix, type FrequencyRecencyMatrix } from '../models/diagnostics/frequency-recency-matrix.js';
import type { PurchaseModelName } from '../models/btyd/purchase-models.js';
import { getPurchaseModel } from '../models/model-registry.js';
import { fitGammaGamma, predictGammaGammaPopulationMean, type GammaGammaParams, type SpendData } from '../models/gamma-gamma/gamma-gamma.js';
import { predictSpendPerPurchaseAll } from '../models/gamma-gamma/spend-per-purchase.js';
import { buildCustomerScoresSql } from './customer-scores-sql.js';
import { CLV_CONTRACT_MONTHS, requestedHorizonSchedule, valueClvSchedule, writeClvIntervals, writeClvTupleScores } from './value-clv-columns.js';
import { describeHeterogeneity, type HeterogeneityDensities } from '../models/btyd/heterogeneity-densities.js';
import { illustrateAlivePaths, type IllustrativeAlivePath } from '../models/btyd/illustrative-alive-paths.js';
import { runWords } from '../core/run-words.js';
import { defaultValueHoldoutDays, holdoutCoversDataError } from './value-holdout.js';
import { customerScoresTotals } from './rewrite-customer-scores.js';

export { valueClvSchedule } from './value-clv-columns.js';

/** The value step's options: the model choice's (`ModelSelectionOptions`, its windows set by `asOf` and `holdoutDays`) and the CLV's. */
export interface ValueOptions extends Omit<ModelSelectionOptions, 'calibrationEnd' | 'holdoutEnd'> {
  readonly asOf: string;
  /** length of the holdout window used to choose the model (default: a third of the data's span, 28..365 days) */
  readonly holdoutDays?: number;
  readonly horizonMonths?: number;
  readonly discountRatePerYear?: number;
  /** share of spend kept as margin (default 1: revenue CLV) */
  readonly margin?: number;
  readonly seed?: number;
  /** called with the windows once the calibration end is set, before any fit, so a later step's refusal of them comes first */
  readonly checkWindows?: (window: { readonly calibrationDays: number; readonly holdoutDays: number }) => void;
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
      /** how ages at period ends were counted (see `TrackingAge`) */
      readonly age: TrackingAge;
    };
    readonly frequencyRecency: FrequencyRecencyMatrix;
  };
  /** the chosen model refitted on all data up to the as-of date: these params produce the scores, unless run.json learned.scores says a tournament winner rewrote them */
  readonly final: {
    readonly model: PurchaseModelName;
    readonly params: Record<string, number>;
    readonly intervals95: Record<string, readonly [number, number]>;
    readonly logLikelihood: number;
    readonly fit: FittedModel['fit'];
    readonly customers: number;
    readonly tuples: number;
  };
  /** the final fit's purchase-rate and dropout densities across customers (lifetimes' heterogeneity plots) */
  readonly heterogeneity: HeterogeneityDensities;
  /** P(alive) along three made-up histories over a year under the final fit (no real customer's purchases) */
  readonly alivePathExamples: readonly IllustrativeAlivePath[];
  /** the final fit's mean P(alive) beside that of each eligible candidate close to the best on the holdout, refitted on all data (absent: none close) */
  readonly aliveByModel?: AliveByModel;
  /** absent when the data hold no order values: `spendSkipped` says why */
  readonly spend?: {
    readonly model: 'gammagamma';
    readonly params: GammaGammaParams | null;
    readonly intervals95: Record<string, readonly [number, number]> | null;
    readonly fit: FittedModel['fit'] | null;
    readonly repeatBuyers: number;
    readonly populationMeanSpend: number;
    readonly note: string;
  };
  readonly spendSkipped?: string;
  readonly clv: {
    /** the horizon the run asked for (--horizon-months); predicted_clv_12m and `totalPredicted` are over 12 months whatever it is */
    readonly horizonMonths: number;
    readonly discountRatePerYear: number;
    readonly margin: number;
    /** parameter draws behind customer_scores' CLV intervals; 0 when there are none (`intervalsSkipped` says why) */
    readonly intervalDraws: number;
    readonly intervalLevel: number;
    /** Σ predicted_clv_12m: over `totalPredictedMonths` (12); NaN when there is no CLV (`skipped`) */
    readonly totalPredicted: number;
    /** the months of `totalPredicted` and predicted_clv_12m: always 12 */
    readonly totalPredictedMonths: number;
    /** Σ predicted_clv_<h>m over `horizonMonths` when it is not 12 (customers.csv's predicted_clv_<h>m); absent otherwise and without CLV */
    readonly horizonTotalPredicted?: number;
    /** why there is no CLV (no order values) */
    readonly skipped?: string;
    /** why there are no CLV intervals (a fit on a boundary, or a tournament winner that rewrote the scores: learned-stage.ts) */
    readonly intervalsSkipped?: string;
    /** what `totalPredicted` sums when customers.csv's predicted_clv_12m also holds prospects (publish-stage.ts `clvTotalNote`) */
    readonly totalNote?: string;
  };
}

/** Why spend and CLV are absent on frequency-only data. */
export const SPEND_SKIPPED_NO_VALUES = 'the data has no order values (ids and dates only): purchase models, P(alive) and next orders only; no spend model and no CLV';

/** True when some purchase in `transactions` has an order value (amount not NULL). */
async function hasOrderValues(warehouse: Warehouse): Promise<boolean> {
  const [row] = await warehouse.query('SELECT count(amount) AS n FROM transactions WHERE NOT is_return');
  return Number(row!.n) > 0;
}

/**
 * Expected spend per purchase for every distinct Gamma-Gamma (x, m̄) = (monetary_frequency, monetary_value) of
 * `customer_summary`, computed by `predictSpendPerPurchaseAll` (the one formula) and written to the temp table
 * `clv_spend_scores` (monetary_frequency, monetary_value, spend_per_purchase) for the join — no SQL copy of the formula.
 */
export async function writeSpendScores(warehouse: Warehouse, params: GammaGammaParams | null, fallbackMean: number): Promise<void> {
  const distinct = await warehouse.queryColumns('SELECT DISTINCT monetary_frequency, monetary_value FROM customer_summary');
  const frequency = distinct.columns.monetary_frequency as Float64Array;
  const monetary = distinct.columns.monetary_value as Float64Array; // NULL arrives as NaN
  await warehouse.execute('CREATE OR REPLACE TEMP TABLE clv_spend_scores (monetary_frequency DOUBLE, monetary_value DOUBLE, spend_per_purchase DOUBLE)');
  await warehouse.append('clv_spend_scores', {
    monetary_frequency: frequency,
    monetary_value: Array.from(monetary, (v) => (Number.isNaN(v) ? null : v)),
    spend_per_purchase: predictSpendPerPurchaseAll(params, frequency, monetary, fallbackMean),
  });
}

/** Mean of the positive values where frequency > 0 (the observed mean repeat spend; pass the summary's monetary_frequency), or 0. */
export function meanRepeatSpend(frequency: Float64Array, monetary: Float64Array): number {
  let sum = 0, count = 0;
  for (let i = 0; i < frequency.length; i++) {
    if (frequency[i]! > 0 && monetary[i]! > 0) {
      sum += monetary[i]!;
      count++;
    }
  }
  return count > 0 ? sum / count : 0;
}

/**
 * Wall-clock budget of one model fit in a run: a model the data cannot
 * identify (its likelihood climbing towards infinite parameters) stops, is
 * reported as not converged and cannot win the tournament, instead of holding
 * the run for minutes. Identifiable fits take well under a second.
 */
export const FIT_TIME_BUDGET_MS = 20_000;

export function toRfm(columns: Record<string, Float64Array | readonly unknown[]>): RfmData {
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

export function fitSpend(frequency: Float64Array, monetary: Float64Array): { fitted: FittedModel<GammaGammaParams> | null; repeatBuyers: number; note: string } {
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
    note: 'Gamma-Gamma fitted on repeat buyers (repeat occasions with a known spend > 0, mean repeat spend > 0); customers without such get the population mean spend; it assumes spend is independent of purchase frequency',
  };
}

export interface ModelSelectionOptions {
  /** last day of the calibration window, YYYY-MM-DD */
  readonly calibrationEnd: string;
  /** last day of the holdout window */
  readonly holdoutEnd: string;
  readonly timeUnit: TimeUnit;
  readonly grain: PurchaseGrain;
  /** purchase models to compare (default all) */
  readonly models?: readonly PurchaseModelName[];
  /** use this model instead of the tournament's choice */
  readonly model?: PurchaseModelName;
  /** age convention of the tracking curves (default `last-day`; `next-day` as lifetimes and R BTYD) */
  readonly trackingAge?: TrackingAge;
  /** started through the HTTP API: what the step says names the request's fields (`"model": "bgnbd"`, `holdoutDays`), not analyze's flags */
  readonly api?: boolean;
}

/** The model-choice half of the card: the tournament on a calibration/holdout split and the chosen model's diagnostics. */
export type ModelSelection = Omit<ValueModelCard, 'final' | 'heterogeneity' | 'alivePathExamples' | 'aliveByModel' | 'spend' | 'clv'>;

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
    `SELECT frequency, recency, T, monetary_value, monetary_frequency, frequency_holdout, spend_holdout AS holdout_spend FROM (${buildCustomerSummarySql(d, {
      asOf: calibrationEnd,
      holdoutEnd: options.holdoutEnd,
      timeUnit: options.timeUnit,
      grain: options.grain,
    })}) s ORDER BY frequency, recency, T, monetary_value, monetary_frequency, frequency_holdout, holdout_spend`, // by value, not id: tokens differ per key, and the sums must not
  );
  const calibration = toRfm(split.columns);
  const holdoutDuration = holdoutDays / unitDays;
  // rank by value when the data have order values (Gamma-Gamma on the calibration window), else by purchases
  const withValues = await hasOrderValues(warehouse);
  const calibrationMonetary = split.columns.monetary_value as Float64Array;
  const calibrationSpendFrequency = split.columns.monetary_frequency as Float64Array; // Gamma-Gamma's x: repeat occasions with a known spend
  const calibrationSpend = withValues ? fitSpend(calibrationSpendFrequency, calibrationMonetary) : null;
  const spendPerPurchase = calibrationSpend
    ? predictSpendPerPurchaseAll(calibrationSpend.fitted?.params ?? null, calibrationSpendFrequency, calibrationMonetary, meanRepeatSpend(calibrationSpendFrequency, calibrationMonetary))
    : null;

  // 2. tournament on the calibration window
  const tournament = runModelTournament({
    fitOptions: { timeBudgetMs: FIT_TIME_BUDGET_MS },
    calibration,
    holdoutPurchases: split.columns.frequency_holdout as Float64Array,
    holdoutDuration,
    ...(spendPerPurchase ? { holdoutSpend: split.columns.holdout_spend as Float64Array, spendPerPurchase } : {}),
    ...(options.models ? { models: options.models } : {}),
  });
  const chosenName = options.model ?? tournament.chosen;
  const chosenModel = getPurchaseModel(chosenName);
  const chosenEvaluation = tournament.evaluations.find((e) => e.model === chosenName)!;
  const calibrationFit = chosenEvaluation.fitted;

  // 3. diagnostics of the chosen model on the calibration fit
  const periodDays = options.timeUnit === 'month' ? unitDays : 7;
  const firstIndex = -Math.ceil(calibrationDays / periodDays);
  const lastIndex = Math.ceil(holdoutDays / periodDays);
  const indices = Array.from({ length: lastIndex - firstIndex + 1 }, (_, k) => firstIndex + k);
  const periodEnds = indices.map((k) => Math.min(k * periodDays, holdoutDays) / unitDays);
  const trackingAge = options.trackingAge ?? 'last-day';
  const expected = computeExpectedTracking(chosenModel, calibrationFit, compressRfm(calibration).tuples, periodEnds, { age: trackingAge, unitDays });
  const actualRows = await warehouse.query(`
    WITH occasions AS (
      SELECT customer_id, ${d.dayOf('ts')} AS day FROM transactions WHERE NOT is_return AND ts < ${d.timestamp(`${addDays(options.holdoutEnd, 1)}T00:00:00`)}
      GROUP BY customer_id, ${d.dayOf('ts')}
    ),
    firsts AS (SELECT customer_id, min(day) AS first_day FROM occasions GROUP BY customer_id HAVING min(day) <= ${d.dayOf(d.timestamp(`${calibrationEnd}T00:00:00`))})
    SELECT CAST(ceil(${d.daysBetween(d.timestamp(`${calibrationEnd}T00:00:00`), 'o.day')} / ${periodDays}) AS BIGINT) AS period, count(*) AS n
    FROM occasions o JOIN firsts f ON f.customer_id = o.customer_id
    WHERE o.day > f.first_day
    GROUP BY period ORDER BY period`);
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
    reason: options.model ? `${chosenModel.label} chosen by the user (${runWords(options.api).set('model', options.model)}); the tournament preferred ${getPurchaseModel(tournament.chosen).label}` : tournament.reason,
    comparison: tournament.evaluations.map((e) => cardEntry(e, chosenName)),
    diagnostics: {
      calibrationHistogram: computeCalibrationHistogram(chosenModel, calibrationFit, calibration),
      conditionalExpectation: computeConditionalExpectation(chosenModel, calibrationFit, calibration, split.columns.frequency_holdout as Float64Array, holdoutDuration),
      tracking: {
        periodLabels: indices.map((k) => addDays(calibrationEnd, Math.round(Math.min(k * periodDays, holdoutDays)))),
        periodEnds,
        actualIncremental,
        expectedIncremental: expected.expectedIncremental,
        actualCumulative,
        expectedCumulative: expected.expectedCumulative,
        calibrationEndIndex: indices.indexOf(0),
        age: trackingAge,
      },
      frequencyRecency: computeFrequencyRecencyMatrix(chosenModel, calibrationFit, maxT, maxFrequency, holdoutDuration),
    },
  };
}

/** The seed of the CLV intervals' parameter draws (the value step's, and an MBG/CNBD-k winner's: regularity-scores.ts). */
export const CLV_INTERVAL_SEED = 20_261_123;

/**
 * The spend side of the CLV, from customer_summary: the Gamma-Gamma fit (null without order values) and the mean
 * spend per purchase it falls back on — deterministic, so an MBG/CNBD-k winner's intervals (regularity-scores.ts)
 * draw from the very fit the value step's did.
 */
export async function valueSpendFit(warehouse: Warehouse): Promise<{ spend: ReturnType<typeof fitSpend> | null; fallbackMean: number }> {
  const d = warehouse.dialect;
  const withValues = await hasOrderValues(warehouse);
  // Gamma-Gamma's (x, m̄): the repeat occasions whose spend is known and their mean (x = frequency when every purchase has one)
  const full = await warehouse.queryColumns('SELECT monetary_frequency, monetary_value FROM customer_summary ORDER BY monetary_frequency, monetary_value');
  const spend = withValues ? fitSpend(full.columns.monetary_frequency as Float64Array, full.columns.monetary_value as Float64Array) : null;
  // means as order-free sums over counts: the same bits on every run (a parallel avg adds in any order)
  const [meanRow] = await warehouse.query(`SELECT ${d.orderFreeSum('CASE WHEN monetary_frequency > 0 AND monetary_value > 0 THEN monetary_value END')} / count(*) FILTER (WHERE monetary_frequency > 0 AND monetary_value > 0) AS m,
    ${d.orderFreeSum('total_spend / (frequency + 1)')} / count(total_spend) AS all_mean FROM customer_summary`);
  return { spend, fallbackMean: Number(meanRow!.m ?? meanRow!.all_mean ?? 0) };
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
  const defaultHoldoutDays = defaultValueHoldoutDays(spanDays);
  const holdoutDays = options.holdoutDays ?? defaultHoldoutDays;
  const tooLong = holdoutCoversDataError({ spanDays, holdoutDays, given: options.holdoutDays !== undefined, defaultHoldoutDays, asOf: options.asOf }, runWords(options.api));
  if (tooLong) throw tooLong;
  options.checkWindows?.({ calibrationDays: spanDays - holdoutDays, holdoutDays });
  const selection = await selectValueModel(warehouse, {
    calibrationEnd: addDays(options.asOf, -holdoutDays),
    holdoutEnd: options.asOf,
    timeUnit: options.timeUnit,
    grain: options.grain,
    ...(options.models ? { models: options.models } : {}),
    ...(options.model ? { model: options.model } : {}),
    ...(options.trackingAge ? { trackingAge: options.trackingAge } : {}),
    ...(options.api ? { api: true } : {}),
  });
  const chosenName = selection.chosen;
  const chosenModel = getPurchaseModel(chosenName);

  // 4. refit the chosen model (and, with order values, the spend model) on all data
  // the summary stage's customer_summary is this date's summary: compress it, never rebuild it
  const tuplesResult = await warehouse.queryColumns(buildCompressedSummarySql('SELECT frequency, recency, T FROM customer_summary'));
  const tuples = toRfm(tuplesResult.columns);
  const final = chosenModel.fit(withPositiveAge(tuples), { timeBudgetMs: FIT_TIME_BUDGET_MS });
  const aliveByModel = compareAliveByModel(tuples, chosenName, final, selection.comparison, { timeBudgetMs: FIT_TIME_BUDGET_MS });
  const { spend, fallbackMean } = await valueSpendFit(warehouse);
  const spendParams = spend?.fitted?.params ?? null;

  // 5. scores per unique tuple (models/value), joined back to customers in SQL: predicted_clv_12m over 12 months
  // whatever the run asked for; another horizon is computed beside it (value-clv-columns.ts)
  const schedule = valueClvSchedule(CLV_CONTRACT_MONTHS, discountRatePerYear, options.timeUnit);
  const horizon = requestedHorizonSchedule(horizonMonths, discountRatePerYear, options.timeUnit);
  await writeClvTupleScores(warehouse, { model: chosenModel, fit: final, tuples, unitDays, schedule, horizon });

  // 6. spend per purchase (one function, per distinct (x, m̄)) and CLV intervals from parameter uncertainty, per customer
  const intervalLevel = 0.9;
  let intervalDraws = 0;
  let intervalsSkipped: string | undefined;
  if (spend) {
    await writeSpendScores(warehouse, spendParams, fallbackMean);
    const intervals = await writeClvIntervals(warehouse, { model: chosenModel, purchaseFit: final, spendFit: spend.fitted, fallbackMean, schedule, horizon, margin, seed: options.seed ?? CLV_INTERVAL_SEED, level: intervalLevel, toRfm });
    intervalDraws = intervals.draws;
    if (intervals.skipped !== null) intervalsSkipped = intervals.skipped;
  }
  await warehouse.execute(`CREATE OR REPLACE TABLE customer_scores AS ${buildCustomerScoresSql(d, { asOf: options.asOf, spend: spend !== null, margin })}`);
  const total = await customerScoresTotals(warehouse);
  const [summaryCount] = await warehouse.query('SELECT count(*) AS n FROM customer_summary');
  if (total.customers !== Number(summaryCount!.n)) throw new Error(`scores for ${total.customers} of ${summaryCount!.n} customers: the tuple join lost rows`);

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
    heterogeneity: describeHeterogeneity(final.params, options.timeUnit, { dropoutAtFirstPurchase: chosenName === 'mbgnbd', ...(final.fit.boundary?.limitParams ? { limitParams: final.fit.boundary.limitParams } : {}) }),
    alivePathExamples: illustrateAlivePaths(chosenName, final, DAYS_PER_YEAR / unitDays, options.timeUnit),
    ...(aliveByModel ? { aliveByModel } : {}),
    ...(spend
      ? {
          spend: {
            model: 'gammagamma' as const,
            params: spendParams,
            intervals95: (spend.fitted?.intervals95 as Record<string, readonly [number, number]> | undefined) ?? null,
            fit: spend.fitted?.fit ?? null,
            repeatBuyers: spend.repeatBuyers,
            populationMeanSpend: spendParams ? predictGammaGammaPopulationMean(spendParams) : fallbackMean,
            note: spend.note,
          },
        }
      : { spendSkipped: SPEND_SKIPPED_NO_VALUES }),
    clv: {
      horizonMonths,
      discountRatePerYear,
      margin,
      intervalDraws,
      intervalLevel,
      totalPredicted: spend ? total.predictedClv : NaN,
      totalPredictedMonths: CLV_CONTRACT_MONTHS,
      ...(spend && horizon ? { horizonTotalPredicted: total.horizonClv } : {}),
      ...(spend ? {} : { skipped: SPEND_SKIPPED_NO_VALUES }),
      ...(intervalsSkipped ? { intervalsSkipped } : {}),
    },
  };
}
