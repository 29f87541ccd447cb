import { suppressSeries } from '../privacy/disclosure/suppress-series.js';
import type { Suppression } from '../privacy/disclosure/suppress-linked-cells.js';
import { formatCompact } from './format-number.js';
import type { NumericColumn } from './report-data.js';

/** Customers and value by value band, bands on a 1-2-5 log scale. */
export interface ValueHistogram {
  /** band labels: `≤ 0` first (when any customer has no positive value), then `1–2`, `2–5`, `5–10`, … */
  readonly labels: readonly string[];
  /** lower band edges (exclusive; `-Infinity` for `≤ 0`) */
  readonly lower: readonly number[];
  /** upper band edges (inclusive) */
  readonly upper: readonly number[];
  /** customers per band */
  readonly customers: readonly number[];
  /** value of the band's customers ÷ the total positive value of all customers (≤ 0 for the `≤ 0` band) */
  readonly valueShare: readonly number[];
  /** customers counted (non-finite values are skipped) */
  readonly total: number;
}

/** A value histogram as the report shows it: bands of fewer than k customers null, `suppression` saying why. */
export type ShownValueHistogram = Omit<ValueHistogram, 'customers' | 'valueShare'> & {
  readonly customers: readonly (number | null)[];
  readonly valueShare: readonly (number | null)[];
  readonly suppression?: readonly Suppression[];
};

const STEPS = [1, 2, 5];

/** The 1-2-5 number at or below `value` (> 0): 0.37 → 0.2, 7 → 5, 10 → 10. */
function floorOneTwoFive(value: number): number {
  const decade = 10 ** Math.floor(Math.log10(value));
  let best = decade;
  for (const step of STEPS) if (step * decade <= value * (1 + 1e-12)) best = step * decade;
  return best;
}

function nextOneTwoFive(edge: number): number {
  const decade = 10 ** Math.floor(Math.log10(edge) + 1e-9);
  const mantissa = Math.round(edge / decade);
  return mantissa === 1 ? 2 * decade : mantissa === 2 ? 5 * decade : 10 * decade;
}

/**
 * Histogram of per-customer value on log-scale bands with 1-2-5 edges
 * (…, 1, 2, 5, 10, 20, …): the only honest picture of a value distribution
 * that spans five decades. Bands run from the 1-2-5 number at or below the
 * smallest positive value (but at most `maxBands` bands, dropping the
 * lowest: those customers join the first band) to the first edge ≥ the
 * largest value. Customers with value ≤ 0 (returns exceed purchases, or
 * free orders) get their own first band.
 *
 * Example: values `[0, 1.5, 3, 30]` → labels `['≤ 0', '1–2', '2–5', '5–10', '10–20', '20–50']`, customers `[1, 1, 1, 0, 0, 1]`.
 */
export function computeValueHistogram(values: NumericColumn, maxBands = 30): ValueHistogram {
  let minPositive = Infinity;
  let max = -Infinity;
  let nonPositive = 0;
  let nonPositiveSum = 0;
  let positiveSum = 0;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    total++;
    if (v <= 0) {
      nonPositive++;
      nonPositiveSum += v;
    } else {
      positiveSum += v;
      if (v < minPositive) minPositive = v;
      if (v > max) max = v;
    }
  }
  const edges: number[] = [];
  if (Number.isFinite(minPositive)) {
    edges.push(floorOneTwoFive(minPositive));
    while (edges[edges.length - 1]! < max * (1 - 1e-12)) edges.push(nextOneTwoFive(edges[edges.length - 1]!));
    if (edges.length === 1) edges.push(nextOneTwoFive(edges[0]!));
    while (edges.length - 1 > maxBands) edges.shift();
  }
  const bands = Math.max(0, edges.length - 1);
  const counts = new Array<number>(bands).fill(0);
  const sums = new Array<number>(bands).fill(0);
  const logEdges = edges.map((e) => Math.log10(e));
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v) || v <= 0) continue;
    // band b covers (edges[b], edges[b+1]]; the first band also takes everything at or below its lower edge
    const logV = Math.log10(v);
    let lo = 0;
    let hi = bands - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (logV <= logEdges[mid + 1]! + 1e-12) hi = mid;
      else lo = mid + 1;
    }
    counts[lo]!++;
    sums[lo]! += v;
  }
  const share = (sum: number) => (positiveSum > 0 ? sum / positiveSum : 0);
  const labels: string[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  const customers: number[] = [];
  const valueShare: number[] = [];
  if (nonPositive > 0) {
    labels.push('≤ 0');
    lower.push(-Infinity);
    upper.push(0);
    customers.push(nonPositive);
    valueShare.push(share(nonPositiveSum));
  }
  for (let b = 0; b < bands; b++) {
    labels.push(`${formatCompact(edges[b]!)}–${formatCompact(edges[b + 1]!)}`);
    lower.push(edges[b]!);
    upper.push(edges[b + 1]!);
    customers.push(counts[b]!);
    valueShare.push(share(sums[b]!));
  }
  return { labels, lower, upper, customers, valueShare, total };
}

/**
 * The histogram as the report shows it: a band of fewer than k customers
 * shows neither its count nor its value share, and since the bands add up to
 * all customers (`total`, printed), a second band is withheld with it until
 * the withheld bands hold at least k customers (`suppressSeries`). Empty
 * bands (0) stay.
 *
 * Example: customers `[1, 40, 9, 60]`, k = 5 → `[null, 40, null, 60]`.
 */
export function suppressValueHistogram(histogram: ValueHistogram, minGroupSize: number): ShownValueHistogram {
  const s = suppressSeries({ counts: histogram.customers, measures: { valueShare: histogram.valueShare } }, { minGroupSize });
  return { ...histogram, customers: s.counts, valueShare: s.measures.valueShare!, suppression: s.suppression };
}
