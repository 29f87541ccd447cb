/**
 * The Qini curve of an uplift ranking on data with a random control group
 * (Radcliffe 2007, "Using control groups to target on predicted lift",
 * Direct Marketing Analytics Journal 1(3)): customers sorted by predicted
 * uplift, best first; after the top n,
 *
 *   Q(n) = Y_T(n) − Y_C(n) · N_T(n) / N_C(n)
 *
 * (outcome sum of the treated among them minus that of the controls scaled
 * to the treated count; 0 while no control is among them): the incremental
 * outcome had the top n been targeted. Random targeting gives the straight
 * line from 0 to Q(N). The Qini coefficient is the area between the curve
 * and that line, as a share of the population (trapezoids over the grid),
 * divided by |Q(N)| when it is not 0 (so 0 = random, > 0 better than random).
 */
export interface QiniCurve {
  /** share of the population targeted, 0 … 1 */
  readonly fractions: readonly number[];
  readonly qini: readonly number[];
  readonly random: readonly number[];
  /** area between the curve and the random line (in units of the outcome × population share) */
  readonly area: number;
  /** area ÷ |Q(N)| (0 when Q(N) = 0) */
  readonly coefficient: number;
}

/** The Qini curve at `points` + 1 evenly spaced shares of the population (ties in score broken by input order). */
export function qiniCurve(score: ArrayLike<number>, treated: ArrayLike<number>, outcome: ArrayLike<number>, points = 20): QiniCurve {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b]! - score[a]! || a - b);
  const q = new Float64Array(points + 1);
  const area = qiniAtGrid(order, treated, outcome, qiniGrid(n, points), q);
  const total = q[points]!;
  const fractions = Array.from({ length: points + 1 }, (_, j) => j / points);
  return { fractions, qini: Array.from(q), random: fractions.map((f) => f * total), area, coefficient: total === 0 ? 0 : area / Math.abs(total) };
}

/** The positions of the curve's `points` + 1 evenly spaced shares among `n` customers (rounded). */
export function qiniGrid(n: number, points: number): Int32Array {
  return Int32Array.from({ length: points + 1 }, (_, j) => Math.round((j / points) * n));
}

/**
 * Q after the top `grid[j]` customers of `order` (customers best first), written into `q` (length = grid's), and the
 * area between it and the random line (trapezoids, as a share of the population). Allocation-free: the permutation
 * test (qini-permutation-test.ts) runs it once per shuffle.
 */
export function qiniAtGrid(order: ArrayLike<number>, treated: ArrayLike<number>, outcome: ArrayLike<number>, grid: ArrayLike<number>, q: Float64Array): number {
  const points = grid.length - 1;
  let yt = 0, yc = 0, nt = 0, nc = 0, j = 1;
  q[0] = 0;
  while (j <= points && grid[j] === 0) q[j++] = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (treated[i] === 1) {
      yt += outcome[i]!;
      nt++;
    } else {
      yc += outcome[i]!;
      nc++;
    }
    while (j <= points && grid[j] === k + 1) q[j++] = nc > 0 ? yt - (yc * nt) / nc : 0;
  }
  const total = q[points]!;
  let area = 0;
  for (let l = 1; l <= points; l++) area += ((q[l]! - (l / points) * total + q[l - 1]! - ((l - 1) / points) * total) / 2) * (1 / points);
  return area;
}
