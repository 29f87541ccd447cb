/**
 * Interest measures of a rule A ⇒ C from four counts over n rows (baskets for
 * association rules, customers for next-purchase rules):
 *   support    = n(A∪C) / n
 *   confidence = n(A∪C) / n(A)                      estimates P(C | A)
 *   lift       = confidence / (n(C)/n)              = P(A,C) / (P(A)·P(C))
 *   leverage   = n(A∪C)/n − (n(A)/n)·(n(C)/n)       (Piatetsky-Shapiro)
 *   conviction = (1 − n(C)/n) / (1 − confidence)     (Brin et al. 1997)
 * Special cases, returned rather than thrown: confidence is NaN when n(A) = 0;
 * lift is NaN when n(A), n(C) or n is 0; support and leverage are NaN when
 * n = 0; conviction is NaN when n(A) = 0 or n = 0, +Infinity when
 * confidence = 1 and n(C) < n (the rule never fails), and NaN when
 * confidence = 1 and n(C) = n (0/0: C is in every row, the rule says nothing).
 */
export interface RuleMetrics {
  readonly support: number;
  readonly confidence: number;
  readonly lift: number;
  readonly leverage: number;
  readonly conviction: number;
}

/** The counts behind a rule and its measures: what every kind of rule reports. */
export interface RuleCounts extends RuleMetrics {
  /** rows containing the antecedent */
  readonly antecedentCount: number;
  /** rows containing the consequent */
  readonly consequentCount: number;
  /** rows containing both */
  readonly count: number;
  /** all rows */
  readonly n: number;
}

export function computeRuleMetrics(count: number, antecedentCount: number, consequentCount: number, n: number): RuleMetrics {
  // Each measure is one division of exact integer products (exact below 2^53),
  // so rules with equal rational values get identical doubles and rank ties
  // are real ties: lift = n·n(A∪C) / (n(A)·n(C)), leverage = (n·n(A∪C) − n(A)·n(C)) / n²,
  // conviction = n(A)·(n − n(C)) / (n·(n(A) − n(A∪C))).
  const support = n > 0 ? count / n : NaN;
  const confidence = antecedentCount > 0 ? count / antecedentCount : NaN;
  const lift = n > 0 && antecedentCount > 0 && consequentCount > 0 ? (count * n) / (antecedentCount * consequentCount) : NaN;
  const leverage = n > 0 ? (count * n - antecedentCount * consequentCount) / (n * n) : NaN;
  let conviction: number;
  if (!(n > 0) || !(antecedentCount > 0)) conviction = NaN;
  else if (antecedentCount === count) conviction = consequentCount < n ? Infinity : NaN;
  else conviction = (antecedentCount * (n - consequentCount)) / (n * (antecedentCount - count));
  return { support, confidence, lift, leverage, conviction };
}
