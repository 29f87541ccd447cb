/**
 * Which purchase model to trust: fit every candidate on the calibration
 * window, predict the holdout window, and choose the one with the smallest
 * per-customer holdout error. The result carries what a model card needs:
 * parameters with intervals, fit reports, information criteria, holdout
 * metrics, and the data of the standard diagnostic plots (Fader, Hardie &
 * Lee 2005: calibration histogram, tracking, conditional expectations,
 * frequency × recency matrices).
 */
import { compressRfm, withPositiveAge } from './compress-rfm.js';
import { meanAbsoluteError, normalizedGini, rootMeanSquaredError, spearmanCorrelation } from './holdout-metrics.js';
import type { FitOptions } from './fit-maximum-likelihood.js';
import type { FittedModel, RfmData } from './model-types.js';
import { PURCHASE_MODELS, PURCHASE_MODEL_NAMES, type PurchaseModel, type PurchaseModelName } from './btyd/purchase-models.js';

export interface TournamentInput {
  /** calibration (x, t_x, T) per customer, weight 1 */
  readonly calibration: RfmData;
  /** purchase occasions per customer in the holdout window */
  readonly holdoutPurchases: Float64Array;
  /** length of the holdout window, in the time unit of the data */
  readonly holdoutDuration: number;
  /** actual holdout spend per customer, for the value-ranking Gini (optional) */
  readonly holdoutSpend?: Float64Array;
  /** expected spend per purchase per customer (e.g. Gamma-Gamma), to rank by predicted value (optional) */
  readonly spendPerPurchase?: Float64Array;
  readonly models?: readonly PurchaseModelName[];
  readonly fitOptions?: FitOptions;
}

export interface HoldoutMetrics {
  readonly predictedTotal: number;
  readonly actualTotal: number;
  /** (predicted − actual) / actual */
  readonly totalRelativeError: number;
  readonly mae: number;
  readonly rmse: number;
  readonly spearman: number;
  /** normalised Gini of the ranking by predicted purchases (or value when spend is given) against the actual */
  readonly gini: number;
}

export interface ModelEvaluation {
  readonly model: PurchaseModelName;
  readonly label: string;
  readonly citation: string;
  readonly fitted: FittedModel;
  readonly holdout: HoldoutMetrics;
}

export interface TournamentResult {
  readonly evaluations: readonly ModelEvaluation[];
  readonly chosen: PurchaseModelName;
  /** why the chosen model won, in words */
  readonly reason: string;
  /** unique calibration tuples the models were fitted on */
  readonly tuples: number;
  readonly customers: number;
}

/** Fit on unique tuples, predict the holdout per customer, score. */
function evaluateModel(model: PurchaseModel, input: TournamentInput, compressed: ReturnType<typeof compressRfm>): ModelEvaluation {
  const fitted = model.fit(withPositiveAge(compressed.tuples), input.fitOptions);
  const perTuple = model.conditionalPurchasesAll(fitted.params, input.holdoutDuration, compressed.tuples);
  const predicted = new Float64Array(compressed.tupleOf.length);
  for (let i = 0; i < predicted.length; i++) predicted[i] = perTuple[compressed.tupleOf[i]!]!;
  let predictedTotal = 0;
  let actualTotal = 0;
  for (let i = 0; i < predicted.length; i++) {
    predictedTotal += predicted[i]!;
    actualTotal += input.holdoutPurchases[i]!;
  }
  let gini: number;
  if (input.holdoutSpend && input.spendPerPurchase) {
    const value = predicted.map((p, i) => p * input.spendPerPurchase![i]!);
    gini = normalizedGini(input.holdoutSpend, value);
  } else {
    gini = normalizedGini(input.holdoutPurchases, predicted);
  }
  return {
    model: model.name,
    label: model.label,
    citation: model.citation,
    fitted,
    holdout: {
      predictedTotal,
      actualTotal,
      totalRelativeError: actualTotal === 0 ? NaN : (predictedTotal - actualTotal) / actualTotal,
      mae: meanAbsoluteError(input.holdoutPurchases, predicted),
      rmse: rootMeanSquaredError(input.holdoutPurchases, predicted),
      spearman: spearmanCorrelation(input.holdoutPurchases, predicted),
      gini,
    },
  };
}

/**
 * Run the tournament. Models whose fit did not converge can only win when no
 * model converged, and the reason then says so.
 */
