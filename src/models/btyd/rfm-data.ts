/**
 * RfmData handling shared by the continuous-time BTYD models: validation
 * with a `UserError` naming the first bad row, and the indexes of distinct
 * values that let a likelihood compute per-x and per-T terms once.
 */
import { UserError } from '../../core/errors/user-error.js';
import type { RfmData } from '../model-types.js';
import { sampleWeightedRows } from '../weighted-subsample.js';
import { indexValues, type ValueIndex } from './index-values.js';

/** A row as an error message names it (built only for a bad row: building it for every row took ~60 ms on 219k tuples). */
function describeRow(data: RfmData, i: number): string {
  return `row ${i} (frequency ${data.frequency[i]}, recency ${data.recency[i]}, T ${data.T[i]}, weight ${data.weight[i]})`;
}

/**
 * The rules of one RfmData row, each stated once, true when the row keeps it (NaN breaks every one): what
 * `validateRfmData` checks, and what `clvkit fit` checks of a summary file to name the file's lines
 * (fit-summary-checks.ts).
 */
export const RFM_ROW_RULES = {
  /** frequency: a whole number ≥ 0 */
  frequency: (x: number): boolean => x >= 0 && Number.isInteger(x),
  /** T: a finite number > 0 */
  T: (T: number): boolean => T > 0 && Number.isFinite(T),
  /** recency: 0 ≤ recency ≤ T */
  recency: (recency: number, T: number): boolean => recency >= 0 && recency <= T,
  /** weight: a finite number ≥ 0 */
  weight: (w: number): boolean => w >= 0 && Number.isFinite(w),
} as const;

/**
 * Checks RfmData for the continuous-time BTYD models and throws `UserError`
 * naming the first bad row: equal lengths, integer frequency ≥ 0,
 * 0 ≤ recency ≤ T, T > 0, finite weight ≥ 0 (`RFM_ROW_RULES`), positive total weight.
 */
export function validateRfmData(data: RfmData, model: string): void {
  const n = data.frequency.length;
  if (data.recency.length !== n || data.T.length !== n || data.weight.length !== n) {
    throw new UserError(
      `${model}: RfmData arrays differ in length (frequency ${n}, recency ${data.recency.length}, T ${data.T.length}, weight ${data.weight.length})`,
      'build RfmData with one entry per customer or per unique (frequency, recency, T) tuple in every array',
    );
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i]!, tx = data.recency[i]!, T = data.T[i]!, w = data.weight[i]!;
    if (!RFM_ROW_RULES.frequency(x)) {
      throw new UserError(`${model}: ${describeRow(data, i)}: frequency must be a whole number ≥ 0`, 'frequency counts repeat purchases');
    }
    if (!RFM_ROW_RULES.T(T)) {
      throw new UserError(`${model}: ${describeRow(data, i)}: T must be a finite number > 0`, 'T is the time from the first purchase to the end of the calibration period');
    }
    if (!RFM_ROW_RULES.recency(tx, T)) {
      throw new UserError(`${model}: ${describeRow(data, i)}: recency must satisfy 0 ≤ recency ≤ T`, 'recency is the time from the first to the last purchase');
    }
    if (!RFM_ROW_RULES.weight(w)) {
      throw new UserError(`${model}: ${describeRow(data, i)}: weight must be a finite number ≥ 0`, 'weights count the customers sharing a tuple');
    }
    total += w;
  }
  if (!(total > 0)) throw new UserError(`${model}: no customers (total weight ${total})`, 'check the calibration period filter');
}

/** Distinct values of `frequency` and, per row, the index of its value. */
export interface FrequencyIndex {
  readonly values: Float64Array;
  readonly rowIndex: Int32Array;
  /** summed weight per distinct value */
  readonly weight: Float64Array;
}

export { indexValues, type ValueIndex } from './index-values.js';

/**
 * Per-evaluation tables of log(α + v) and 1/(α + v) over the distinct values v
 * of T or recency: the likelihood row loops look them up instead of calling
 * Math.log per row (calendar-time data have few distinct values).
 */
export class ShiftedLogTable {
  readonly rowIndex: Int32Array;
  readonly log: Float64Array;
  readonly inverse: Float64Array;
  private readonly values: Float64Array;
  /** over the distinct values of `array`, or of an index already built (`indexRfmRows`) */
  constructor(array: Float64Array | ValueIndex) {
    const index = array instanceof Float64Array ? indexValues(array) : array;
    this.values = index.values;
    this.rowIndex = index.rowIndex;
    this.log = new Float64Array(index.values.length);
    this.inverse = new Float64Array(index.values.length);
  }
  update(alpha: number): void {
    const { values, log, inverse } = this;
    for (let k = 0; k < values.length; k++) {
      const v = alpha + values[k];
      log[k] = Math.log(v);
      inverse[k] = 1 / v;
    }
  }
}

/** The indexes of `indexRfmRows`, and the totals a start needs. */
export interface RfmRowIndex {
  readonly frequency: FrequencyIndex;
  readonly T: ValueIndex;
  readonly recency: ValueIndex;
  /** Σ weight, Σ weight·x, Σ weight·T (row order) */
  readonly totals: { readonly weight: number; readonly purchases: number; readonly exposure: number };
}

/**
 * `indexFrequencies`, `indexValues(T)`, `indexValues(recency)` and the weighted
 * totals, built once for a likelihood and its starts. (One fused pass was
 * tried: V8 compiled it on-stack and deoptimised it after the loop on every
 * call, several times slower than the separate passes.)
 */
export function indexRfmRows(data: RfmData): RfmRowIndex {
  return { frequency: indexFrequencies(data), T: indexValues(data.T), recency: indexValues(data.recency), totals: weightedTotals(data) };
}

/** Σ weight, Σ weight·x, Σ weight·T over the rows, in row order: the customers, repeat purchases and exposure a start needs. */
export function weightedTotals(data: RfmData): RfmRowIndex['totals'] {
  const { frequency, T, weight } = data;
  let total = 0, purchases = 0, exposure = 0;
  for (let i = 0; i < frequency.length; i++) {
    const w = weight[i]!;
    total += w;
    purchases += w * frequency[i]!;
    exposure += w * T[i]!;
  }
  return { weight: total, purchases, exposure };
}

export function indexFrequencies(data: RfmData): FrequencyIndex {
  const { values, rowIndex } = indexValues(data.frequency);
  const weight = new Float64Array(values.length);
  for (let i = 0; i < rowIndex.length; i++) weight[rowIndex[i]!] += data.weight[i]!;
  return { values, rowIndex, weight };
}

/** Rows (unique tuples) above which a BTYD fit screens its starts on a weighted subsample (see screen-starts.ts). */
export const SCREEN_ROWS_ABOVE = 40_000;
/** Rows in that subsample. */
export const SCREEN_ROWS = 8_000;

/** A weighted subsample of SCREEN_ROWS rows (Poisson sampling ∝ weight, Horvitz–Thompson weights; seeded). */
export function sampleRfmData(data: RfmData, target = SCREEN_ROWS, seed = 12): RfmData {
  const { rows, weight } = sampleWeightedRows(data.weight, target, seed);
  return pickRfmRows(data, rows, weight);
}

/** The rows of a weighted subsample (see weighted-subsample.ts) as RfmData. */
export function pickRfmRows(data: RfmData, rows: Int32Array, weight: Float64Array): RfmData {
  const pick = (values: Float64Array) => {
    const out = new Float64Array(rows.length);
    for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]!]!;
    return out;
  };
  return { frequency: pick(data.frequency), recency: pick(data.recency), T: pick(data.T), weight };
}
