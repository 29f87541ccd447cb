/**
 * Treatment against control on per-customer outcomes that are 0 for most
 * customers (purchases, revenue, margin in a response window). A group is
 * given by its size and its *active* customers — those with a nonzero value
 * in some outcome — with their values, one array per outcome, so the work
 * grows with the buyers, not with the audience.
 *
 * - `permutationTest`: the two-sided Monte Carlo permutation (Fisher–Pitman)
 *   test of equal means, per outcome. Under the null hypothesis the group
 *   labels are exchangeable: each draw relabels the customers at random — the
 *   number of active customers falling in the control group is
 *   hypergeometric, which of them a uniform subset — and the p-value is
 *   (1 + draws at least as far from 0 as the observed difference) / (1 +
 *   draws). Its type-I error is the nominal one (up to Monte Carlo error)
 *   whatever the distribution and the group sizes, and a control group
 *   without a buyer is not taken as certain: relabellings put buyers in it.
 * - `twoPartBootstrap`: draws of each group's mean as share × mean among the
 *   active customers. The share from its Jeffreys posterior
 *   Beta(k + ½, n − k + ½), and at k = 0 from Beta(1, n), whose 97.5% point
 *   is the Clopper–Pearson upper limit 1 − 0.025^(1/n) (`shareDraw`): a group
 *   with no buyer still has an uncertain share, as wide as an exact interval
 *   says. The mean among the active by
 *   the Bayesian bootstrap (Rubin 1981: Dirichlet(1, …, 1) weights) over the
 *   group's active customers and one more drawn from both groups' (the
 *   spend of a buyer the group has not shown; its weight vanishes with many
 *   buyers). For a 0/1 outcome this is the Jeffreys interval of p₁ − p₂
 *   (with the Clopper–Pearson tail for a group with none or all).
 *
 * Above `EXACT_LIMIT` values a subset sum (permutation) or a weighted mean
 * (bootstrap) is drawn from the normal distribution with its exact mean and
 * variance (central limit theorem): the cost per draw stays bounded on
 * audiences with many buyers, where Welch's t was already accurate.
 *
 * Both sort the active customers first, so that the result does not depend on
 * the order the engine returned the rows in.
 */
import type { Random } from './random.js';
import { hypergeometricLogPmf } from './two-proportions.js';

/** One group: its size and, per outcome, the values of its active customers (aligned: index i is one customer). */
export interface ActiveCustomers {
  readonly n: number;
  readonly values: readonly ArrayLike<number>[];
}

/** Subsets and weighted means of more values than this are drawn from their normal approximation. */
export const EXACT_LIMIT = 1000;

/** The active customers' values, per outcome, in one order that does not depend on the input's (rows sorted by their values). */
function sortedRows(groups: readonly ActiveCustomers[]): Float64Array[] {
  const outcomes = groups[0]!.values.length;
  const rows: number[][] = [];
  for (const g of groups) {
    const k = g.values[0]?.length ?? 0;
    for (let i = 0; i < k; i++) rows.push(g.values.map((v) => v[i]!));
  }
  rows.sort((a, b) => {
    for (let o = 0; o < outcomes; o++) if (a[o] !== b[o]) return a[o]! - b[o]!;
    return 0;
  });
  return Array.from({ length: outcomes }, (_, o) => Float64Array.from(rows, (r) => r[o]!));
}

const sumOf = (values: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
};

/**
 * Two-sided permutation p-value of mean(treatment) = mean(control) for each
 * outcome, from `draws` random relabellings (p ≥ 1/(draws + 1)); 1 for an
 * outcome without a nonzero value. Differences within 1e-9 of the largest
 * possible one count as ties (sums in another order round differently).
 *
 * Example: `permutationTest({ n: 259, values: [fifteenOnes] }, { n: 29, values: [[]] }, createRandom(1), 9999)` → [≈ 0.38] (Fisher's exact: 0.378)
 */
export function permutationTest(treatment: ActiveCustomers, control: ActiveCustomers, random: Random, draws: number): number[] {
  const pooled = sortedRows([treatment, control]);
  const outcomes = pooled.length;
  const k = pooled[0]!.length;
  const nT = treatment.n;
  const nC = control.n;
  const population = nT + nC;
  const ones = new Array<number>(outcomes).fill(1);
  if (k === 0 || nT === 0 || nC === 0) return ones;
  const totals = pooled.map(sumOf);
  const observed = sortedRows([control]).map((c, o) => Math.abs((totals[o]! - sumOf(c)) / nT - sumOf(c) / nC));
  const thresholds = pooled.map((values, o) => {
    let scale = 0;
    for (let i = 0; i < k; i++) scale += Math.abs(values[i]!);
    return scale === 0 ? Infinity : observed[o]! - 1e-9 * (scale / Math.min(nT, nC));
  });
  // the subset-sum moments for the normal draws: population mean and variance of each outcome's k values
  const means = totals.map((t) => t / k);
  const variances = pooled.map((values, o) => sumOf(values.map((v) => (v - means[o]!) ** 2)) / k);
  // the number of active customers a random control group holds: Hypergeometric(N, k, n_C), by its CDF
  const low = Math.max(0, nC - (population - k));
  const high = Math.min(k, nC);
  const cdf = new Float64Array(high - low + 1);
  let acc = 0;
  for (let m = low; m <= high; m++) {
    acc += Math.exp(hypergeometricLogPmf(m, population, k, nC));
    cdf[m - low] = acc;
  }
  const index = Int32Array.from({ length: k }, (_, i) => i);
  const picked = new Float64Array(outcomes);
  const extreme = new Array<number>(outcomes).fill(0);
  for (let draw = 0; draw < draws; draw++) {
    const u = random.uniform() * acc;
    let a = 0;
    let b = cdf.length - 1;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (cdf[mid]! < u) a = mid + 1;
      else b = mid;
    }
    const m = low + a;
    // the sum of a uniform subset of m values (or of its complement, whichever is smaller)
    const picks = Math.min(m, k - m);
    picked.fill(0);
    if (picks > EXACT_LIMIT) {
      // sampling without replacement: mean picks·ȳ, variance picks·σ²·(k − picks)/(k − 1)
      // (one deviate for all outcomes: each keeps its own distribution, and proportional outcomes their p-value)
      const z = random.normal();
      for (let o = 0; o < outcomes; o++) picked[o] = picks * means[o]! + Math.sqrt((picks * variances[o]! * (k - picks)) / (k - 1)) * z;
    } else {
      for (let i = 0; i < picks; i++) {
        const j = i + random.integer(k - i);
        const swap = index[i]!;
        index[i] = index[j]!;
        index[j] = swap;
        for (let o = 0; o < outcomes; o++) picked[o] += pooled[o]![index[i]!]!;
      }
    }
    for (let o = 0; o < outcomes; o++) {
      const inControl = picks === m ? picked[o]! : totals[o]! - picked[o]!;
      if (Math.abs((totals[o]! - inControl) / nT - inControl / nC) >= thresholds[o]!) extreme[o]!++;
    }
  }
  return extreme.map((e, o) => (Number.isFinite(thresholds[o]!) ? (1 + e) / (1 + draws) : 1));
}

