/**
 * Customer lifetime value over a finite horizon, generic over the purchase
 * model: CLV = Σ_k [E(t_k) − E(t_{k−1})] · spend · margin / (1 + d)^{t_k / year},
 * where E(t) is the model's conditional expected number of purchases in
 * (T, T+t] (BG/NBD, MBG/NBD, Pareto/NBD, …), spend the expected spend per
 * purchase (e.g. Gamma-Gamma), d the annual discount rate and t_k the end of
 * the k-th step of the grid 0 < t_1 < … < t_K = horizon. Cash flows of a step
 * are discounted at the step's end, as in Fader, Hardie & Lee (2005, JMR
 * 42(4)) "RFM and CLV" and the `lifetimes` `customer_lifetime_value`; a finer
 * step approaches continuous discounting.
 *
 * Intervals: `predictClvIntervals` propagates parameter uncertainty only
 * (not the Poisson/dropout randomness of an individual's future): it draws
 * log-parameters from N(log θ̂, covarianceLog) of each fitted model
 * (Laplace/delta approximation of the sampling distribution of the MLE),
 * recomputes CLV per draw and reports per-customer quantiles. Seeded and
 * reproducible.
 */
import { UserError } from '../core/errors/user-error.js';
import { createRandom } from '../math/random.js';
import { createMultivariateNormalSampler } from '../math/normal.js';
import { DAYS_PER_UNIT, DAYS_PER_YEAR, type TimeUnit } from '../core/time-unit.js';
import type { FittedModel } from './model-types.js';

const perUnit = (f: (days: number) => number) => ({ hour: f(DAYS_PER_UNIT.hour), day: f(DAYS_PER_UNIT.day), week: f(DAYS_PER_UNIT.week), month: f(DAYS_PER_UNIT.month) });

/** Length of one time unit in years (Julian year of 365.25 days): 1/365.25, 7/365.25, 1/12. */
export const YEARS_PER_TIME_UNIT: Readonly<Record<TimeUnit, number>> = perUnit((days) => days / DAYS_PER_YEAR);

/** One month expressed in each time unit (the default discounting step): 30.4375, 30.4375/7, 1. */
const MONTH_IN_TIME_UNIT: Readonly<Record<TimeUnit, number>> = perUnit((days) => DAYS_PER_UNIT.month / days);

export interface ClvScheduleOptions {
  /** annual discount rate, e.g. 0.1 for 10 % a year (default 0); must be > −1 */
  discountRatePerYear?: number;
  /** horizon, in `timeUnit`s (finite, > 0) */
  horizon: number;
  /** time unit of `horizon`, `step` and of the purchase model */
  timeUnit: TimeUnit;
  /** grid step in `timeUnit`s (default one month); the last step ends at the horizon */
  step?: number;
}

export interface ClvOptions extends ClvScheduleOptions {
  /** E(t): expected purchases in (T, T+t], t in `timeUnit`s; E(0) = 0 */
  expectedPurchases: (t: number) => number;
  /** expected spend per purchase (currency) */
  spendPerPurchase: number;
  /** fraction of spend kept as profit (default 1) */
  margin?: number;
}

interface ClvAllCommon extends ClvScheduleOptions {
  /** expected spend per purchase, per customer or one for all */
  spendPerPurchase: ArrayLike<number> | number;
  /** fraction of spend kept as profit (default 1) */
  margin?: number;
}

/** E(t) per step end, or at every step end in one call (a purchase model's `conditionalPurchasesAtAll`, which computes each customer's P(alive) once, not once per step). */
export type ClvAllOptions = ClvAllCommon & (
  | {
    /** E(t) for every customer at once: expected purchases in (T, T+t] */
    expectedPurchasesAll: (t: number) => Float64Array;
  }
  | {
    /** E(t_k) for every customer at every step end t_k of the schedule, one array per step, in order */
    expectedPurchasesAtAll: (times: Float64Array) => readonly Float64Array[];
  }
);

export interface ClvSchedule {
  /** step ends t_1 < … < t_K = horizon (time units) */
  readonly times: Float64Array;
  /** discount factor (1 + d)^{−t_k in years} at each step end */
  readonly discountFactors: Float64Array;
}

