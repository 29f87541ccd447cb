import type { NumericColumn } from './report-data.js';

/** How concentrated value is: the Pareto (cumulative value) curve and its key points. */
export interface ValueConcentration {
  readonly customers: number;
  /** net value of all customers */
  readonly totalValue: number;
  /** x of the curve: share of customers, ranked by value, highest first (0, 0.005, …, 1) */
  readonly customerShare: readonly number[];
  /** y of the curve: their share of the total value */
  readonly valueShare: readonly number[];
  /** value share of the top 1%, 5%, 10%, 20% and 50% of customers (top k = ceil(share × n), as the headline stats) */
  readonly top: readonly { readonly customerShare: number; readonly valueShare: number }[];
  /** Gini coefficient of value clipped at 0 (0 = everyone equal, → 1 = one customer has it all) */
  readonly gini: number;
}

/**
 * A ValueConcentration as JSON carries it (`GET /api/value`): JSON has no NaN, so a figure that is not a number is
 * null — a top share withheld (its customers are not a point of the suppressed curve), a Gini that cannot be computed
 * (no customer with a positive value), the curve's points when the customers' value sums to 0.
 */
export type JsonValueConcentration = Omit<ValueConcentration, 'valueShare' | 'top' | 'gini'> & {
  readonly valueShare: readonly (number | null)[];
  readonly top: readonly { readonly customerShare: number; readonly valueShare: number | null }[];
  readonly gini: number | null;
};

/** `concentration` with its NaN figures as null, as JSON.stringify would send them, so that the type says so. */
export function jsonSafeConcentration(concentration: ValueConcentration): JsonValueConcentration {
  const orNull = (v: number) => (Number.isNaN(v) ? null : v);
  return {
    ...concentration,
    valueShare: concentration.valueShare.map(orNull),
    top: concentration.top.map((t) => ({ customerShare: t.customerShare, valueShare: orNull(t.valueShare) })),
    gini: orNull(concentration.gini),
  };
}

const TOP_SHARES = [0.01, 0.05, 0.1, 0.2, 0.5];

/**
 * The Pareto curve of per-customer value: customers sorted by value, highest
 * first; the curve at x gives the share of the total net value held by the
 * top x of customers, at `points` evenly spaced x (the top-k count is
 * ceil(x·n), the convention of `computeHeadlineStats`). Negative values
 * (returns exceeding purchases) stay in: the curve can pass 100% and come
 * back. Non-finite values are skipped. Gini uses max(value, 0) with the
 * sorted-order formula G = 2·Σ i·v₍ᵢ₎ / (n·Σ v) − (n + 1)/n (ascending, i from 1);
 * NaN when there are no customers or no positive value.
 *
 * Small-group suppression (`minGroupSize` k > 1): the difference of two
 * points of the curve is the value of the customers between them, so the
 * curve gets at most `concentrationPoints(n, k)` points, at least k customers
 * apart; a top share is NaN (withheld) unless its customers are a point of
 * that curve (then it is at least k customers from every other point).
 */
export function computeValueConcentration(values: NumericColumn, points = 201, minGroupSize = 1): ValueConcentration {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) n++;
  if (minGroupSize > 1) points = Math.min(points, concentrationPoints(n, minGroupSize));
  const sorted = new Float64Array(n);
  for (let i = 0, j = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) sorted[j++] = values[i]!;
  sorted.sort();
  // prefix sums from the top: topSum[k] = value of the k highest
  const topSum = new Float64Array(n + 1);
  for (let k = 1; k <= n; k++) topSum[k] = topSum[k - 1]! + sorted[n - k]!;
  const totalValue = topSum[n]!;
  const shareOfTop = (x: number) => (totalValue === 0 ? NaN : topSum[Math.min(n, Math.ceil(x * n - 1e-9))]! / totalValue);
  const customerShare = Array.from({ length: points }, (_, k) => k / (points - 1));
  const onCurve = (x: number) => minGroupSize <= 1 || Math.abs(x * (points - 1) - Math.round(x * (points - 1))) < 1e-9;
  let weighted = 0;
  let positive = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.max(0, sorted[i]!);
    weighted += (i + 1) * v;
    positive += v;
  }
  return {
    customers: n,
    totalValue,
    customerShare,
    valueShare: customerShare.map(shareOfTop),
    top: TOP_SHARES.map((x) => ({ customerShare: x, valueShare: onCurve(x) ? shareOfTop(x) : Number.NaN })),
    gini: n === 0 || positive === 0 ? NaN : (2 * weighted) / (n * positive) - (n + 1) / n,
  };
}

/**
 * Points of a Pareto curve of `n` customers whose neighbours are at least
 * k customers apart: one more than the number of steps, the steps a
 * multiple of 10 when there are 10 or more (so the top 10%, 20% and 50% fall
 * on the curve), at most 200; 2 (the origin and everyone) for fewer than 2k
 * customers.
 *
 * Example: `concentrationPoints(4334, 5)` → 201, `concentrationPoints(300, 5)` → 61, `concentrationPoints(30, 5)` → 7.
 */
export function concentrationPoints(n: number, minGroupSize: number): number {
  const steps = Math.min(200, Math.floor(n / minGroupSize));
  if (steps < 2) return 2;
  return (steps >= 10 ? steps - (steps % 10) : steps) + 1;
}

/**
 * The per-customer value the report's concentration figures rank and share, and its name: historic value
 * (net spend − cost) when it differs from net spend for some customer, else net spend, named "net revenue" as the
 * overview names it — so a share said on the same base is one computation and one number (a QA pass read 65.4%,
 * 65.5% and 66% for "the top 20%" in three places, on two bases none of which was named).
 *
 * Example: no cost known → `{ values: totalSpend, name: 'net revenue' }`.
 */
export function reportValueBasis(customers: { readonly totalSpend: NumericColumn; readonly historicValue?: NumericColumn }): { readonly values: NumericColumn; readonly name: string } {
  const { totalSpend, historicValue } = customers;
  if (!historicValue) return { values: totalSpend, name: 'net revenue' };
  const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));
  let differs = historicValue.length !== totalSpend.length;
  for (let i = 0; !differs && i < historicValue.length; i++) differs = !same(historicValue[i]!, totalSpend[i]!);
  return differs ? { values: historicValue, name: 'historic value (net spend − cost)' } : { values: totalSpend, name: 'net revenue' };
}

/** Value share of the top `customerShare` of customers in a concentration (NaN when withheld or absent). */
export function topValueShare(concentration: ValueConcentration, customerShare: number): number {
  return concentration.top.find((t) => t.customerShare === customerShare)?.valueShare ?? Number.NaN;
}