export function runModelTournament(input: TournamentInput): TournamentResult {
  const compressed = compressRfm(input.calibration);
  const names = input.models ?? PURCHASE_MODEL_NAMES;
  const evaluations = names.map((name) => evaluateModel(PURCHASE_MODELS[name], input, compressed));
  const byError = [...evaluations].sort((a, b) => a.holdout.mae - b.holdout.mae);
  const finiteErrors = (e: ModelEvaluation) => Object.values(e.fitted.stdErrors).every((v) => Number.isFinite(v));
  const converged = byError.filter((e) => e.fitted.fit.converged && Number.isFinite(e.holdout.mae));
  const identified = converged.filter(finiteErrors);
  const pool = identified.length > 0 ? identified : converged.length > 0 ? converged : byError;
  // Holdout errors within 1% of the best are a tie: the simpler explanation (lower BIC) wins, then the list order.
  const best = pool[0]!.holdout.mae;
  const tied = pool.filter((e) => e.holdout.mae <= best * 1.01);
  const winner = [...tied].sort((a, b) => a.fitted.bic - b.fitted.bic || names.indexOf(a.model) - names.indexOf(b.model))[0]!;
  const runnerUp = pool.find((e) => e !== winner);
  const caveats: string[] = [];
  if (converged.length === 0) caveats.push('no model converged: treat the predictions with care');
  else if (identified.length === 0) caveats.push('no calibration fit has finite standard errors (estimates at a boundary of the parameter space)');
  const excluded = evaluations.filter((e) => !pool.includes(e)).map((e) => `${e.label} (${!e.fitted.fit.converged ? 'did not converge' : 'standard errors not finite'})`);
  if (excluded.length > 0) caveats.push(`not eligible: ${excluded.join(', ')}`);
  const reason = [
    `${winner.label} has ${tied.length > 1 ? 'a holdout error within 1% of the best and the lowest BIC among those' : 'the smallest per-customer holdout error'} (MAE ${winner.holdout.mae.toFixed(4)}${runnerUp ? `; ${runnerUp.label} ${runnerUp.holdout.mae.toFixed(4)}` : ''})`,
    ...caveats,
  ].join('; ');
  return { evaluations, chosen: winner.model, reason, tuples: compressed.tuples.frequency.length, customers: compressed.tupleOf.length };
}

// ---------------------------------------------------------------------------
// diagnostics of one fitted model (the data behind the model card's plots)

export interface CalibrationHistogram {
  /** repeat-purchase counts 0, 1, …, maxCount−1 and a last bucket "maxCount+" */
  readonly labels: readonly string[];
  readonly actual: readonly number[];
  readonly expected: readonly number[];
}

/** Customers by calibration repeat count, actual vs expected from the model at each customer's own T (ages grouped, see groupAges). */
export function computeCalibrationHistogram(model: PurchaseModel, params: Record<string, number>, calibration: RfmData, maxCount = 7): CalibrationHistogram {
  const actual = new Array<number>(maxCount + 1).fill(0);
  const ages = new Map<number, number>();
  for (let i = 0; i < calibration.frequency.length; i++) {
    actual[Math.min(maxCount, calibration.frequency[i]!)]! += calibration.weight[i]!;
    ages.set(calibration.T[i]!, (ages.get(calibration.T[i]!) ?? 0) + calibration.weight[i]!);
  }
  const total = actual.reduce((a, b) => a + b, 0);
  const expected = new Array<number>(maxCount + 1).fill(0);
  for (const [T, count] of groupAges(ages, 120)) {
    for (let n = 0; n < maxCount; n++) expected[n]! += count * model.purchaseCountProbability(params, T, n);
  }
  expected[maxCount] = total - expected.slice(0, maxCount).reduce((a, b) => a + b, 0);
  const labels = Array.from({ length: maxCount + 1 }, (_, n) => (n === maxCount ? `${n}+` : String(n)));
  return { labels, actual, expected };
}

/**
 * Customer ages (T → customers) merged into at most `maxGroups` groups of
 * neighbouring ages, each at its customer-weighted mean age: P(X(T) = n)
 * changes slowly with T, and some models' P(X(T) = n) is costly.
 */
function groupAges(ages: Map<number, number>, maxGroups: number): Map<number, number> {
  if (ages.size <= maxGroups) return ages;
  const sorted = [...ages].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((sum, [, count]) => sum + count, 0);
  const grouped = new Map<number, number>();
  let count = 0;
  let weighted = 0;
  let filled = 0;
  for (const [T, n] of sorted) {
    count += n;
    weighted += T * n;
    filled += n;
    if (filled >= total / maxGroups) {
      grouped.set(weighted / count, (grouped.get(weighted / count) ?? 0) + count);
      count = weighted = filled = 0;
    }
  }
  if (count > 0) grouped.set(weighted / count, (grouped.get(weighted / count) ?? 0) + count);
  return grouped;
}

export interface ConditionalExpectation {
  /** calibration repeat counts 0 … maxCount−1 and "maxCount+" */
  readonly labels: readonly string[];
  readonly customers: readonly number[];
  /** mean holdout purchases per customer in the bucket */
  readonly actual: readonly number[];
  readonly expected: readonly number[];
}

