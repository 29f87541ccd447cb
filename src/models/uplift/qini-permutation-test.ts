/**
 * Is an uplift ranking's Qini area more than chance gives? A permutation
 * test of the null "the scores carry no information about uplift": the
 * scores are shuffled across the customers (their treatment and outcome
 * stay), the Qini area (`qiniCurve`'s, same grid, ties broken by input
 * order) is computed for each shuffle, and the one-sided p-value is
 *
 *   p = (1 + #{shuffles with area ≥ observed}) / (1 + shuffles)
 *
 * (Phipson & Smyth 2010, "Permutation p-values should never be zero"). When
 * all n! orders are no more than the shuffles asked for, they are enumerated
 * and p = #{orders with area ≥ observed} / n! exactly (the observed order is
 * one of them).
 *
 * Several rankings of the same customers (the learners, of which the one
 * with the largest area is chosen) are tested together: each shuffle moves
 * every ranking's scores by the same permutation, and the p-value of the
 * choice compares the largest observed area with the largest area of each
 * shuffle (a max-statistic test, Westfall & Young 1993), so picking the
 * better of two learners does not double the chance of passing by luck.
 *
 * Cost: O(shuffles × rankings × n) on typed arrays (a sort only inside
 * blocks of tied scores).
 */
import type { Random } from '../../math/random.js';
import { shuffleInPlace } from '../../math/shuffle.js';
import { qiniAtGrid, qiniGrid } from './qini-curve.js';

export interface QiniPermutationTest {
  readonly test: 'permutation';
  /** shuffles drawn, or n! when every order was enumerated */
  readonly permutations: number;
  /** every order of the customers was enumerated (p exact) */
  readonly exhaustive: boolean;
  /** each ranking's observed Qini area (as `qiniCurve(...).area`) */
  readonly areas: readonly number[];
  /** each ranking's own one-sided p-value */
  readonly pValues: readonly number[];
  /** p-value of the largest observed area against the largest area of each shuffle */
  readonly pValue: number;
}

export interface QiniPermutationOptions {
  /** the seeded generator the shuffles are drawn from */
  readonly random: Random;
  /** shuffles (default 999) */
  readonly permutations?: number;
  /** grid of the Qini curve (default 20, as `qiniCurve`) */
  readonly points?: number;
}

/** A ranking (customers by score, best first, ties by input order) and its blocks of tied scores. */
function ranking(score: ArrayLike<number>, n: number): { order: Int32Array; ties: number[] } {
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b]! - score[a]! || a - b);
  const ties: number[] = [];
  for (let k = 1; k < n; ) {
    if (score[order[k]!] !== score[order[k - 1]!]) {
      k++;
      continue;
    }
    const start = k - 1;
    while (k < n && score[order[k]!] === score[order[start]!]) k++;
    ties.push(start, k);
  }
  return { order, ties };
}

export function qiniPermutationTest(scores: readonly ArrayLike<number>[], treated: ArrayLike<number>, outcome: ArrayLike<number>, options: QiniPermutationOptions): QiniPermutationTest {
  const n = treated.length;
  const points = options.points ?? 20;
  const wanted = Math.max(1, Math.trunc(options.permutations ?? 999));
  const t = Uint8Array.from({ length: n }, (_, i) => (treated[i] === 1 ? 1 : 0));
  const y = Float64Array.from(outcome);
  const grid = qiniGrid(n, points);
  let scale = 1;
  for (let i = 0; i < n; i++) scale += Math.abs(y[i]!);
  const tolerance = 1e-10 * scale; // areas equal but for rounding count as equal
  const ranked = scores.map((s) => ranking(s, n));
  const q = new Float64Array(points + 1);
  /** the Qini area of the customers in `order`, as qiniCurve computes it */
  const area = (order: Int32Array): number => qiniAtGrid(order, t, y, grid, q);
  const observed = ranked.map((r) => area(r.order));
  const best = Math.max(...observed);
  const above = new Float64Array(ranked.length);
  let aboveBest = 0;
  const shuffled = new Int32Array(n);
  /** scores moved by the permutation: the customer at rank k is rho[order[k]] (ties re-sorted by input order) */
  const count = (rho: Int32Array) => {
    let max = -Infinity;
    for (let l = 0; l < ranked.length; l++) {
      const { order, ties } = ranked[l]!;
      for (let k = 0; k < n; k++) shuffled[k] = rho[order[k]!]!;
      for (let b = 0; b < ties.length; b += 2) shuffled.subarray(ties[b]!, ties[b + 1]!).sort();
      const a = area(shuffled);
      if (a >= observed[l]! - tolerance) above[l]!++;
      if (a > max) max = a;
    }
    if (max >= best - tolerance) aboveBest++;
  };
  const rho = Int32Array.from({ length: n }, (_, i) => i);
  let factorial = 1;
  for (let k = 2; k <= n && factorial <= wanted; k++) factorial *= k;
  if (factorial <= wanted) {
    // every order (Heap's algorithm), the observed one included: p exact
    const c = new Int32Array(n);
    count(rho);
    for (let i = 1; i < n; ) {
      if (c[i]! < i) {
        const j = i % 2 === 0 ? 0 : c[i]!;
        [rho[j], rho[i]] = [rho[i]!, rho[j]!];
        count(rho);
        c[i]!++;
        i = 1;
      } else {
        c[i] = 0;
        i++;
      }
    }
    return { test: 'permutation', permutations: factorial, exhaustive: true, areas: observed, pValues: Array.from(above, (a) => a / factorial), pValue: aboveBest / factorial };
  }
  for (let s = 0; s < wanted; s++) {
    // Fisher–Yates on the previous permutation: uniform again
    count(shuffleInPlace(rho, options.random));
  }
  return { test: 'permutation', permutations: wanted, exhaustive: false, areas: observed, pValues: Array.from(above, (a) => (1 + a) / (1 + wanted)), pValue: (1 + aboveBest) / (1 + wanted) };
}
