/**
 * Lift and cumulative gain by decile of a score: customers sorted by the
 * score, highest first, cut into ten groups of (nearly) equal size; per
 * group the mean outcome, its lift (group mean ÷ overall mean) and the
 * cumulative gain (share of the total outcome held by this and the higher
 * groups). A score that ranks no better than chance has lift ≈ 1 in every
 * decile and gains on the diagonal (10%, 20%, …).
 *
 * Tied scores carry no order: each customer of a tie counts with the mean
 * outcome of the tie, so a tie split across deciles gives each the same mean
 * (a constant score: lift 1 everywhere, as its AUC of 0.5 says), whatever
 * the row order. The outcome may be a count (purchases) or 0/1 (churned).
 *
 * Example: `computeDecileLift([0, 0, 1, 1, 0, 0, 0, 0, 0, 0], [0.1, 0.2, 0.9, 0.8, 0, 0, 0, 0, 0, 0])`
 * → first decile `{ decile: 1, customers: 1, meanScore: 0.9, meanOutcome: 1, lift: 5, cumulativeGain: 0.5 }`
 */

export interface DecileLiftRow {
  /** 1 = the highest scores */
  readonly decile: number;
  readonly customers: number;
  readonly meanScore: number;
  readonly meanOutcome: number;
  /** meanOutcome ÷ overall mean outcome (NaN when the overall mean is 0) */
  readonly lift: number;
  /** share of the total outcome in deciles 1..this one (NaN when the total is 0) */
  readonly cumulativeGain: number;
}

/** Ten rows (fewer with fewer than ten customers); NaN scores or outcomes are left out. */
export function computeDecileLift(outcome: ArrayLike<number>, score: ArrayLike<number>): DecileLiftRow[] {
  const rows: number[] = [];
  for (let i = 0; i < outcome.length; i++) if (Number.isFinite(outcome[i]!) && Number.isFinite(score[i]!)) rows.push(i);
  rows.sort((a, b) => score[b]! - score[a]! || a - b);
  const n = rows.length;
  let total = 0;
  for (const i of rows) total += outcome[i]!;
  const overallMean = n > 0 ? total / n : NaN;
  // the outcome each sorted position counts with: the mean of its tie group
  const counted = new Float64Array(n);
  for (let from = 0; from < n; ) {
    let to = from + 1;
    while (to < n && score[rows[to]!]! === score[rows[from]!]!) to++;
    let sum = 0;
    for (let k = from; k < to; k++) sum += outcome[rows[k]!]!;
    counted.fill(sum / (to - from), from, to);
    from = to;
  }
  const groups = Math.min(10, n);
  const result: DecileLiftRow[] = [];
  let cumulative = 0;
  for (let g = 0; g < groups; g++) {
    const from = Math.floor((g * n) / groups), to = Math.floor(((g + 1) * n) / groups);
    let sumScore = 0, sumOutcome = 0;
    for (let k = from; k < to; k++) (sumScore += score[rows[k]!]!), (sumOutcome += counted[k]!);
    cumulative += sumOutcome;
    const customers = to - from;
    const meanOutcome = sumOutcome / customers;
    result.push({
      decile: g + 1,
      customers,
      meanScore: sumScore / customers,
      meanOutcome,
      lift: overallMean > 0 ? meanOutcome / overallMean : NaN,
      cumulativeGain: total > 0 ? cumulative / total : NaN,
    });
  }
  return result;
}
