/**
 * Next-order quantiles as days after the as-of date, for the `next_order_p50`
 * and `next_order_p90` dates: null where the order may never come. A quantile
 * is infinite when q ≥ P(alive), and just below that it is finite but can be
 * astronomically far (t_q = κ·((1 − q/P(alive))^(−1/s) − 1) grows without
 * bound as q → P(alive); 1.8e10 days was seen, which no date type holds).
 * Beyond NEXT_ORDER_MAX_DAYS it says the same as infinity — not within any
 * horizon a shop plans for — and is null too.
 */

/** a century: quantiles beyond it are "may never be reached" */
export const NEXT_ORDER_MAX_DAYS = 36_525;

/**
 * Quantiles in model time units → days (null beyond NEXT_ORDER_MAX_DAYS, infinite or NaN).
 *
 * Example: `nextOrderDays(Float64Array.of(2, Infinity, 1e9), 7)` → `[14, null, null]`.
 */
export function nextOrderDays(quantiles: Float64Array, unitDays: number): (number | null)[] {
  return Array.from(quantiles, (t) => {
    const days = t * unitDays;
    return days >= 0 && days <= NEXT_ORDER_MAX_DAYS ? days : null;
  });
}
