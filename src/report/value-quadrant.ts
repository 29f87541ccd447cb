import { createRandom } from '../math/random.js';
import { suppressSeries } from '../privacy/disclosure/suppress-series.js';
import type { Suppression } from '../privacy/disclosure/suppress-linked-cells.js';
import { belowK } from '../privacy/disclosure/below-k.js';
import { roundTo } from './format-number.js';
import type { NumericColumn } from './report-data.js';

export type QuadrantKey = 'stars' | 'rising' | 'fading' | 'low';

/** One quadrant of historic × predicted value. */
export interface ValueQuadrantCell {
  readonly key: QuadrantKey;
  /** e.g. `Rising: low so far, high predicted` */
  readonly label: string;
  /** all customers in the quadrant (not only the drawn sample); null: suppressed (fewer than k, or protecting such a quadrant) */
  readonly customers: number | null;
  readonly historicValue: number | null;
  readonly predictedValue: number | null;
  /** why the numbers are null, or null */
  readonly suppression: Suppression;
  /** sampled points [historic, predicted] drawable on log axes (both > 0) */
  readonly points: readonly (readonly [number, number])[];
}

export interface ValueQuadrant {
  /** customers with historic value above this (the median) are "high so far" */
  readonly historicThreshold: number;
  /** customers with predicted value above this (the median) are "high predicted" */
  readonly predictedThreshold: number;
  readonly quadrants: readonly ValueQuadrantCell[];
  /** customers with both values finite */
  readonly total: number;
  /** customers drawn (a uniform random sample when there are more than the cap) */
  readonly sampled: number;
  /** drawn customers left out of the picture because a value is ≤ 0 (log axes) */
  readonly notDrawable: number;
  /** drawn customers left out because fewer than k customers share their neighbourhood (with k > 1) */
  readonly isolated: number;
}

/** The 1-2-5 log band of a positive value: …, [1, 2) → 0, [2, 5) → 1, [5, 10) → 2, [10, 20) → 3, … */
function logBand(value: number): number {
  const decade = Math.floor(Math.log10(value) + 1e-12);
  const mantissa = value / 10 ** decade;
  return 3 * decade + (mantissa >= 5 - 1e-9 ? 2 : mantissa >= 2 - 1e-9 ? 1 : 0);
}

/** Round to 2 significant digits: 1234.5 → 1200, 0.04567 → 0.046. */
function roundSignificant(value: number): number {
  return Number(value.toPrecision(2));
}

const LABELS: Readonly<Record<QuadrantKey, string>> = {
  stars: 'Stars: high so far, high predicted',
  rising: 'Rising: low so far, high predicted',
  fading: 'Fading: high so far, low predicted',
  low: 'Low: low so far, low predicted',
};

function median(values: Float64Array): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Historic vs predicted value per customer, split at the medians into four
 * quadrants (a value equal to the median counts as low). Counts and value
 * sums cover every customer; the points are a uniform random sample of at
 * most `maxPoints` customers (partial Fisher–Yates with `createRandom(seed)`,
 * so the same seed draws the same customers), rounded to 2 decimals.
 *
 * Small-group suppression (`minGroupSize` k > 1): a quadrant of fewer than k
 * customers shows no count or value, complementary with the smallest other
 * one (the quadrants add up to `total`) and draws no point; a drawn customer is left out
 * (`isolated`) unless at least k customers share their cell of the 1-2-5
 * log bands on both axes (no lone outlier is drawn), and points are rounded
 * to 2 significant digits, so a point stands for a neighbourhood, not for
 * one customer's exact values.
 */
export function computeValueQuadrant(historic: NumericColumn, predicted: NumericColumn, maxPoints = 5000, seed = 1, minGroupSize = 1): ValueQuadrant {
  const keep: number[] = [];
  for (let i = 0; i < historic.length; i++) if (Number.isFinite(historic[i]!) && Number.isFinite(predicted[i]!)) keep.push(i);
  const h = Float64Array.from(keep, (i) => historic[i]!);
  const p = Float64Array.from(keep, (i) => predicted[i]!);
  const historicThreshold = median(h);
  const predictedThreshold = median(p);
  const keyOf = (x: number, y: number): QuadrantKey => (x > historicThreshold ? (y > predictedThreshold ? 'stars' : 'fading') : y > predictedThreshold ? 'rising' : 'low');
  const cells = new Map<QuadrantKey, { customers: number; historicValue: number; predictedValue: number; points: [number, number][] }>();
  for (const key of ['stars', 'rising', 'fading', 'low'] as const) cells.set(key, { customers: 0, historicValue: 0, predictedValue: 0, points: [] });
  for (let j = 0; j < h.length; j++) {
    const cell = cells.get(keyOf(h[j]!, p[j]!))!;
    cell.customers++;
    cell.historicValue += h[j]!;
    cell.predictedValue += p[j]!;
  }
  const n = h.length;
  const sampleSize = Math.min(n, Math.max(0, Math.floor(maxPoints)));
  const order = new Int32Array(n);
  for (let j = 0; j < n; j++) order[j] = j;
  if (sampleSize < n) {
    const random = createRandom(seed);
    for (let j = 0; j < sampleSize; j++) {
      const k = j + random.integer(n - j);
      const t = order[j]!;
      order[j] = order[k]!;
      order[k] = t;
    }
  }
  const drawn = Array.from(order.subarray(0, sampleSize)).sort((a, b) => a - b);
  const suppress = minGroupSize > 1;
  const neighbourhood = (x: number, y: number) => `${logBand(x)}:${logBand(y)}`;
  const crowd = new Map<string, number>();
  if (suppress) for (let j = 0; j < n; j++) if (h[j]! > 0 && p[j]! > 0) crowd.set(neighbourhood(h[j]!, p[j]!), (crowd.get(neighbourhood(h[j]!, p[j]!)) ?? 0) + 1);
  let notDrawable = 0;
  let isolated = 0;
  for (const j of drawn) {
    const x = h[j]!;
    const y = p[j]!;
    if (x <= 0 || y <= 0) {
      notDrawable++;
      continue;
    }
    // the crowd counts the customer: one at least
    if (suppress && belowK(crowd.get(neighbourhood(x, y))!, minGroupSize)) {
      isolated++;
      continue;
    }
    cells.get(keyOf(x, y))!.points.push(suppress ? [roundSignificant(x), roundSignificant(y)] : [roundTo(x, 2) || x, roundTo(y, 2) || y]);
  }
  const quadrants = [...cells];
  const shown = suppress
    ? suppressSeries(
        { counts: quadrants.map(([, c]) => c.customers), measures: { historicValue: quadrants.map(([, c]) => c.historicValue), predictedValue: quadrants.map(([, c]) => c.predictedValue) } },
        { minGroupSize },
      )
    : null;
  return {
    historicThreshold,
    predictedThreshold,
    quadrants: quadrants.map(([key, c], i) => ({
      key,
      label: LABELS[key],
      customers: shown ? shown.counts[i]! : c.customers,
      historicValue: shown ? shown.measures.historicValue![i]! : c.historicValue,
      predictedValue: shown ? shown.measures.predictedValue![i]! : c.predictedValue,
      suppression: shown ? shown.suppression[i]! : null,
      // a suppressed quadrant draws no point: the points would show its customers, and their number its size
      points: shown && shown.suppression[i] !== null ? [] : c.points,
    })),
    total: n,
    sampled: sampleSize,
    notDrawable,
    isolated,
  };
}
