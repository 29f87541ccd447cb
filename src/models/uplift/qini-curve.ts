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
  const cumulative = new Float64Array(n + 1);
  let yt = 0;
  let yc = 0;
  let nt = 0;
  let nc = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (treated[i] === 1) {
      yt += outcome[i]!;
      nt++;
    } else {
      yc += outcome[i]!;
      nc++;
    }
    cumulative[k + 1] = nc > 0 ? yt - (yc * nt) / nc : 0;
  }
  const total = cumulative[n]!;
  const fractions: number[] = [];
  const qini: number[] = [];
  const random: number[] = [];
  for (let j = 0; j <= points; j++) {
    const f = j / points;
    fractions.push(f);
    qini.push(cumulative[Math.round(f * n)]!);
    random.push(f * total);
  }
  let area = 0;
  for (let j = 1; j <= points; j++) area += ((qini[j]! - random[j]! + qini[j - 1]! - random[j - 1]!) / 2) * (1 / points);
  return { fractions, qini, random, area, coefficient: total === 0 ? 0 : area / Math.abs(total) };
}
