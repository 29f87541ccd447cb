/**
 * The CLV totals of a run, each with its months: `totalPredicted` sums
 * predicted_clv_12m, over 12 months whatever --horizon-months asked for
 * (`totalPredictedMonths`); a horizon h other than 12 adds
 * `horizonTotalPredicted` over h months (customers.csv's predicted_clv_<h>m).
 * A run.json written before `totalPredictedMonths` existed put the requested
 * horizon's CLV in predicted_clv_12m: its `horizonMonths` is then the months
 * of `totalPredicted`.
 */
export interface ClvTotalsFields {
  readonly horizonMonths: number;
  readonly totalPredicted?: number | null;
  readonly totalPredictedMonths?: number;
  readonly horizonTotalPredicted?: number;
}

/** The months of `totalPredicted` and of customer_scores' predicted_clv_12m. */
export function totalPredictedMonths(clv: Pick<ClvTotalsFields, 'horizonMonths' | 'totalPredictedMonths'>): number {
  return clv.totalPredictedMonths ?? clv.horizonMonths;
}

/**
 * Each total with its months, the 12-month one first; only totals that are numbers.
 *
 * Example: `{ horizonMonths: 6, totalPredicted: 6137, totalPredictedMonths: 12, horizonTotalPredicted: 3322 }` →
 * `[{ months: 12, total: 6137 }, { months: 6, total: 3322 }]`
 */
export function clvTotalsByMonths(clv: ClvTotalsFields): { readonly months: number; readonly total: number }[] {
  const totals = [{ months: totalPredictedMonths(clv), total: clv.totalPredicted }, { months: clv.horizonMonths, total: clv.horizonTotalPredicted }];
  return totals.filter((t, i): t is { months: number; total: number } => typeof t.total === 'number' && (i === 0 || t.months !== totals[0]!.months));
}

/**
 * The CLV intervals in words, for analyze's summary line: their level and number of parameter draws, or that there are
 * none ('' for a run.json of a version that did not count its draws).
 *
 * Example: `{ intervalLevel: 0.9, intervalDraws: 100 }` → "per-customer 90% intervals from 100 parameter draws"
 */
export function describeClvIntervalDraws(clv: { readonly intervalLevel?: number; readonly intervalDraws?: number; readonly intervalsSkipped?: string }): string {
  if (clv.intervalDraws === undefined) return '';
  if (clv.intervalDraws === 0) return 'no per-customer intervals (run.json valueModel.clv.intervalsSkipped says why)';
  return `per-customer ${clv.intervalLevel === undefined ? '' : `${Math.round(100 * clv.intervalLevel)}% `}intervals from ${clv.intervalDraws} parameter draws`;
}
