/**
 * The in-sample fit table of Fader, Hardie & Shang (2010, Figure 3 and the
 * "In-sample fit" sheet of Hardie's BG/BB workbook): how many customers are
 * expected to make 0, 1, …, n transactions in their first n opportunities,
 * and the expected transactions per customer in opportunities 1…k for
 * k = 1…n. `lifetimes` calls the first `expected_number_of_transactions_in_first_n_periods`.
 */
import { UserError } from '../../core/errors/user-error.js';
import { predictBgBbExpectedTransactions, predictBgBbTransactionCountProbability, type BgBbParams } from './bgbb.js';

export interface BgBbFirstPeriods {
  /** n: the number of opportunities */
  readonly periods: number;
  /** the customers the counts are scaled to */
  readonly customers: number;
  /** P(X(n) = x) for x = 0…n (FHS 2010 eq. 7); sums to 1 */
  readonly probability: Float64Array;
  /** customers · P(X(n) = x), x = 0…n: customers expected to make x transactions in the first n opportunities */
  readonly expectedCustomers: Float64Array;
  /** E[X(k)] for k = 1…n (entry k − 1, FHS 2010 eq. 8): expected transactions per customer in opportunities 1…k */
  readonly expectedTransactions: Float64Array;
}

/**
 * Expected transactions in the first n opportunities of newly acquired
 * customers: the distribution of the count X(n) (as expected customers per
 * count, for `customers` customers) and the cumulative mean E[X(k)], k ≤ n.
 * All NaN when the parameters are invalid; throws `UserError` unless n is a
 * whole number ≥ 0 and customers a finite number ≥ 0.
 *
 * Example: at the donations estimates (α 1.204, β 0.750, γ 0.657, δ 2.783)
 * and 11,104 donors, `bgbbExpectedTransactionsInFirstNPeriods(p, 6, 11104)`
 * gives expectedCustomers[0] ≈ 3454.9 and expectedCustomers[6] ≈ 1253.1.
 */
export function bgbbExpectedTransactionsInFirstNPeriods(params: BgBbParams, n: number, customers = 1): BgBbFirstPeriods {
  if (!Number.isInteger(n) || n < 0) throw new UserError(`BG/BB first periods: n = ${n} must be a whole number ≥ 0`, 'n counts transaction opportunities, e.g. 6');
  if (!(customers >= 0) || !Number.isFinite(customers)) throw new UserError(`BG/BB first periods: customers = ${customers} must be a finite number ≥ 0`, 'pass the number of customers in the cohort, or omit it for probabilities');
  const probability = new Float64Array(n + 1);
  for (let x = 0; x <= n; x++) probability[x] = predictBgBbTransactionCountProbability(params, n, x);
  const expectedCustomers = probability.map((p) => p * customers);
  const expectedTransactions = new Float64Array(n);
  for (let k = 1; k <= n; k++) expectedTransactions[k - 1] = predictBgBbExpectedTransactions(params, k);
  return { periods: n, customers, probability, expectedCustomers, expectedTransactions };
}