/**
 * `draws` draws of each group's mean per outcome (the two-part Bayesian
 * bootstrap of the file comment): `{ treatment, control }`, each one
 * Float64Array of draws per outcome. Without an active customer in either
 * group every draw is 0.
 */
export function twoPartBootstrap(treatment: ActiveCustomers, control: ActiveCustomers, random: Random, draws: number): { readonly treatment: Float64Array[]; readonly control: Float64Array[] } {
  const groups = [treatment, control] as const;
  const own = groups.map((g) => sortedRows([g]));
  const pooled = sortedRows(groups);
  const outcomes = pooled.length;
  const out = groups.map(() => Array.from({ length: outcomes }, () => new Float64Array(draws)));
  const kPooled = pooled[0]!.length;
  if (kPooled === 0) return { treatment: out[0]!, control: out[1]! };
  const weighted = new Float64Array(outcomes);
  for (let g = 0; g < 2; g++) {
    const values = own[g]!;
    const k = values[0]!.length;
    const n = groups[g]!.n;
    // the normal approximation's moments: mean and variance Σ(y − ȳ)²/(k(k+1)) of a Dirichlet(1, …, 1)-weighted mean
    const means = values.map((v) => sumOf(v) / Math.max(k, 1));
    const spreads = values.map((v, o) => Math.sqrt(sumOf(v.map((y) => (y - means[o]!) ** 2)) / (k * (k + 1))));
    for (let draw = 0; draw < draws; draw++) {
      const share = shareDraw(random, k, n);
      if (k > EXACT_LIMIT) {
        const z = random.normal();
        for (let o = 0; o < outcomes; o++) out[g]![o]![draw] = share * (means[o]! + spreads[o]! * z);
        continue;
      }
      // Dirichlet(1, …, 1) weights: normalised standard exponentials; the first on a customer drawn from both groups
      let weight = random.exponential(1);
      const extra = random.integer(kPooled);
      for (let o = 0; o < outcomes; o++) weighted[o] = weight * pooled[o]![extra]!;
      for (let i = 0; i < k; i++) {
        const e = random.exponential(1);
        weight += e;
        for (let o = 0; o < outcomes; o++) weighted[o] += e * values[o]![i]!;
      }
      for (let o = 0; o < outcomes; o++) out[g]![o]![draw] = (share * weighted[o]!) / weight;
    }
  }
  return { treatment: out[0]!, control: out[1]! };
}

/**
 * One draw of a group's share of active customers, k of n: from the Jeffreys posterior Beta(k + ½, n − k + ½), except
 * at k = 0 (k = n), where its upper (lower) tail is too short — Brown, Cai & DasGupta (2001) replace the Jeffreys
 * limit there by the Clopper–Pearson one — from Beta(1, n) (Beta(n, 1)), whose 97.5% point is that limit,
 * 1 − 0.025^(1/n). With Jeffreys at 0 of 184 a difference's interval excluded 0 in 38% of the null evaluations whose
 * control bought nothing.
 */
export function shareDraw(random: Random, k: number, n: number): number {
  if (k === 0) return random.beta(1, n);
  if (k === n) return random.beta(n, 1);
  return random.beta(k + 0.5, n - k + 0.5);
}

/** The q-quantile of `values` (linear interpolation between order statistics, R's type 7); sorts a copy. */
export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileOfSorted(Float64Array.from(values).sort(), q);
}

/** The central interval of `values` leaving `tail` out on each side: its `tail` and 1 − `tail` quantiles, from one sort. */
export function percentileInterval(values: ArrayLike<number>, tail: number): [number, number] {
  const sorted = Float64Array.from(values).sort();
  return [quantileOfSorted(sorted, tail), quantileOfSorted(sorted, 1 - tail)];
}

function quantileOfSorted(s: Float64Array, q: number): number {
  if (s.length === 0) return NaN;
  const h = (s.length - 1) * q;
  const i = Math.floor(h);
  return i + 1 < s.length ? s[i]! + (h - i) * (s[i + 1]! - s[i]!) : s[i]!;
}