/** Mean holdout purchases by calibration frequency: actual vs the model's conditional expectation. */
export function computeConditionalExpectation(
  model: PurchaseModel,
  params: Record<string, number>,
  calibration: RfmData,
  holdoutPurchases: Float64Array,
  holdoutDuration: number,
  maxCount = 7,
): ConditionalExpectation {
  const predicted = model.conditionalPurchasesAll(params, holdoutDuration, calibration);
  const customers = new Array<number>(maxCount + 1).fill(0);
  const actualSum = new Array<number>(maxCount + 1).fill(0);
  const expectedSum = new Array<number>(maxCount + 1).fill(0);
  for (let i = 0; i < calibration.frequency.length; i++) {
    const bucket = Math.min(maxCount, calibration.frequency[i]!);
    const w = calibration.weight[i]!;
    customers[bucket]! += w;
    actualSum[bucket]! += w * holdoutPurchases[i]!;
    expectedSum[bucket]! += w * predicted[i]!;
  }
  return {
    labels: Array.from({ length: maxCount + 1 }, (_, n) => (n === maxCount ? `${n}+` : String(n))),
    customers,
    actual: actualSum.map((s, k) => (customers[k] ? s / customers[k]! : NaN)),
    expected: expectedSum.map((s, k) => (customers[k] ? s / customers[k]! : NaN)),
  };
}

export interface TrackingSeries {
  /** period ends, in time units relative to the calibration end (negative: calibration) */
  readonly periodEnds: readonly number[];
  /** expected repeat purchases in each period, summed over customers */
  readonly expectedIncremental: readonly number[];
  readonly expectedCumulative: readonly number[];
}

/**
 * Expected repeat purchases of the whole base over calendar time:
 * Σ_customers E[X(τ + T_i)] for each period end τ (relative to the
 * calibration end; a customer contributes from their first purchase at −T_i).
 */
export function computeExpectedTracking(model: PurchaseModel, params: Record<string, number>, calibration: RfmData, periodEnds: readonly number[]): TrackingSeries {
  const ages = new Map<number, number>();
  for (let i = 0; i < calibration.T.length; i++) ages.set(calibration.T[i]!, (ages.get(calibration.T[i]!) ?? 0) + calibration.weight[i]!);
  const cumulative = periodEnds.map((tau) => {
    let sum = 0;
    for (const [T, count] of ages) {
      const age = tau + T;
      if (age > 0) sum += count * model.expectedPurchases(params, age);
    }
    return sum;
  });
  const incremental = cumulative.map((c, k) => c - (k === 0 ? 0 : cumulative[k - 1]!));
  return { periodEnds, expectedIncremental: incremental, expectedCumulative: cumulative };
}

export interface FrequencyRecencyMatrix {
  readonly T: number;
  /** rows: repeat counts */
  readonly frequency: readonly number[];
  /** columns: recency values (time units) */
  readonly recency: readonly number[];
  /** P(alive) per (frequency, recency); NaN where recency = 0 < frequency is impossible */
  readonly probabilityAlive: readonly (readonly number[])[];
  /** expected purchases in the next `horizon` time units */
  readonly expectedPurchases: readonly (readonly number[])[];
  readonly horizon: number;
}

/** P(alive) and expected purchases over a frequency × recency grid at a fixed customer age T. */
export function computeFrequencyRecencyMatrix(model: PurchaseModel, params: Record<string, number>, T: number, maxFrequency: number, horizon: number, recencySteps = 12): FrequencyRecencyMatrix {
  const frequency = Array.from({ length: maxFrequency + 1 }, (_, x) => x);
  const recency = Array.from({ length: recencySteps + 1 }, (_, k) => (T * k) / recencySteps);
  const rows = frequency.length * recency.length;
  const grid: RfmData = {
    frequency: new Float64Array(rows),
    recency: new Float64Array(rows),
    T: new Float64Array(rows).fill(T),
    weight: new Float64Array(rows).fill(1),
  };
  frequency.forEach((x, i) =>
    recency.forEach((r, j) => {
      grid.frequency[i * recency.length + j] = x;
      grid.recency[i * recency.length + j] = x === 0 ? 0 : r;
    }),
  );
  const alive = model.probabilityAliveAll(params, grid);
  const expected = model.conditionalPurchasesAll(params, horizon, grid);
  const shape = (values: Float64Array) =>
    frequency.map((x, i) => recency.map((r, j) => (x > 0 && r === 0 ? NaN : x === 0 && j > 0 ? NaN : values[i * recency.length + j]!)));
  return { T, frequency, recency, probabilityAlive: shape(alive), expectedPurchases: shape(expected), horizon };
}