/** The time grid and discount factors; throws `UserError` for invalid options. */
export function createClvSchedule(options: ClvScheduleOptions): ClvSchedule {
  const { horizon, timeUnit } = options;
  const rate = options.discountRatePerYear ?? 0;
  if (!(timeUnit in YEARS_PER_TIME_UNIT)) {
    throw new UserError(`CLV: unknown time unit ${String(timeUnit)}`, "use 'hour', 'day', 'week' or 'month'");
  }
  const step = options.step ?? MONTH_IN_TIME_UNIT[timeUnit];
  if (!(horizon > 0) || !Number.isFinite(horizon)) throw new UserError(`CLV: horizon must be a finite number > 0, got ${horizon}`, 'e.g. a horizon of 12 months');
  if (!(step > 0) || !Number.isFinite(step)) throw new UserError(`CLV: step must be a finite number > 0, got ${step}`);
  if (!(rate > -1) || !Number.isFinite(rate)) throw new UserError(`CLV: discountRatePerYear must be > −1, got ${rate}`, 'e.g. 0.1 for 10 % a year');
  const count = Math.ceil(horizon / step - 1e-9);
  if (count > 1_000_000) throw new UserError(`CLV: ${count} steps is too many`, 'use a coarser step');
  const times = new Float64Array(count);
  const discountFactors = new Float64Array(count);
  const logBase = Math.log1p(rate);
  const years = YEARS_PER_TIME_UNIT[timeUnit];
  for (let k = 0; k < count; k++) {
    const t = k === count - 1 ? horizon : (k + 1) * step;
    times[k] = t;
    discountFactors[k] = Math.exp(-logBase * t * years);
  }
  return { times, discountFactors };
}

/**
 * CLV of one customer: discounted expected margin over the horizon.
 * Increments of E(t) below zero (rounding) count as zero; NaN propagates.
 */
export function predictClv(options: ClvOptions): number {
  const { times, discountFactors } = createClvSchedule(options);
  const margin = options.margin ?? 1;
  let previous = 0;
  let discountedPurchases = 0;
  for (let k = 0; k < times.length; k++) {
    const cumulative = options.expectedPurchases(times[k]);
    const increment = cumulative - previous;
    discountedPurchases += (increment < 0 ? 0 : increment) * discountFactors[k];
    previous = cumulative;
  }
  return discountedPurchases * options.spendPerPurchase * margin;
}

/** CLV of many customers at once (one model evaluation per grid point for all customers). */
export function predictClvAll(options: ClvAllOptions): Float64Array {
  const { times, discountFactors } = createClvSchedule(options);
  const margin = options.margin ?? 1;
  let previous: Float64Array | null = null;
  let discounted: Float64Array | null = null;
  const atAll = 'expectedPurchasesAtAll' in options ? options.expectedPurchasesAtAll(times) : null;
  const at = 'expectedPurchasesAll' in options ? options.expectedPurchasesAll : null;
  for (let k = 0; k < times.length; k++) {
    const cumulative = atAll ? atAll[k]! : at!(times[k]);
    if (discounted === null) discounted = new Float64Array(cumulative.length);
    for (let i = 0; i < cumulative.length; i++) {
      const increment = cumulative[i] - (previous === null ? 0 : previous[i]);
      discounted[i] += (increment < 0 ? 0 : increment) * discountFactors[k];
    }
    previous = cumulative;
  }
  const out = discounted ?? new Float64Array(0);
  const spend = options.spendPerPurchase;
  for (let i = 0; i < out.length; i++) out[i] *= (typeof spend === 'number' ? spend : spend[i]) * margin;
  return out;
}

// ---------------------------------------------------------------------------
// parameter-uncertainty intervals

/** Draws one parameter set of a fitted model for the current simulation draw. */
export type ParameterSample = <P extends Record<string, number>>(model: FittedModel<P>) => P;

export interface ClvIntervalOptions {
  /** number of parameter draws (default 200) */
  draws?: number;
  seed: number;
  /** central interval level (default 0.95) */
  level?: number;
  /**
   * Per-customer CLV for one parameter draw. Call `sample(model)` for every
   * fitted model the CLV depends on (e.g. BG/NBD and Gamma-Gamma); within a
   * draw the same model always gives the same params, and models are drawn
   * independently of each other (they are fitted separately).
   */
  evaluate: (sample: ParameterSample) => Float64Array;
}

