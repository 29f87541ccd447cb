/**
 * P(alive) and expected purchases over a frequency × recency grid at one
 * customer age (Fader, Hardie & Lee 2005, Figure 5-style iso-value plots).
 */
import type { RfmData } from '../model-types.js';
import type { PurchaseFit, PurchaseModel } from '../btyd/purchase-models.js';

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
export function computeFrequencyRecencyMatrix(model: PurchaseModel, fit: PurchaseFit, T: number, maxFrequency: number, horizon: number, recencySteps = 12): FrequencyRecencyMatrix {
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
  const alive = model.probabilityAliveAll(fit, grid);
  const expected = model.conditionalPurchasesAll(fit, horizon, grid);
  const shape = (values: Float64Array) =>
    frequency.map((x, i) => recency.map((r, j) => (x > 0 && r === 0 ? NaN : x === 0 && j > 0 ? NaN : values[i * recency.length + j]!)));
  return { T, frequency, recency, probabilityAlive: shape(alive), expectedPurchases: shape(expected), horizon };
}
