/**
 * How old a customer is at the end of a tracking period (the model card's
 * cumulative and incremental tracking curves):
 * - `last-day` (clvkit's default): to the period's last day, counted like T
 *   in the summary the model was fitted on (T runs from the first purchase
 *   day to the as-of day, and purchases on the as-of day count), so at the
 *   calibration end the curve evaluates the model at exactly the ages it was
 *   fitted at.
 * - `next-day`: to the day after the period's last day, i.e. one day more, as
 *   `lifetimes`' expected_cumulative_transactions and R BTYD's
 *   `*.ExpectedCumulativeTransactions` do; choose it to compare with their curves.
 */
export type TrackingAge = 'last-day' | 'next-day';

/** The conventions (CLI choices): here, with no imports, so that `--help` loads no model code. */
export const TRACKING_AGES: readonly TrackingAge[] = ['last-day', 'next-day'];