export interface ClvIntervals {
  readonly level: number;
  readonly draws: number;
  /** per customer: mean, median and the central interval over the draws */
  readonly mean: Float64Array;
  readonly median: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** number of (draw, customer) values that were not finite and were left out */
  readonly nonFiniteValues: number;
}

/** Type-7 (linear interpolation) quantile of sorted values. */
function quantileSorted(sorted: Float64Array, probability: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * probability;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Per-customer CLV intervals from parameter uncertainty: for each of `draws`
 * draws, log-params ~ N(log θ̂, covarianceLog) for every model the callback
 * samples, natural params = exp(draw), CLV recomputed. Non-finite CLV values
 * are left out of that customer's summary; a customer with fewer than half
 * finite draws gets NaN. A model with a NaN covariance (singular
 * information) yields NaN params and hence NaN intervals — never falsely
 * narrow ones. Memory: draws × customers × 8 bytes.
 */
export function predictClvIntervals(options: ClvIntervalOptions): ClvIntervals {
  const draws = options.draws ?? 200;
  const level = options.level ?? 0.95;
  if (!(draws >= 2) || !Number.isInteger(draws)) throw new UserError(`CLV intervals: draws must be a whole number ≥ 2, got ${draws}`);
  if (!(level > 0 && level < 1)) throw new UserError(`CLV intervals: level must be in (0, 1), got ${level}`, 'e.g. 0.95');
  const random = createRandom(options.seed);
  const samplers = new Map<FittedModel<Record<string, number>>, () => Float64Array>();
  let perDraw = new Map<FittedModel<Record<string, number>>, Record<string, number>>();

  const sample: ParameterSample = <P extends Record<string, number>>(model: FittedModel<P>): P => {
    const key = model as unknown as FittedModel<Record<string, number>>;
    const cached = perDraw.get(key);
    if (cached !== undefined) return cached as P;
    const names = Object.keys(model.params);
    let sampler = samplers.get(key);
    if (sampler === undefined) {
      const mean = names.map((name) => Math.log(model.params[name]));
      sampler = createMultivariateNormalSampler(mean, model.covarianceLog, random);
      samplers.set(key, sampler);
    }
    const logParams = sampler();
    const params: Record<string, number> = {};
    names.forEach((name, i) => {
      params[name] = Math.exp(logParams[i]);
    });
    perDraw.set(key, params);
    return params as P;
  };

  let values: Float64Array | null = null;
  let customers = 0;
  for (let d = 0; d < draws; d++) {
    perDraw = new Map();
    const clv = options.evaluate(sample);
    if (values === null) {
      customers = clv.length;
      values = new Float64Array(customers * draws);
    } else if (clv.length !== customers) {
      throw new RangeError(`CLV intervals: draw ${d} returned ${clv.length} values, the first returned ${customers}`);
    }
    for (let i = 0; i < customers; i++) values[i * draws + d] = clv[i];
  }

  const mean = new Float64Array(customers);
  const median = new Float64Array(customers);
  const lower = new Float64Array(customers);
  const upper = new Float64Array(customers);
  let nonFiniteValues = 0;
  const buffer = new Float64Array(draws);
  for (let i = 0; i < customers; i++) {
    let count = 0;
    let sum = 0;
    for (let d = 0; d < draws; d++) {
      const v = values![i * draws + d];
      if (Number.isFinite(v)) {
        buffer[count++] = v;
        sum += v;
      } else {
        nonFiniteValues++;
      }
    }
    if (count * 2 < draws) {
      mean[i] = median[i] = lower[i] = upper[i] = NaN;
      continue;
    }
    const sorted = buffer.subarray(0, count).sort();
    mean[i] = sum / count;
    median[i] = quantileSorted(sorted, 0.5);
    lower[i] = quantileSorted(sorted, (1 - level) / 2);
    upper[i] = quantileSorted(sorted, (1 + level) / 2);
  }
  return { level, draws, mean, median, lower, upper, nonFiniteValues };
}
